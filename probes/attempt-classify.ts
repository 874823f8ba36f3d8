import type { AttemptEnd, AttemptOutcome } from '../core/outcome.js';
import { CRASH_REASON, type StepResult } from '../core/run-types.js';
import type { CrashWatch } from './attempt-context.js';
import type { EvidenceCollector } from './attempt-evidence.js';
import { formatSeconds } from './attempt-goto.js';
import type { Winner } from './attempt-race.js';
import type { BrowserLease } from './browser-pool.js';
import { classifyStepError } from './classify.js';
import type { JourneyFailure } from './journey.js';
import { StepFailed, StepInterrupted, type StepRecorder } from './step-recorder.js';

/**
 * Classification of one attempt's end (attempt.ts): from the race's winner to how the attempt ended (`end`, the input
 * of core/outcome.ts), the failure `kind` and the `reason`, with the recorder calls each case needs (running steps
 * stopped at the timeout or crash, the crash blamed for the last failure, a journey-code failure recorded). Synchronous
 * on purpose: the timeout screenshot is returned as a request for the attempt to take, so the steps are stopped and the
 * signal aborted before it, and nothing is awaited when there is nothing to capture.
 */

/** How the attempt ended, before the outcome table. */
export interface EndClassification {
  end: AttemptEnd;
  /** Kind of the failure when `end` is `failed` (from the failed step or the journey's error). */
  kind: JourneyFailure['kind'] | undefined;
  /** Reason of the result, when this case has one (else the outcome table's). */
  reason: string | undefined;
  /**
   * Timed out outside a secret step with no screenshot yet: the step to name in the timeout screenshot the attempt
   * must take now (`'(journey)'` when no step ran).
   */
  timeoutScreenshotStep?: string;
}

export interface ClassifyOptions {
  recorder: StepRecorder;
  /** Hard timeout of the journey, ms (for the reason). */
  timeoutMs: number;
  crash: Pick<CrashWatch, 'crashed'>;
  lease: Pick<BrowserLease, 'browser'>;
  /** The attempt's controller, aborted at a timeout before the evidence is taken. */
  controller: AbortController;
  evidence: Pick<EvidenceCollector, 'screenshot' | 'noteStep'>;
  /** Persona passwords, redacted from a journey-code failure's message. */
  secrets: readonly string[];
}

/**
 * Classifies the race's `winner` (after the race's `settle`/`end`), in this order: the hard timeout (`timed-out`,
 * running steps stopped as `timeout`; a credentials page is never captured, even masked — DESIGN.md §6); a crash or
 * disconnect (`crashed`, `infra`, the last failure blamed on it); a shutdown (`interrupted`); the journey returned
 * (`completed`, even after a shutdown request: a journey finished within the grace has a real result); else a
 * failure (`failed`, kind from the failed step or, for journey code outside any step, classified and recorded).
 */
export function classifyEnd(winner: Winner, o: ClassifyOptions): EndClassification {
  const { recorder, timeoutMs, crash, lease, controller, evidence, secrets } = o;
  let end: AttemptEnd;
  let kind: JourneyFailure['kind'] | undefined;
  let reason: string | undefined;
  let timeoutScreenshotStep: string | undefined;
  if (winner === 'timed-out') {
    end = 'timed-out';
    reason = `timeout after ${formatSeconds(timeoutMs)} s`;
    // Never capture a credentials page (DESIGN.md §6: no secret in evidence), even with its inputs masked.
    const inSecretStep = recorder.secretRunning();
    recorder.stopRunning('timeout', reason);
    controller.abort();
    if (inSecretStep) evidence.noteStep(recorder.steps.at(-1)?.name);
    else if (!evidence.screenshot) timeoutScreenshotStep = recorder.steps.at(-1)?.name ?? '(journey)';
  } else if (winner === 'crashed' || crash.crashed || !lease.browser.isConnected()) {
    end = 'crashed';
    reason = CRASH_REASON;
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
  return { end, kind, reason, ...(timeoutScreenshotStep === undefined ? {} : { timeoutScreenshotStep }) };
}

/**
 * The result's reason once the outcome is known: a completed journey with a failed check names that check and its
 * error; otherwise the classified `reason`, else the outcome table's (`degraded`: which step or the journey was slow).
 */
export function resultReason(end: AttemptEnd, reason: string | undefined, outcome: AttemptOutcome, steps: readonly StepResult[]): string | undefined {
  if (end === 'completed' && outcome.failedStep) {
    const s = steps.find((x) => x.status === 'failed');
    reason = `step "${outcome.failedStep}": ${s?.error?.message ?? 'failed'}`;
  }
  reason ??= outcome.reason;
  return reason;
}
