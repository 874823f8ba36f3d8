import { VigieError, type Issue } from '../errors.js';
import { configSchema, type VigieConfig } from './schema.js';
import { toIssues } from './validate.js';

/**
 * Version of the stored snapshot format (DESIGN.md §5: "A revision snapshot carries its schema version and is parsed
 * (and migrated) when read, never cast"). History:
 * - 1 (no `schemaVersion` key): the effective config, secrets as `{ env | file, sha256 }` (unsalted, before
 *   2026-11-29) or `{ env | file, hmacSha256 }`;
 * - 2: the same config plus `schemaVersion: 2` at the top; secrets as `{ env | file, hmacSha256 }`.
 */
export const REVISION_SCHEMA_VERSION = 2;

/**
 * The stored form of a config revision (DESIGN.md §5 "Config revisions"): the effective config with every secret
 * replaced by its reference and a keyed fingerprint of its value (`hmacSha256`), never the value, and the snapshot
 * format's version (`schemaVersion`, {@link REVISION_SCHEMA_VERSION}). `fingerprints` maps a reference key
 * (`env:NAME`, `file:/path`) to the HMAC-SHA256 hex of the value under the installation's fingerprint key, computed by
 * the caller (core does no I/O, cli/config-load.ts `resolveSecrets`); a missing one is stored as null. Keyed, so that
 * the fingerprints of one installation compare across revisions (a changed password shows) but a database reader
 * cannot test password guesses against them, as an unsalted SHA-256 allowed.
 */
export function revisionSnapshot(config: VigieConfig, fingerprints: Record<string, string>): Record<string, unknown> {
  const body = JSON.parse(
    JSON.stringify(config, (_key, value: unknown) => {
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        const ref = secretKeyOf(value);
        if (ref) return { ...(value as object), hmacSha256: fingerprints[ref] ?? null };
      }
      return value;
    }),
  ) as Record<string, unknown>;
  return { schemaVersion: REVISION_SCHEMA_VERSION, ...body };
}

/** `{env: 'X'}` → `env:X`, `{file: '/p'}` → `file:/p`, anything else → null. */
export function secretKeyOf(value: unknown): string | null {
  if (!value || typeof value !== 'object') return null;
  const keys = Object.keys(value);
  if (keys.length !== 1) return null;
  const v = value as { env?: unknown; file?: unknown };
  if (typeof v.env === 'string') return `env:${v.env}`;
  if (typeof v.file === 'string') return `file:${v.file}`;
  return null;
}

/** Fingerprint keys a stored secret reference may carry besides `env`/`file` (v1: `sha256`; v1 and v2: `hmacSha256`). */
const FINGERPRINT_KEYS = new Set(['hmacSha256', 'sha256']);

/** A stored secret reference: `env` or `file`, plus only fingerprint keys. */
function isStoredSecretRef(value: object): boolean {
  const keys = Object.keys(value);
  const v = value as { env?: unknown; file?: unknown };
  const refKeys = keys.filter((k) => !FINGERPRINT_KEYS.has(k));
  return refKeys.length === 1 && (typeof v.env === 'string' || typeof v.file === 'string') && keys.length > 1;
}

/** A copy without the fingerprints of stored secret references (the config schema takes `{ env }` / `{ file }`). */
function withoutFingerprints(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutFingerprints);
  if (!value || typeof value !== 'object') return value;
  if (isStoredSecretRef(value)) return Object.fromEntries(Object.entries(value).filter(([k]) => !FINGERPRINT_KEYS.has(k)));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutFingerprints(v)]));
}

/** Which stored revision a snapshot comes from, for error messages. */
export interface RevisionRef {
  id: number;
  createdAt: string;
}

/**
 * Reads a stored snapshot back into a config: checks its `schemaVersion`, migrates an older format (v1 → v2: only the
 * marker differs; unsalted v1 fingerprints are dropped), strips the secret fingerprints and parses the rest with the
 * config schema (defaults applied). Cross-references are not re-checked: they were when the revision was stored.
 * @throws VigieError `INTERNAL` (stored data, not the request, is at fault) naming the revision, with every problem
 *   in `issues`: not an object, a version newer
 *   than this Vigie knows, or a field the schema refuses (a snapshot written by hand, or by a Vigie whose schema
 *   changed without a migration here).
 */
export function parseRevisionSnapshot(snapshot: unknown, ref: RevisionRef): VigieConfig {
  const nameFr = `révision ${ref.id} (${ref.createdAt}) illisible`;
  const nameEn = `revision ${ref.id} (${ref.createdAt}) unreadable`;
  const name = `${nameFr} / ${nameEn}`;
  if (!snapshot || typeof snapshot !== 'object' || Array.isArray(snapshot)) {
    throw new VigieError('INTERNAL', `${nameFr} : pas un objet JSON / ${nameEn}: not a JSON object`, { issues: [{ path: '(snapshot)', message: 'objet attendu / expected an object' }] });
  }
  const { schemaVersion, ...body } = snapshot as Record<string, unknown>;
  const version = schemaVersion === undefined ? 1 : schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new VigieError('INTERNAL', `${nameFr} : schemaVersion ${JSON.stringify(version)} n'est pas un numéro de version / ${nameEn}: schemaVersion ${JSON.stringify(version)} is not a version number`, {
      issues: [{ path: 'schemaVersion', message: 'nombre entier ≥ 1 attendu / expected a whole number ≥ 1' }],
    });
  }
  if (version > REVISION_SCHEMA_VERSION) {
    throw new VigieError(
      'INTERNAL',
      `${nameFr} : schemaVersion ${version} vient d'un Vigie plus récent (celui-ci lit jusqu'à ${REVISION_SCHEMA_VERSION}) ; mettez Vigie à jour / ` +
        `${nameEn}: schemaVersion ${version} was written by a newer Vigie (this one reads up to ${REVISION_SCHEMA_VERSION}); upgrade Vigie`,
      { issues: [{ path: 'schemaVersion', message: `version plus récente que ${REVISION_SCHEMA_VERSION} / newer than ${REVISION_SCHEMA_VERSION}` }] },
    );
  }
  // v1 → v2 changes nothing but the marker; both store fingerprints beside the references, stripped here.
  const result = configSchema.safeParse(withoutFingerprints(body));
  if (!result.success) {
    const issues: Issue[] = toIssues(result.error);
    throw new VigieError('INTERNAL', `${name}: ${issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`).join('; ')}${issues.length > 5 ? ` (+${issues.length - 5})` : ''}`, { issues });
  }
  return result.data;
}
