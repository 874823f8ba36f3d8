import { describe, expect, it } from 'vitest';
import { penaltiesSchema } from '../../config/contract.js';
import { VigieError } from '../../errors.js';
import { computeErrorBudget, computeFigures } from '../figures.js';
import { detectIncidentTransitions } from '../incidents.js';
import { currentState } from '../current-state.js';
import { computeLatency, percentile } from '../latency.js';
import { emptySums, poolSums } from '../minutes.js';
import { computePenalties, contractYearOf } from '../penalties.js';
import type { SlotState } from '../../run-types.js';

const sums = (over: Partial<ReturnType<typeof emptySums>>) => ({ ...emptySums(), ...over });

describe('figures never NaN or Infinity; asserted, never clamped', () => {
  it('no data gives null availability, not 0 % or 100 %', () => {
    const f = computeFigures(sums({ countedMinutes: 60, unknownMinutes: 60 }));
    expect(f).toEqual({ availabilityPercent: null, coveragePercent: 0, degradedPercent: 0, pessimisticPercent: 0, noData: true, lowCoverage: true });
    expect(computeFigures(emptySums())).toEqual({ availabilityPercent: null, coveragePercent: null, degradedPercent: null, pessimisticPercent: null, noData: true, lowCoverage: false });
    expect(computeErrorBudget(emptySums(), 99.9)).toBeNull();
  });

  it('inconsistent sums throw instead of being clamped', () => {
    expect(() => computeFigures(sums({ countedMinutes: 10, upMinutes: 20, observedMinutes: 20 }))).toThrow(VigieError);
  });

  it('error budget overspent is shown, not capped', () => {
    const b = computeErrorBudget(sums({ upMinutes: 900, downMinutes: 100, observedMinutes: 1000, countedMinutes: 1000 }), 99)!;
    expect(b.consumedPercent).toBeCloseTo(1000, 9);
    expect(b.remainingPercent).toBeCloseTo(-900, 9);
    expect(b.overspent).toBe(true);
    expect(b.burnRate).toBeCloseTo(10, 9);
  });

  it('a 100 % target has a zero budget: no division by zero', () => {
    const b = computeErrorBudget(sums({ upMinutes: 999, downMinutes: 1, observedMinutes: 1000, countedMinutes: 1000 }), 100)!;
    expect(b).toMatchObject({ budgetMinutes: 0, consumedPercent: null, burnRate: null, overspent: true });
  });

  it('pools by adding minutes', () => {
    const p = poolSums([sums({ countedMinutes: 10, upMinutes: 9, downMinutes: 1, observedMinutes: 10, downByParty: { provider: 1 } }), sums({ countedMinutes: 90, upMinutes: 90, observedMinutes: 90 })]);
    expect(p).toMatchObject({ countedMinutes: 100, upMinutes: 99, downMinutes: 1, downByParty: { provider: 1 } });
    expect(computeFigures(p).availabilityPercent).toBe(99);
  });
});

describe('incident transitions', () => {
  const seq = (states: SlotState[]) => states.map((state, i) => ({ start: i * 60_000, state }));

  it.each([
    [['down', 'missed', 'down', 'up'], 2, [['open', 2], ['resolve', 3]]],
    [['down', 'maintenance', 'error', 'down', 'degraded'], 2, [['open', 3], ['resolve', 4]]],
    [['down', 'up', 'down', 'up'], 2, []],
    [['down', 'down', 'down', 'up'], 3, [['open', 2], ['resolve', 3]]],
    [['down', 'up'], 1, [['open', 0], ['resolve', 1]]],
  ] as [SlotState[], number, [string, number][]][])('%j with K=%d', (states, k, expected) => {
    const { transitions } = detectIncidentTransitions(seq(states), { k });
    expect(transitions.map((t) => [t.type, t.at / 60_000])).toEqual(expected);
  });

  it('continues from a stored state between evaluations, one incident at most', () => {
    const first = detectIncidentTransitions(seq(['up', 'down']));
    expect(first.transitions).toEqual([]);
    const second = detectIncidentTransitions([{ start: 120_000, state: 'down' }, { start: 180_000, state: 'down' }], { state: first.state });
    expect(second.transitions).toEqual([{ type: 'open', at: 120_000, outageStart: 60_000 }]);
    const third = detectIncidentTransitions([{ start: 240_000, state: 'up' }], { state: second.state });
    expect(third.transitions).toEqual([{ type: 'resolve', at: 240_000, outageStart: 60_000 }]);
  });
});

describe('latency objective and percentiles (nearest rank)', () => {
  it('computes p50/p95/p99 and attainment over passing runs and steps', () => {
    const runs = Array.from({ length: 100 }, (_, i) => ({
      status: i === 0 ? ('down' as const) : i % 10 === 0 ? ('degraded' as const) : ('up' as const),
      durationMs: (i + 1) * 100,
      steps: [{ name: 'credentials', status: 'passed' as const, durationMs: (i + 1) * 10 }],
    }));
    const l = computeLatency(runs, { thresholdMs: 5000, targetPercent: 90, steps: { credentials: 900 } });
    expect(l.journey.samples).toBe(99);
    expect(l.journey.attainmentPercent).toBeCloseTo((49 / 99) * 100, 9);
    expect(l.journey.met).toBe(false);
    expect([l.journey.p50Ms, l.journey.p95Ms, l.journey.p99Ms]).toEqual([5100, 9600, 10000]);
    expect(l.steps.credentials?.attainmentPercent).toBeCloseTo((89 / 99) * 100, 9);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('penalties line by line, with monthly and contract-year caps', () => {
  const config = penaltiesSchema.parse({
    availabilityTiers: [
      { below: 99.5, amount: 1000 },
      { below: 99, amount: 3000 },
    ],
    gtr: [{ severity: 'bloquant', limit: '4h', amount: 500, amountPerStartedHour: 200 }],
    monthlyCap: 4000,
    yearlyCap: 5000,
  });
  const ep = (hours: number, start: number) => ({ start, severity: 'bloquant' as const, gtrMinutes: hours * 60, journey: 'login' });

  it('charges the lowest tier only, each GTR overrun per started hour, then caps', () => {
    const s = computePenalties(
      config,
      [
        { month: '2026-09', availabilityPercent: 99.7, episodes: [ep(4, 1)] }, // nothing: at the limit
        { month: '2026-10', availabilityPercent: 99.2, episodes: [ep(5.5, 2)] }, // 1000 + (500 + 2 × 200)
        { month: '2026-11', availabilityPercent: 98, episodes: [ep(6, 3), ep(4.25, 4)] }, // 3000 + 900 + 700 → cap 4000; year cap 5000 → 3100
        { month: '2026-12', availabilityPercent: null, episodes: [] }, // no data: no tier
        { month: '2027-09', availabilityPercent: 98.9, episodes: [] }, // new contract year
      ],
      '2026-09-01',
    );
    expect(s.lines.map((l) => [l.month, l.kind, l.amount])).toEqual([
      ['2026-10', 'availability-tier', 1000],
      ['2026-10', 'gtr-overrun', 900],
      ['2026-11', 'availability-tier', 3000],
      ['2026-11', 'gtr-overrun', 900],
      ['2026-11', 'gtr-overrun', 700],
      ['2026-11', 'monthly-cap', -600],
      ['2026-11', 'yearly-cap', -900],
      ['2027-09', 'availability-tier', 3000],
    ]);
    expect(s.monthTotals).toEqual({ '2026-09': 0, '2026-10': 1900, '2026-11': 3100, '2026-12': 0, '2027-09': 3000 });
    expect(s.yearTotals).toEqual({ 1: 5000 + 0, 2: 3000 });
    expect(s.total).toBe(8000);
  });

  it('takes amounts already owed earlier in the contract year into account', () => {
    const s = computePenalties(config, [{ month: '2027-03', availabilityPercent: 98, episodes: [] }], '2026-09-01', { 1: 4500 });
    expect(s.monthTotals['2027-03']).toBe(500);
  });

  it.each([
    ['2026-09', '2026-09-01', 1],
    ['2027-08', '2026-09-01', 1],
    ['2027-09', '2026-09-01', 2],
    ['2026-01', '2025-01-15', 1],
  ])('month %s of a contract starting %s is in year %d', (month, start, year) => {
    expect(contractYearOf(month, start)).toBe(year);
  });
});

describe('current state for the status view', () => {
  it('gives the last state and the start of its stretch', () => {
    const s = (state: SlotState, i: number) => ({ start: i * 60_000, state });
    expect(currentState([s('up', 0), s('down', 1), s('down', 2)])).toEqual({ state: 'down', since: 60_000, lastSlotStart: 120_000 });
    expect(currentState([s('down', 0), s('up', 1), s('degraded', 2)])).toEqual({ state: 'degraded', since: 60_000, lastSlotStart: 120_000 });
    expect(currentState([s('not_monitored', 0)])).toEqual({ state: null, since: null, lastSlotStart: null });
  });
});
