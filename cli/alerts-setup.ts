import type { VigieConfig } from '../core/config/schema.js';
import { secretKeyOf } from '../core/config/revision.js';
import { createPrivateKey } from 'node:crypto';
import { VigieError, type Issue } from '../core/errors.js';
import { resolveSecretRefs } from './config-load.js';

/** Why a DKIM private key cannot sign (not a PEM private key), or null. Never quotes the key. */
export function dkimKeyProblem(pem: string): string | null {
  try {
    const key = createPrivateKey(pem);
    return key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'ed25519' ? null : `clé DKIM de type ${key.asymmetricKeyType} : RSA ou Ed25519 attendue / DKIM key of type ${key.asymmetricKeyType}: RSA or Ed25519 expected`;
  } catch {
    return 'clé privée DKIM illisible : une clé privée PEM (-----BEGIN PRIVATE KEY-----) est attendue / unreadable DKIM private key: a PEM private key (-----BEGIN PRIVATE KEY-----) is expected';
  }
}

/** The secrets of the `alerts:` section, resolved: what alerts/service.ts needs, and fingerprints for the revision. */
export interface AlertSecrets {
  values: { smtpPassword?: string; dkimPrivateKey?: string; webhooks: Map<string, string> };
  /** Keyed fingerprints by reference key (`env:NAME`), merged into the revision's (cli/config-load.ts). */
  fingerprints: Record<string, string>;
}

/**
 * Resolves the SMTP password, the DKIM private key and the webhook secrets of `config.alerts` (all missing ones reported together, at their
 * paths), from the environment or files like the personas' (README "Configuration"; {@link resolveSecretRefs}).
 * @param fingerprintKey the installation key (`loadFingerprintKey`); null: no fingerprints.
 * @throws VigieError `CONFIG` listing each unavailable secret (never its value).
 */
export async function resolveAlertSecrets(config: VigieConfig, env: NodeJS.ProcessEnv, fingerprintKey: Uint8Array | null): Promise<AlertSecrets> {
  const alerts = config.alerts;
  if (!alerts) return { values: { webhooks: new Map() }, fingerprints: {} };
  const password = alerts.smtp?.password;
  const dkim = alerts.smtp?.dkim?.privateKey;
  const refs = [
    ...(password ? [{ path: 'alerts.smtp.password', ref: password }] : []),
    ...(dkim ? [{ path: 'alerts.smtp.dkim.privateKey', ref: dkim }] : []),
    ...alerts.webhooks.map((w, i) => ({ path: `alerts.webhooks[${i}].secret`, ref: w.secret })),
  ];
  const { values, fingerprints } = await resolveSecretRefs(refs, env, fingerprintKey);
  const valueOf = (ref: Parameters<typeof secretKeyOf>[0]) => values.get(secretKeyOf(ref) ?? '');
  const smtpPassword = password ? valueOf(password) : undefined;
  const dkimPrivateKey = dkim ? valueOf(dkim) : undefined;
  if (dkimPrivateKey !== undefined) {
    // nodemailer signs nothing (silently) with a key it cannot read: DMARC `p=reject` domains would drop the notices.
    const problem = dkimKeyProblem(dkimPrivateKey);
    if (problem) throw new VigieError('CONFIG', problem, { issues: [{ path: 'alerts.smtp.dkim.privateKey', message: problem, invalid: true } as Issue] });
  }
  return {
    values: { ...(smtpPassword !== undefined ? { smtpPassword } : {}), ...(dkimPrivateKey !== undefined ? { dkimPrivateKey } : {}), webhooks: new Map(alerts.webhooks.map((w) => [w.id, valueOf(w.secret) ?? ''])) },
    fingerprints,
  };
}
