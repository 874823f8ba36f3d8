/**
 * What a benchmark module exports (`export const benchmark: Benchmark`): `bench/run.ts` imports every `bench/*.ts`
 * and runs those that export one. A benchmark prints figures, never passes or fails on a timing
 * (CONVENTIONS.md "Benchmarks are not tests"); it throws only when it could not run at all.
 */

/** Options from the command line; a benchmark ignores those it has no use for and defaults the others. */
export interface BenchOptions {
  /** Measured runs per side (`--runs`). */
  runs?: number;
  /** Unmeasured runs per side before the measured ones (`--warmup`). */
  warmup?: number;
  /** Runs per condition of a timing-error measurement (`--timing-runs`). */
  timingRuns?: number;
  /** Latencies to inject, ms (`--latencies 300,1000`). */
  latenciesMs?: number[];
  /** Stops the benchmark early (Ctrl-C): it cleans up and throws. */
  signal: AbortSignal;
  /** Progress lines (stderr), so that stdout keeps only the report. */
  progress: (line: string) => void;
}

/** A benchmark's result: a readable text for stdout and a JSON-able object for `--json`. */
export interface BenchReport {
  text: string;
  data: Record<string, unknown>;
}

export interface Benchmark {
  /** Name on the command line: the file name without `.ts`. */
  name: string;
  /** One line: what it measures. */
  description: string;
  run(options: BenchOptions): Promise<BenchReport>;
}
