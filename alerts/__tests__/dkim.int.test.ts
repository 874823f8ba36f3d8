import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { revisionSnapshot } from '../../core/config/revision.js';
import { resolveAlertSecrets } from '../../cli/alerts-setup.js';
import { alertScenario, scenarioAlerting } from './scenario.js';
import { MIN, oneSeriesConfig, runAt, TENANT } from './one-series.js';

/**
 * DKIM signing (issue 10 item 3): with `alerts.smtp.dkim`, every message carries a DKIM-Signature that verifies
 * (mailauth, the nodemailer project's verifier) against the public key published at `<selector>._domainkey.<domain>`;
 * the private key comes from a secret reference, like every secret.
 */
const at = (hhmm: string) => Date.parse(`2025-11-14T${hhmm}:00Z`);
const ctx = alertScenario();

describe('DKIM', () => {
  it('signs each notice with the configured domain and selector; the signature verifies', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const config = oneSeriesConfig({
      alerts: {
        smtp: { host: '127.0.0.1', port: ctx.smtp.port, from: 'vigie@region.test', dkim: { domain: 'region.test', selector: 'vigie2026', privateKey: { env: 'VIGIE_TEST_DKIM_KEY' } } },
        groupWait: 0,
        contacts: { establishments: { [TENANT]: ['cpe@lycee.test'] } },
      },
    });
    const secrets = await resolveAlertSecrets(config, { VIGIE_TEST_DKIM_KEY: pem }, null);
    await ctx.store.revisions.save(revisionSnapshot(config, {}), new Date(at('09:00')));
    await ctx.store.runs.insertBatch(Array.from({ length: 10 }, (_, i) => runAt(at('10:00') + i * MIN, i < 3 ? 'down' : 'up')));
    const clock = { now: at('10:00') };
    const alerting = scenarioAlerting(ctx.store, config, clock, { secrets: secrets.values });
    for (; clock.now <= at('10:06'); clock.now += 30_000) await alerting.tick();
    await alerting.close();

    expect(ctx.smtp.received.map((m) => m.kind)).toEqual(['down', 'recovery']);
    const txt = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
    const asked: string[] = [];
    const resolver = async (name: string, type: string) => {
      asked.push(`${type} ${name}`);
      if (type === 'TXT' && name === 'vigie2026._domainkey.region.test') return [[txt]];
      throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    };
    for (const m of ctx.smtp.received) {
      const result = await dkimVerify(Buffer.from(m.raw), { resolver });
      expect(result.results.map((r) => `${r.signingDomain} ${r.selector} ${r.status.result}`)).toEqual(['region.test vigie2026 pass']);
    }
    expect(asked).toContain('TXT vigie2026._domainkey.region.test');
    // The key is a secret: nowhere in what was sent.
    expect(ctx.smtp.received.some((m) => m.raw.includes(pem.split('\n')[1]!))).toBe(false);
  });
});
