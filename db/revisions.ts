import { createHash } from 'node:crypto';
import { VigieError } from '../core/errors.js';
import { assertInstant } from '../core/instant.js';
import { oneRow, type Db } from './db.js';
import { toIso } from './run-rows.js';

/** A stored config revision (DESIGN.md §5 "Config revisions"). */
export interface ConfigRevision {
  id: number;
  createdAt: string;
  /** SHA-256 hex of the snapshot's canonical JSON (keys sorted). */
  contentSha256: string;
  snapshot: unknown;
  /**
   * Set on a revision stored by `vigie import` (migration 004): when (ISO) and by whom. Its `createdAt` may be the
   * file's first slot, but the maintenance windows it brings count as announced at `imported.at` (DESIGN.md §5).
   */
  imported: { at: string; by: string } | null;
}

/** The columns every revision query selects, for {@link toRevision}. */
export const REVISION_COLUMNS = 'id, created_at, content_sha256, snapshot, imported_at, imported_by';

/** A `config_revisions` row as selected with {@link REVISION_COLUMNS}. */
export interface RevisionRow {
  id: unknown;
  created_at: Date;
  content_sha256: string;
  snapshot: unknown;
  imported_at: Date | null;
  imported_by: string | null;
}

/** Row → {@link ConfigRevision}. */
export function toRevision(r: RevisionRow): ConfigRevision {
  const imported = r.imported_at !== null && r.imported_by !== null ? { at: toIso(r.imported_at), by: r.imported_by } : null;
  return { id: Number(r.id), createdAt: toIso(r.created_at), contentSha256: r.content_sha256, snapshot: r.snapshot, imported };
}

/** Who imported a revision, and when (the import's own time, not the date the revision is in force from). */
export interface RevisionImport {
  at: Date;
  by: string;
}

/**
 * Stores the effective config as a new dated revision (one per start or reload, even when unchanged, so the history
 * says when Vigie ran with what). `snapshot` must already have its secrets replaced by references and hashes
 * (`revisionSnapshot` in core/config/revision.ts); it is stored as jsonb. `imported` marks a revision of
 * `vigie import` (who, and when the import ran).
 *
 * @throws VigieError `VALIDATION` when `createdAt` (or `imported.at`) is not a valid date or lies before 2000
 *   (core/instant.ts: nothing back-dates a revision to 1900), `imported.by` is empty, or the snapshot is not
 *   JSON-serializable.
 */
export async function saveRevision(
  db: Db,
  snapshot: unknown,
  createdAt: Date,
  imported?: RevisionImport,
): Promise<{ id: number; contentSha256: string }> {
  if (!(createdAt instanceof Date) || Number.isNaN(createdAt.getTime())) {
    throw new VigieError('VALIDATION', 'revision createdAt: date invalide / not a valid date');
  }
  assertInstant(createdAt, 'revision createdAt');
  if (imported) {
    assertInstant(imported.at, 'revision imported.at');
    if (!imported.by.trim()) throw new VigieError('VALIDATION', 'revision imported.by: auteur requis / the author is required');
  }
  const json = canonicalJson(snapshot);
  const contentSha256 = sha256Hex(json);
  const { rows } = await db.query<{ id: unknown }>(
    `INSERT INTO config_revisions (created_at, content_sha256, snapshot, imported_at, imported_by)
     VALUES ($1, $2, $3::jsonb, $4, $5) RETURNING id`,
    [createdAt, contentSha256, json, imported?.at ?? null, imported?.by ?? null],
  );
  return { id: Number(oneRow(rows, 'revision insert').id), contentSha256 };
}

/** A revision by id, or null. */
export async function getRevision(db: Db, id: number): Promise<ConfigRevision | null> {
  const { rows } = await db.query<RevisionRow>(`SELECT ${REVISION_COLUMNS} FROM config_revisions WHERE id = $1`, [id]);
  const row = rows[0];
  return row ? toRevision(row) : null;
}

/**
 * JSON with object keys sorted at every level, so the hash does not depend on key order (jsonb does not keep it
 * either). `undefined` members are dropped as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  const json = JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
  if (json === undefined) throw new VigieError('VALIDATION', "revision snapshot: pas du JSON / not JSON");
  return json;
}

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The `content_sha256` a revision with this snapshot gets: SHA-256 hex of its {@link canonicalJson}. Two snapshots of
 * the same config have the same one whatever their key order.
 * @throws VigieError `VALIDATION` when the snapshot is not JSON.
 */
export function revisionContentSha256(snapshot: unknown): string {
  return sha256Hex(canonicalJson(snapshot));
}

/**
 * Stores the revision of an import, marked imported (`imported`: who, and when the import ran), unless the revision
 * in force at `createdAt` (the latest created at or before it) has the same content: that one is reused, and nothing
 * is stored (re-importing a file adds no revision). Run it inside the import's transaction.
 * @throws VigieError `VALIDATION` as {@link saveRevision}.
 */
export async function saveImportRevision(db: Db, snapshot: unknown, createdAt: Date, imported: RevisionImport): Promise<{ id: number; reused: boolean }> {
  if (!(createdAt instanceof Date) || Number.isNaN(createdAt.getTime())) throw new VigieError('VALIDATION', 'revision createdAt: date invalide / not a valid date');
  assertInstant(createdAt, 'revision createdAt');
  const sha = revisionContentSha256(snapshot);
  const { rows } = await db.query<{ id: unknown; content_sha256: string }>(
    'SELECT id, content_sha256 FROM config_revisions WHERE created_at <= $1 ORDER BY created_at DESC, id DESC LIMIT 1',
    [createdAt],
  );
  const inForce = rows[0];
  if (inForce && inForce.content_sha256 === sha) return { id: Number(inForce.id), reused: true };
  return { id: (await saveRevision(db, snapshot, createdAt, imported)).id, reused: false };
}
