import { VigieError } from '../core/errors.js';
import { appendAudit } from './audit.js';
import { oneRow, type Db } from './db.js';
import { toIso } from './run-rows.js';

/** What a correction or a manual incident applies to; absent or empty lists match everything. */
export interface SlaScope {
  clauses?: string[];
  targets?: string[];
  tenants?: string[];
  journeys?: string[];
}

/**
 * A period excluded after the fact (DESIGN.md §5 "Corrections and observations"). Never deleted: a withdrawal is a
 * separate record and the correction stops applying from `withdrawnAt`. Shaped so that core/sla's `Correction`
 * accepts it as is (`id` as a string there).
 */
export interface StoredCorrection {
  id: number;
  start: string;
  end: string;
  scope: SlaScope;
  reason: string;
  author: string;
  createdAt: string;
  withdrawnAt: string | null;
  withdrawnBy: string | null;
  withdrawalReason: string | null;
}

/** An incident declared by hand: shown in chronologies, never in measured figures. */
export interface ManualIncident {
  id: number;
  start: string;
  /** Null while it is still going on. */
  end: string | null;
  scope: SlaScope;
  description: string;
  author: string;
  createdAt: string;
}

function checkPeriod(what: string, start: Date, end: Date | null, author: string, text: string, textName: 'reason' | 'description'): void {
  if (Number.isNaN(start.getTime())) throw new VigieError('VALIDATION', `${what}: from : date invalide / from is not a valid date`);
  if (end && Number.isNaN(end.getTime())) throw new VigieError('VALIDATION', `${what}: to : date invalide / to is not a valid date`);
  if (end && end.getTime() <= start.getTime()) throw new VigieError('VALIDATION', `${what}: to doit être après from / to must be after from`);
  if (!author.trim()) throw new VigieError('VALIDATION', `${what}: auteur requis / author is required`);
  if (!text.trim()) throw new VigieError('VALIDATION', `${what}: ${textName === 'reason' ? 'motif requis' : 'description requise'} / ${textName} is required`);
}

const CORRECTION_SELECT = `SELECT c.id, c.starts_at, c.ends_at, c.scope, c.reason, c.author, c.created_at,
    w.withdrawn_at, w.author AS withdrawn_by, w.reason AS withdrawal_reason
  FROM sla_corrections c LEFT JOIN sla_correction_withdrawals w ON w.correction_id = c.id`;

interface CorrectionRow {
  id: unknown;
  starts_at: Date;
  ends_at: Date;
  scope: SlaScope;
  reason: string;
  author: string;
  created_at: Date;
  withdrawn_at: Date | null;
  withdrawn_by: string | null;
  withdrawal_reason: string | null;
}

const toCorrection = (r: CorrectionRow): StoredCorrection => ({
  id: Number(r.id),
  start: toIso(r.starts_at),
  end: toIso(r.ends_at),
  scope: r.scope ?? {},
  reason: r.reason,
  author: r.author,
  createdAt: toIso(r.created_at),
  withdrawnAt: r.withdrawn_at ? toIso(r.withdrawn_at) : null,
  withdrawnBy: r.withdrawn_by,
  withdrawalReason: r.withdrawal_reason,
});

/** Records a correction and its audit entry in one transaction. @throws VigieError `VALIDATION`. */
export async function addCorrection(
  db: Db,
  input: { start: Date; end: Date; scope?: SlaScope; reason: string; author: string; at: Date },
): Promise<StoredCorrection> {
  checkPeriod('correction', input.start, input.end, input.author, input.reason, 'reason');
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: unknown }>(
      'INSERT INTO sla_corrections (starts_at, ends_at, scope, reason, author, created_at) VALUES ($1, $2, $3::jsonb, $4, $5, $6) RETURNING id',
      [input.start, input.end, JSON.stringify(input.scope ?? {}), input.reason, input.author, input.at],
    );
    const id = Number(oneRow(rows, 'correction insert').id);
    await appendAudit(tx, { at: input.at, actor: input.author, action: 'correction.add', subject: `correction:${id}`, details: { start: input.start.toISOString(), end: input.end.toISOString(), scope: input.scope ?? {}, reason: input.reason } });
    return (await getCorrection(tx, id))!;
  });
}

/** A correction by id, or null. */
export async function getCorrection(db: Db, id: number): Promise<StoredCorrection | null> {
  const { rows } = await db.query<CorrectionRow>(`${CORRECTION_SELECT} WHERE c.id = $1`, [id]);
  return rows[0] ? toCorrection(rows[0]) : null;
}

/**
 * Withdraws a correction: a withdrawal record, nothing deleted. @throws VigieError `NOT_FOUND` (no such correction),
 * `CONFLICT` (already withdrawn), `VALIDATION` (empty author).
 */
export async function withdrawCorrection(db: Db, id: number, input: { author: string; reason?: string; at: Date }): Promise<StoredCorrection> {
  if (!input.author.trim()) throw new VigieError('VALIDATION', 'withdrawal: auteur requis / author is required');
  return db.transaction(async (tx) => {
    const current = await getCorrection(tx, id);
    if (!current) throw new VigieError('NOT_FOUND', `aucune correction ${id} / no correction ${id}`);
    if (current.withdrawnAt) throw new VigieError('CONFLICT', `la correction ${id} a déjà été retirée le ${current.withdrawnAt} / correction ${id} was already withdrawn at ${current.withdrawnAt}`);
    await tx.query('INSERT INTO sla_correction_withdrawals (correction_id, withdrawn_at, author, reason) VALUES ($1, $2, $3, $4)', [id, input.at, input.author, input.reason ?? null]);
    await appendAudit(tx, { at: input.at, actor: input.author, action: 'correction.withdraw', subject: `correction:${id}`, details: { reason: input.reason ?? null } });
    return (await getCorrection(tx, id))!;
  });
}

/** Corrections whose period overlaps `[from, to)` (all when omitted), withdrawn ones included, oldest first. */
export async function listCorrections(db: Db, filter: { from?: Date; to?: Date } = {}): Promise<StoredCorrection[]> {
  const { rows } = await db.query<CorrectionRow>(
    `${CORRECTION_SELECT} WHERE ($1::timestamptz IS NULL OR c.ends_at > $1) AND ($2::timestamptz IS NULL OR c.starts_at < $2)
     ORDER BY c.starts_at, c.id`,
    [filter.from ?? null, filter.to ?? null],
  );
  return rows.map(toCorrection);
}

interface IncidentRow {
  id: unknown;
  starts_at: Date;
  ends_at: Date | null;
  scope: SlaScope;
  description: string;
  author: string;
  created_at: Date;
}

const toIncident = (r: IncidentRow): ManualIncident => ({
  id: Number(r.id),
  start: toIso(r.starts_at),
  end: r.ends_at ? toIso(r.ends_at) : null,
  scope: r.scope ?? {},
  description: r.description,
  author: r.author,
  createdAt: toIso(r.created_at),
});

/** Records a manual incident and its audit entry. @throws VigieError `VALIDATION`. */
export async function addIncident(
  db: Db,
  input: { start: Date; end?: Date | null; scope?: SlaScope; description: string; author: string; at: Date },
): Promise<ManualIncident> {
  checkPeriod('incident', input.start, input.end ?? null, input.author, input.description, 'description');
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<IncidentRow>(
      `INSERT INTO manual_incidents (starts_at, ends_at, scope, description, author, created_at)
       VALUES ($1, $2, $3::jsonb, $4, $5, $6) RETURNING *`,
      [input.start, input.end ?? null, JSON.stringify(input.scope ?? {}), input.description, input.author, input.at],
    );
    const incident = toIncident(oneRow(rows, 'incident insert'));
    await appendAudit(tx, { at: input.at, actor: input.author, action: 'incident.add', subject: `incident:${incident.id}`, details: { start: incident.start, end: incident.end, scope: incident.scope, description: incident.description } });
    return incident;
  });
}

/** Manual incidents overlapping `[from, to)` (an open one overlaps everything after its start), oldest first. */
export async function listIncidents(db: Db, filter: { from?: Date; to?: Date } = {}): Promise<ManualIncident[]> {
  const { rows } = await db.query<IncidentRow>(
    `SELECT * FROM manual_incidents
      WHERE ($1::timestamptz IS NULL OR ends_at IS NULL OR ends_at > $1) AND ($2::timestamptz IS NULL OR starts_at < $2)
      ORDER BY starts_at, id`,
    [filter.from ?? null, filter.to ?? null],
  );
  return rows.map(toIncident);
}
