import { describe, expect, it } from 'vitest';
import { scheduleSchema } from '../config/schema.js';
import { VigieError } from '../errors.js';
import { nextSlot, runAt, slotContaining, slotsBetween, toSlotSchedule, type SlotSchedule } from '../slots.js';

/** Cron schedules away from DST: gaps, month ends, leap days, year boundaries, offsets, boundaries, conversion. */
const cron = (pattern: string, intervalSeconds: number, offsetSeconds?: number): SlotSchedule => ({
  kind: 'cron',
  cron: pattern,
  timezone: 'Europe/Paris',
  intervalSeconds,
  ...(offsetSeconds === undefined ? {} : { offsetSeconds }),
});
const DAY = 86_400;
const z = (iso: string) => new Date(iso);
const isoStarts = (s: SlotSchedule, from: string, to: string) => slotsBetween(s, z(from), z(to)).map((x) => x.start.toISOString());

describe('a daytime-only cron "*/5 7-18 * * 1-5" leaves nights and weekends in no slot', () => {
  const daytime = cron('*/5 7-18 * * 1-5', 300);
  it.each([
    ['Monday 22:00 CEST', '2025-06-02T20:00:00Z', null],
    ['Monday 22:00 CET', '2025-12-01T21:00:00Z', null],
    ['Monday 06:59 CEST', '2025-06-02T04:59:00Z', null],
    ['Monday 07:00 CEST, exactly', '2025-06-02T05:00:00Z', ['2025-06-02T05:00:00Z', '2025-06-02T05:05:00Z']],
    ['Monday 18:57 CEST', '2025-06-02T16:57:00Z', ['2025-06-02T16:55:00Z', '2025-06-02T17:00:00Z']],
    ['Monday 19:00 CEST, exactly', '2025-06-02T17:00:00Z', null],
    ['Saturday noon', '2025-06-07T10:00:00Z', null],
  ])('%s → %j', (_label, t, expected) => {
    const slot = slotContaining(daytime, z(t));
    expect(slot).toEqual(expected === null ? null : { start: z(expected[0]!), end: z(expected[1]!) });
  });

  it('has 144 five-minute slots on a weekday (12 h of the 24) and none on Sunday', () => {
    const monday = slotsBetween(daytime, z('2025-06-01T22:00:00Z'), z('2025-06-02T22:00:00Z'));
    expect(monday).toHaveLength(144);
    expect(monday.every((s) => s.end.getTime() - s.start.getTime() === 300_000)).toBe(true);
    expect(slotsBetween(daytime, z('2025-05-31T22:00:00Z'), z('2025-06-01T22:00:00Z'))).toEqual([]);
  });

  it('goes from Friday 19:00 to Monday 07:00', () => {
    expect(nextSlot(daytime, z('2025-06-06T17:00:00Z')).toISOString()).toBe('2025-06-09T05:00:00.000Z');
  });
});

describe('month ends, leap days and year boundaries', () => {
  it('"0 12 31 * *" skips months without a 31st', () => {
    expect(isoStarts(cron('0 12 31 * *', DAY), '2025-04-01T00:00:00Z', '2025-09-01T00:00:00Z')).toEqual([
      '2025-05-31T10:00:00.000Z',
      '2025-07-31T10:00:00.000Z',
      '2025-08-31T10:00:00.000Z',
    ]);
  });

  it('"0 0 29 2 *" waits for 2028-02-29, then 2032', () => {
    const leap = cron('0 0 29 2 *', DAY);
    const first = nextSlot(leap, z('2025-03-01T00:00:00Z'));
    expect(first.toISOString()).toBe('2028-02-28T23:00:00.000Z');
    expect(nextSlot(leap, first).toISOString()).toBe('2032-02-28T23:00:00.000Z');
    expect(slotContaining(leap, z('2028-02-29T12:00:00Z'))).toEqual({ start: z('2028-02-28T23:00:00Z'), end: z('2028-02-29T23:00:00Z') });
  });

  it('finds a rare day, "29 Feb that is a Sunday" (AND rule, dow starts with *), 28 years apart, without looping', () => {
    const rare = cron('0 0 29 2 */7', DAY);
    expect(nextSlot(rare, z('2005-01-01T00:00:00Z')).toISOString()).toBe('2032-02-28T23:00:00.000Z');
    expect(nextSlot(rare, z('2032-03-01T00:00:00Z')).toISOString()).toBe('2060-02-28T23:00:00.000Z');
    expect(slotContaining(rare, z('2031-06-01T00:00:00Z'))).toBeNull();
  });

  it('a daily run goes through 2028-02-29 and 2028-03-01', () => {
    expect(isoStarts(cron('0 6 * * *', DAY), '2028-02-28T00:00:00Z', '2028-03-02T00:00:00Z')).toEqual([
      '2028-02-28T05:00:00.000Z',
      '2028-02-29T05:00:00.000Z',
      '2028-03-01T05:00:00.000Z',
    ]);
  });

  it('a monthly slot with a 31-day interval ends at the next month start (29 days in Feb 2028)', () => {
    const slot = slotContaining(cron('0 0 1 * *', 31 * DAY), z('2028-02-15T00:00:00Z'))!;
    expect(slot).toEqual({ start: z('2028-01-31T23:00:00Z'), end: z('2028-02-29T23:00:00Z') });
  });

  it('a 30-day calendar interval on a cron keeps the local time across DST (30 × 24 h − 1 h)', () => {
    const slot = slotContaining(cron('0 0 15 * *', 30 * DAY), z('2025-03-20T00:00:00Z'))!;
    expect(slot).toEqual({ start: z('2025-03-14T23:00:00Z'), end: z('2025-04-13T22:00:00Z') });
    expect(slotContaining(cron('0 0 15 * *', 30 * DAY), z('2025-04-14T00:00:00Z'))).toBeNull(); // 14 Apr: no slot
  });

  it.each([
    ['0 6 * * *', DAY, '2025-12-31T05:00:00Z', '2026-01-01T05:00:00.000Z'],
    ['0 6 * * MON', 7 * DAY, '2025-12-29T05:00:00Z', '2026-01-05T05:00:00.000Z'],
    ['@yearly', DAY, '2025-06-01T00:00:00Z', '2025-12-31T23:00:00.000Z'],
    ['59 23 31 12 *', 60, '2025-12-31T22:58:00Z', '2025-12-31T22:59:00.000Z'],
  ])('"%s" crosses the year: after %s comes %s', (pattern, interval, after, expected) => {
    expect(nextSlot(cron(pattern, interval as number), z(after as string)).toISOString()).toBe(expected);
  });

  it('a yearly run with a one-day interval leaves the rest of the year in no slot', () => {
    const yearly = cron('@yearly', DAY);
    expect(slotContaining(yearly, z('2026-01-01T12:00:00Z'))).toEqual({ start: z('2025-12-31T23:00:00Z'), end: z('2026-01-01T23:00:00Z') });
    expect(slotContaining(yearly, z('2026-01-02T00:00:00Z'))).toBeNull();
  });

  it('matches day-of-month OR day-of-week when both are restricted (cron(5)): the 13th and every Friday', () => {
    // October 2025: Fridays 3, 10, 17, 24, 31; the 13th is a Monday.
    const days = isoStarts(cron('0 12 13 * FRI', DAY), '2025-10-01T00:00:00Z', '2025-11-01T00:00:00Z').map((d) => d.slice(8, 10));
    expect(days).toEqual(['03', '10', '13', '17', '24', '31']);
  });
});

describe('slot boundaries are [start, end)', () => {
  const quarter = cron('*/15 * * * *', 900);
  it.each([
    ['2025-06-02T10:15:00.000Z', '2025-06-02T10:15:00Z'],
    ['2025-06-02T10:29:59.999Z', '2025-06-02T10:15:00Z'],
    ['2025-06-02T10:30:00.000Z', '2025-06-02T10:30:00Z'],
  ])('t = %s lies in the slot starting %s', (t, start) => {
    expect(slotContaining(quarter, z(t))?.start).toEqual(z(start));
  });

  it('nextSlot is strictly after: from a start, the following start', () => {
    expect(nextSlot(quarter, z('2025-06-02T10:15:00Z')).toISOString()).toBe('2025-06-02T10:30:00.000Z');
    expect(nextSlot(quarter, z('2025-06-02T10:14:59.999Z')).toISOString()).toBe('2025-06-02T10:15:00.000Z');
  });

  it('the daily slot boundary on the spring-forward morning', () => {
    const daily = cron('0 6 * * *', DAY);
    expect(slotContaining(daily, z('2025-03-30T03:59:59.999Z'))?.start).toEqual(z('2025-03-29T05:00:00Z'));
    expect(slotContaining(daily, z('2025-03-30T04:00:00Z'))?.start).toEqual(z('2025-03-30T04:00:00Z'));
  });

  it('slotsBetween takes starts in [from, to): a start at `to` is excluded, one at `from` included', () => {
    expect(isoStarts(quarter, '2025-06-02T10:15:00Z', '2025-06-02T10:45:00Z')).toEqual(['2025-06-02T10:15:00.000Z', '2025-06-02T10:30:00.000Z']);
    expect(isoStarts(quarter, '2025-06-02T10:45:00Z', '2025-06-02T10:45:00Z')).toEqual([]);
  });
});

describe('runAt: a fixed offset inside the slot', () => {
  it.each([
    ['interval 5 min + 90 s', { kind: 'interval', intervalSeconds: 300, offsetSeconds: 90 } as SlotSchedule, '2025-06-02T10:03:00Z', '2025-06-02T10:01:30.000Z'],
    ['daily cron + 10 min on the 23-h day', cron('0 6 * * *', DAY, 600), '2025-03-30T12:00:00Z', '2025-03-30T04:10:00.000Z'],
    ['no offset', cron('*/15 * * * *', 900), '2025-06-02T10:20:00Z', '2025-06-02T10:15:00.000Z'],
  ])('%s', (_label, schedule, t, expected) => {
    const slot = slotContaining(schedule, z(t))!;
    expect(runAt(schedule, slot).toISOString()).toBe(expected);
  });

  it('keeps the slot key: the offset does not move the slot start', () => {
    const s: SlotSchedule = { kind: 'interval', intervalSeconds: 300, offsetSeconds: 90 };
    expect(slotContaining(s, z('2025-06-02T10:01:00Z'))?.start).toEqual(z('2025-06-02T10:00:00Z'));
  });

  it('drops an offset that would leave a slot cut short by the next start', () => {
    const s = cron('0,10 * * * *', 3600, 900); // slots [00, 10) and [10, 60)
    const short = slotContaining(s, z('2025-06-02T10:05:00Z'))!;
    expect(short).toEqual({ start: z('2025-06-02T10:00:00Z'), end: z('2025-06-02T10:10:00Z') });
    expect(runAt(s, short).toISOString()).toBe('2025-06-02T10:00:00.000Z');
    expect(runAt(s, slotContaining(s, z('2025-06-02T10:30:00Z'))!).toISOString()).toBe('2025-06-02T10:25:00.000Z');
  });
});

describe('toSlotSchedule', () => {
  const base = { id: 's1', journey: 'login', tenant: '0510001A', persona: 'p1' };
  it('turns "every" into an interval schedule with its offset', () => {
    expect(toSlotSchedule(scheduleSchema.parse({ ...base, every: '5m', offset: '30s' }), 'Europe/Paris')).toEqual({ kind: 'interval', intervalSeconds: 300, offsetSeconds: 30 });
  });
  it('turns cron + interval into a cron schedule in the config time zone by default', () => {
    expect(toSlotSchedule(scheduleSchema.parse({ ...base, cron: '0 6 * * *', interval: '1d' }), 'Europe/Paris')).toEqual({
      kind: 'cron',
      cron: '0 6 * * *',
      timezone: 'Europe/Paris',
      intervalSeconds: DAY,
    });
  });
  it('keeps a schedule time zone of its own', () => {
    const s = toSlotSchedule(scheduleSchema.parse({ ...base, cron: '0 6 * * *', interval: '1d', timezone: 'Indian/Reunion' }), 'Europe/Paris');
    expect(s).toMatchObject({ timezone: 'Indian/Reunion' });
    expect(nextSlot(s, z('2025-06-01T00:00:00Z')).toISOString()).toBe('2025-06-01T02:00:00.000Z'); // UTC+4
  });
  it('refuses a schedule with neither form, with code CONFIG', () => {
    const bad = { ...scheduleSchema.parse({ ...base, every: '5m' }), every: undefined };
    expect(() => toSlotSchedule(bad, 'Europe/Paris')).toThrow(expect.objectContaining({ code: 'CONFIG' }));
  });
});

describe('bad input fails clearly instead of looping', () => {
  it.each([
    ['an unknown time zone', { kind: 'cron', cron: '0 6 * * *', timezone: 'Europe/Pariss', intervalSeconds: DAY }, /unknown time zone/],
    ['an invalid pattern', { kind: 'cron', cron: '0 6 * *', timezone: 'Europe/Paris', intervalSeconds: DAY }, /5 fields/],
    ['a zero interval', { kind: 'interval', intervalSeconds: 0 }, /positive/],
    ['a negative cron interval', { kind: 'cron', cron: '0 6 * * *', timezone: 'Europe/Paris', intervalSeconds: -1 }, /positive/],
  ])('%s → VigieError VALIDATION', (_label, schedule, message) => {
    let error: unknown;
    try {
      nextSlot(schedule as SlotSchedule, z('2025-06-01T00:00:00Z'));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(VigieError);
    expect((error as VigieError).code).toBe('VALIDATION');
    expect((error as Error).message).toMatch(message);
  });
});
