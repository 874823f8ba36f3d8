import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { nextSlot, slotContaining, slotsBetween, type SlotSchedule } from '../slots.js';

/**
 * DST rules of DESIGN.md §5 beyond F15 (Europe/Paris 2025: spring forward 03-30 01:00Z, 02:00 → 03:00;
 * fall back 10-26 01:00Z, 03:00 → 02:00): elapsed time for frequent jobs, merged coinciding starts,
 * calendar-day slot lengths.
 */
const cron = (pattern: string, intervalSeconds: number, timezone = 'Europe/Paris'): SlotSchedule => ({ kind: 'cron', cron: pattern, timezone, intervalSeconds });
const DAY = 86_400;
const span = (s: SlotSchedule, from: string, to: string) =>
  slotsBetween(s, new Date(from), new Date(to)).map((x) => [x.start.toISOString().slice(11, 16), (x.end.getTime() - x.start.getTime()) / 60_000] as const);

describe('jobs more frequent than hourly follow elapsed time', () => {
  it('"*/15" runs in both 02:xx hours of the fall-back night: 8 slots of 15 min from 00:00Z to 02:00Z', () => {
    expect(span(cron('*/15 * * * *', 900), '2025-10-26T00:00:00Z', '2025-10-26T02:00:00Z')).toEqual([
      ['00:00', 15], ['00:15', 15], ['00:30', 15], ['00:45', 15], // 02:00-02:45 CEST
      ['01:00', 15], ['01:15', 15], ['01:30', 15], ['01:45', 15], // 02:00-02:45 CET
    ]);
  });

  it('"*/30" runs in both 02:xx hours too', () => {
    expect(span(cron('*/30 * * * *', 1800), '2025-10-26T00:00:00Z', '2025-10-26T02:00:00Z').map(([t]) => t)).toEqual(['00:00', '00:30', '01:00', '01:30']);
  });

  it('"*/15" has no start in the missing hour of spring forward and its slots still tile time', () => {
    // 01:45 CET (00:45Z) is followed by 03:00 CEST (01:00Z): 15 elapsed minutes, no slot lost or added.
    expect(span(cron('*/15 * * * *', 900), '2025-03-30T00:30:00Z', '2025-03-30T01:30:00Z')).toEqual([
      ['00:30', 15], ['00:45', 15], ['01:00', 15], ['01:15', 15],
    ]);
    expect(nextSlot(cron('*/15 * * * *', 900), new Date('2025-03-30T00:45:00Z')).toISOString()).toBe('2025-03-30T01:00:00.000Z');
  });

  it('an hour range "15 1-3" runs the repeated 02:15 twice (range = not a fixed time)', () => {
    expect(span(cron('15 1-3 * * *', 3600), '2025-10-25T22:00:00Z', '2025-10-26T04:00:00Z').map(([t]) => t)).toEqual(['23:15', '00:15', '01:15', '02:15']);
  });
});

describe('fixed-time jobs (minute fixed, hour fixed or a list of hours)', () => {
  it('merges coinciding starts: "0 2,3" on 2025-03-30 has one slot at 01:00Z (02:00 moved after the jump = 03:00)', () => {
    const s = cron('0 2,3 * * *', 3600);
    expect(span(s, '2025-03-28T23:00:00Z', '2025-03-29T23:00:00Z')).toEqual([['01:00', 60], ['02:00', 60]]);
    expect(span(s, '2025-03-29T23:00:00Z', '2025-03-30T22:00:00Z')).toEqual([['01:00', 60]]);
    expect(nextSlot(s, new Date('2025-03-30T00:59:00Z')).toISOString()).toBe('2025-03-30T01:00:00.000Z');
    expect(nextSlot(s, new Date('2025-03-30T01:00:00Z')).toISOString()).toBe('2025-03-31T00:00:00.000Z'); // 02:00 CEST
  });

  it('runs a repeated hour once, at its first occurrence, leaving the second in no slot', () => {
    const s = cron('0 2,3 * * *', 3600);
    expect(span(s, '2025-10-25T22:00:00Z', '2025-10-26T23:00:00Z')).toEqual([['00:00', 60], ['02:00', 60]]);
    expect(slotContaining(s, new Date('2025-10-26T01:30:00Z'))).toBeNull(); // 02:30 CET, second pass
  });

  it('merges a skipped day into the next one (Pacific/Apia skipped 2011-12-30)', () => {
    const s = cron('0 0 * * *', DAY, 'Pacific/Apia');
    const starts = slotsBetween(s, new Date('2011-12-29T00:00:00Z'), new Date('2012-01-01T00:00:00Z')).map((x) => x.start.toISOString());
    // 29 Dec 00:00 (UTC−10); 30 Dec 00:00 does not exist → 31 Dec 00:00 (UTC+14), the same instant as 31 Dec's run.
    expect(starts).toEqual(['2011-12-29T10:00:00.000Z', '2011-12-30T10:00:00.000Z', '2011-12-31T10:00:00.000Z']);
  });
});

describe('daily slots are calendar days (1380, 1440, 1500 minutes)', () => {
  const midnight = cron('0 0 * * *', DAY);
  it.each([
    ['2025-03-29T23:00:00Z', '2025-03-30T22:00:00Z', 1380],
    ['2025-06-14T22:00:00Z', '2025-06-15T22:00:00Z', 1440],
    ['2025-10-25T22:00:00Z', '2025-10-26T23:00:00Z', 1500],
  ])('the local day starting %s ends at %s (%i min)', (start, end, minutes) => {
    const slot = slotContaining(midnight, new Date(new Date(start).getTime() + 3_600_000))!;
    expect(slot).toEqual({ start: new Date(start), end: new Date(end) });
    expect((slot.end.getTime() - slot.start.getTime()) / 60_000).toBe(minutes);
  });

  it('"0 6" slots last 23 h and 25 h across the changes', () => {
    expect(span(cron('0 6 * * *', DAY), '2025-03-29T00:00:00Z', '2025-03-31T00:00:00Z')).toEqual([['05:00', 1380], ['04:00', 1440]]);
    expect(span(cron('0 6 * * *', DAY), '2025-10-25T00:00:00Z', '2025-10-27T00:00:00Z')).toEqual([['04:00', 1500], ['05:00', 1440]]);
  });

  it('a nominal interval under a day is elapsed time, so a 25-h night leaves an hour in no slot', () => {
    // "0 6,18" with I = 12 h: 18:00 CEST on 10-25 (16:00Z) + 12 elapsed hours = 05:00 CET, an hour before 06:00 CET.
    const s = cron('0 6,18 * * *', 12 * 3600);
    expect(slotContaining(s, new Date('2025-10-25T20:00:00Z'))).toEqual({ start: new Date('2025-10-25T16:00:00Z'), end: new Date('2025-10-26T04:00:00Z') });
    expect(slotContaining(s, new Date('2025-10-26T04:30:00Z'))).toBeNull();
    expect(slotContaining(s, new Date('2025-10-26T05:00:00Z'))?.start).toEqual(new Date('2025-10-26T05:00:00Z'));
  });
});

describe('agreement with croner on 2025 (Europe/Paris) where its policy is ours', () => {
  // croner 11 implements the same cron(8) DST behaviour for these patterns; it differs only on hour lists, which it
  // treats as elapsed time (a second 02:00 on 10-26 for "0 2,3"), where DESIGN.md §5 says fixed time.
  it.each(['*/15 * * * *', '0 6 * * *', '30 2 * * *', '15 1-3 * * *', '0,30 2 * * *', '0 */2 * * *', '59 1 * * *', '0 3 * * 0'])(
    '"%s" has the same starts over March and October 2025',
    (pattern) => {
      for (const [from, to] of [['2025-03-01T00:00:00Z', '2025-04-01T00:00:00Z'], ['2025-10-01T00:00:00Z', '2025-11-01T00:00:00Z']] as const) {
        const ours = slotsBetween(cron(pattern, 60), new Date(from), new Date(to)).map((s) => s.start.getTime());
        const job = new Cron(pattern, { timezone: 'Europe/Paris', paused: true });
        const theirs: number[] = [];
        for (let d = job.nextRun(new Date(new Date(from).getTime() - 1)); d && d < new Date(to); d = job.nextRun(d)) theirs.push(d.getTime());
        expect(ours).toEqual(theirs);
        expect(ours.length).toBeGreaterThan(0);
      }
    },
  );
});
