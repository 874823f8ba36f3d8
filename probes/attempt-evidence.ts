import { performance } from 'node:perf_hooks';
import type { BrowserContext, Page } from 'playwright-core';
import type { AttemptOutcome } from '../core/outcome.js';
import type { Evidence } from '../core/run-types.js';
import type { CrashWatch } from './attempt-context.js';
import { stripQuery } from './classify.js';
import { JourneyFailure, type JourneyRunContext } from './journey.js';
import type { StepRecorder } from './step-recorder.js';

/**
 * Evidence of one attempt (attempt.ts, DESIGN.md §6): what its first page shows when a step fails or the journey
 * times out — a masked screenshot, the waiting-queue text, the URL without its query — and the {@link Evidence}
 * object of the result. Every capture is bounded in time (a hung page must not delay the result) and skipped once the
 * page is closed or the browser crashed; a failure to capture is never an error of the attempt.
 */

/** How long a screenshot may take: a hung page must not delay the result (F27 "one result at the timeout"). */
const SCREENSHOT_MS = 2_000;
/** Bound on the whole timeout screenshot (stop loading + capture): the result is already late by the journey timeout. */
const TIMEOUT_SCREENSHOT_MS = 1_500;
/** Inputs whose typed text might be personal or secret; masked on every screenshot besides the profile's masks. */
const INPUT_MASK = 'input[type="password"], input[type="text"], input[type="email"], input:not([type])';

/** The evidence gathered during one attempt, on its first page. */
export interface EvidenceCollector {
  /** PNG of the first failure or of the timeout, once taken. */
  readonly screenshot: Uint8Array | undefined;
  /** The step the evidence is about: the first one a capture was asked for, or the one noted by the classification. */
  readonly failedStep: string | undefined;
  /** Names the step the evidence is about, unless one is named already (`undefined` changes nothing). */
  noteStep(step: string | undefined): void;
  /**
   * The recorder's `onFirstFailure`: notes `step`, then captures the page with the profile's masks and every text
   * input masked, within `boundMs` (ms, default 2 000). Resolves without a screenshot when the page is closed, the
   * browser crashed or the capture failed; never rejects.
   */
  takeScreenshot(step: string, boundMs?: number): Promise<void>;
  /**
   * Evidence of a run ended by the journey timeout (F27), within 1 500 ms in all: a navigation the ENT never answered
   * blocks Playwright's screenshot, so loading is stopped first (CDP `Page.stopLoading`, what a user's Esc does), then
   * the page is captured with the masks. Past the bound, the context is closed without it. Never rejects.
   */
  takeTimeoutScreenshot(step: string): Promise<void>;
  /**
   * The recorder's `explain`: a `waiting-queue` {@link JourneyFailure} (kind `assertion`) when the page shows the
   * profile's `waitingQueueText`, else `undefined`. Never rejects.
   */
  explain(): Promise<JourneyFailure | undefined>;
  /** The page's URL without its query string, or `undefined` once the page is closed or the browser crashed. */
  pageUrl(): string | undefined;
}

/**
 * The evidence collector of one attempt.
 * @param page The attempt's first page (the one captured).
 * @param context Its context (for the CDP session of the timeout screenshot).
 * @param runContext The run's context; its profile's `masks` and `waitingQueueText` are read at each capture.
 * @param crash The attempt's crash watch: nothing is captured after a crash.
 */
export function createEvidenceCollector(page: Page, context: BrowserContext, runContext: Pick<JourneyRunContext, 'profile'>, crash: Pick<CrashWatch, 'crashed'>): EvidenceCollector {
  let screenshot: Uint8Array | undefined;
  let failedStepForEvidence: string | undefined;

  const takeScreenshot = async (step: string, boundMs = SCREENSHOT_MS) => {
    failedStepForEvidence ??= step;
    if (page.isClosed() || crash.crashed) return;
    try {
      const masks = [...runContext.profile.masks, INPUT_MASK].map((s) => page.locator(s));
      screenshot = await page.screenshot({ mask: masks, timeout: boundMs, animations: 'disabled' });
    } catch {
      // No screenshot is better than a delayed result.
    }
  };

  // Stop loading, then capture with what is left of TIMEOUT_SCREENSHOT_MS; the context closes without it past the bound.
  const takeTimeoutScreenshot = async (step: string) => {
    failedStepForEvidence ??= step;
    if (page.isClosed() || crash.crashed) return;
    const deadline = performance.now() + TIMEOUT_SCREENSHOT_MS;
    const work = (async () => {
      const cdp = await context.newCDPSession(page);
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

  const explain = async () => {
    const text = runContext.profile.waitingQueueText;
    if (!text || page.isClosed() || crash.crashed) return undefined;
    try {
      if ((await page.getByText(text).count()) === 0) return undefined;
    } catch {
      return undefined;
    }
    return new JourneyFailure('assertion', `waiting-queue page shown ("${text}") instead of the expected page`);
  };

  return {
    get screenshot() {
      return screenshot;
    },
    get failedStep() {
      return failedStepForEvidence;
    },
    noteStep: (step) => {
      failedStepForEvidence ??= step;
    },
    takeScreenshot,
    takeTimeoutScreenshot,
    explain,
    pageUrl: () => (page.isClosed() || crash.crashed ? undefined : stripQuery(page.url())),
  };
}

/**
 * The result's {@link Evidence}, or `undefined` for an attempt that neither failed (no failure recorded, status
 * neither `down` nor `error`) nor recorded cookies. The URL is kept for a failed attempt only.
 * @param url The page's URL read before the contexts closed ({@link EvidenceCollector.pageUrl}).
 */
export function assembleEvidence(
  collected: Pick<EvidenceCollector, 'screenshot' | 'failedStep'>,
  recorder: Pick<StepRecorder, 'failures' | 'cookies'>,
  outcome: AttemptOutcome,
  url: string | undefined,
): Evidence | undefined {
  const screenshot = collected.screenshot;
  const failedStepForEvidence = collected.failedStep;
  const failed = recorder.failures.length > 0 || outcome.status === 'down' || outcome.status === 'error';
  return failed || recorder.cookies
    ? {
        ...(failedStepForEvidence ?? outcome.failedStep ? { step: failedStepForEvidence ?? outcome.failedStep } : {}),
        ...(screenshot ? { screenshotPng: screenshot } : {}),
        ...(url && failed ? { url } : {}),
        ...(recorder.cookies ? { cookies: recorder.cookies } : {}),
        ...(recorder.failures.length > 0 ? { failures: [...recorder.failures] } : {}),
      }
    : undefined;
}
