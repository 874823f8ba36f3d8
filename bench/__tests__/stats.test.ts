import { describe, expect, it } from 'vitest';
import { formatPercent, formatTable, median, overheadPercent, p90, quantile, summarize, timingError } from '../stats.js';
import { countRequestsPerStep } from '../step-requests.js';
import { mode, timingRows, type TimingSample } from '../timing-rows.js';

describe('quantiles', () => {
  it('interpolate between closest ranks (type 7), whatever the input order', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5, 1, 3])).toBe(3);
    expect(p90([10, 9, 8, 7, 6, 5, 4, 3, 2, 1])).toBeCloseTo(9.1, 10);
    expect(quantile([7], 0.9)).toBe(7);
    expect(summarize([3, 1, 2])).toEqual({ runs: 3, medianMs: 2, p90Ms: 2.8, minMs: 1, maxMs: 3 });
  });

  it('refuse an empty list or a q outside [0, 1]', () => {
    expect(() => median([])).toThrow(RangeError);
    expect(() => quantile([1], 1.5)).toThrow(RangeError);
  });
});

describe('overhead and timing error', () => {
  it('overhead is measured / baseline − 1, in percent', () => {
    expect(overheadPercent(1050, 1000)).toBeCloseTo(5, 10);
    expect(overheadPercent(990, 1000)).toBeCloseTo(-1, 10);
    expect(() => overheadPercent(1, 0)).toThrow(RangeError);
    expect(formatPercent(2.84)).toBe('+2.8 %');
    expect(formatPercent(-0.44)).toBe('-0.4 %');
    expect(formatPercent(0.01)).toBe('±0.0 %');
  });

  it('error = |(with − without) − injected|, within target under max(5 %, 20 ms)', () => {
    expect(timingError(1330, 300, 1000)).toEqual({ deltaMs: 1030, errorMs: 30, errorPercent: 3, allowedMs: 50, withinTarget: true });
    // 300 ms injected: 5 % is 15 ms, so the 20 ms bound applies.
    expect(timingError(620, 300, 300)).toMatchObject({ errorMs: 20, allowedMs: 20, withinTarget: false });
    expect(timingError(590, 300, 300)).toMatchObject({ errorMs: 10, withinTarget: true });
    expect(timingError(200, 300, 300)).toMatchObject({ deltaMs: -100, errorMs: 400 });
  });
});

describe('step attribution and rows', () => {
  it('counts a request in the step during which it was answered', () => {
    const t0 = Date.parse('2026-11-29T10:00:00.000Z');
    const steps = [
      { name: 'open-ent', startedAt: new Date(t0).toISOString(), durationMs: 1040.4 },
      { name: 'wayf', startedAt: new Date(t0 + 1041).toISOString(), durationMs: 200 },
      { name: 'landing', startedAt: new Date(t0 + 1300).toISOString(), durationMs: 2100 },
    ];
    const counts = countRequestsPerStep(steps, [t0 + 1000, t0 + 2400, t0 + 3390, t0 + 5000]);
    expect(Object.fromEntries(counts)).toEqual({ 'open-ent': 1, wayf: 0, landing: 2 });
  });

  it('rows compare medians on the modal number of delayed requests and leave out the other runs', () => {
    const s = (latencyMs: number, landing: number, delayed: number): TimingSample => ({ latencyMs, stepMs: { wayf: 100, landing }, delayed: { landing: delayed } });
    const samples = [s(0, 200, 0), s(0, 220, 0), s(0, 210, 0), s(500, 1215, 2), s(500, 1190, 2), s(500, 700, 1), s(500, 1230, 2)];
    const rows = timingRows(samples, [500]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ step: 'landing', delayedRequests: 2, injectedMs: 1000, withoutMedianMs: 210, withMedianMs: 1215, runs: 3, runsLeftOut: 1, deltaMs: 1005, errorMs: 5, withinTarget: true });
    // No majority (1 run of 2 delayed once in wayf): no row for it.
    const split = [s(0, 200, 0), { latencyMs: 500, stepMs: { wayf: 600, landing: 700 }, delayed: { wayf: 1, landing: 1 } }, s(500, 1200, 2)];
    expect(timingRows(split, [500])).toEqual([]);
    expect(mode([1, 2, 2, 1])).toBe(2);
    expect(mode([0, 0, 3])).toBe(0);
  });

  it('formats a table with aligned columns', () => {
    expect(formatTable(['side', 'median'], [['a', '1 ms'], ['long name', '120 ms']]).split('\n')).toEqual([
      'side       median',
      '---------  ------',
      'a            1 ms',
      'long name  120 ms',
    ]);
  });
});
