import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliTestDatabase } from '../../cli/__tests__/cli-database.js';
import { createCollectorApp } from '../../collector/app.js';
import { attachContext, requireToken } from '../../collector/auth.js';
import { createMetrics } from '../../collector/metrics.js';
import { createSlaRouter } from '../../collector/sla-routes.js';
import { createLocalSlaBackend } from '../../cli/sla-backend.js';
import { vigieInProcess } from '../../cli/__tests__/in-process-cli.js';
import { openEmbeddedDb } from '../../db/index.js';
import { replayConfig } from '../../cli/__tests__/replay-fixture.js';
import { createPgDb, createStore, type Store } from '../../db/index.js';

/**
 * Issue 10 item 8: an alert incident is acknowledged (the first acknowledgement stays) and annotated, through the API
 * (write token required) and `vigie incidents ack|note`; both leave audit entries, `vigie incidents` shows them, and
 * an unknown incident is a clear error (404, exit 2), on a database of its own on the local PostgreSQL.
 */
const database = cliTestDatabase('vigie_ack');
const url = database.url;
const dir = mkdtempSync(join(tmpdir(), 'vigie-ack-'));
const cfg = join(dir, 'vigie.yml');
const TOKEN = 'k'.repeat(64);
let store: Store;
let id: number;

beforeAll(async () => {
  await database.create();
  writeFileSync(cfg, JSON.stringify(replayConfig({ tenants: 1, journeys: ['login'] })));
  store = createStore(createPgDb(url, { max: 2 }));
  await store.migrate();
  const t = Date.parse('2026-10-05T06:00:00Z');
  const series = { scheduleId: 'login-x', journey: 'login', target: 'ent', tenant: '0510100G' };
  await store.alerts.applyEvaluation({ series, evaluatedUntil: t + 600_000, state: { open: true, consecutiveDown: 2, firstDownAt: t }, opened: [{ outageStart: t, openedAt: t + 300_000 }], resolved: [], now: t + 600_000, groupWaitMs: 0 }, 'vigie.test');
  id = (await store.alerts.listIncidents())[0]!.id;
});
afterAll(async () => {
  await store?.close();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('acknowledge and annotate alert incidents', () => {
  it('through the API: the write token is required, the first acknowledgement stays, notes are listed with the incident', async () => {
    const app = createCollectorApp({
      store: { runs: { list: async () => ({ runs: [], nextCursor: null }), get: async () => null, screenshot: async () => null } },
      metrics: createMetrics(),
      logger: pino({ level: 'silent' }),
      routers: [{ path: '/api/v1', router: createSlaRouter(createLocalSlaBackend(store), { writeGuard: requireToken(TOKEN, { loopbackOnly: false }) }) }],
      attachContext: attachContext(TOKEN),
    });
    expect((await request(app).post(`/api/v1/alerts/incidents/${id}/ack`).send({ author: 'noc' })).status).toBe(401);
    const auth = { authorization: `Bearer ${TOKEN}` };
    const ack = await request(app).post(`/api/v1/alerts/incidents/${id}/ack`).set(auth).send({ author: 'noc-region' });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ id, acknowledgedBy: 'noc-region' });
    const again = await request(app).post(`/api/v1/alerts/incidents/${id}/ack`).set(auth).send({ author: 'autre' });
    expect(again.body.acknowledgedBy).toBe('noc-region');
    const note = await request(app).post(`/api/v1/alerts/incidents/${id}/notes`).set(auth).send({ author: 'noc-region', text: 'Le prestataire confirme une panne du CAS.' });
    expect(note.status).toBe(201);
    const missing = await request(app).post('/api/v1/alerts/incidents/999/notes').set(auth).send({ author: 'x', text: 'y' });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/^incident d'alerte inconnu #999 \/ unknown alert incident #999/);
    const empty = await request(app).post(`/api/v1/alerts/incidents/${id}/notes`).set(auth).send({ author: 'x', text: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.message).toMatch(/^text: texte requis \/ text is required/);
    const [listed] = (await request(app).get('/api/v1/alerts/incidents')).body as { notes: { author: string; text: string }[] }[];
    expect(listed!.notes.map((n) => `${n.author}: ${n.text}`)).toEqual(['noc-region: Le prestataire confirme une panne du CAS.']);
  });

  it('through vigie incidents ack|note, with audit entries; vigie incidents shows them; an unknown id exits 2', async () => {
    const noted = await vigieInProcess('incidents', 'note', String(id), '--text', 'Rétabli après redémarrage du CAS.', '--author', 'alice', '--config', cfg);
    expect(noted).toMatchObject({ code: 0 });
    expect(noted.out).toContain(`note added to incident #${id}`);
    const listing = await vigieInProcess('incidents', '--config', cfg);
    expect(listing.code).toBe(0);
    expect(listing.out).toMatch(/pris en charge \/ acknowledged : noc-region 2\d{3}-\d\d-\d\d \d\d:\d\d [+-]\d\d:\d\d/);
    expect(listing.out).toContain('note — alice');
    expect(listing.out).toContain('« Rétabli après redémarrage du CAS. »');
    const unknown = await vigieInProcess('incidents', 'ack', '999', '--config', cfg);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown alert incident #999');
    const badId = await vigieInProcess('incidents', 'ack', 'abc', '--config', cfg);
    expect(badId.code).toBe(2);
    const audit = await store.audit.list({ action: 'alert.' });
    expect(audit.map((a) => `${a.action} ${a.actor}`).sort()).toEqual(['alert.ack autre', 'alert.ack noc-region', 'alert.note alice', 'alert.note noc-region'].sort());
  });

  it('ack with --config on an embedded store: the subcommand opens that store, not the demo one', async () => {
    // Found by a new user: commander gave --config to the parent `incidents`, so `ack 7 --config vigie.yml` opened the
    // demo store and answered "unknown incident".
    const dataDir = join(dir, 'embedded');
    const cfg2 = join(dir, 'embedded.yml');
    writeFileSync(cfg2, JSON.stringify({ ...replayConfig({ tenants: 1, journeys: ['login'] }), storage: { dataDir } }));
    const embedded = createStore(await openEmbeddedDb(dataDir));
    await embedded.migrate();
    const t = Date.parse('2026-10-05T06:00:00Z');
    const series = { scheduleId: 'login-x', journey: 'login', target: 'ent', tenant: '0510100G' };
    await embedded.alerts.applyEvaluation({ series, evaluatedUntil: t + 600_000, state: { open: true, consecutiveDown: 2, firstDownAt: t }, opened: [{ outageStart: t, openedAt: t + 300_000 }], resolved: [], now: t + 600_000, groupWaitMs: 0 }, 'vigie.test');
    const [incident] = await embedded.alerts.listIncidents();
    await embedded.close();
    const saved = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      const acked = await vigieInProcess('incidents', 'ack', String(incident!.id), '--author', 'bob', '--config', cfg2);
      expect(acked).toMatchObject({ code: 0 });
    } finally {
      process.env.DATABASE_URL = saved;
    }
    const reopened = createStore(await openEmbeddedDb(dataDir));
    expect((await reopened.alerts.listIncidents())[0]!.acknowledgedBy).toBe('bob');
    await reopened.close();
  });
});
