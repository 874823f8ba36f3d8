import { median, timingError, type TimingError } from './stats.js';

/**
 * Aggregation of the step timing error measurement: runs with and without an injected latency → one row per
 * (latency, step hit by the fault), compared on medians.
 */

/** One run of the journey under one condition. */
export interface TimingSample {
  /** Injected latency per matching request, ms; 0 = the run without latency. */
  latencyMs: number;
  /** Recorded duration by step name, ms. */
  stepMs: Record<string, number>;
  /** Requests delayed by the fault during each step (absent = 0). */
  delayed: Record<string, number>;
}

export interface TimingRow extends TimingError {
  latencyMs: number;
  step: string;
  /** Delayed requests in the step in most runs (the mode); injected = latency × this. */
  delayedRequests: number;
  injectedMs: number;
  withoutMedianMs: number;
  withMedianMs: number;
  /** Runs with the latency used for this row. */
  runs: number;
  /**
   * Runs with the latency left out because the delayed requests fell in this step a different number of times (a
   * step boundary moved: e.g. a click that waited for the redirect), which would make "injected" ambiguous.
   */
  runsLeftOut: number;
}

/** Most frequent value; on a tie, the largest. Throws on an empty list. */
export function mode(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('mode of an empty list');
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = values[0]!;
  for (const [v, c] of counts) if (c > counts.get(best)! || (c === counts.get(best)! && v > best)) best = v;
  return best;
}

/**
 * One row per latency of `latenciesMs` and per step that the fault hit, in the order the steps first appear:
 * error = |(median with − median without) − latency × delayed requests|. A step gets a row only when one number of
 * delayed requests (not 0) holds in a strict majority of its runs with that latency; steps missing from the runs
 * without latency are skipped.
 */
export function timingRows(samples: readonly TimingSample[], latenciesMs: readonly number[]): TimingRow[] {
  const without = samples.filter((s) => s.latencyMs === 0);
  const rows: TimingRow[] = [];
  for (const latencyMs of latenciesMs) {
    const withL = samples.filter((s) => s.latencyMs === latencyMs);
    const steps = [...new Set(withL.flatMap((s) => Object.keys(s.stepMs)))];
    for (const step of steps) {
      const present = withL.filter((s) => s.stepMs[step] !== undefined);
      const base = without.map((s) => s.stepMs[step]).filter((v): v is number => v !== undefined);
      if (present.length === 0 || base.length === 0) continue;
      const n = mode(present.map((s) => s.delayed[step] ?? 0));
      if (n === 0) continue;
      const kept = present.filter((s) => (s.delayed[step] ?? 0) === n).map((s) => s.stepMs[step]!);
      // Without a majority the step's share of the latency is a coin toss: no figure rather than a wrong one.
      if (kept.length * 2 <= present.length) continue;
      const injectedMs = latencyMs * n;
      const withMedianMs = median(kept);
      const withoutMedianMs = median(base);
      rows.push({
        latencyMs,
        step,
        delayedRequests: n,
        injectedMs,
        withoutMedianMs,
        withMedianMs,
        runs: kept.length,
        runsLeftOut: present.length - kept.length,
        ...timingError(withMedianMs, withoutMedianMs, injectedMs),
      });
    }
  }
  return rows;
}
