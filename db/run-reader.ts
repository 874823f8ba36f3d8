import { VigieError } from '../core/errors.js';
import type { Db } from './db.js';
import {
  RUN_COLUMNS,
  toAttemptDetail,
  toEvidenceMeta,
  toIso,
  toRunSummary,
  toStepDetail,
  type AttemptRow,
  type EvidenceRow,
  type RunRow,
  type StepRow,
} from './run-rows.js';
import type { LastRun, RunDetail, RunFilter, RunPage, StepDetail } from './run-views.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/**
 * Lists runs newest first with keyset pagination on (scheduled_at, id): a page is stable while new runs arrive (they
 * sort before the cursor), unlike OFFSET.
 *
 * @throws VigieError `VALIDATION` for a limit that is not an integer in 1–500 or a cursor this store did not make.
 */
export async function listRuns(db: Db, filter: RunFilter = {}): Promise<RunPage> {
  const limit = filter.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new VigieError('VALIDATION', `limit: entier entre 1 et ${MAX_PAGE_SIZE} attendu / limit must be an integer between 1 and ${MAX_PAGE_SIZE}`, {
      issues: [{ path: 'limit', message: `entier entre 1 et ${MAX_PAGE_SIZE} attendu / expected an integer between 1 and ${MAX_PAGE_SIZE}` }],
    });
  }
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.journey !== undefined) add('journey = ?', filter.journey);
  if (filter.tenant !== undefined) add('tenant = ?', filter.tenant);
  if (filter.schedule !== undefined) add('schedule_id = ?', filter.schedule);
  if (filter.location !== undefined) add('location = ?', filter.location);
  if (filter.status !== undefined) add('status = ?', filter.status);
  if (filter.trigger !== undefined) add('trigger = ?', filter.trigger);
  if (filter.from !== undefined) add('scheduled_at >= ?', checkDate('from', filter.from));
  if (filter.to !== undefined) add('scheduled_at < ?', checkDate('to', filter.to));
  if (filter.cursor !== undefined) {
    const { scheduledAt, id } = decodeCursor(filter.cursor);
    params.push(scheduledAt, id);
    where.push(`(scheduled_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`);
  }
  params.push(limit + 1); // one extra row tells whether there is a next page
  const { rows } = await db.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM runs
     ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY scheduled_at DESC, id DESC
     LIMIT $${params.length}`,
    params,
  );
  const runs = rows.slice(0, limit).map(toRunSummary);
  const last = runs[runs.length - 1];
  return { runs, nextCursor: rows.length > limit && last ? encodeCursor(last.scheduledAt, last.id) : null };
}

/** A run with its attempts, steps and evidence metadata; null when there is no run `id`. */
export async function getRun(db: Db, id: number): Promise<RunDetail | null> {
  const { rows } = await db.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = $1`, [id]);
  const first = rows[0];
  if (!first) return null;
  const run = toRunSummary(first);
  // Children are read with their scheduled_at too, so a hypertable only looks in the run's chunk.
  const key = [id, first.scheduled_at];
  const [attempts, steps, evidence] = await Promise.all([
    db.query<AttemptRow>(
      `SELECT attempt, location, status, kind, reason, started_at, duration_ms, flags, measures
       FROM attempts WHERE run_id = $1 AND scheduled_at = $2 ORDER BY attempt`,
      key,
    ),
    db.query<StepRow>(
      `SELECT attempt, idx, name, status, soft, started_at, duration_ms, threshold_ms, error_message, error_kind,
         http_status
       FROM steps WHERE run_id = $1 AND scheduled_at = $2 ORDER BY attempt, idx`,
      key,
    ),
    db.query<EvidenceRow>(
      `SELECT attempt, step, url, cookies, failures, octet_length(screenshot) AS screenshot_bytes, created_at
       FROM failures WHERE run_id = $1 AND scheduled_at = $2`,
      key,
    ),
  ]);
  const stepsOf = new Map<number, StepDetail[]>();
  for (const row of steps.rows) {
    const list = stepsOf.get(Number(row.attempt)) ?? [];
    list.push(toStepDetail(row));
    stepsOf.set(Number(row.attempt), list);
  }
  const evidenceOf = new Map(evidence.rows.map((row) => [Number(row.attempt), toEvidenceMeta(row)]));
  return {
    ...run,
    attempts: attempts.rows.map((row) =>
      toAttemptDetail(row, stepsOf.get(Number(row.attempt)) ?? [], evidenceOf.get(Number(row.attempt)) ?? null),
    ),
  };
}

/** The PNG of an attempt's evidence; null when the run, the attempt or its screenshot does not exist. */
export async function getScreenshot(db: Db, runId: number, attempt: number): Promise<Uint8Array | null> {
  const { rows } = await db.query<{ screenshot: Uint8Array | null }>(
    'SELECT screenshot FROM failures WHERE run_id = $1 AND attempt = $2 AND screenshot IS NOT NULL',
    [runId, attempt],
  );
  const png = rows[0]?.screenshot;
  // pg returns a Buffer: hand out a plain Uint8Array on both adapters.
  return png ? new Uint8Array(png) : null;
}

/** True when a scheduled result exists for the slot (the scheduler's "run the current slot on start" check). */
export async function hasRun(db: Db, scheduleId: string, location: string, scheduledAt: Date): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM runs WHERE schedule_id = $1 AND location = $2 AND scheduled_at = $3 AND trigger = 'scheduled'`,
    [scheduleId, location, checkDate('scheduledAt', scheduledAt)],
  );
  return rows.length > 0;
}

/** The latest run (by slot start, any trigger or location) of each (journey, tenant), ordered by journey, tenant. */
export async function lastRunPerJourneyTenant(db: Db): Promise<LastRun[]> {
  const { rows } = await db.query<RunRow>(
    `SELECT DISTINCT ON (journey, tenant) ${RUN_COLUMNS} FROM runs
     ORDER BY journey, tenant, scheduled_at DESC, id DESC`,
  );
  return rows.map((row) => ({
    journey: row.journey,
    tenant: row.tenant,
    id: Number(row.id),
    scheduleId: row.schedule_id,
    location: row.location,
    trigger: row.trigger,
    status: row.status,
    scheduledAt: toIso(row.scheduled_at),
    startedAt: toIso(row.started_at),
    durationMs: Number(row.duration_ms),
  }));
}

// The cursor is opaque to clients: base64url of "<scheduledAt ISO>|<id>".
export function encodeCursor(scheduledAt: string, id: number): string {
  return Buffer.from(`${scheduledAt}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { scheduledAt: string; id: number } {
  const [scheduledAt, idText, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const id = Number(idText);
  if (extra !== undefined || !scheduledAt || Number.isNaN(Date.parse(scheduledAt)) || !Number.isSafeInteger(id)) {
    throw new VigieError('VALIDATION', "cursor: ce curseur ne vient pas de cette API / cursor is not one returned by this API", {
      issues: [{ path: 'cursor', message: "nextCursor d'une page précédente attendu / expected the nextCursor of a previous page" }],
    });
  }
  return { scheduledAt, id };
}

function checkDate(path: string, value: Date): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new VigieError('VALIDATION', `${path}: date invalide / ${path} is not a valid date`, { issues: [{ path, message: 'date invalide / invalid date' }] });
  }
  return value;
}
