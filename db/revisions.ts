import { createHash } from 'node:crypto';
import { VigieError } from '../core/errors.js';
import { oneRow, type Db } from './db.js';
import { toIso } from './run-rows.js';

/** A stored config revision (DESIGN.md §5 "Config revisions"). */
export interface ConfigRevision {
  id: number;
  createdAt: string;
  /** SHA-256 hex of the snapshot's canonical JSON (keys sorted). */
  contentSha256: string;
  snapshot: unknown;
}

/**
 * Stores the effective config as a new dated revision (one per start or reload, even when unchanged, so the history
 * says when Vigie ran with what). `snapshot` must already have its secrets replaced by references and hashes
 * (`revisionSnapshot` in core/config/revision.ts); it is stored as jsonb.
 *
 * @throws VigieError `VALIDATION` when `createdAt` is not a valid date or the snapshot is not JSON-serializable.
 */
export async function saveRevision(
  db: Db,
  snapshot: unknown,
  createdAt: Date,
): Promise<{ id: number; contentSha256: string }> {
  if (!(createdAt instanceof Date) || Number.isNaN(createdAt.getTime())) {
    throw new VigieError('VALIDATION', 'revision createdAt is not a valid date');
  }
  const json = canonicalJson(snapshot);
  const contentSha256 = createHash('sha256').update(json).digest('hex');
  const { rows } = await db.query<{ id: unknown }>(
    'INSERT INTO config_revisions (created_at, content_sha256, snapshot) VALUES ($1, $2, $3::jsonb) RETURNING id',
    [createdAt, contentSha256, json],
  );
  return { id: Number(oneRow(rows, 'revision insert').id), contentSha256 };
}

/** A revision by id, or null. */
export async function getRevision(db: Db, id: number): Promise<ConfigRevision | null> {
  const { rows } = await db.query<{ id: unknown; created_at: Date; content_sha256: string; snapshot: unknown }>(
    'SELECT id, created_at, content_sha256, snapshot FROM config_revisions WHERE id = $1',
    [id],
  );
  const row = rows[0];
  return row
    ? { id: Number(row.id), createdAt: toIso(row.created_at), contentSha256: row.content_sha256, snapshot: row.snapshot }
    : null;
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
  if (json === undefined) throw new VigieError('VALIDATION', 'revision snapshot is not JSON');
  return json;
}
