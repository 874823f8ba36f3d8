import { describe, expect, it } from 'vitest';
import { maintenanceWindowSchema } from '../../config/contract.js';
import { localBuckets } from '../../calendar/buckets.js';
import { computeClauseReport } from '../compute-clause.js';
import { computeBucketFigures } from '../bucket-figures.js';
import { detectIncidentTransitions } from '../incidents.js';
import { resolveWindowOccurrences } from '../maintenance.js';
import { computeSlotStates, type PauseInterval, type SlotRun } from '../slot-states.js';
import type { WindowOccurrence } from '../maintenance.js';
import { clause, LOCAL, paris, pct4, runs, slots, within, ZONE } from './helpers.js';
import type { RunStatus } from '../../run-types.js';

const NO_CALENDAR = { departement: '51', schoolCalendar: null };

/** One 1-min series over [from, to) with the given statuses, pauses and windows, through the whole engine. */
function scenario(opts: {
  from: string;
  to: string;
  statusAt: (t: number) => RunStatus | null;
  pauses?: PauseInterval[];
  windows?: WindowOccurrence[];
  target?: number;
  extraRuns?: SlotRun[];
}) {
  const from = paris(opts.from);
  const to = paris(opts.to);
  const list = slots(from, to, 1);
  const states = computeSlotStates({
    slots: list,
    locations: LOCAL,
    runs: [...runs(list, opts.statusAt), ...(opts.extraRuns ?? [])],
    pauses: opts.pauses,
    windows: opts.windows,
    from,
    to,
    now: to,
  });
  const c = clause({ targetPercent: opts.target ?? 99.9 });
  const report = computeClauseReport({ clause: c, zone: ZONE, from, to, now: to, series: [{ journey: 'login', target: 't', tenant: '0510001A', calendar: NO_CALENDAR, states }] });
  return { states, report, from, to };
}

describe('F1: a long paused gap before a failure is not credited to the failure', () => {
  const down = paris('2025-11-14 18:44');
  const { report, states } = scenario({
    from: '2025-11-14 00:00',
    to: '2025-11-15 00:00',
    statusAt: (t) => (within('2025-11-14 00:35', '2025-11-14 18:44')(t) ? null : t === down ? 'down' : 'up'),
    pauses: [{ start: paris('2025-11-14 00:35'), end: paris('2025-11-14 18:44') }],
  });
  const { sums, figures } = report.raw;
  it('books the gap as paused (unknown), not down and not up', () => {
    expect(sums.countedMinutes).toBe(1440);
    expect(sums.byState.paused).toBe(1089);
    expect(sums.observedMinutes).toBe(351);
    expect(sums.downMinutes).toBe(1);
  });
  it('gives availability 350/351 and coverage 351/1440', () => {
    expect(pct4(figures.availabilityPercent)).toBe('99.7151');
    expect(figures.coveragePercent!.toFixed(2)).toBe('24.38');
    expect(figures.lowCoverage).toBe(true);
    expect(pct4(figures.availabilityPercent)).not.toBe('24.3056');
  });
  it('opens no incident for a single down slot', () => {
    expect(detectIncidentTransitions(states.slots).transitions).toEqual([]);
  });
});

describe('F3: time when our workers were down is unknown, listed and visible in coverage', () => {
  const { report } = scenario({
    from: '2025-11-01 00:00',
    to: '2025-12-01 00:00',
    statusAt: (t) => (within('2025-11-08 01:00', '2025-11-08 06:00')(t) ? null : within('2025-11-20 14:00', '2025-11-20 14:30')(t) ? 'down' : 'up'),
  });
  it('counts 300 unknown minutes out of 43 200', () => {
    expect(report.raw.sums.countedMinutes).toBe(43_200);
    expect(report.raw.sums.unknownMinutes).toBe(300);
    expect(report.raw.sums.byState.missed).toBe(300);
  });
  it('gives coverage 99.3056 % and availability 99.9301 %', () => {
    expect(pct4(report.raw.figures.coveragePercent)).toBe('99.3056');
    expect(pct4(report.raw.figures.availabilityPercent)).toBe('99.9301');
    expect(pct4(report.raw.figures.pessimisticPercent)).toBe('99.2361');
    expect(report.raw.figures.lowCoverage).toBe(false);
  });
  it('lists the gap in local time', () => {
    expect(report.series[0]!.dataGaps.map((g) => g.label)).toEqual(['data gap 2025-11-08 01:00–06:00']);
    expect(report.series[0]!.dataGaps[0]!.states).toEqual(['missed']);
  });
});

describe('F4: degraded runs count as up and are reported apart', () => {
  const { report, states } = scenario({
    from: '2025-11-14 00:00',
    to: '2025-11-15 00:00',
    statusAt: (t) => (within('2025-11-14 14:00', '2025-11-14 14:05')(t) ? 'down' : within('2025-11-14 09:00', '2025-11-14 09:30')(t) ? 'degraded' : 'up'),
  });
  it('gives availability 99.6528 % and degraded 2.0833 %', () => {
    expect(pct4(report.raw.figures.availabilityPercent)).toBe('99.6528');
    expect(pct4(report.raw.figures.degradedPercent)).toBe('2.0833');
    expect(report.raw.sums.degradedMinutes).toBe(30);
  });
  it('opens one incident at 14:01 and resolves it at 14:05', () => {
    const { transitions } = detectIncidentTransitions(states.slots, { k: 2 });
    expect(transitions.map((t) => [t.type, new Date(t.at).toISOString()])).toEqual([
      ['open', '2025-11-14T13:01:00.000Z'],
      ['resolve', '2025-11-14T13:05:00.000Z'],
    ]);
  });
});

describe('F7: idle (paused) nights give no NaN, and the error budget is exact', () => {
  const nights = Array.from({ length: 30 }, (_, i) => {
    const d = `2025-11-${String(i + 1).padStart(2, '0')}`;
    return { start: paris(`${d} 00:00`), end: paris(`${d} 06:00`) };
  });
  const downs = new Set(Array.from({ length: 20 }, (_, i) => paris(`2025-11-${String(i + 1).padStart(2, '0')} 12:00`)));
  const { report, states, from, to } = scenario({
    from: '2025-11-01 00:00',
    to: '2025-12-01 00:00',
    statusAt: (t) => (nights.some((n) => t >= n.start && t < n.end) ? null : downs.has(t) ? 'down' : 'up'),
    pauses: nights,
  });
  it('gives SLI 99.9383 %, consumed 61.7284 %, remaining 38.2716 %, burn 0.6173', () => {
    const budget = report.raw.errorBudget!;
    expect(report.raw.sums.observedMinutes).toBe(32_400);
    expect(pct4(report.raw.figures.availabilityPercent)).toBe('99.9383');
    expect(budget.budgetMinutes.toFixed(4)).toBe('32.4000');
    expect(pct4(budget.consumedPercent)).toBe('61.7284');
    expect(pct4(budget.remainingPercent)).toBe('38.2716');
    expect(pct4(budget.burnRate)).toBe('0.6173');
  });
  it('leaves zero-result hours out as gaps (null), never NaN or Infinity', () => {
    const hours = computeBucketFigures([{ timeline: states.timeline, counted: [{ start: from, end: to }] }], localBuckets(from, to, 'hour', ZONE), { parties: ['provider'] });
    expect(hours).toHaveLength(720);
    const empty = hours.filter((h) => h.figures.availabilityPercent === null);
    expect(empty).toHaveLength(180);
    for (const h of hours) {
      for (const v of [h.figures.availabilityPercent, h.figures.coveragePercent]) if (v !== null) expect(Number.isFinite(v)).toBe(true);
    }
    expect(empty.every((h) => h.figures.noData && h.figures.coveragePercent === 0)).toBe(true);
  });
});

describe('F11: a daily window in local time follows DST', () => {
  const window = maintenanceWindowSchema.parse({ kind: 'recurring', id: 'nightly', start: '23:00', end: '23:30' });
  const day = { from: paris('2025-07-15 00:00'), to: paris('2025-07-16 00:00') };
  const occurrences = resolveWindowOccurrences([{ window, announcedAt: '2025-01-10T09:00:00Z' }], day.from, day.to, ZONE, 172_800);
  const { report, states } = scenario({
    from: '2025-07-15 00:00',
    to: '2025-07-16 00:00',
    statusAt: (t) => (within('2025-07-15 23:05', '2025-07-15 23:25')(t) || within('2025-07-15 23:35', '2025-07-15 23:45')(t) ? 'down' : 'up'),
    windows: occurrences,
  });
  it('places the window at 21:00–21:30Z in July', () => {
    const inDay = occurrences.filter((o) => o.start >= day.from);
    expect(inDay.map((o) => [new Date(o.start).toISOString(), new Date(o.end).toISOString(), o.late])).toEqual([
      ['2025-07-15T21:00:00.000Z', '2025-07-15T21:30:00.000Z', false],
    ]);
  });
  it('gives MAINT 30, down 10 and availability 99.2908 %', () => {
    expect(report.raw.sums.maintenanceMinutes).toBe(30);
    expect(report.raw.sums.downMinutes).toBe(10);
    expect(pct4(report.raw.figures.availabilityPercent)).toBe('99.2908');
  });
  it('notifies DOWN at 23:36 and RECOVERY at 23:45 only', () => {
    const { transitions } = detectIncidentTransitions(states.slots);
    expect(transitions.map((t) => [t.type, new Date(t.at).toISOString()])).toEqual([
      ['open', '2025-07-15T21:36:00.000Z'],
      ['resolve', '2025-07-15T21:45:00.000Z'],
    ]);
  });
});

describe('F13: local hourly and daily buckets around DST', () => {
  it('gives daily buckets of 1440/1380/1440 and 1440/1500/1440 minutes with their UTC starts', () => {
    const spring = localBuckets(paris('2025-03-29 00:00'), paris('2025-04-01 00:00'), 'day', ZONE);
    expect(spring.map((b) => [b.label, new Date(b.start).toISOString(), (b.end - b.start) / 60_000])).toEqual([
      ['2025-03-29', '2025-03-28T23:00:00.000Z', 1440],
      ['2025-03-30', '2025-03-29T23:00:00.000Z', 1380],
      ['2025-03-31', '2025-03-30T22:00:00.000Z', 1440],
    ]);
    const autumn = localBuckets(paris('2025-10-25 00:00'), paris('2025-10-28 00:00'), 'day', ZONE);
    expect(autumn.map((b) => [b.label, new Date(b.start).toISOString(), (b.end - b.start) / 60_000])).toEqual([
      ['2025-10-25', '2025-10-24T22:00:00.000Z', 1440],
      ['2025-10-26', '2025-10-25T22:00:00.000Z', 1500],
      ['2025-10-27', '2025-10-26T23:00:00.000Z', 1440],
    ]);
  });
  it('gives 23 and 25 hourly buckets, never one of 120 minutes', () => {
    const spring = localBuckets(paris('2025-03-30 00:00'), paris('2025-03-31 00:00'), 'hour', ZONE);
    expect(spring).toHaveLength(23);
    expect(spring.some((b) => b.label.includes(' 02:'))).toBe(false);
    const three = spring.find((b) => b.label === '2025-03-30 03:00+02:00')!;
    expect(new Date(three.start).toISOString()).toBe('2025-03-30T01:00:00.000Z');
    const autumn = localBuckets(paris('2025-10-26 00:00'), paris('2025-10-27 00:00'), 'hour', ZONE);
    expect(autumn).toHaveLength(25);
    const twos = autumn.filter((b) => b.label.startsWith('2025-10-26 02:00'));
    expect(twos.map((b) => [b.label, new Date(b.start).toISOString(), (b.end - b.start) / 60_000])).toEqual([
      ['2025-10-26 02:00+02:00', '2025-10-26T00:00:00.000Z', 60],
      ['2025-10-26 02:00+01:00', '2025-10-26T01:00:00.000Z', 60],
    ]);
    for (const list of [spring, autumn]) for (let i = 1; i < list.length; i++) expect(list[i]!.start).toBe(list[i - 1]!.end);
  });
  it('fills each DST hour bucket with 60 one-minute slots', () => {
    const { states, from, to } = scenario({ from: '2025-10-26 00:00', to: '2025-10-27 00:00', statusAt: () => 'up' });
    const hours = computeBucketFigures([{ timeline: states.timeline, counted: [{ start: from, end: to }] }], localBuckets(from, to, 'hour', ZONE), { parties: ['provider'] });
    expect(hours.filter((h) => h.bucket.label.startsWith('2025-10-26 02:00')).map((h) => h.sums.upMinutes)).toEqual([60, 60]);
    expect(hours.reduce((sum, h) => sum + h.sums.countedMinutes, 0)).toBe(1500);
  });
  it.each([
    ['2025-03-30', '2025-03-31', 1380, '97.8261'],
    ['2025-10-26', '2025-10-27', 1500, '98.0000'],
  ])('an outage 10:00–10:30 on %s gives the local-day figure', (d, next, minutes, expected) => {
    const { report } = scenario({ from: `${d} 00:00`, to: `${next} 00:00`, statusAt: (t) => (within(`${d} 10:00`, `${d} 10:30`)(t) ? 'down' : 'up') });
    expect(report.raw.sums.countedMinutes).toBe(minutes);
    expect(pct4(report.raw.figures.availabilityPercent)).toBe(expected);
  });
});

describe("F28: a day of mixed outcomes, error is unknown and down is down", () => {
  it('gives 1436/1438 = 99.8609 % and coverage 1438/1440', () => {
    const special: Record<string, RunStatus> = { '2025-11-14 10:00': 'down', '2025-11-14 11:00': 'down', '2025-11-14 12:00': 'error', '2025-11-14 13:00': 'error' };
    const byTime = new Map(Object.entries(special).map(([k, v]) => [paris(k), v]));
    const { report } = scenario({ from: '2025-11-14 00:00', to: '2025-11-15 00:00', statusAt: (t) => byTime.get(t) ?? 'up' });
    expect(pct4(report.raw.figures.availabilityPercent)).toBe('99.8609');
    expect(pct4(report.raw.figures.coveragePercent)).toBe(pct4((1438 / 1440) * 100));
    expect(report.raw.sums.byState.error).toBe(2);
  });
});
