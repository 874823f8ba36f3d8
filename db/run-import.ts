import type { RunResult } from '../core/run-types.js';
import type { Db } from './db.js';
import { parseRunResult } from '../core/run-schema.js';

/** Outcome of {@link insertRunsBatch}. */
export interface BatchInsertOutcome {
  inserted: number;
  /** Scheduled runs whose (schedule, location, slot) already had a result, in the store or earlier in the batch. */
  duplicates: number;
}

const slotKey = (r: { scheduleId: string; location: string; scheduledAt: string }) => `${r.scheduleId}\u0000${r.location}\u0000${Date.parse(r.scheduledAt)}`;

/**
 * Writes many runs (historical import) in one transaction and few statements: runs through one
 * `INSERT … SELECT FROM jsonb_to_recordset … ON CONFLICT DO NOTHING RETURNING`, then the attempts and steps of the runs
 * that were inserted. Same rules as `insertRun` (one scheduled result per slot and location, F16; nothing of a
 * duplicate is written) except that duplicates are counted, not logged one by one in `ingest_rejections` (re-importing
 * a month would add 700 000 rows there; the import's audit entry carries the count). Evidence is not imported.
 * Keep batches to a few thousand runs (one jsonb parameter per statement).
 *
 * @throws VigieError `VALIDATION` naming `runs[i].<field>` for a run the run schema refuses (nothing written).
 */
export async function insertRunsBatch(db: Db, input: readonly RunResult[]): Promise<BatchInsertOutcome> {
  // Every run through the one run schema first (core/run-schema.ts): a bad one refuses the batch, nothing written.
  const runs = input.map((run, i) => parseRunResult(run, `runs[${i}]`));
  // The first run of a slot in the batch wins, so attempts always belong to the run row they were written with.
  const seen = new Set<string>();
  const batch: RunResult[] = [];
  for (const run of runs) {
    if (run.trigger === 'scheduled') {
      const key = slotKey(run);
      if (seen.has(key)) continue;
      seen.add(key);
    }
    batch.push(run);
  }
  if (batch.length === 0) return { inserted: 0, duplicates: runs.length };
  return db.transaction(async (tx) => {
    const records = batch.map((run, i) => ({
      i,
      schedule_id: run.scheduleId,
      journey: run.journey,
      target: run.target,
      tenant: run.tenant,
      location: run.location,
      trigger: run.trigger,
      scheduled_at: run.scheduledAt,
      revision_id: run.revisionId,
      status: run.status,
      kind: run.kind ?? null,
      reason: run.reason ?? null,
      started_at: run.startedAt,
      duration_ms: Math.round(run.durationMs),
      late: run.late,
      flags: [...new Set(run.attempts.flatMap((a) => a.flags))],
      measures: Object.assign({}, ...run.attempts.map((a) => a.measures)) as Record<string, number>,
      attempts_count: run.attempts.length,
    }));
    const { rows } = await tx.query<{ id: unknown; schedule_id: string; location: string; scheduled_at: Date; trigger: string }>(
      `INSERT INTO runs (schedule_id, journey, target, tenant, location, trigger, scheduled_at, revision_id, status, kind, reason,
         started_at, duration_ms, late, flags, measures, attempts_count)
       SELECT r.schedule_id, r.journey, r.target, r.tenant, r.location, r.trigger, r.scheduled_at, r.revision_id, r.status,
         r.kind, r.reason, r.started_at, r.duration_ms, r.late, COALESCE(r.flags, '[]'), COALESCE(r.measures, '{}'), r.attempts_count
       FROM jsonb_to_recordset($1::jsonb) AS r(i int, schedule_id text, journey text, target text, tenant text, location text,
         trigger text, scheduled_at timestamptz, revision_id bigint, status text, kind text, reason text, started_at timestamptz,
         duration_ms integer, late boolean, flags jsonb, measures jsonb, attempts_count smallint)
       ORDER BY r.i
       ON CONFLICT (schedule_id, location, scheduled_at) WHERE trigger = 'scheduled' DO NOTHING
       RETURNING id, schedule_id, location, scheduled_at, trigger`,
      [JSON.stringify(records)],
    );
    const ids = new Map<string, number>();
    for (const r of rows) {
      if (r.trigger === 'scheduled') ids.set(slotKey({ scheduleId: r.schedule_id, location: r.location, scheduledAt: new Date(r.scheduled_at).toISOString() }), Number(r.id));
    }
    // Manual runs have no slot key: match them by order (RETURNING follows the SELECT's order for inserted rows).
    const manualIds = rows.filter((r) => r.trigger !== 'scheduled').map((r) => Number(r.id));
    const attempts: Record<string, unknown>[] = [];
    const steps: Record<string, unknown>[] = [];
    let manual = 0;
    for (const run of batch) {
      const id = run.trigger === 'scheduled' ? ids.get(slotKey(run)) : manualIds[manual++];
      if (id === undefined || run.attempts.length === 0) continue;
      for (const a of run.attempts) {
        attempts.push({ run_id: id, scheduled_at: run.scheduledAt, attempt: a.attempt, location: a.location, status: a.status, kind: a.kind ?? null, reason: a.reason ?? null, started_at: a.startedAt, duration_ms: Math.round(a.durationMs), flags: a.flags, measures: a.measures });
        for (const s of a.steps) {
          steps.push({ run_id: id, scheduled_at: run.scheduledAt, attempt: a.attempt, idx: s.index, name: s.name, status: s.status, soft: s.soft, started_at: s.startedAt, duration_ms: Math.round(s.durationMs), threshold_ms: s.thresholdMs === undefined ? null : Math.round(s.thresholdMs), error_message: s.error?.message ?? null, error_kind: s.error?.kind ?? null, http_status: s.error?.httpStatus ?? null });
        }
      }
    }
    if (attempts.length > 0) {
      await tx.query(
        `INSERT INTO attempts (run_id, scheduled_at, attempt, location, status, kind, reason, started_at, duration_ms, flags, measures)
         SELECT r.run_id, r.scheduled_at, r.attempt, r.location, r.status, r.kind, r.reason, r.started_at, r.duration_ms,
           COALESCE(r.flags, '[]'), COALESCE(r.measures, '{}')
         FROM jsonb_to_recordset($1::jsonb) AS r(run_id bigint, scheduled_at timestamptz, attempt smallint, location text, status text,
           kind text, reason text, started_at timestamptz, duration_ms integer, flags jsonb, measures jsonb)`,
        [JSON.stringify(attempts)],
      );
    }
    if (steps.length > 0) {
      await tx.query(
        `INSERT INTO steps (run_id, scheduled_at, attempt, idx, name, status, soft, started_at, duration_ms, threshold_ms,
           error_message, error_kind, http_status)
         SELECT r.run_id, r.scheduled_at, r.attempt, r.idx, r.name, r.status, r.soft, r.started_at, r.duration_ms, r.threshold_ms,
           r.error_message, r.error_kind, r.http_status
         FROM jsonb_to_recordset($1::jsonb) AS r(run_id bigint, scheduled_at timestamptz, attempt smallint, idx smallint, name text,
           status text, soft boolean, started_at timestamptz, duration_ms integer, threshold_ms integer, error_message text,
           error_kind text, http_status smallint)`,
        [JSON.stringify(steps)],
      );
    }
    return { inserted: rows.length, duplicates: runs.length - rows.length };
  });
}
