import { performance } from 'node:perf_hooks';
import type { BrowserContext, Page } from 'playwright-core';
import type { Logger } from 'pino';
import { attemptOutcome, type AttemptEnd } from '../core/outcome.js';
import { BROWSER_UNUSABLE_REASON, type AttemptResult } from '../core/run-types.js';
import { classifyEnd, resultReason } from './attempt-classify.js';
import { buildJourneyContext, createAttemptContexts } from './attempt-context.js';
import { assembleEvidence, createEvidenceCollector } from './attempt-evidence.js';
import { startRace } from './attempt-race.js';
import { BrowserLaunchError, CLOSE_HANG_MS, type BrowserPool } from './browser-pool.js';
import { cleanMessage } from './classify.js';
import type { LeaseManager } from './lease.js';
import type { RunRequest } from './run-request.js';
import { StepRecorder, elapsedMs } from './step-recorder.js';

/**
 * One attempt of a run: a fresh BrowserContext on the runner's browser, the journey raced against the hard timeout,
 * a browser disconnect and a shutdown, then every context closed (the browser killed only if that close hangs).
 * Returns an {@link AttemptResult}; it never throws for a failure of the ENT or of the browser.
 *
 * This file is the orchestration only, in the order the timings depend on; the parts live beside it:
 * attempt-context.ts (contexts, crash hooks, page observer, the journey context), attempt-evidence.ts (screenshots,
 * the `Evidence` object), attempt-race.ts (journey vs timeout vs disconnect vs shutdown), attempt-classify.ts (from the
 * race's winner to `end`, `kind`, `reason`), attempt-goto.ts (`ctx.goto`).
 */

export interface AttemptDeps {
  pool: BrowserPool;
  logger: Logger;
  leases: LeaseManager;
  /** Grace given to the journey's cleanup after `req.signal` aborts, in ms. */
  shutdownGraceMs: number;
  /** Live counters shared with the runner's `stats()`. */
  counters: { openContexts: number; openPages: number };
}

/** An attempt's result and how it ended (the retry rule needs the latter). */
export interface AttemptRun {
  result: AttemptResult;
  end: AttemptEnd;
}

export async function runAttempt(req: RunRequest, attempt: number, deps: AttemptDeps): Promise<AttemptRun> {
  const startedAt = new Date();
  const t0 = performance.now();
  const timeoutMs = req.settings.timeout * 1000;
  const stepTimeoutMs = req.settings.stepTimeout * 1000;
  const log = deps.logger.child({ scheduleId: req.scheduleId, journey: req.journeyId, tenant: req.tenant, attempt });
  const secrets = [req.context.persona, ...Object.values(req.context.personas)].map((p) => p.password);
  const base = { attempt, location: req.location, startedAt: startedAt.toISOString(), measures: {}, flags: [] };

  let lease;
  try {
    lease = await deps.pool.acquire();
  } catch (err) {
    const reason = err instanceof BrowserLaunchError ? err.message : cleanMessage(err, secrets);
    log.error({ err: cleanMessage((err as Error).cause ?? err, secrets) }, 'browser launch failed');
    return { end: 'launch-failed', result: { ...base, status: 'error', kind: 'infra', reason, durationMs: elapsedMs(t0), steps: [] } };
  }

  const { contexts, observer, crash, newContext } = createAttemptContexts(lease.browser, { stepTimeoutMs, counters: deps.counters });
  const controller = new AbortController();

  let first: { context: BrowserContext; page: Page };
  try {
    first = await newContext();
  } catch (err) {
    await closeAll(contexts);
    await lease.release({ broken: true });
    const result: AttemptResult = { ...base, status: 'error', kind: 'infra', reason: `${BROWSER_UNUSABLE_REASON}: ${cleanMessage(err, secrets)}`, durationMs: elapsedMs(t0), steps: [] };
    return { end: 'crashed', result };
  }
  const page = first.page;

  const evidence = createEvidenceCollector(page, first.context, req.context, crash);
  const recorder = new StepRecorder({
    stepThresholdsMs: req.settings.stepThresholdsMs,
    secrets,
    signal: controller.signal,
    observer,
    onFirstFailure: evidence.takeScreenshot,
    explain: evidence.explain,
  });
  const ctx = buildJourneyContext({ req, page, browserContext: first.context, stepTimeoutMs, signal: controller.signal, logger: log, leases: deps.leases, recorder, secrets, newContext });

  const race = startRace({ run: () => req.journey.run(ctx), timeoutMs, crash, controller, signal: req.signal, shutdownGraceMs: deps.shutdownGraceMs, page, lease });
  const winner = await race.winner;
  // Awaited only when there is something to wait for: an extra await here would let the journey's unwinding run
  // before the duration is read and the end classified.
  const settling = race.settle(winner);
  if (settling) await settling;
  race.end();
  const durationMs = elapsedMs(t0);

  const classified = classifyEnd(winner, { recorder, timeoutMs, crash, lease, controller, evidence, secrets });
  const { end, kind } = classified;
  // Taken after the running steps were stopped and the signal aborted (classifyEnd), before the seal.
  if (classified.timeoutScreenshotStep !== undefined) await evidence.takeTimeoutScreenshot(classified.timeoutScreenshotStep);
  controller.abort();
  recorder.seal();

  const outcome = attemptOutcome({
    end,
    kind,
    steps: recorder.steps,
    durationMs,
    journeyThresholdMs: req.settings.thresholdMs,
  });
  const reason = resultReason(end, classified.reason, outcome, recorder.steps);
  const evidenceUrl = evidence.pageUrl();

  // Close every context of the attempt; a close that hangs means the browser is stuck: kill its process group.
  const hung = !(await closeAll(contexts));
  if (hung) log.warn('context close hung: the browser is killed and will be relaunched');
  await lease.release({ broken: hung || end === 'crashed' });
  // The journey promise may still be settling against closed pages; nothing waits on it, nothing leaks from it.
  void race.journeyP;

  const collected = assembleEvidence(evidence, recorder, outcome, evidenceUrl);
  const result: AttemptResult = {
    ...base,
    status: outcome.status,
    ...(outcome.kind ? { kind: outcome.kind } : {}),
    ...(reason && outcome.status !== 'up' ? { reason } : {}),
    durationMs,
    steps: recorder.steps.map((step) => ({ ...step })),
    measures: { ...recorder.measures },
    flags: [...recorder.flags],
    ...(collected ? { evidence: collected } : {}),
  };
  log.info({ status: result.status, kind: result.kind, reason: result.reason, durationMs }, 'attempt ended');
  return { result, end };
}

/** Closes contexts; false when that did not finish within {@link CLOSE_HANG_MS}. */
async function closeAll(contexts: Set<BrowserContext>): Promise<boolean> {
  if (contexts.size === 0) return true;
  let timer: NodeJS.Timeout | undefined;
  const done = await Promise.race([
    Promise.all([...contexts].map((c) => c.close().catch(() => undefined))).then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), CLOSE_HANG_MS))),
  ]);
  clearTimeout(timer);
  return done;
}
