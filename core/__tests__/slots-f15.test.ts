import { describe, expect, it } from 'vitest';
import { nextSlot, slotsBetween, type SlotSchedule } from '../slots.js';

/**
 * Field scenario F15 (acceptance/field-scenarios.md): cron jobs around the 2025 DST changes in Europe/Paris
 * (spring forward 2025-03-30 01:00Z, fall back 2025-10-26 01:00Z). Exact instants in UTC.
 */
const paris = (cron: string, intervalSeconds: number): SlotSchedule => ({ kind: 'cron', cron, timezone: 'Europe/Paris', intervalSeconds });
const DAY = 86_400;
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const starts = (s: SlotSchedule, from: string, to: string) => iso(slotsBetween(s, new Date(from), new Date(to)).map((x) => x.start));

/** Local Paris day D = [D 00:00, D+1 00:00) in UTC. */
const localDay: Record<string, [string, string]> = {
  '2025-03-29': ['2025-03-28T23:00:00Z', '2025-03-29T23:00:00Z'],
  '2025-03-30': ['2025-03-29T23:00:00Z', '2025-03-30T22:00:00Z'],
  '2025-03-31': ['2025-03-30T22:00:00Z', '2025-03-31T22:00:00Z'],
  '2025-10-25': ['2025-10-24T22:00:00Z', '2025-10-25T22:00:00Z'],
  '2025-10-26': ['2025-10-25T22:00:00Z', '2025-10-26T23:00:00Z'],
  '2025-10-27': ['2025-10-26T23:00:00Z', '2025-10-27T23:00:00Z'],
};

describe('F15 daily report "0 6 * * *" in Europe/Paris', () => {
  const daily = paris('0 6 * * *', DAY);
  it.each([
    ['2025-03-29', '2025-03-29T05:00:00.000Z'],
    ['2025-03-30', '2025-03-30T04:00:00.000Z'],
    ['2025-03-31', '2025-03-31T04:00:00.000Z'],
    ['2025-10-25', '2025-10-25T04:00:00.000Z'],
    ['2025-10-26', '2025-10-26T05:00:00.000Z'],
    ['2025-10-27', '2025-10-27T05:00:00.000Z'],
  ])('runs exactly once on %s, at %s', (day, expected) => {
    const [from, to] = localDay[day]!;
    expect(starts(daily, from, to)).toEqual([expected]);
  });

  it('gives the same runs whenever the scheduler is redeployed (Fri 10-24 and Sun 10-26 12:00)', () => {
    const chain = (from: string, n: number) => {
      const out: Date[] = [];
      let t = new Date(from);
      for (let i = 0; i < n; i++) out.push((t = nextSlot(daily, t)));
      return iso(out);
    };
    expect(chain('2025-10-24T10:00:00Z', 3)).toEqual(['2025-10-25T04:00:00.000Z', '2025-10-26T05:00:00.000Z', '2025-10-27T05:00:00.000Z']);
    expect(chain('2025-10-26T11:00:00Z', 1)).toEqual(['2025-10-27T05:00:00.000Z']);
    // A run computed just before the change must not keep the old offset (bull#2207): from 10-26 04:30Z, 05:00Z.
    expect(chain('2025-10-26T04:30:00Z', 1)).toEqual(['2025-10-26T05:00:00.000Z']);
  });
});

describe('F15 weekly "0 6 * * MON"', () => {
  const weekly = paris('0 6 * * MON', 7 * DAY);
  it.each([
    ['2025-03-25T00:00:00Z', '2025-04-06T00:00:00Z', ['2025-03-31T04:00:00.000Z']],
    ['2025-10-21T00:00:00Z', '2025-11-02T00:00:00Z', ['2025-10-27T05:00:00.000Z']],
  ])('between %s and %s runs once', (from, to, expected) => {
    expect(starts(weekly, from, to)).toEqual(expected);
  });

  it('has weekly slots of 7 local days (167 h across spring forward, 169 h across fall back)', () => {
    const [spring] = slotsBetween(weekly, new Date('2025-03-24T00:00:00Z'), new Date('2025-03-25T00:00:00Z'));
    expect(spring).toEqual({ start: new Date('2025-03-24T05:00:00Z'), end: new Date('2025-03-31T04:00:00Z') });
    const [fall] = slotsBetween(weekly, new Date('2025-10-20T00:00:00Z'), new Date('2025-10-21T00:00:00Z'));
    expect(fall).toEqual({ start: new Date('2025-10-20T04:00:00Z'), end: new Date('2025-10-27T05:00:00Z') });
  });
});

describe('F15 "30 2 * * *" (a fixed local time that repeats or does not exist)', () => {
  const at0230 = paris('30 2 * * *', DAY);
  it('runs once on 2025-10-26, at the first 02:30 (00:30Z)', () => {
    const [from, to] = localDay['2025-10-26']!;
    expect(starts(at0230, from, to)).toEqual(['2025-10-26T00:30:00.000Z']);
  });
  it('runs once on 2025-03-30, right after the jump (03:00 local = 01:00Z)', () => {
    const [from, to] = localDay['2025-03-30']!;
    expect(starts(at0230, from, to)).toEqual(['2025-03-30T01:00:00.000Z']);
  });
  it('is back to 02:30 local on the following days', () => {
    expect(starts(at0230, '2025-03-31T00:00:00Z', '2025-04-01T00:00:00Z')).toEqual(['2025-03-31T00:30:00.000Z']);
    expect(starts(at0230, '2025-10-27T00:00:00Z', '2025-10-28T00:00:00Z')).toEqual(['2025-10-27T01:30:00.000Z']);
  });
});

describe('F15 30-second probe schedule across the fall-back night', () => {
  const every30s: SlotSchedule = { kind: 'interval', intervalSeconds: 30 };
  it('has exactly 240 slots between 2025-10-26T00:00Z and 02:00Z', () => {
    const slots = slotsBetween(every30s, new Date('2025-10-26T00:00:00Z'), new Date('2025-10-26T02:00:00Z'));
    expect(slots).toHaveLength(240);
    expect(slots[0]!.start.toISOString()).toBe('2025-10-26T00:00:00.000Z');
    expect(slots.at(-1)!.end.toISOString()).toBe('2025-10-26T02:00:00.000Z');
  });

  it('never stalls: chained nextSlot gives 240 starts 30 s apart (node-cron#492)', () => {
    let t = new Date('2025-10-25T23:59:59.999Z');
    const gaps = new Set<number>();
    for (let i = 0; i < 240; i++) {
      const next = nextSlot(every30s, t);
      gaps.add(next.getTime() - t.getTime());
      t = next;
    }
    expect(t.toISOString()).toBe('2025-10-26T01:59:30.000Z');
    expect([...gaps].filter((g) => g !== 30_000)).toEqual([1]); // only the first step, from 1 ms before
  });
});

describe('nextSlot makes progress through both DST changes for every kind of pattern', () => {
  // Starts strictly inside (from, to). Elapsed-time patterns lose no instant to a DST change: 6 h hold 359 inner
  // minute starts on both nights; the fixed 02:30 job runs once on each of the 245 local days.
  it.each([
    ['* * * * *', 60, '2025-03-29T22:00:00Z', '2025-03-30T04:00:00Z', 359],
    ['* * * * *', 60, '2025-10-25T22:00:00Z', '2025-10-26T04:00:00Z', 359],
    ['*/30 * * * *', 1800, '2025-10-25T22:00:00Z', '2025-10-26T04:00:00Z', 11],
    ['30 2 * * *', DAY, '2025-03-01T00:00:00Z', '2025-11-01T00:00:00Z', 245],
  ])('"%s" (I = %i s) chained from %s to %s gives %i strictly increasing starts', (cron, interval, from, to, count) => {
    const s = paris(cron, interval);
    let t = new Date(from);
    let n = 0;
    for (;;) {
      const next = nextSlot(s, t);
      expect(next.getTime()).toBeGreaterThan(t.getTime());
      if (next >= new Date(to)) break;
      t = next;
      n++;
      expect(n).toBeLessThanOrEqual(count);
    }
    expect(n).toBe(count);
  });
});
