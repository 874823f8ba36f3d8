import { errors } from 'playwright-core';
import type { FailureKind } from '../core/run-types.js';
import { JourneyFailure } from './journey.js';

/**
 * Classifies a step failure into a {@link FailureKind} from typed signals only (CONVENTIONS.md: never branch on
 * message text): a {@link JourneyFailure} carries its kind; otherwise what the page's main frame saw during the step
 * decides (an HTTP error status → `http`, a failed navigation → `network`); a Playwright `TimeoutError` means the
 * expected element or state never came (`assertion`); a programming error in journey code (TypeError, …) is ours
 * (`infra`); anything else thrown by Playwright is an assertion about the page.
 */

/** What the main frames of the attempt's pages saw during one step. */
export interface StepObservation {
  /** Last main-frame document response with status ≥ 400. */
  httpErrorStatus?: number;
  /** A main-frame navigation request failed (DNS, TLS, connection refused/reset). */
  navigationFailed?: boolean;
}

/** A main-frame document answered with a server error (status ≥ 500): its status and URL (query string removed). */
export interface ServerError {
  status: number;
  url: string;
  /** The observer's sequence number of that response (compare with a `mark()` taken at a step's start). */
  seq: number;
}

export interface Classification {
  kind: FailureKind;
  message: string;
  httpStatus?: number;
}

const PROGRAMMING_ERRORS = [TypeError, ReferenceError, RangeError, SyntaxError];

/** Classifies `err` thrown inside a step; `secrets` are removed from the message. */
export function classifyStepError(err: unknown, seen: StepObservation, secrets: readonly string[]): Classification {
  const message = cleanMessage(err, secrets);
  if (err instanceof JourneyFailure) {
    return { kind: err.kind, message, httpStatus: err.httpStatus ?? (err.kind === 'http' ? seen.httpErrorStatus : undefined) };
  }
  if (seen.httpErrorStatus !== undefined) {
    return { kind: 'http', message: `HTTP ${seen.httpErrorStatus}: ${message}`, httpStatus: seen.httpErrorStatus };
  }
  if (seen.navigationFailed) return { kind: 'network', message };
  if (err instanceof errors.TimeoutError) return { kind: 'assertion', message };
  if (PROGRAMMING_ERRORS.some((type) => err instanceof type)) return { kind: 'infra', message };
  return { kind: 'assertion', message };
}

/** Max length of a stored reason: Playwright messages carry long call logs that belong in debug logs only. */
const MAX_MESSAGE = 300;

/**
 * First line of an error message, secrets replaced by `***`, bounded in length. Used for every reason and step error
 * so that no password reaches results, logs or reports.
 */
export function cleanMessage(err: unknown, secrets: readonly string[]): string {
  const raw = err instanceof Error ? err.message : String(err);
  let line = raw.split('\n').find((l) => l.trim() !== '') ?? (err instanceof Error ? err.name : 'error');
  line = redact(line.trim(), secrets);
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE - 1)}…` : line;
}

/** Replaces every occurrence of each secret (longest first, empty ones ignored) with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of [...secrets].filter((x) => x.length > 0).sort((a, b) => b.length - a.length)) {
    out = out.split(s).join('***');
  }
  return out;
}

/** URL without query string or fragment (CAS tickets are in the query; they must never be stored). */
export function stripQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut === -1 ? url : url.slice(0, cut);
}
