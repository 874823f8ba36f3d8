import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RunResult } from '../core/run-types.js';
import type { ClauseBudget } from '../engine/index.js';
import { createBudgetGauges } from './budget-metrics.js';

/**
 * Prometheus metrics of Vigie, on a registry of our own (never prom-client's global one, so tests and several apps in
 * one process do not collide). Names follow `vigie_<subsystem>_<name>_<unit>` (DESIGN.md §5); labels are low
 * cardinality only: journey, step, target, tenant (UAI), location, status — never URLs or error text.
 */
export interface Metrics {
  registry: Registry;
  /** Records one finished run (scheduled or manual). */
  observeRun(run: RunResult): void;
  /** A second result for an already stored slot was rejected by the store's unique key (F16). */
  duplicateRejected(): void;
  /** A result the store refused for good (not an outage). */
  resultRejected(): void;
  /** Results waiting in the write buffer. */
  setBuffered(count: number): void;
  /** A run started more than 60 s away from its planned time (probes/worker.ts `startDriftMs`), by schedule. */
  startDrift(scheduleId: string): void;
  /** The wall clock jumped against the monotonic clock between scheduler ticks (probes/scheduler.ts). */
  clockJump(): void;
  /** Replaces the error-budget gauges (budget-metrics.ts) with the engine's figures computed at `at` (epoch ms). */
  setBudgets(budgets: readonly ClauseBudget[], at: number): void;
}

/** Buckets in seconds: ENT journeys take from ~0.5 s to the 60 s timeout. */
const JOURNEY_BUCKETS = [0.5, 1, 2, 3, 5, 8, 13, 20, 30, 45, 60, 90];
const STEP_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30, 60];

/**
 * @param opts.processMetrics also expose prom-client's process metrics (`process_*`, `nodejs_*`: CPU, memory, GC, and
 *   `nodejs_eventloop_lag_p99_seconds` & co., measured with `monitorEventLoopDelay` at 10 ms resolution over the
 *   interval since the previous scrape). The one process that probes turns them on (`vigie start`): its event loop
 *   times the steps, so its lag is evidence of the timings' quality. Off by default (tests build many apps).
 */
export function createMetrics(opts: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.processMetrics) collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  const runs = new Counter({
    name: 'vigie_runs_total',
    help: 'Finished runs by journey, tenant, location, trigger and status.',
    labelNames: ['journey', 'tenant', 'location', 'trigger', 'status'] as const,
    registers: [registry],
  });
  const success = new Gauge({
    name: 'vigie_probe_success',
    help: '1 if the last scheduled run passed (up or degraded), 0 if it was down or error.',
    labelNames: ['journey', 'tenant', 'location'] as const,
    registers: [registry],
  });
  const journeyDuration = new Histogram({
    name: 'vigie_journey_duration_seconds',
    help: 'Duration of runs (all attempts), by journey and status.',
    labelNames: ['journey', 'status'] as const,
    buckets: JOURNEY_BUCKETS,
    registers: [registry],
  });
  const stepDuration = new Histogram({
    name: 'vigie_step_duration_seconds',
    help: 'Duration of steps of the final attempt, by journey, step and step status (passed or failed; skipped steps are not observed).',
    labelNames: ['journey', 'step', 'status'] as const,
    buckets: STEP_BUCKETS,
    registers: [registry],
  });
  const lastRun = new Gauge({
    name: 'vigie_journey_last_run_timestamp_seconds',
    help: 'Unix time of the last finished scheduled run, by journey and tenant.',
    labelNames: ['journey', 'tenant'] as const,
    registers: [registry],
  });
  const duplicates = new Counter({
    name: 'vigie_store_duplicate_results_total',
    help: 'Results rejected because their slot already had one (unique key on schedule, location, slot start).',
    registers: [registry],
  });
  const rejected = new Counter({
    name: 'vigie_store_rejected_results_total',
    help: 'Results the store refused for good (invalid, unknown revision); each is logged.',
    registers: [registry],
  });
  const buffered = new Gauge({
    name: 'vigie_store_buffered_results',
    help: 'Results waiting to be written to the store.',
    registers: [registry],
  });

  const drift = new Counter({
    name: 'vigie_run_start_drift_total',
    help: "Runs whose host clock start (startedAt) was more than 60 s away from the slot's planned time, by schedule.",
    labelNames: ['schedule'] as const,
    registers: [registry],
  });
  const jumps = new Counter({
    name: 'vigie_clock_jumps_total',
    help: 'Times the wall clock moved more than 2 s away from the monotonic clock between two scheduler ticks.',
    registers: [registry],
  });

  const budgets = createBudgetGauges(registry);
  return {
    registry,
    setBudgets: (b, at) => budgets.set(b, at),
    startDrift: (scheduleId) => drift.inc({ schedule: scheduleId }),
    clockJump: () => jumps.inc(),
    observeRun(run) {
      runs.inc({ journey: run.journey, tenant: run.tenant, location: run.location, trigger: run.trigger, status: run.status });
      journeyDuration.observe({ journey: run.journey, status: run.status }, run.durationMs / 1000);
      const final = run.attempts.at(-1);
      for (const step of final?.steps ?? []) {
        if (step.status !== 'skipped') stepDuration.observe({ journey: run.journey, step: step.name, status: step.status }, step.durationMs / 1000);
      }
      if (run.trigger === 'scheduled') {
        success.set({ journey: run.journey, tenant: run.tenant, location: run.location }, run.status === 'up' || run.status === 'degraded' ? 1 : 0);
        lastRun.set({ journey: run.journey, tenant: run.tenant }, (Date.parse(run.startedAt) + run.durationMs) / 1000);
      }
    },
    duplicateRejected: () => duplicates.inc(),
    resultRejected: () => rejected.inc(),
    setBuffered: (count) => buffered.set(count),
  };
}
