import type { FailureKind, RunStatus, StepResult } from './run-types.js';

/**
 * Runner outcome mapping (DESIGN.md §5 "Runner outcomes", field scenario F28). Pure: the runner describes how an
 * attempt ended and this module decides its status, so the table lives in one place and is tested as a table.
 */

/**
 * How an attempt ended, from the runner's point of view.
 * - `completed`: the journey function returned (soft checks may still have failed);
 * - `failed`: a hard step (or the journey code) failed with a classified kind;
 * - `timed-out`: the journey hard timeout fired (Playwright's `timedOut`);
 * - `interrupted`: our side stopped it (shutdown, abort signal; Playwright's `interrupted`);
 * - `launch-failed`: the browser could not be started (0 steps ran);
 * - `crashed`: the browser or renderer crashed or disconnected during the attempt.
 */
export type AttemptEnd = 'completed' | 'failed' | 'timed-out' | 'interrupted' | 'launch-failed' | 'crashed';

/**
 * Failure kinds that mean the target failed (`down`); every other kind is our side or a safety abort (`error`).
 * `credentials` (a rejected test account) is ours: the provider answered, it was our account that was wrong.
 */
const TARGET_KINDS: ReadonlySet<FailureKind> = new Set<FailureKind>([
  'assertion',
  'http',
  'timeout',
  'network',
  'security',
  'propagation',
]);

/** Status a failure of this kind gives (DESIGN.md §5 "Slot states": `down` for the target, `error` for us). */
export function statusOfKind(kind: FailureKind): 'down' | 'error' {
  return TARGET_KINDS.has(kind) ? 'down' : 'error';
}

export interface AttemptOutcomeInput {
  end: AttemptEnd;
  /** Kind of the failure when `end` is `failed` (ignored otherwise). */
  kind?: FailureKind;
  /** Steps recorded so far, in order. */
  steps: readonly StepResult[];
  /** Whole attempt duration in ms (monotonic clock). */
  durationMs: number;
  /** Journey threshold in ms: a passing attempt longer than this is `degraded`. */
  journeyThresholdMs?: number;
}

export interface AttemptOutcome {
  status: RunStatus;
  kind?: FailureKind;
  /** Why the attempt is `degraded` or what failed, without secrets (step names and figures only). */
  reason?: string;
  /** The first failed step, when one failed. */
  failedStep?: string;
}

/**
 * Status of one attempt (F28 table):
 * launch failure → `error` (infra); `timed-out` → `down` (timeout); `interrupted` / `crashed` → `error` (infra);
 * `failed` → `down` or `error` by kind ({@link statusOfKind}); `completed` with a failed soft check → `down` at the first
 * failed check, kind of that check; `completed` with no step at all → `error` (a journey that ran nothing proves
 * nothing, F28 "up with zero steps"); all steps passed → `up`, or `degraded` when a step exceeded its own threshold
 * or the attempt exceeded the journey threshold.
 */
export function attemptOutcome(input: AttemptOutcomeInput): AttemptOutcome {
  const firstFailed = input.steps.find((s) => s.status === 'failed');
  switch (input.end) {
    case 'launch-failed':
      return { status: 'error', kind: 'infra' };
    case 'timed-out':
      return { status: 'down', kind: 'timeout', failedStep: firstFailed?.name };
    case 'interrupted':
    case 'crashed':
      return { status: 'error', kind: 'infra', failedStep: firstFailed?.name };
    case 'failed': {
      const kind = input.kind ?? firstFailed?.error?.kind ?? 'assertion';
      return { status: statusOfKind(kind), kind, failedStep: firstFailed?.name };
    }
    case 'completed':
      break;
  }
  if (firstFailed) {
    const kind = firstFailed.error?.kind ?? 'assertion';
    return { status: statusOfKind(kind), kind, failedStep: firstFailed.name };
  }
  if (!input.steps.some((s) => s.status === 'passed')) {
    return { status: 'error', kind: 'infra', reason: 'no step ran' };
  }
  const slow = input.steps.filter((s) => s.status === 'passed' && s.thresholdMs !== undefined && s.durationMs > s.thresholdMs);
  if (slow.length > 0) {
    const s = slow[0]!;
    return { status: 'degraded', reason: `step "${s.name}" took ${Math.round(s.durationMs)} ms (threshold ${s.thresholdMs} ms)` };
  }
  if (input.journeyThresholdMs !== undefined && input.durationMs > input.journeyThresholdMs) {
    return { status: 'degraded', reason: `journey took ${Math.round(input.durationMs)} ms (threshold ${input.journeyThresholdMs} ms)` };
  }
  return { status: 'up' };
}

export interface RetryInput {
  /** How the failed attempt ended and its status. */
  end: AttemptEnd;
  status: RunStatus;
  kind?: FailureKind;
  /** 1-based number of the attempt that just ended. */
  attempt: number;
  /** `journeys.<id>.retry` from the revision. */
  retryEnabled: boolean;
  now: Date;
  /** Journey hard timeout in ms. */
  timeoutMs: number;
  /** End of the slot; `null` for manual runs (no slot: one retry allowed). */
  slotEnd: Date | null;
}

/**
 * Whether a failed attempt gets its one retry (DESIGN.md §5 "Attempts"): only after the first attempt, only if
 * `now + timeout ≤ slot end`; a timeout is never retried, the journey's or a step's (kind `timeout`: the target was
 * given its full time, and a second wait as long could overrun the slot), nor a safety abort
 * (retrying would touch the same unexpected data), nor a shutdown, nor rejected credentials (the same account would be
 * refused again, and repeated failures may lock it). A crash, disconnect or launch failure is retried on
 * a fresh browser ("error unless its one retry passes"), as are target failures.
 */
export function shouldRetry(input: RetryInput): boolean {
  if (!input.retryEnabled || input.attempt >= 2) return false;
  if (input.status === 'up' || input.status === 'degraded') return false;
  if (input.end === 'timed-out' || input.end === 'interrupted') return false;
  // A step that timed out (a page that did not come within the step timeout) was given its time too: issue 8 item 2.
  if (input.kind === 'safety' || input.kind === 'credentials' || input.kind === 'timeout') return false;
  if (input.slotEnd === null) return true;
  return input.now.getTime() + input.timeoutMs <= input.slotEnd.getTime();
}

/**
 * Final status of a run from its attempts: the last attempt decides (a passing retry makes the slot `up`; an `error`
 * first attempt followed by a `down` retry is `down`). No attempt at all is `error`.
 */
export function runOutcome(attempts: readonly { status: RunStatus; kind?: FailureKind; reason?: string }[]): {
  status: RunStatus;
  kind?: FailureKind;
  reason?: string;
} {
  const last = attempts[attempts.length - 1];
  if (!last) return { status: 'error', kind: 'infra', reason: 'no attempt ran' };
  return { status: last.status, kind: last.kind, reason: last.reason };
}
