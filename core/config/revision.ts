import type { VigieConfig } from './schema.js';

/**
 * The stored form of a config revision (DESIGN.md §5 "Config revisions"): the effective config with every secret
 * replaced by its reference and a hash of its value, never the value. `hashes` maps a reference key (`env:NAME`,
 * `file:/path`) to the SHA-256 hex of the value, computed by the caller (core does no I/O).
 */
export function revisionSnapshot(config: VigieConfig, hashes: Record<string, string>): unknown {
  return JSON.parse(
    JSON.stringify(config, (_key, value: unknown) => {
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        const ref = secretKeyOf(value);
        if (ref) return { ...(value as object), sha256: hashes[ref] ?? null };
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
