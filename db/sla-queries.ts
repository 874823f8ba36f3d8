import { FAILURE_KINDS, type FailureKind, type RunStatus } from '../core/run-types.js';
import { VigieError } from '../core/errors.js';
import type { Db } from './db.js';
import { canonicalJson, REVISION_COLUMNS, toRevision, type ConfigRevision, type RevisionRow } from './revisions.js';

/** The part of a scheduled run the SLA engine needs (core/sla `SlotRun`). */
export interface SlaRun {
  scheduleId: string;
  location: string;
  /** Slot start, epoch ms. */
  scheduledAt: number;
  status: RunStatus;
  kind?: FailureKind;
  /** Run duration, ms (latency objectives). */
  durationMs: number;
}

function checkRange(from: Date, to: Date): void {
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new VigieError('VALIDATION', 'period: date invalide / invalid date');
  if (to.getTime() < from.getTime()) throw new VigieError('VALIDATION', 'period: to est avant from / to is before from');
}

/**
 * Scheduled runs (manual runs excluded) of some schedules with `scheduledAt` in `[from, to)`, **in no particular
 * order** (the engine keys them by slot; a sort of a month of runs was a third of the read). Callers pass
 * `from − slot length` so the result of the slot running at the period's start is found (core/sla README). Uses the
 * `runs_slot_key` index (schedule_id, location, scheduled_at). The slot start comes as epoch milliseconds computed by
 * the database (parsing 35 million `timestamptz` texts into Dates was most of the client's time).
 */
export async function listScheduledRuns(db: Db, scheduleIds: readonly string[], from: Date, to: Date): Promise<SlaRun[]> {
  checkRange(from, to);
  if (scheduleIds.length === 0) return [];
  // Four short columns per row (the client's parse is per field): the schedule as its 1-based place in $1, the
  // status and kind as one code (status × 16 + place of the kind in $4, 0 for none), and the location, short.
  const { rows } = await db.query<{ s: number | string; l: string; t: number | string; c: number | string; d: number | string }>(
    `SELECT array_position($1::text[], schedule_id) AS s, location AS l, (extract(epoch FROM scheduled_at) * 1000)::float8 AS t,
            (CASE status WHEN 'up' THEN 0 WHEN 'degraded' THEN 1 WHEN 'down' THEN 2 ELSE 3 END) * 16 + COALESCE(array_position($4::text[], kind), 0) AS c,
            duration_ms AS d
       FROM runs
      WHERE trigger = 'scheduled' AND schedule_id = ANY($1::text[]) AND scheduled_at >= $2 AND scheduled_at < $3`,
    [scheduleIds, from, to, FAILURE_KINDS],
  );
  const out: SlaRun[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!; // i < rows.length
    const code = Number(r.c);
    const scheduleId = scheduleIds[Number(r.s) - 1];
    const status = STATUS_BY_CODE[code >> 4];
    if (scheduleId === undefined || status === undefined) throw new VigieError('INTERNAL', `run of an unknown schedule or status (code ${code})`);
    const run: SlaRun = { scheduleId, location: r.l, scheduledAt: Number(r.t), status, durationMs: Number(r.d) };
    const kind = FAILURE_KINDS[(code & 15) - 1];
    if (kind) run.kind = kind;
    out[i] = run;
  }
  return out;
}

/** Status codes of {@link listScheduledRuns}: the order of its SQL CASE. */
const STATUS_BY_CODE: readonly RunStatus[] = ['up', 'degraded', 'down', 'error'];
// The kind takes the code's low 4 bits (0 = none): a 16th kind would need a wider code.
if (FAILURE_KINDS.length > 15) throw new Error('listScheduledRuns: more than 15 failure kinds do not fit its code');

/** A step of the last attempt of a passing scheduled run (latency objectives per step). */
export interface SlaStep {
  scheduleId: string;
  location: string;
  /** Slot start of its run, epoch ms. */
  scheduledAt: number;
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  durationMs: number;
}

/**
 * Steps named `names` of the last attempt of passing (`up`, `degraded`) scheduled runs of some schedules with
 * `scheduledAt` in `[from, to)`.
 */
export async function listPassingRunSteps(db: Db, scheduleIds: readonly string[], names: readonly string[], from: Date, to: Date): Promise<SlaStep[]> {
  checkRange(from, to);
  if (scheduleIds.length === 0 || names.length === 0) return [];
  const { rows } = await db.query<{ schedule_id: string; location: string; scheduled_at: Date; name: string; status: SlaStep['status']; duration_ms: number }>(
    `SELECT r.schedule_id, r.location, r.scheduled_at, s.name, s.status, s.duration_ms
       FROM runs r JOIN steps s ON s.run_id = r.id AND s.scheduled_at = r.scheduled_at AND s.attempt = r.attempts_count
      WHERE r.trigger = 'scheduled' AND r.schedule_id = ANY($1::text[]) AND r.scheduled_at >= $2 AND r.scheduled_at < $3
        AND r.status IN ('up', 'degraded') AND s.name = ANY($4::text[])
      ORDER BY r.scheduled_at, s.idx`,
    [scheduleIds, from, to, names],
  );
  return rows.map((r) => ({ scheduleId: r.schedule_id, location: r.location, scheduledAt: new Date(r.scheduled_at).getTime(), name: r.name, status: r.status, durationMs: Number(r.duration_ms) }));
}

/**
 * The config revisions in force during `[from, to)`: the last one created at or before `from` (if any) and every one
 * created inside the period, oldest first. A revision is in force from its `createdAt` until the next one's.
 */
export async function listRevisionsInForce(db: Db, from: Date, to: Date): Promise<ConfigRevision[]> {
  checkRange(from, to);
  const { rows } = await db.query<RevisionRow>(
    `(SELECT ${REVISION_COLUMNS} FROM config_revisions WHERE created_at <= $1 ORDER BY created_at DESC, id DESC LIMIT 1)
     UNION ALL
     (SELECT ${REVISION_COLUMNS} FROM config_revisions WHERE created_at > $1 AND created_at < $2)
     ORDER BY created_at, id`,
    [from, to],
  );
  return rows.map(toRevision);
}

/** The latest revision created before `before` (default: any), or null. */
export async function latestRevision(db: Db, before?: Date): Promise<ConfigRevision | null> {
  const { rows } = await db.query<RevisionRow>(
    `SELECT ${REVISION_COLUMNS} FROM config_revisions WHERE ($1::timestamptz IS NULL OR created_at < $1)
      ORDER BY created_at DESC, id DESC LIMIT 1`,
    [before ?? null],
  );
  const r = rows[0];
  return r ? toRevision(r) : null;
}

/**
 * First-seen times from the stored revisions (DESIGN.md §5: a tenant's creation time and a window's announcement
 * time are when a revision first contained them). A revision of `vigie import` dates its tenants and schedules at its
 * `created_at` (the file's first slot) but announces its windows at its `imported_at`: an import never makes a late
 * window early, whatever slot its file starts at. Maps are keyed by tenant UAI, schedule id, and
 * `<contract id>\u0000<window JSON>`: a window whose content changes (moved, lengthened) is a new announcement.
 * Instants are epoch ms.
 */
export interface FirstSeenTimes {
  tenants: Map<string, number>;
  schedules: Map<string, number>;
  windows: Map<string, number>;
}

/** Key of a window in {@link FirstSeenTimes.windows}: the contract id and the window's canonical JSON (keys sorted). */
export function windowKey(contractId: string, window: unknown): string {
  return `${contractId}\u0000${canonicalJson(window)}`;
}

export async function firstSeenTimes(db: Db): Promise<FirstSeenTimes> {
  const tenants = await db.query<{ k: string; t: Date }>(
    `SELECT e->>'uai' AS k, min(r.created_at) AS t FROM config_revisions r, jsonb_array_elements(r.snapshot->'tenants') e GROUP BY 1`,
  );
  const schedules = await db.query<{ k: string; t: Date }>(
    `SELECT e->>'id' AS k, min(r.created_at) AS t FROM config_revisions r, jsonb_array_elements(r.snapshot->'schedules') e GROUP BY 1`,
  );
  // Grouping by the jsonb value is semantic (key order does not matter); the key is rebuilt in JS by canonicalJson.
  const windows = await db.query<{ c: string; w: unknown; t: Date }>(
    `SELECT c->>'id' AS c, w, min(GREATEST(r.created_at, COALESCE(r.imported_at, r.created_at))) AS t
       FROM config_revisions r, jsonb_array_elements(r.snapshot->'contracts') c, jsonb_array_elements(COALESCE(c->'maintenance', '[]'::jsonb)) w
      GROUP BY 1, w`,
  );
  const toMap = (rows: { k: string; t: Date }[]) => new Map(rows.map((r) => [r.k, new Date(r.t).getTime()]));
  return {
    tenants: toMap(tenants.rows),
    schedules: toMap(schedules.rows),
    windows: new Map(windows.rows.map((r) => [windowKey(r.c, r.w), new Date(r.t).getTime()])),
  };
}
