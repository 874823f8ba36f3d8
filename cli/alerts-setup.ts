import type { VigieConfig } from '../core/config/schema.js';
import { secretKeyOf } from '../core/config/revision.js';
import { VigieError, type Issue } from '../core/errors.js';
import { resolveSecret, secretFingerprint } from './config-load.js';

/** The secrets of the `alerts:` section, resolved: what alerts/service.ts needs, and fingerprints for the revision. */
export interface AlertSecrets {
  values: { smtpPassword?: string; webhooks: Map<string, string> };
  /** Keyed fingerprints by reference key (`env:NAME`), merged into the revision's (cli/config-load.ts). */
  fingerprints: Record<string, string>;
}

/**
 * Resolves the SMTP password and the webhook secrets of `config.alerts` (all missing ones reported together, at their
 * paths), from the environment or files like the personas' (README "Configuration").
 * @param fingerprintKey the installation key (`loadFingerprintKey`); null: no fingerprints.
 * @throws VigieError `CONFIG` listing each unavailable secret (never its value).
 */
export async function resolveAlertSecrets(config: VigieConfig, env: NodeJS.ProcessEnv, fingerprintKey: Uint8Array | null): Promise<AlertSecrets> {
  const out: AlertSecrets = { values: { webhooks: new Map() }, fingerprints: {} };
  const alerts = config.alerts;
  if (!alerts) return out;
  const issues: Issue[] = [];
  const read = async (ref: Parameters<typeof resolveSecret>[0], path: string): Promise<string | undefined> => {
    try {
      const value = await resolveSecret(ref, env);
      const key = secretKeyOf(ref);
      if (key && fingerprintKey) out.fingerprints[key] = secretFingerprint(value, fingerprintKey);
      return value;
    } catch (err) {
      issues.push({ path, message: (err as Error).message });
      return undefined;
    }
  };
  if (alerts.smtp?.password) {
    const value = await read(alerts.smtp.password, 'alerts.smtp.password');
    if (value !== undefined) out.values.smtpPassword = value;
  }
  for (const [i, w] of alerts.webhooks.entries()) {
    const value = await read(w.secret, `alerts.webhooks[${i}].secret`);
    if (value !== undefined) out.values.webhooks.set(w.id, value);
  }
  if (issues.length > 0) throw new VigieError('CONFIG', `${issues.length} secret(s) indisponible(s) / ${issues.length} secret(s) unavailable`, { issues });
  return out;
}
