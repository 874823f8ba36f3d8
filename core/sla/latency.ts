import type { RunStatus } from '../run-types.js';

/** Latency of one journey or step: objective attainment and percentiles (DESIGN.md §5 "Latency objective"). */
export interface LatencyFigures {
  /** Runs (or steps) measured: passing ones only, a failed run has no meaningful duration. */
  samples: number;
  thresholdMs: number;
  /** Share of samples with duration ≤ threshold, percent; null without samples. */
  attainmentPercent: number | null;
  /** Objective, percent. */
  targetPercent: number;
  met: boolean | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/** One measured run, with its steps. */
export interface LatencySample {
  status: RunStatus;
  durationMs: number;
  steps?: readonly { name: string; status: 'passed' | 'failed' | 'skipped'; durationMs: number }[];
}

/**
 * Percentile by the nearest-rank method: the smallest value such that at least `p` % of the samples are ≤ it
 * (value at rank ⌈p/100 × n⌉ of the sorted samples). Reproducible from the raw durations without interpolation.
 */
export function percentile(sortedAsc: readonly number[], p: number): number | null {
  if (sortedAsc.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sortedAsc.length));
  // In range for 0 <= p <= 100; an out-of-range p has no sample at that rank.
  return sortedAsc[rank - 1] ?? null;
}

/** Attainment and percentiles of a list of durations against a threshold and objective. */
export function latencyOf(durationsMs: readonly number[], thresholdMs: number, targetPercent: number): LatencyFigures {
  const sorted = [...durationsMs].sort((a, b) => a - b);
  const under = sorted.filter((d) => d <= thresholdMs).length;
  const attainmentPercent = sorted.length > 0 ? (under / sorted.length) * 100 : null;
  return {
    samples: sorted.length,
    thresholdMs,
    attainmentPercent,
    targetPercent,
    met: attainmentPercent === null ? null : attainmentPercent >= targetPercent,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
  };
}

/**
 * Latency figures of a journey (passing runs: `up` and `degraded`) and of each step with a threshold (passed steps).
 */
export function computeLatency(
  runs: readonly LatencySample[],
  objective: { thresholdMs: number; targetPercent: number; steps?: Readonly<Record<string, number>> },
): { journey: LatencyFigures; steps: Record<string, LatencyFigures> } {
  const passing = runs.filter((r) => r.status === 'up' || r.status === 'degraded');
  const steps: Record<string, LatencyFigures> = {};
  for (const [name, thresholdMs] of Object.entries(objective.steps ?? {})) {
    const durations = passing.flatMap((r) => (r.steps ?? []).filter((s) => s.name === name && s.status === 'passed').map((s) => s.durationMs));
    steps[name] = latencyOf(durations, thresholdMs, objective.targetPercent);
  }
  return { journey: latencyOf(passing.map((r) => r.durationMs), objective.thresholdMs, objective.targetPercent), steps };
}
