import type { VigieConfig } from './schema.js';

/**
 * The stored form of a config revision (DESIGN.md §5 "Config revisions"): the effective config with every secret
 * replaced by its reference and a keyed fingerprint of its value (`hmacSha256`), never the value. `fingerprints` maps a
 * reference key (`env:NAME`, `file:/path`) to the HMAC-SHA256 hex of the value under the installation's fingerprint
 * key, computed by the caller (core does no I/O, cli/config-load.ts `resolveSecrets`); a missing one is stored as null.
 * Keyed, so that the fingerprints of one installation compare across revisions (a changed password shows) but a
 * database reader cannot test password guesses against them, as an unsalted SHA-256 allowed.
 */
export function revisionSnapshot(config: VigieConfig, fingerprints: Record<string, string>): unknown {
  return JSON.parse(
    JSON.stringify(config, (_key, value: unknown) => {
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        const ref = secretKeyOf(value);
        if (ref) return { ...(value as object), hmacSha256: fingerprints[ref] ?? null };
      }
      return value;
    }),
  );
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
