/**
 * The shapes of probe results shared by every part (DESIGN.md §5 "Attempts", "Slot states", "Runner outcomes").
 * Instants are ISO-8601 strings in UTC (`2025-11-14T13:00:00.000Z`) so results cross process and HTTP boundaries
 * unchanged; durations are milliseconds measured on a monotonic clock.
 */

/** Final status of one run or attempt, as written by a runner. */
export type RunStatus = 'up' | 'degraded' | 'down' | 'error';

/**
 * State of one slot at one location (DESIGN.md §5). `missed` is derived from the revision's schedule and never stored
 * as a run row; `paused`, `maintenance` and `not_monitored` come from the schedule, windows and first-seen times.
 */
export type SlotState = RunStatus | 'missed' | 'paused' | 'maintenance' | 'not_monitored';

/**
 * Why a run failed. `assertion` (expected text/element missing), `http` (error status), `timeout` (journey hard
 * timeout), `network` (target DNS/TLS/connection error), `security` (logout left a live session), `propagation`
 * (absence did not reach the parent in time), `safety` (test-data guard refused), `infra` (our side: browser launch,
 * crash, disconnect, shutdown, stalled job), `local-network` (failure seen only from an in-school location),
 * `credentials` (the identity provider refused the test account's credentials: a wrong or expired password, an unknown
 * or locked account; our side's configuration, not an outage of the provider, so `error`, never retried).
 */
export const FAILURE_KINDS = [
  'assertion',
  'http',
  'timeout',
  'network',
  'security',
  'propagation',
  'safety',
  'infra',
  'local-network',
  'credentials',
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** Reason of an attempt whose browser or renderer crashed or disconnected (kind `infra`): the watchdog counts them. */
export const CRASH_REASON = 'browser or renderer crashed';
/** Start of the reason of an attempt that found its browser unusable (launch failure, kind `infra`). */
export const BROWSER_UNUSABLE_REASON = 'browser unusable';

/** Scheduled runs count in SLA slots; manual runs (`vigie run`) are stored apart, outside SLA slots. */
export type RunTrigger = 'scheduled' | 'manual';

export interface StepError {
  message: string;
  kind: FailureKind;
  /** HTTP status when the failure came from a response. */
  httpStatus?: number;
}

/** One timed step of an attempt. */
export interface StepResult {
  /** Step name from the journey (`open-ent`, `credentials`, `mark-absent`, …). */
  name: string;
  /** Order inside the attempt, from 0. */
  index: number;
  status: 'passed' | 'failed' | 'skipped';
  /** A soft step (`check()`) records its failure and lets the next step run. */
  soft: boolean;
  startedAt: string;
  durationMs: number;
  /** The step's threshold from the revision, when it has one; `durationMs > thresholdMs` makes the run degraded. */
  thresholdMs?: number;
  error?: StepError;
}

/** Evidence of a failed attempt: kept in its own table with a longer retention (DESIGN.md §6). */
export interface Evidence {
  /** The step that failed first. */
  step?: string;
  /** PNG screenshot of the failing step, personal-data selectors masked. */
  screenshotPng?: Uint8Array;
  /** Final URL of the page, with query string removed (tickets never stored). */
  url?: string;
  /** Cookie names and domains left after logout (never values). */
  cookies?: { name: string; domain: string }[];
  /** Every failure of a soft-check journey, in order. */
  failures?: { step: string; message: string; kind: FailureKind }[];
}

export interface AttemptResult {
  /** 1 for the first attempt, 2 for the retry. */
  attempt: number;
  location: string;
  status: RunStatus;
  kind?: FailureKind;
  /** Human-readable reason (`timeout after 60 s`, `text "Bienvenue" not visible`). */
  reason?: string;
  startedAt: string;
  durationMs: number;
  steps: StepResult[];
  /** Measured values of the run (e.g. `propagationMs`). */
  measures: Record<string, number>;
  /** Flags such as `dirtyStart` (the roll-call sheet was found dirty and repaired). */
  flags: string[];
  evidence?: Evidence;
}

/** One run: the result of one slot of one schedule at one location (or one manual run). */
export interface RunResult {
  scheduleId: string;
  journey: string;
  target: string;
  /** Tenant UAI. */
  tenant: string;
  location: string;
  trigger: RunTrigger;
  /** Slot start (the key); for a manual run, the instant it was asked for. */
  scheduledAt: string;
  /** Config revision the run ran under. */
  revisionId: number | null;
  status: RunStatus;
  kind?: FailureKind;
  reason?: string;
  /** The probe host's clock at the first attempt's start. */
  startedAt: string;
  durationMs: number;
  /** True when the run started after its slot's offset by more than the scheduler's grace. */
  late: boolean;
  attempts: AttemptResult[];
}

/** Availability class of a state (DESIGN.md §5 table). */
export function availabilityClass(state: SlotState): 'up' | 'down' | 'unknown' | 'excluded' | 'outside' {
  switch (state) {
    case 'up':
    case 'degraded':
      return 'up';
    case 'down':
      return 'down';
    case 'maintenance':
      return 'excluded';
    case 'not_monitored':
      return 'outside';
    default:
      return 'unknown';
  }
}
