import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Store } from '../../db/index.js';
import { closeSharedPglite, freshPgliteStore } from '../../db/__tests__/shared-pglite.js';
import { createEmailSender } from '../email.js';
import { deliverDue } from '../outbox.js';
import { createStoreAlert } from '../store-alert.js';
import { startSmtp } from './smtp.js';

/** The "store unavailable" alert's file outbox (F22), against a real SMTP server and a real store to reconcile into. */
let store: Store;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let dir: string;
beforeEach(async () => {
  store = await freshPgliteStore();
  smtp = await startSmtp();
  dir = mkdtempSync(join(tmpdir(), 'vigie-store-alert-'));
});
afterEach(async () => {
  await smtp.close();
  rmSync(dir, { recursive: true, force: true });
});
afterAll(closeSharedPglite);

function storeAlert(graceMs: number) {
  const email = createEmailSender({ host: '127.0.0.1', port: smtp.port, from: 'vigie@region.test' }, { zone: 'Europe/Paris' });
  const alert = createStoreAlert({ file: join(dir, 'internal-outbox.json'), send: email.send, operators: [{ channel: 'email', to: 'ops@region.test' }], repo: store.alerts, domain: 'vigie.test', graceMs, logger: pino({ level: 'silent' }) });
  return { alert, email };
}

describe('store unavailable alert', () => {
  it('a refusal shorter than the grace tells nobody', async () => {
    const { alert, email } = storeAlert(300);
    alert.stateChanged(false, Date.now());
    await new Promise((r) => setTimeout(r, 100));
    alert.stateChanged(true, Date.now());
    await new Promise((r) => setTimeout(r, 400));
    await alert.close();
    email.close();
    expect(smtp.received).toEqual([]);
    expect(await store.alerts.listIncidents()).toEqual([]);
  });

  it('retries while the mail relay is down, survives a restart without re-sending, reconciles into one incident', async () => {
    await smtp.stop();
    let { alert, email } = storeAlert(50);
    const since = Date.now();
    alert.stateChanged(false, since);
    await new Promise((r) => setTimeout(r, 300));
    await smtp.start();
    // First retry after the outbox's backoff (5 s).
    await vi.waitFor(() => expect(smtp.received).toHaveLength(1), { timeout: 10_000, interval: 100 });
    expect(smtp.received[0]!.subject).toBe('[Vigie] STOCKAGE INDISPONIBLE');
    await alert.close();
    email.close();
    ({ alert, email } = storeAlert(50)); // a restart: the file says it was sent
    await alert.restore();
    const end = Date.now();
    alert.stateChanged(true, end);
    await alert.close();
    expect(existsSync(join(dir, 'internal-outbox.json'))).toBe(false);
    const [incident] = await store.alerts.listIncidents();
    expect(incident).toMatchObject({ journey: 'store', scope: 'internal', outageStart: new Date(since).toISOString(), resolvedAt: new Date(end).toISOString() });
    const notices = await store.alerts.listNotices({ incidentId: incident!.id });
    expect(notices.map((n) => `${n.kind} ${n.status} ${n.attempts}`)).toEqual(['down sent 2', 'recovery pending 0']);
    expect(notices[0]!.messageId).toBe(smtp.received[0]!.messageId);
    await deliverDue(store.alerts, email.send, new Date());
    email.close();
    expect(smtp.received.map((m) => m.kind)).toEqual(['down', 'recovery']);
    expect(smtp.received[1]!.subject).toBe('[Vigie] RÉTABLI — STOCKAGE INDISPONIBLE');
  });

  it('sets a damaged file aside and raises the next outage; a file it cannot write does not stop the retries', async () => {
    // Found by a hostile tester: JSON of the wrong shape blocked the alert for good; a directory in the file's place
    // (as a full or read-only disk) stopped the retry after a failed first send.
    writeFileSync(join(dir, 'internal-outbox.json'), '{"since":1,"notices":"x"}');
    let { alert, email } = storeAlert(20);
    await alert.restore();
    expect(readdirSync(dir)).toContain('internal-outbox.json.bad');
    alert.stateChanged(false, Date.now());
    await vi.waitFor(() => expect(smtp.received).toHaveLength(1), { timeout: 5_000, interval: 50 });
    await alert.close();
    email.close();

    rmSync(join(dir, 'internal-outbox.json'), { force: true });
    mkdirSync(join(dir, 'internal-outbox.json'));
    await smtp.stop();
    ({ alert, email } = storeAlert(20));
    alert.stateChanged(false, Date.now() + 1);
    await new Promise((r) => setTimeout(r, 300));
    await smtp.start();
    await vi.waitFor(() => expect(smtp.received).toHaveLength(2), { timeout: 10_000, interval: 100 });
    await alert.close();
    email.close();
  });
});
