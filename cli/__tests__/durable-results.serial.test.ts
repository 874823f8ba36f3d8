import { afterAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createPgDb } from '../../db/index.js';
import { createOwnPostgres, type OwnPostgres } from '../../db/__tests__/own-postgres.js';
import { startVigie, type VigieHandle } from '../start.js';
import { writeNoopConfig } from './noop-config.js';
import { startSmtp } from '../../alerts/__tests__/smtp.js';

/**
 * Issue 8 item 5 acceptance, scaled (a probe every 4 s; one scenario-minute = one second): stop PostgreSQL, restart
 * `vigie start` during the outage, then start PostgreSQL again: every slot from the first to the last has exactly one
 * result, the results of the start that booted during the outage carry that start's own revision, and the spool is
 * empty once the store has everything. Runs its own PostgreSQL server (the shared one is never stopped).
 * F22's alert too: the operators get exactly one "store unavailable" message (sent from the file outbox while the
 * store refuses writes, carried across the restart) and one recovery once the store is back, on a real SMTP server.
 */
const EVERY_MS = 4_000;
const dir = mkdtempSync(join(tmpdir(), 'vigie-durable-'));
let pg: OwnPostgres | undefined;
let vigie: VigieHandle | undefined;
let smtp: Awaited<ReturnType<typeof startSmtp>> | undefined;
afterAll(async () => {
  await vigie?.close();
  await smtp?.close();
  pg?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quiet = pino({ level: 'silent' });

describe('results survive a store outage and a restart during it', () => {
  it('every slot has its result, none twice, under the revision of the start that made it', async () => {
    pg = await createOwnPostgres();
    pg.start();
    const dataDir = join(dir, 'data');
    smtp = await startSmtp();
    const alerts = { every: '1s', smtp: { host: '127.0.0.1', port: smtp.port, from: 'vigie@region.test' }, contacts: { operators: ['exploitation@region.test'] }, watchdog: { storeGrace: '3s' } };
    const file = writeNoopConfig(dir, { id: 'noop', every: '4s', dataDir, passwordEnv: 'DURABLE_TEST_PASSWORD', extra: { alerts } });
    const env = { ...process.env, DURABLE_TEST_PASSWORD: 'x', DATABASE_URL: pg.url };
    const reader = createPgDb(pg.url, { max: 1, connectionTimeoutMillis: 1000 });
    const rows = async () =>
      (await reader.query<{ t: Date; revision_id: number }>("SELECT scheduled_at AS t, revision_id FROM runs WHERE schedule_id = 'noop' ORDER BY scheduled_at")).rows;
    try {
      vigie = await startVigie({ config: file, env, logger: quiet });
      await vi.waitFor(async () => expect((await rows()).length).toBeGreaterThanOrEqual(2), { timeout: 20_000, interval: 250 });
      const firstRevision = Number((await rows())[0]!.revision_id);

      pg.stop(); // the outage begins: results go to the spool
      await sleep(2.5 * EVERY_MS);
      await vigie.close(); // restart during the outage
      vigie = undefined;
      expect(readdirSync(join(dataDir, 'spool')).filter((n) => n.endsWith('.json')).length).toBeGreaterThanOrEqual(2);
      expect(statSync(join(dataDir, 'spool')).mode & 0o777).toBe(0o700);
      const restartAt = Date.now();
      vigie = await startVigie({ config: file, env, logger: quiet }); // boots although PostgreSQL does not answer
      await sleep(2.5 * EVERY_MS);
      const endAt = Date.now();

      pg.start(); // the outage ends: spooled results land, then the new start's own
      await vi.waitFor(async () => expect((await rows()).some((r) => r.t.getTime() >= endAt - EVERY_MS)).toBe(true), { timeout: 30_000, interval: 500 });
      const storeMails = () => smtp!.received.filter((m) => m.subject.endsWith('STOCKAGE INDISPONIBLE'));
      await vi.waitFor(() => expect(storeMails().map((m) => m.kind)).toContain('recovery'), { timeout: 20_000, interval: 250 });
      await vigie.close();
      vigie = undefined;

      const stored = await rows();
      const times = stored.map((r) => r.t.getTime());
      // One row per slot (the slot key is unique) and no slot missing between the first and the last.
      expect(new Set(times).size).toBe(times.length);
      const gaps = times.slice(1).map((t, i) => t - times[i]!).filter((d) => d !== EVERY_MS);
      expect(gaps).toEqual([]);
      // The slots of the start that booted during the outage are under its revision, stored once the store answered.
      const later = stored.filter((r) => r.t.getTime() >= restartAt);
      expect(later.length).toBeGreaterThanOrEqual(2);
      expect(new Set(later.map((r) => r.revision_id)).size).toBe(1);
      expect(Number(later[0]!.revision_id)).toBeGreaterThan(firstRevision);
      expect(readdirSync(join(dataDir, 'spool')).filter((n) => n.endsWith('.json'))).toEqual([]);
      // F22: one alert, told while the store was down (before PostgreSQL came back), then its recovery; the file
      // outbox is gone once the store holds the incident.
      const mails = storeMails();
      expect(mails.map((m) => `${m.kind} ${m.to.join(',')}`)).toEqual(['down exploitation@region.test', 'recovery exploitation@region.test']);
      expect(new Set(mails.map((m) => m.messageId)).size).toBe(2);
      expect(mails[0]!.at).toBeLessThan(endAt);
      expect(readdirSync(dataDir)).not.toContain('internal-outbox.json');
      const incidents = (await reader.query<{ outage_start: Date; resolved_at: Date }>("SELECT outage_start, resolved_at FROM alert_incidents WHERE journey = 'store'")).rows;
      expect(incidents).toHaveLength(1);
      expect(incidents[0]!.resolved_at.getTime()).toBeGreaterThanOrEqual(endAt);
    } finally {
      await reader.close();
    }
  }, 150_000);
});
