import { describe, expect, it } from 'vitest';
import type { SeriesReport, TimelineSegment } from '../../core/sla/index.js';
import { createDailyAccumulator } from '../daily.js';

const H = 3600_000;
/** The parts of a series report the daily figures read. */
const series = (tenant: string, start: number, end: number) => ({ tenant, counted: [{ start, end }], corrections: [] }) as unknown as SeriesReport;

describe('daily figures (reports: daily table, heat map)', () => {
  it('a 25-hour and a 23-hour local day keep their own minutes, and the days add up to the period', () => {
    // Paris, 24/7: Sunday 25 October 2026 lasts 25 hours (clocks go back), Sunday 29 March 2026 23 hours.
    for (const [from, hours, date] of [[Date.UTC(2026, 9, 24, 22), 25, '2026-10-25'], [Date.UTC(2026, 2, 28, 23), 23, '2026-03-29']] as const) {
      const to = from + (hours + 24) * H;
      // Up all along, except one hour down at the start of the next day.
      const next = from + hours * H;
      const timeline: TimelineSegment[] = [
        { start: from, end: next, state: 'up' },
        { start: next, end: next + H, state: 'down', party: 'provider' },
        { start: next + H, end: to, state: 'up' },
      ];
      const acc = createDailyAccumulator(from, to, 'Europe/Paris', ['provider']);
      acc.add(series('0511111A', from, to), timeline);
      const days = acc.output(99);
      expect(days.map((d) => [d.date, d.raw.sums.countedMinutes, d.raw.sums.downMinutes])).toEqual([
        [date, hours * 60, 0],
        [days[1]!.date, 24 * 60, 60],
      ]);
      expect(days[0]!.start).toBe(new Date(from).toISOString());
      expect(days[1]!.corrected.figures.availabilityPercent).toBeCloseTo((23 / 24) * 100, 9);
      expect(days[1]!.tenants['0511111A']!.sums.downMinutes).toBe(60);
    }
  });

  it('pools series per day, per establishment, and leaves minutes outside the counted ones out', () => {
    const from = Date.UTC(2026, 9, 4, 22);
    const to = from + 48 * H;
    const acc = createDailyAccumulator(from, to, 'Europe/Paris', ['provider']);
    // Tenant A counted 08:00–18:00 local on both days; tenant B counted only the second day.
    const a = { tenant: 'A', counted: [{ start: from + 8 * H, end: from + 18 * H }, { start: from + 32 * H, end: from + 42 * H }], corrections: [{ start: from + 32 * H, end: from + 33 * H }] } as unknown as SeriesReport;
    acc.add(a, [{ start: from, end: to, state: 'down', party: 'provider' }]);
    acc.add(series('B', from + 24 * H, to), [{ start: from, end: to, state: 'up' }]);
    const [d1, d2] = acc.output(99);
    expect([d1!.raw.sums.countedMinutes, d1!.raw.sums.downMinutes]).toEqual([600, 600]);
    // Every establishment has each day; one with nothing counted that day has no data (never 0 % or 100 %).
    expect(Object.keys(d1!.tenants)).toEqual(['A', 'B']);
    expect(d1!.tenants.B!.figures).toMatchObject({ noData: true, availabilityPercent: null });
    expect([d2!.raw.sums.countedMinutes, d2!.raw.sums.upMinutes, d2!.raw.sums.downMinutes]).toEqual([600 + 1440, 1440, 600]);
    // The correction excludes an hour of A's second day in the corrected figures only.
    expect(d2!.corrected.sums.downMinutes).toBe(540);
    expect(d2!.tenants.A!.sums.correctionMinutes).toBe(60);
  });
});
