import { parseRunResult } from '../core/run-schema.js';
import type { AttemptResult, RunResult } from '../core/run-types.js';
import { oneRow, type Db } from './db.js';

/** Outcome of {@link insertRun}. */
export interface InsertRunOutcome {
  /** False when the slot already had a scheduled result: nothing of this run was written. */
  inserted: boolean;
  /** The new run's id, null when rejected. */
  id: number | null;
}

/**
 * Writes a run with its attempts, steps and evidence in one transaction. A scheduled run whose (schedule, location,
 * scheduledAt) already has a result is rejected by the `runs_slot_key` unique index (DESIGN.md §5, F16): nothing of
 * it is written except one `ingest_rejections` row, and `{ inserted: false }` comes back so the caller can count it.
 * Concurrent writers of one slot are serialized by the index: exactly one wins.
 *
 * Durations are rounded to whole milliseconds. The run's `flags` are the union of its attempts' flags and its
 * `measures` the attempts' measures merged (a later attempt wins).
 *
 * @throws VigieError `VALIDATION` for a run the run schema refuses (core/run-schema.ts: an instant without offset, a
 *   negative duration, an unknown kind, an over-long text), naming each field; database errors as is (the transaction
 *   is rolled back, nothing is written).
 */
export async function insertRun(db: Db, input: RunResult): Promise<InsertRunOutcome> {
  // The one run schema (core/run-schema.ts): instants normalized to UTC, bounds, kinds; every bad field named.
  const run = parseRunResult(input);
  const flags = [...new Set(run.attempts.flatMap((a) => a.flags))];
  const measures = Object.assign({}, ...run.attempts.map((a) => a.measures)) as Record<string, number>;

  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: unknown }>(
      `INSERT INTO runs (schedule_id, journey, target, tenant, location, trigger, scheduled_at, revision_id, status,
         kind, reason, started_at, duration_ms, late, flags, measures, attempts_count)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::jsonb, $16::jsonb, $17)
       ON CONFLICT (schedule_id, location, scheduled_at) WHERE trigger = 'scheduled' DO NOTHING
       RETURNING id`,
      [
        run.scheduleId,
        run.journey,
        run.target,
        run.tenant,
        run.location,
        run.trigger,
        run.scheduledAt,
        run.revisionId,
        run.status,
        run.kind ?? null,
        run.reason ?? null,
        run.startedAt,
        Math.round(run.durationMs),
        run.late,
        JSON.stringify(flags),
        JSON.stringify(measures),
        run.attempts.length,
      ],
    );
    if (rows.length === 0) {
      await tx.query(
        `INSERT INTO ingest_rejections (reason, schedule_id, location, scheduled_at, journey, tenant, status)
         VALUES ('duplicate', $1, $2, $3, $4, $5, $6)`,
        [run.scheduleId, run.location, run.scheduledAt, run.journey, run.tenant, run.status],
      );
      return { inserted: false, id: null };
    }
    const id = Number(oneRow(rows, 'run insert').id);
    if (run.attempts.length > 0) {
      await insertAttempts(tx, id, run);
      await insertSteps(tx, id, run);
    }
    for (const attempt of run.attempts) {
      if (attempt.evidence) await insertEvidence(tx, id, run, attempt);
    }
    return { inserted: true, id };
  });
}

// Attempts and steps go in one statement each through jsonb_to_recordset: one round trip to the PGlite worker
// however many steps a journey has, and the same SQL on PostgreSQL 15 and PGlite.
async function insertAttempts(tx: Db, runId: number, run: RunResult): Promise<void> {
  const records = run.attempts.map((a) => ({
    attempt: a.attempt,
    location: a.location,
    status: a.status,
    kind: a.kind ?? null,
    reason: a.reason ?? null,
    started_at: a.startedAt,
    duration_ms: Math.round(a.durationMs),
    flags: a.flags,
    measures: a.measures,
  }));
  await tx.query(
    `INSERT INTO attempts (run_id, scheduled_at, attempt, location, status, kind, reason, started_at, duration_ms,
       flags, measures)
     SELECT $1::bigint, $2::timestamptz, r.attempt, r.location, r.status, r.kind, r.reason, r.started_at,
       r.duration_ms, COALESCE(r.flags, '[]'), COALESCE(r.measures, '{}')
     FROM jsonb_to_recordset($3::jsonb) AS r(attempt smallint, location text, status text, kind text, reason text,
       started_at timestamptz, duration_ms integer, flags jsonb, measures jsonb)`,
    [runId, run.scheduledAt, JSON.stringify(records)],
  );
}

async function insertSteps(tx: Db, runId: number, run: RunResult): Promise<void> {
  const records = run.attempts.flatMap((a) =>
    a.steps.map((s) => ({
      attempt: a.attempt,
      idx: s.index,
      name: s.name,
      status: s.status,
      soft: s.soft,
      started_at: s.startedAt,
      duration_ms: Math.round(s.durationMs),
      threshold_ms: s.thresholdMs === undefined ? null : Math.round(s.thresholdMs),
      error_message: s.error?.message ?? null,
      error_kind: s.error?.kind ?? null,
      http_status: s.error?.httpStatus ?? null,
    })),
  );
  if (records.length === 0) return;
  await tx.query(
    `INSERT INTO steps (run_id, scheduled_at, attempt, idx, name, status, soft, started_at, duration_ms,
       threshold_ms, error_message, error_kind, http_status)
     SELECT $1::bigint, $2::timestamptz, r.attempt, r.idx, r.name, r.status, r.soft, r.started_at, r.duration_ms,
       r.threshold_ms, r.error_message, r.error_kind, r.http_status
     FROM jsonb_to_recordset($3::jsonb) AS r(attempt smallint, idx smallint, name text, status text, soft boolean,
       started_at timestamptz, duration_ms integer, threshold_ms integer, error_message text, error_kind text,
       http_status smallint)`,
    [runId, run.scheduledAt, JSON.stringify(records)],
  );
}

async function insertEvidence(tx: Db, runId: number, run: RunResult, attempt: AttemptResult): Promise<void> {
  const ev = attempt.evidence!;
  await tx.query(
    `INSERT INTO failures (run_id, scheduled_at, attempt, schedule_id, journey, target, tenant, location, status,
       kind, reason, step, url, cookies, failures, screenshot)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $15::jsonb, $16)`,
    [
      runId,
      run.scheduledAt,
      attempt.attempt,
      run.scheduleId,
      run.journey,
      run.target,
      run.tenant,
      attempt.location,
      attempt.status,
      attempt.kind ?? null,
      attempt.reason ?? null,
      ev.step ?? null,
      ev.url ?? null,
      JSON.stringify(ev.cookies ?? []),
      JSON.stringify(ev.failures ?? []),
      ev.screenshotPng ?? null,
    ],
  );
}
