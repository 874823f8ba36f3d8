import { VigieError } from '../core/errors.js';
import type { Db } from './db.js';
import { toIso } from './run-rows.js';

/** One entry of the audit trail: who did what, when, on what. */
export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  /** `correction.add`, `correction.withdraw`, `incident.add`, `calendar.import`, `runs.import`,
   * `schedule.pause`, `schedule.resume`. */
  action: string;
  /** What it was done to (`correction:12`, `calendar:B`, a file name). */
  subject: string | null;
  details: Record<string, unknown>;
}

interface AuditRow {
  id: unknown;
  at: Date;
  actor: string;
  action: string;
  subject: string | null;
  details: Record<string, unknown>;
}

/** Appends an entry. Called inside the transaction of the action it records, so both land or neither. */
export async function appendAudit(db: Db, entry: { at: Date; actor: string; action: string; subject?: string | null; details?: Record<string, unknown> }): Promise<void> {
  if (!entry.actor.trim()) throw new VigieError('VALIDATION', 'audit: acteur requis / actor is required');
  await db.query('INSERT INTO audit_log (at, actor, action, subject, details) VALUES ($1, $2, $3, $4, $5::jsonb)', [
    entry.at,
    entry.actor,
    entry.action,
    entry.subject ?? null,
    JSON.stringify(entry.details ?? {}),
  ]);
}

/** Filters of {@link listAudit}; instants bound `at` to `[from, to)`. */
export interface AuditFilter {
  from?: Date;
  to?: Date;
  actor?: string;
  /** Exact action, or a prefix ending in `.` (`correction.`). */
  action?: string;
  /** 1–1000, default 200. */
  limit?: number;
}

/** Audit entries, newest first. @throws VigieError `VALIDATION` on a bad limit. */
export async function listAudit(db: Db, filter: AuditFilter = {}): Promise<AuditEntry[]> {
  const limit = filter.limit ?? 200;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new VigieError('VALIDATION', 'audit: limit doit être un entier de 1 à 1000 / limit must be an integer in 1..1000');
  const action = filter.action ?? null;
  const { rows } = await db.query<AuditRow>(
    `SELECT id, at, actor, action, subject, details FROM audit_log
      WHERE ($1::timestamptz IS NULL OR at >= $1) AND ($2::timestamptz IS NULL OR at < $2)
        AND ($3::text IS NULL OR actor = $3)
        AND ($4::text IS NULL OR action = $4 OR (right($4, 1) = '.' AND starts_with(action, $4)))
      ORDER BY at DESC, id DESC LIMIT $5`,
    [filter.from ?? null, filter.to ?? null, filter.actor ?? null, action, limit],
  );
  return rows.map((r) => ({ id: Number(r.id), at: toIso(r.at), actor: r.actor, action: r.action, subject: r.subject, details: r.details ?? {} }));
}
