import type { VigieConfig } from '../core/config/schema.js';
import { resolveSecrets } from './config-load.js';

/**
 * Resolves the secrets a manual run needs: those of `personaIds` must be readable (a missing one fails the run
 * with VigieError `CONFIG`, as {@link resolveSecrets} reports it); the other personas' secrets are read when they can
 * be, only for the fingerprints of the stored revision, so that a missing unrelated secret does not block `vigie run`
 * (an unreadable one is stored as null).
 */
export async function resolveRunSecrets(
  config: VigieConfig,
  env: NodeJS.ProcessEnv,
  personaIds: readonly string[],
  fingerprintKey: Uint8Array | null,
): Promise<Awaited<ReturnType<typeof resolveSecrets>>> {
  const only = (personas: VigieConfig['personas']) => ({ ...config, personas }) as VigieConfig;
  const needed = await resolveSecrets(only(config.personas.filter((p) => personaIds.includes(p.id))), env, fingerprintKey);
  for (const persona of config.personas) {
    if (personaIds.includes(persona.id)) continue;
    let other: typeof needed;
    try {
      other = await resolveSecrets(only([persona]), env, fingerprintKey);
    } catch {
      continue; // not needed by this run
    }
    // Merge every by-key record except the values (which this run must not hold): the fingerprints/hashes.
    for (const [field, byKey] of Object.entries(other)) {
      const into = (needed as unknown as Record<string, object | undefined>)[field];
      if (field !== 'values' && into) Object.assign(into, byKey);
    }
  }
  return needed;
}
