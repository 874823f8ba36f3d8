import type { FailureKind, RunStatus, RunTrigger, StepResult } from '../core/run-types.js';
import type { AttemptDetail, EvidenceMeta, RunSummary, StepDetail } from './run-views.js';

/**
 * Row ↔ view mapping shared by the run repositories. Both adapters return Date for timestamptz but differ on int8
 * (string on pg, number/bigint on PGlite), so every number goes through `Number()`.
 */

export const RUN_COLUMNS = `id, schedule_id, journey, target, tenant, location, trigger, scheduled_at, revision_id,
  status, kind, reason, started_at, duration_ms, late, flags, measures, attempts_count, received_at`;

export interface RunRow {
  id: unknown;
  schedule_id: string;
  journey: string;
  target: string;
  tenant: string;
  location: string;
  trigger: RunTrigger;
  scheduled_at: Date | string;
  revision_id: unknown;
  status: RunStatus;
  kind: FailureKind | null;
  reason: string | null;
  started_at: Date | string;
  duration_ms: unknown;
  late: boolean;
  flags: string[];
  measures: Record<string, number>;
  attempts_count: unknown;
  received_at: Date | string;
}

export function toIso(value: Date | string): string {
  return new Date(value).toISOString();
}

export function toNumberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

export function toRunSummary(row: RunRow): RunSummary {
  return {
    id: Number(row.id),
    scheduleId: row.schedule_id,
    journey: row.journey,
    target: row.target,
    tenant: row.tenant,
    location: row.location,
    trigger: row.trigger,
    scheduledAt: toIso(row.scheduled_at),
    revisionId: toNumberOrNull(row.revision_id),
    status: row.status,
    kind: row.kind,
    reason: row.reason,
    startedAt: toIso(row.started_at),
    durationMs: Number(row.duration_ms),
    late: row.late,
    flags: row.flags,
    measures: row.measures,
    attemptsCount: Number(row.attempts_count),
    receivedAt: toIso(row.received_at),
  };
}

export interface AttemptRow {
  attempt: unknown;
  location: string;
  status: RunStatus;
  kind: FailureKind | null;
  reason: string | null;
  started_at: Date | string;
  duration_ms: unknown;
  flags: string[];
  measures: Record<string, number>;
}

export interface StepRow {
  attempt: unknown;
  idx: unknown;
  name: string;
  status: StepResult['status'];
  soft: boolean;
  started_at: Date | string;
  duration_ms: unknown;
  threshold_ms: unknown;
  error_message: string | null;
  error_kind: FailureKind | null;
  http_status: unknown;
}

export interface EvidenceRow {
  attempt: unknown;
  step: string | null;
  url: string | null;
  cookies: EvidenceMeta['cookies'];
  failures: EvidenceMeta['failures'];
  screenshot_bytes: unknown;
  created_at: Date | string;
}

export function toStepDetail(row: StepRow): StepDetail {
  return {
    index: Number(row.idx),
    name: row.name,
    status: row.status,
    soft: row.soft,
    startedAt: toIso(row.started_at),
    durationMs: Number(row.duration_ms),
    thresholdMs: toNumberOrNull(row.threshold_ms),
    error:
      row.error_message === null
        ? null
        : { message: row.error_message, kind: row.error_kind as FailureKind, httpStatus: toNumberOrNull(row.http_status) },
  };
}

export function toEvidenceMeta(row: EvidenceRow): EvidenceMeta {
  return {
    step: row.step,
    url: row.url,
    cookies: row.cookies,
    failures: row.failures,
    screenshotBytes: toNumberOrNull(row.screenshot_bytes),
    createdAt: toIso(row.created_at),
  };
}

export function toAttemptDetail(row: AttemptRow, steps: StepDetail[], evidence: EvidenceMeta | null): AttemptDetail {
  return {
    attempt: Number(row.attempt),
    location: row.location,
    status: row.status,
    kind: row.kind,
    reason: row.reason,
    startedAt: toIso(row.started_at),
    durationMs: Number(row.duration_ms),
    flags: row.flags,
    measures: row.measures,
    steps,
    evidence,
  };
}
