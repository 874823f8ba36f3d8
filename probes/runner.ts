import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { runOutcome, shouldRetry } from '../core/outcome.js';
import type { AttemptResult, RunResult } from '../core/run-types.js';
import { runAttempt } from './attempt.js';
import { createBrowserPool } from './browser-pool.js';
import { createInProcessLeaseManager, type LeaseManager } from './lease.js';
import type { RunRequest } from './run-request.js';
import { elapsedMs } from './step-recorder.js';

/**
 * The runner of one worker: one Chromium (recycled every `recycleAfterRuns` attempts and after a crash), a fresh
 * BrowserContext per attempt, attempts and retries per DESIGN.md §5 "Attempts", statuses per core/outcome.ts.
 * `run()` never throws for a failure of the ENT or of the browser: every path yields a {@link RunResult}.
 */

export interface RunnerOptions {
  /** Chromium executable (`/usr/bin/chromium`). */
  chromiumPath: string;
  headless: boolean;
  /** Relaunch the browser after this many attempts (F30). */
  recycleAfterRuns: number;
  logger: Logger;
  /** Replaces the default Chromium flags (browser-pool.ts `DEFAULT_LAUNCH_ARGS`). */
  launchArgs?: string[];
  /** Leases on shared test data; default: in-process. Give a distributed one when workers span machines. */
  leases?: LeaseManager;
  /** Grace for a journey's cleanup (restoring the roll-call sheet) after a run's signal aborts, ms. Default 20 000. */
  shutdownGraceMs?: number;
}

export interface RunnerStats {
  /** Runs finished. */
  runs: number;
  /** Browsers launched so far. */
  launches: number;
  /** Browser contexts / pages currently open (0 between runs, F30). */
  openContexts: number;
  openPages: number;
  /** Runs in progress. */
  inFlight: number;
  /** PID of the current browser's main process, when one is running. */
  browserPid: number | undefined;
}

export interface Runner {
  run(req: RunRequest): Promise<RunResult>;
  /**
   * Graceful stop: aborts the runs in progress (each gets `shutdownGraceMs` for its cleanup, then ends `error`
   * "interrupted (shutdown)" and still resolves its `run()` promise with that result), waits for them, closes
   * Chromium (killed after 5 s if its close hangs). Runs asked after `close()` end `error` at once.
   */
  close(): Promise<void>;
  stats(): RunnerStats;
}

export function createRunner(opts: RunnerOptions): Runner {
  const pool = createBrowserPool({
    chromiumPath: opts.chromiumPath,
    headless: opts.headless,
    recycleAfterRuns: opts.recycleAfterRuns,
    logger: opts.logger,
    launchArgs: opts.launchArgs,
  });
  const leases = opts.leases ?? createInProcessLeaseManager();
  const counters = { openContexts: 0, openPages: 0 };
  let runs = 0;
  let inFlight = 0;

  const active = new Set<{ abort: AbortController; done: Promise<unknown> }>();
  let closing = false;

  const run = async (outer: RunRequest): Promise<RunResult> => {
    // Each run gets its own signal, aborted by the caller's signal or by close() (graceful shutdown).
    const abort = new AbortController();
    if (outer.signal?.aborted || closing) abort.abort();
    else outer.signal?.addEventListener('abort', () => abort.abort(), { once: true });
    const req: RunRequest = { ...outer, signal: abort.signal };
    const entry = { abort, done: Promise.resolve() as Promise<unknown> };
    const p = execute(req);
    entry.done = p.catch(() => undefined);
    active.add(entry);
    try {
      return await p;
    } finally {
      active.delete(entry);
    }
  };

  const execute = async (req: RunRequest): Promise<RunResult> => {
    inFlight += 1;
    const startedAt = new Date();
    const t0 = performance.now();
    const attempts: AttemptResult[] = [];
    try {
      for (let n = 1; ; n++) {
        const { result: a, end } = await runAttempt(req, n, {
          pool,
          logger: opts.logger,
          leases,
          shutdownGraceMs: opts.shutdownGraceMs ?? 20_000,
          counters,
        });
        attempts.push(a);
        const retry =
          !req.signal?.aborted &&
          shouldRetry({
            end,
            status: a.status,
            kind: a.kind,
            attempt: n,
            retryEnabled: req.settings.retry,
            now: new Date(),
            timeoutMs: req.settings.timeout * 1000,
            slotEnd: req.slotEnd,
          });
        if (!retry) break;
        opts.logger.info({ scheduleId: req.scheduleId, journey: req.journeyId, status: a.status, kind: a.kind }, 'retrying the run once');
      }
    } catch (err) {
      // Only a bug of ours can land here; the slot still gets a result.
      opts.logger.error({ err }, 'runner bug');
      attempts.push({
        attempt: attempts.length + 1,
        location: req.location,
        status: 'error',
        kind: 'infra',
        reason: 'internal runner error',
        startedAt: new Date().toISOString(),
        durationMs: 0,
        steps: [],
        measures: {},
        flags: [],
      });
    } finally {
      inFlight -= 1;
      runs += 1;
    }
    const final = runOutcome(attempts);
    return {
      scheduleId: req.scheduleId,
      journey: req.journeyId,
      target: req.target,
      tenant: req.tenant,
      location: req.location,
      trigger: req.trigger,
      scheduledAt: req.scheduledAt.toISOString(),
      revisionId: req.revisionId,
      status: final.status,
      ...(final.kind ? { kind: final.kind } : {}),
      ...(final.reason ? { reason: final.reason } : {}),
      startedAt: startedAt.toISOString(),
      durationMs: elapsedMs(t0),
      late: req.late ?? false,
      attempts,
    };
  };

  return {
    run,
    async close() {
      // Graceful stop (SIGTERM): runs in progress get the shutdown grace to restore their test data, then end
      // `error` ("interrupted (shutdown)") and return their result to their caller; then Chromium is closed.
      closing = true;
      for (const e of active) e.abort.abort();
      await Promise.all([...active].map((e) => e.done));
      await pool.close();
    },
    stats: () => {
      const p = pool.stats();
      return { runs, launches: p.launches, openContexts: counters.openContexts, openPages: counters.openPages, inFlight, browserPid: p.browserPid };
    },
  };
}
