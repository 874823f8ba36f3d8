/**
 * Pure helpers of the benchmarks: order statistics, the overhead ratio, the step timing error and a plain-text table.
 * No I/O, no clock: the benchmarks measure, these functions only compute and format.
 */

/**
 * The `q` quantile (0 ≤ q ≤ 1) of `values` by linear interpolation between closest ranks (Hyndman & Fan type 7, the
 * default of R, NumPy and spreadsheets): p50 of [1, 2, 3, 4] is 2.5, p90 of 1…10 is 9.1. Throws on an empty list or a
 * `q` outside [0, 1].
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('quantile of an empty list');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile ${q} outside [0, 1]`);
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Median (p50) of `values`; throws on an empty list. */
export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** 90th percentile of `values`; throws on an empty list. */
export const p90 = (values: readonly number[]): number => quantile(values, 0.9);

/** Summary of a series of durations, in ms. */
export interface DurationSummary {
  runs: number;
  medianMs: number;
  p90Ms: number;
  minMs: number;
  maxMs: number;
}

/** Median, p90, min and max of a non-empty series of durations (ms). */
export function summarize(samplesMs: readonly number[]): DurationSummary {
  return {
    runs: samplesMs.length,
    medianMs: median(samplesMs),
    p90Ms: p90(samplesMs),
    minMs: Math.min(...samplesMs),
    maxMs: Math.max(...samplesMs),
  };
}

/**
 * Overhead of `measured` over `baseline` in percent: (measured / baseline − 1) × 100. 1050 ms against 1000 ms is 5 %;
 * a negative figure means the measured side was faster (noise). Throws when the baseline is not positive.
 */
export function overheadPercent(measuredMs: number, baselineMs: number): number {
  if (!(baselineMs > 0)) throw new RangeError(`baseline must be positive, got ${baselineMs}`);
  return (measuredMs / baselineMs - 1) * 100;
}

/** Target of the step timing error (issue 3 item 7): under 5 % of the injected latency or under 20 ms. */
export const TIMING_TARGET = { percent: 5, ms: 20 } as const;

export interface TimingError {
  /** with − without, ms. */
  deltaMs: number;
  /** |delta − injected|, ms. */
  errorMs: number;
  /** errorMs as a percentage of the injected latency. */
  errorPercent: number;
  /** Largest error within the target: max(5 % of injected, 20 ms) — the target is met by either bound. */
  allowedMs: number;
  withinTarget: boolean;
}

/**
 * Timing error of a step against an injected latency: |(withMs − withoutMs) − injectedMs|, where `withMs` and
 * `withoutMs` are the step's durations with and without the latency. Within target when under 5 % of the injected
 * latency or under 20 ms. Throws when `injectedMs` is not positive.
 */
export function timingError(withMs: number, withoutMs: number, injectedMs: number): TimingError {
  if (!(injectedMs > 0)) throw new RangeError(`injected latency must be positive, got ${injectedMs}`);
  const deltaMs = withMs - withoutMs;
  const errorMs = Math.abs(deltaMs - injectedMs);
  const allowedMs = Math.max((injectedMs * TIMING_TARGET.percent) / 100, TIMING_TARGET.ms);
  return { deltaMs, errorMs, errorPercent: (errorMs / injectedMs) * 100, allowedMs, withinTarget: errorMs < allowedMs };
}

/** `812 ms` (rounded to the ms). */
export function formatMs(ms: number): string {
  return `${Math.round(ms)} ms`;
}

/** `+2.8 %`, `-0.4 %` (one decimal, sign always shown). */
export function formatPercent(pct: number): string {
  const rounded = Math.round(pct * 10) / 10;
  return `${rounded > 0 ? '+' : rounded < 0 ? '-' : '±'}${Math.abs(rounded).toFixed(1)} %`;
}

/**
 * A plain-text table: a header row, a rule, then the rows; columns padded to their widest cell, the first column
 * left-aligned and the others right-aligned (figures). Rows shorter than the header are padded with empty cells.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    widths
      .map((w, i) => (i === 0 ? (cells[i] ?? '').padEnd(w) : (cells[i] ?? '').padStart(w)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
