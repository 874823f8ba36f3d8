import { performance } from 'node:perf_hooks';
import { errors, type BrowserContext, type Page } from 'playwright-core';
import type { Logger } from 'pino';
import { attemptOutcome, type AttemptEnd } from '../core/outcome.js';
import { fillTemplate } from '../core/profile.js';
import type { AttemptResult, Evidence } from '../core/run-types.js';
import { BrowserLaunchError, CLOSE_HANG_MS, type BrowserPool } from './browser-pool.js';
import { classifyStepError, cleanMessage, stripQuery } from './classify.js';
import { JourneyFailure, type JourneyContext } from './journey.js';
import type { LeaseManager } from './lease.js';
import type { RunRequest } from './run-request.js';
import { StepFailed, StepInterrupted, StepRecorder, elapsedMs, type PageObserver } from './step-recorder.js';

/**
 * One attempt of a run: a fresh BrowserContext on the runner's browser, the journey raced against the hard timeout,
 * a browser disconnect and a shutdown, then every context closed (the browser killed only if that close hangs).
 * Returns an {@link AttemptResult}; it never throws for a failure of the ENT or of the browser.
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

/** How long a screenshot may take: a hung page must not delay the result (F27 "one result at the timeout"). */
const SCREENSHOT_MS = 2_000;
/** Bound on the whole timeout screenshot (stop loading + capture): the result is already late by the journey timeout. */
const TIMEOUT_SCREENSHOT_MS = 1_500;
/** How long to wait for a disconnect to be reported after a page vanished under a step. */
const CRASH_SETTLE_MS = 1_000;
/** Inputs whose typed text might be personal or secret; masked on every screenshot besides the profile's masks. */
const INPUT_MASK = 'input[type="password"], input[type="text"], input[type="email"], input:not([type])';

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

  const contexts = new Set<BrowserContext>();
  const observer = createObserver();
  const controller = new AbortController();
  let crashed = false;
  let onCrash: () => void = () => undefined;
  const crashP = new Promise<'crashed'>((resolve) => (onCrash = () => ((crashed = true), resolve('crashed'))));
  lease.browser.once('disconnected', onCrash);

  const newContext = async () => {
    const context = await lease.browser.newContext();
    deps.counters.openContexts += 1;
    contexts.add(context);
    context.once('close', () => {
      deps.counters.openContexts -= 1;
      contexts.delete(context);
    });
    context.setDefaultTimeout(stepTimeoutMs);
    context.setDefaultNavigationTimeout(stepTimeoutMs);
    context.on('page', (p) => {
      deps.counters.openPages += 1;
      p.once('close', () => (deps.counters.openPages -= 1));
      p.on('crash', onCrash);
      observer.watch(p);
    });
    const page = await context.newPage();
    return { context, page };
  };

  let first: { context: BrowserContext; page: Page };
  try {
    first = await newContext();
  } catch (err) {
    await closeAll(contexts);
    await lease.release({ broken: true });
    const result: AttemptResult = { ...base, status: 'error', kind: 'infra', reason: `browser unusable: ${cleanMessage(err, secrets)}`, durationMs: elapsedMs(t0), steps: [] };
    return { end: 'crashed', result };
  }
  const page = first.page;

  let screenshot: Uint8Array | undefined;
  let failedStepForEvidence: string | undefined;
  const takeScreenshot = async (step: string, boundMs = SCREENSHOT_MS) => {
    failedStepForEvidence ??= step;
    if (page.isClosed() || crashed) return;
    try {
      const masks = [...req.context.profile.masks, INPUT_MASK].map((s) => page.locator(s));
      screenshot = await page.screenshot({ mask: masks, timeout: boundMs, animations: 'disabled' });
    } catch {
      // No screenshot is better than a delayed result.
    }
  };
  /**
   * Evidence of a run ended by the journey timeout (F27), within {@link TIMEOUT_SCREENSHOT_MS} in all: a navigation the
   * ENT never answered blocks Playwright's screenshot, so loading is stopped first (CDP `Page.stopLoading`, what a
   * user's Esc does), then the page is captured with the masks. Past the bound, the context is closed without it.
   */
  const takeTimeoutScreenshot = async (step: string) => {
    failedStepForEvidence ??= step;
    if (page.isClosed() || crashed) return;
    const deadline = performance.now() + TIMEOUT_SCREENSHOT_MS;
    const work = (async () => {
      const cdp = await first.context.newCDPSession(page);
      try {
        await cdp.send('Page.stopLoading');
      } finally {
        await cdp.detach().catch(() => undefined);
      }
      await takeScreenshot(step, Math.max(1, Math.round(deadline - performance.now())));
    })();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      work.catch(() => undefined),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, TIMEOUT_SCREENSHOT_MS))),
    ]);
    clearTimeout(timer);
  };

  const recorder = new StepRecorder({
    stepThresholdsMs: req.settings.stepThresholdsMs,
    secrets,
    signal: controller.signal,
    observer,
    onFirstFailure: takeScreenshot,
    explain: async () => {
      const text = req.context.profile.waitingQueueText;
      if (!text || page.isClosed() || crashed) return undefined;
      try {
        if ((await page.getByText(text).count()) === 0) return undefined;
      } catch {
        return undefined;
      }
      return new JourneyFailure('assertion', `waiting-queue page shown ("${text}") instead of the expected page`);
    },
  });

  const ctx: JourneyContext = {
    ...req.context,
    page,
    browserContext: first.context,
    settings: req.settings,
    options: req.settings.options,
    stepTimeoutMs,
    tenant: req.tenant,
    signal: controller.signal,
    logger: log,
    leases: deps.leases,
    step: (name, fn, o) => recorder.step(name, fn, o),
    check: (name, fn, o) => recorder.check(name, fn, o),
    cleanup: (name, fn, o) => recorder.cleanup(name, fn, o),
    measure: (name, value) => recorder.measure(name, value),
    flag: (name) => recorder.flag(name),
    recordCookies: (cookies) => recorder.recordCookies(cookies),
    url: (template, extra = {}) => fillTemplate(template, { ...extra, ent: req.context.entUrl, sso: req.context.ssoUrl }),
    goto: (p, url) => gotoChecked(p, url, stepTimeoutMs, secrets),
    newContext,
  };

  type Winner = 'completed' | 'timed-out' | 'crashed' | 'interrupted' | { err: unknown };
  const journeyP: Promise<Winner> = Promise.resolve()
    .then(() => req.journey.run(ctx))
    .then(() => 'completed' as const, (err: unknown) => ({ err }));
  let timer: NodeJS.Timeout | undefined;
  const timeoutP = new Promise<'timed-out'>((resolve) => (timer = setTimeout(() => resolve('timed-out'), timeoutMs)));
  let graceTimer: NodeJS.Timeout | undefined;
  let onAbort: () => void = () => undefined;
  const abortP = new Promise<'interrupted'>((resolve) => {
    onAbort = () => {
      controller.abort();
      graceTimer = setTimeout(() => resolve('interrupted'), deps.shutdownGraceMs);
    };
    if (req.signal?.aborted) onAbort();
    else req.signal?.addEventListener('abort', onAbort, { once: true });
  });

  const winner = await Promise.race([journeyP, timeoutP, crashP, abortP]);
  if (typeof winner === 'object' && !crashed) {
    // A killed browser fails the pending Playwright call slightly before its disconnect is reported: when the page is
    // gone, give the disconnect a moment so a crash is not mistaken for a failure of the ENT.
    if (page.isClosed() || !lease.browser.isConnected() || lease.disconnected()) {
      await Promise.race([crashP, sleep(CRASH_SETTLE_MS)]);
    }
    if (lease.disconnected() || !lease.browser.isConnected()) crashed = true;
  }
  clearTimeout(timer);
  clearTimeout(graceTimer);
  req.signal?.removeEventListener('abort', onAbort);
  const durationMs = elapsedMs(t0);

  let end: AttemptEnd;
  let kind: JourneyFailure['kind'] | undefined;
  let reason: string | undefined;
  if (winner === 'timed-out') {
    end = 'timed-out';
    reason = `timeout after ${formatSeconds(timeoutMs)} s`;
    // Never capture a credentials page (DESIGN.md §6: no secret in evidence), even with its inputs masked.
    const inSecretStep = recorder.secretRunning();
    recorder.stopRunning('timeout', reason);
    controller.abort();
    if (inSecretStep) failedStepForEvidence ??= recorder.steps.at(-1)?.name;
    else if (!screenshot) await takeTimeoutScreenshot(recorder.steps.at(-1)?.name ?? '(journey)');
  } else if (winner === 'crashed' || crashed || !lease.browser.isConnected()) {
    end = 'crashed';
    reason = 'browser or renderer crashed';
    recorder.stopRunning('infra', reason);
    recorder.attributeLastFailureTo('infra', reason);
  } else if (winner === 'interrupted' || (typeof winner === 'object' && winner.err instanceof StepInterrupted)) {
    end = 'interrupted';
    reason = 'interrupted (shutdown)';
    recorder.stopRunning('infra', reason);
  } else if (winner === 'completed') {
    // Even after a shutdown request, a journey that finished within the grace has a real result.
    end = 'completed';
  } else {
    end = 'failed';
    if (winner.err instanceof StepFailed) {
      kind = winner.err.classification.kind;
      reason = `step "${winner.err.step}": ${winner.err.classification.message}`;
    } else {
      const c = classifyStepError(winner.err, {}, secrets);
      recorder.recordJourneyFailure(c);
      kind = c.kind;
      reason = c.message;
    }
  }
  controller.abort();
  recorder.seal();

  const outcome = attemptOutcome({
    end,
    kind,
    steps: recorder.steps,
    durationMs,
    journeyThresholdMs: req.settings.thresholdMs,
  });
  if (end === 'completed' && outcome.failedStep) {
    const s = recorder.steps.find((x) => x.status === 'failed');
    reason = `step "${outcome.failedStep}": ${s?.error?.message ?? 'failed'}`;
  }
  reason ??= outcome.reason;
  const evidenceUrl = page.isClosed() || crashed ? undefined : stripQuery(page.url());

  // Close every context of the attempt; a close that hangs means the browser is stuck: kill its process group.
  const hung = !(await closeAll(contexts));
  if (hung) log.warn('context close hung: the browser is killed and will be relaunched');
  await lease.release({ broken: hung || end === 'crashed' });
  // The journey promise may still be settling against closed pages; nothing waits on it, nothing leaks from it.
  void journeyP;

  const failed = recorder.failures.length > 0 || outcome.status === 'down' || outcome.status === 'error';
  const evidence: Evidence | undefined =
    failed || recorder.cookies
      ? {
          ...(failedStepForEvidence ?? outcome.failedStep ? { step: failedStepForEvidence ?? outcome.failedStep } : {}),
          ...(screenshot ? { screenshotPng: screenshot } : {}),
          ...(evidenceUrl && failed ? { url: evidenceUrl } : {}),
          ...(recorder.cookies ? { cookies: recorder.cookies } : {}),
          ...(recorder.failures.length > 0 ? { failures: [...recorder.failures] } : {}),
        }
      : undefined;
  const result: AttemptResult = {
    ...base,
    status: outcome.status,
    ...(outcome.kind ? { kind: outcome.kind } : {}),
    ...(reason && outcome.status !== 'up' ? { reason } : {}),
    durationMs,
    steps: recorder.steps.map((step) => ({ ...step })),
    measures: { ...recorder.measures },
    flags: [...recorder.flags],
    ...(evidence ? { evidence } : {}),
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

async function gotoChecked(page: Page, url: string, timeoutMs: number, secrets: readonly string[]) {
  let response;
  try {
    response = await page.goto(url, { timeout: timeoutMs });
  } catch (err) {
    if (err instanceof errors.TimeoutError) throw new JourneyFailure('timeout', `no page at ${stripQuery(url)} within ${formatSeconds(timeoutMs)} s`, { cause: err });
    if (page.isClosed()) throw err;
    // goto rejects without a response only for navigation errors (DNS, TLS, refused, reset).
    throw new JourneyFailure('network', `${stripQuery(url)}: ${cleanMessage(err, secrets)}`, { cause: err });
  }
  const status = response?.status();
  if (status !== undefined && status >= 400) {
    throw new JourneyFailure('http', `HTTP ${status} on ${stripQuery(url)}`, { httpStatus: status });
  }
  return response;
}

function createObserver(): PageObserver & { watch(page: Page): void } {
  const events: { seq: number; httpStatus?: number; netFail?: boolean }[] = [];
  let seq = 0;
  return {
    mark: () => seq,
    since(mark) {
      const after = events.filter((e) => e.seq > mark);
      const http = after.filter((e) => e.httpStatus !== undefined).at(-1);
      return { httpErrorStatus: http?.httpStatus, navigationFailed: after.some((e) => e.netFail) };
    },
    watch(page) {
      page.on('response', (r) => {
        try {
          if (r.status() >= 400 && r.request().isNavigationRequest() && r.frame() === page.mainFrame()) {
            events.push({ seq: ++seq, httpStatus: r.status() });
          }
        } catch {
          // A response of a detached frame: not the main frame's.
        }
      });
      page.on('requestfailed', (r) => {
        // ERR_ABORTED is a navigation replaced by another one (a redirect or a click), not a network failure.
        if (r.isNavigationRequest() && r.frame() === page.mainFrame() && r.failure()?.errorText !== 'net::ERR_ABORTED') {
          events.push({ seq: ++seq, netFail: true });
        }
      });
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function formatSeconds(ms: number): string {
  return String(Math.round((ms / 1000) * 10) / 10);
}
