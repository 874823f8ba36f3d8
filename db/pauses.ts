import { VigieError } from '../core/errors.js';
import { appendAudit } from './audit.js';
import { oneRow, sqlStateOf, type Db } from './db.js';
import { toIso } from './run-rows.js';

/**
 * Operator pauses of schedules (DESIGN.md §5: paused time shows as `paused`, unknown for availability, counted in the
 * coverage denominator). Nothing is deleted: a resume closes the open pause row.
 */
export interface SchedulePause {
  id: number;
  scheduleId: string;
  pausedAt: string;
  resumedAt: string | null;
  author: string;
  resumedBy: string | null;
  reason: string | null;
}

interface PauseRow {
  id: unknown;
  schedule_id: string;
  paused_at: Date;
  resumed_at: Date | null;
  author: string;
  resumed_by: string | null;
  reason: string | null;
}

const toPause = (r: PauseRow): SchedulePause => ({
  id: Number(r.id),
  scheduleId: r.schedule_id,
  pausedAt: toIso(r.paused_at),
  resumedAt: r.resumed_at ? toIso(r.resumed_at) : null,
  author: r.author,
  resumedBy: r.resumed_by,
  reason: r.reason,
});

/**
 * Opens a pause, with its audit entry (`schedule.pause`) in the same transaction: both land or neither. @throws VigieError `CONFLICT` when the schedule is already paused, `VALIDATION` on a bad date or an
 * empty author.
 */
export async function pauseSchedule(db: Db, scheduleId: string, at: Date, author: string, reason?: string): Promise<SchedulePause> {
  if (Number.isNaN(at.getTime())) throw new VigieError('VALIDATION', 'pause: date invalide / invalid date');
  if (!author.trim()) throw new VigieError('VALIDATION', 'pause: auteur requis / author is required');
  try {
    return await db.transaction(async (tx) => {
      const { rows } = await tx.query<PauseRow>(
        'INSERT INTO schedule_pauses (schedule_id, paused_at, author, reason) VALUES ($1, $2, $3, $4) RETURNING *',
        [scheduleId, at, author, reason ?? null],
      );
      const pause = toPause(oneRow(rows, 'pause insert'));
      await appendAudit(tx, { at, actor: author, action: 'schedule.pause', subject: `schedule:${scheduleId}`, details: { pauseId: pause.id, reason: reason ?? null } });
      return pause;
    });
  } catch (err) {
    if (sqlStateOf(err) === '23505') throw new VigieError('CONFLICT', `la planification ${scheduleId} est déjà en pause / schedule ${scheduleId} is already paused`, { cause: err });
    throw err;
  }
}

/**
 * Closes the open pause, with its audit entry (`schedule.resume`) in the same transaction. @throws VigieError `CONFLICT` when the schedule is not paused or `at` is before the pause. */
export async function resumeSchedule(db: Db, scheduleId: string, at: Date, author: string): Promise<SchedulePause> {
  if (Number.isNaN(at.getTime())) throw new VigieError('VALIDATION', 'resume: date invalide / invalid date');
  if (!author.trim()) throw new VigieError('VALIDATION', 'resume: auteur requis / author is required');
  return db.transaction(async (tx) => {
    const open = await tx.query<PauseRow>('SELECT * FROM schedule_pauses WHERE schedule_id = $1 AND resumed_at IS NULL FOR UPDATE', [scheduleId]);
    const current = open.rows[0];
    if (!current) throw new VigieError('CONFLICT', `la planification ${scheduleId} n’est pas en pause (rien à reprendre) / schedule ${scheduleId} is not paused`);
    if (at.getTime() < current.paused_at.getTime()) throw new VigieError('CONFLICT', `l'heure de reprise est avant la pause (${toIso(current.paused_at)}) / resume time is before the pause (${toIso(current.paused_at)})`);
    const { rows } = await tx.query<PauseRow>(
      'UPDATE schedule_pauses SET resumed_at = $2, resumed_by = $3 WHERE id = $1 RETURNING *',
      [current.id, at, author],
    );
    const pause = toPause(oneRow(rows, 'pause update'));
    await appendAudit(tx, { at, actor: author, action: 'schedule.resume', subject: `schedule:${scheduleId}`, details: { pauseId: pause.id, pausedAt: pause.pausedAt } });
    return pause;
  });
}

/**
 * Pauses overlapping `[from, to)` (all when omitted), oldest first, for one schedule or all. An open pause overlaps
 * everything after its start.
 */
export async function listPauses(db: Db, filter: { scheduleId?: string; from?: Date; to?: Date } = {}): Promise<SchedulePause[]> {
  const { rows } = await db.query<PauseRow>(
    `SELECT * FROM schedule_pauses
      WHERE ($1::text IS NULL OR schedule_id = $1)
        AND ($2::timestamptz IS NULL OR resumed_at IS NULL OR resumed_at > $2)
        AND ($3::timestamptz IS NULL OR paused_at < $3)
      ORDER BY paused_at, id`,
    [filter.scheduleId ?? null, filter.from ?? null, filter.to ?? null],
  );
  return rows.map(toPause);
}

/** Pauses not resumed yet, oldest first (one per schedule at most: a unique index keeps a second one out). */
export async function listOpenPauses(db: Db): Promise<SchedulePause[]> {
  const { rows } = await db.query<PauseRow>('SELECT * FROM schedule_pauses WHERE resumed_at IS NULL ORDER BY paused_at, id');
  return rows.map(toPause);
}
