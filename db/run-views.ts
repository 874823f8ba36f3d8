import type { FailureKind, RunStatus, RunTrigger, StepResult } from '../core/run-types.js';

/**
 * What the store returns about runs (read side). camelCase, instants as ISO-8601 UTC strings, absent values as
 * `null` (these objects go straight to JSON in the API).
 */

/** One row of `listRuns`. */
export interface RunSummary {
  id: number;
  scheduleId: string;
  journey: string;
  target: string;
  tenant: string;
  location: string;
  trigger: RunTrigger;
  /** Slot start (the key); for a manual run, the instant it was asked for. */
  scheduledAt: string;
  revisionId: number | null;
  status: RunStatus;
  kind: FailureKind | null;
  reason: string | null;
  startedAt: string;
  durationMs: number;
  late: boolean;
  /** Union of the attempts' flags (e.g. `dirtyStart`). */
  flags: string[];
  /** The attempts' measures merged, a later attempt's value winning (e.g. `propagationMs`). */
  measures: Record<string, number>;
  attemptsCount: number;
  /** When the store received the result. */
  receivedAt: string;
}

/** Evidence of a failed attempt, without the screenshot bytes (fetched with `getScreenshot`). */
export interface EvidenceMeta {
  step: string | null;
  url: string | null;
  cookies: { name: string; domain: string }[];
  failures: { step: string; message: string; kind: FailureKind }[];
  /** Size of the PNG in bytes, null when there is none. */
  screenshotBytes: number | null;
  createdAt: string;
}

export interface StepDetail {
  index: number;
  name: string;
  status: StepResult['status'];
  soft: boolean;
  startedAt: string;
  durationMs: number;
  thresholdMs: number | null;
  error: { message: string; kind: FailureKind; httpStatus: number | null } | null;
}

export interface AttemptDetail {
  attempt: number;
  location: string;
  status: RunStatus;
  kind: FailureKind | null;
  reason: string | null;
  startedAt: string;
  durationMs: number;
  flags: string[];
  measures: Record<string, number>;
  steps: StepDetail[];
  evidence: EvidenceMeta | null;
}

/** `getRun`: the summary with every attempt, its steps and its evidence. */
export interface RunDetail extends RunSummary {
  attempts: AttemptDetail[];
}

/** Filters of `listRuns`; all optional and combined with AND. `from` inclusive, `to` exclusive, on `scheduledAt`. */
export interface RunFilter {
  journey?: string;
  tenant?: string;
  /** Schedule id. */
  schedule?: string;
  location?: string;
  status?: RunStatus;
  trigger?: RunTrigger;
  from?: Date;
  to?: Date;
  /** Page size, default 50, at most 500. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

export interface RunPage {
  /** Newest first (scheduledAt, then id, descending). */
  runs: RunSummary[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Latest run of one (journey, tenant), for metrics at start-up. */
export interface LastRun {
  journey: string;
  tenant: string;
  id: number;
  scheduleId: string;
  location: string;
  trigger: RunTrigger;
  status: RunStatus;
  scheduledAt: string;
  startedAt: string;
  durationMs: number;
}
