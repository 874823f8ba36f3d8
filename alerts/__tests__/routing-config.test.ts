import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../core/config/validate.js';
import { isVigieError, type Issue } from '../../core/errors.js';
import { routingFromConfig } from '../routing.js';

/** A minimal valid config with two establishments; `alerts` is the section under test. */
const config = (alerts: unknown): Record<string, unknown> => ({
  targets: [{ id: 'ent', name: 'ENT', profile: 'sandbox', ssoUrl: 'http://sso.localhost:7080' }],
  tenants: ['0519990G', '0519991H'].map((uai) => ({ uai, name: `É ${uai}`, target: 'ent', entUrl: 'http://lycee.localhost:7080', academie: 'Reims', departement: '51', zone: 'B' })),
  personas: [{ id: 'prof', role: 'teacher', username: 'prof', password: { env: 'P' } }],
  alerts,
});

function issuesOf(input: Record<string, unknown>): Issue[] {
  try {
    validateConfig(input);
  } catch (err) {
    if (isVigieError(err, 'CONFIG')) return [...err.issues];
    throw err;
  }
  return [];
}

describe('the alerts: section', () => {
  it('has the defaults of DESIGN.md §5 (K = 2, group wait 15 s, platform above half, at least 2)', () => {
    const alerts = validateConfig(config({})).alerts!;
    expect({ k: alerts.k, every: alerts.every, groupWait: alerts.groupWait, platform: alerts.platform }).toEqual({ k: 2, every: 15, groupWait: 15, platform: { share: 0.5, minTenants: 2 } });
  });

  it('names each mistake at its path: unknown UAI, bad address, relay login without password, pattern without {uai}, duplicate webhook', () => {
    const issues = issuesOf(
      config({
        smtp: { host: 'smtp.region.fr', from: 'pas-une-adresse', user: 'vigie' },
        contacts: { establishments: { '0510000X': ['a@b.fr'] }, mailboxPattern: 'ce@ac-reims.fr', operators: ['noc@region'] },
        webhooks: [
          { id: 'tchap', url: 'https://matrix.example/_matrix/client/v3/rooms/!r/send/m.room.message', secret: { env: 'T' }, preset: 'matrix' },
          { id: 'tchap', url: 'ftp://x', secret: 'en-clair' },
        ],
      }),
    );
    const paths = issues.map((i) => i.path).sort();
    expect(paths).toEqual(
      [
        'alerts.contacts.establishments.0510000X',
        'alerts.contacts.mailboxPattern',
        'alerts.contacts.operators[0]',
        'alerts.smtp.from',
        'alerts.smtp.password',
        'alerts.webhooks[1].id',
        'alerts.webhooks[1].secret',
        'alerts.webhooks[1].url',
      ].sort(),
    );
    expect(issues.find((i) => i.path === 'alerts.smtp.password')!.message).toMatch(/password: \{ env \} ou \{ file \} \/ .*needs password/);
    expect(issues.find((i) => i.path === 'alerts.contacts.establishments.0510000X')!.message).toMatch(/^établissement inconnu "0510000X" .* \/ unknown establishment/);
  });
});

describe('routing from the config', () => {
  const routing = (alerts: unknown) => routingFromConfig(validateConfig(config(alerts)).alerts!);

  it("sends an establishment's incidents to its contacts, else to its académie mailbox; platforms to the operators", () => {
    const r = routing({
      contacts: { establishments: { '0519990G': ['cpe@lycee.fr', 'CPE@lycee.fr'] }, mailboxPattern: 'ce.{uai}@ac-reims.fr', operators: ['noc@region.fr'] },
      webhooks: [
        { id: 'region', url: 'https://hooks.region.fr/vigie', secret: { env: 'H' } },
        { id: 'all', url: 'https://hooks.region.fr/all', secret: { env: 'H' }, to: 'all' },
      ],
    });
    expect(r.recipientsOf('0519990G')).toEqual([{ channel: 'email', to: 'cpe@lycee.fr' }, { channel: 'webhook', to: 'all' }]);
    expect(r.recipientsOf('0519991H')).toEqual([{ channel: 'email', to: 'ce.0519991h@ac-reims.fr' }, { channel: 'webhook', to: 'all' }]);
    expect(r.operators).toEqual([{ channel: 'email', to: 'noc@region.fr' }, { channel: 'webhook', to: 'region' }, { channel: 'webhook', to: 'all' }]);
  });

  it('tells nobody when no contact is configured (incidents are still recorded)', () => {
    const r = routing({});
    expect(r.recipientsOf('0519990G')).toEqual([]);
    expect(r.operators).toEqual([]);
  });
});

describe('alert secrets', () => {
  const alerts = {
    smtp: { host: 'smtp.region.fr', from: 'vigie@region.fr', user: 'vigie', password: { env: 'SMTP_PASS' } },
    webhooks: [{ id: 'region', url: 'https://hooks.region.fr/v', secret: { env: 'HOOK_KEY' } }],
  };
  it('resolves the SMTP password and webhook secrets, with fingerprints; reports every missing one at its path', async () => {
    const { resolveAlertSecrets } = await import('../../cli/alerts-setup.js');
    const cfg = validateConfig(config(alerts));
    const ok = await resolveAlertSecrets(cfg, { SMTP_PASS: 'p', HOOK_KEY: 'k' }, new Uint8Array(32));
    expect(ok.values).toEqual({ smtpPassword: 'p', webhooks: new Map([['region', 'k']]) });
    expect(Object.keys(ok.fingerprints).sort()).toEqual(['env:HOOK_KEY', 'env:SMTP_PASS']);
    const missing = await resolveAlertSecrets(cfg, {}, null).catch((e: unknown) => e);
    expect(isVigieError(missing, 'CONFIG') ? missing.issues.map((i) => i.path) : missing).toEqual(['alerts.smtp.password', 'alerts.webhooks[0].secret']);
  });

  it('refuses a DKIM key that cannot sign (nodemailer would send unsigned), naming the field, never quoting the key', async () => {
    const { resolveAlertSecrets } = await import('../../cli/alerts-setup.js');
    const { generateKeyPairSync } = await import('node:crypto');
    const cfg = validateConfig(config({ smtp: { host: 'smtp.region.fr', from: 'vigie@region.fr', dkim: { domain: 'region.fr', selector: 'v', privateKey: { env: 'DKIM' } } } }));
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    for (const bad of ['not a key at all', publicKey.export({ type: 'spki', format: 'pem' }).toString(), '']) {
      const err = await resolveAlertSecrets(cfg, { DKIM: bad }, null).catch((e: unknown) => e);
      expect(isVigieError(err, 'CONFIG') ? err.issues.map((i) => i.path) : err).toEqual(['alerts.smtp.dkim.privateKey']);
      if (bad) expect(JSON.stringify((err as Error).message)).not.toContain(bad.slice(0, 20));
    }
    const good = await resolveAlertSecrets(cfg, { DKIM: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }, null);
    expect(good.values.dkimPrivateKey).toContain('BEGIN PRIVATE KEY');
  });
});
