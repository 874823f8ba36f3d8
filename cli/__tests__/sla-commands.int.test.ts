import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliTestDatabase } from './cli-database.js';
import { createCollectorApp } from '../../collector/app.js';
import { createMetrics } from '../../collector/metrics.js';
import { createSlaRouter } from '../../collector/sla-routes.js';
import { createPgDb } from '../../db/pg-db.js';
import { createStore, type Store } from '../../db/store.js';
import { vigieInProcess } from './in-process-cli.js';
import { uaiCheckLetter } from '../../core/uai.js';
import { createAdminRouter } from '../../collector/admin-routes.js';
import { attachContext } from '../../collector/auth.js';
import { createSources, computeSlaReport as engineSlaReport, parseJson } from '../../engine/index.js';
import { operatorContext } from '../../core/request-context.js';
import { createLocalSlaBackend, createRemoteSlaBackend } from '../sla-backend.js';
import { replayConfig, scheduleId, tenantUai } from './replay-fixture.js';

/**
 * The SLA commands and routes on a database of their own on the local PostgreSQL: `vigie import` (bad lines named
 * by line and field), `vigie calendar import` (the shipped zone B file, idempotent), `vigie sla` (raw and corrected
 * after `vigie correction add`, then withdrawn), `vigie incident`, `vigie audit`, and the HTTP API.
 */
const database = cliTestDatabase('vigie_slacmd');
const url = database.url;
const dir = mkdtempSync(join(tmpdir(), 'vigie-slacmd-'));
const uai = tenantUai(0);
const login = scheduleId('login', uai);
const cfg = join(dir, 'vigie.yml');
let store: Store;

const vigie = vigieInProcess;

const line = (minute: number, status: string, extra: object = {}) =>
  JSON.stringify({ scheduleId: login, scheduledAt: new Date(Date.UTC(2026, 9, 5, 6, minute)).toISOString(), status, ...extra });

beforeAll(async () => {
  await database.create();
  writeFileSync(cfg, JSON.stringify(replayConfig({ tenants: 1, journeys: ['login'] })));
  store = createStore(createPgDb(url, { max: 2 }));
});
afterAll(async () => {
  await store?.close();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('vigie import', () => {
  it('imports valid lines, names each bad line and field, exits 1, and inserts 0 on re-import', async () => {
    const file = join(dir, 'runs.jsonl');
    writeFileSync(
      file,
      [
        line(0, 'up'),
        line(5, 'down', { kind: 'timeout' }),
        line(10, 'down', { kind: 'timeout' }),
        line(15, 'up'),
        line(20, 'sideways'),
        '{not json',
        JSON.stringify({ scheduleId: 'nope', scheduledAt: '2026-10-05T06:25:00Z', status: 'up' }),
        line(27, 'up'),
        '',
        line(30, 'up', { attempts: [{ attempt: 1, status: 'up', steps: [{ name: 'landing', status: 'maybe' }] }] }),
      ].join('\n'),
    );
    // All-or-nothing: a file with rejected lines stores nothing; --skip-invalid stores the valid ones, saying which.
    const refused = await vigie('import', file, '--config', cfg, '--author', 'alice');
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('0 insérées (inserted), 0 déjà présentes (duplicates), 5 lignes rejetées (rejected lines) sur 9 — révision -');
    expect(refused.err).toMatch(/ligne \/ line 5: status: /);
    expect(refused.err).toContain('nothing stored');
    const first = await vigie('import', file, '--config', cfg, '--author', 'alice', '--skip-invalid');
    expect(first.code).toBe(1);
    expect(first.out).toContain('4 insérées (inserted), 0 déjà présentes (duplicates), 5 lignes rejetées (rejected lines) sur 9');
    expect(first.out).toContain('Lignes stockées / lines stored: 1–4 (--skip-invalid)');
    expect(first.err).toMatch(/ligne \/ line 5: status: /);
    expect(first.err).toMatch(/ligne \/ line 6: \(line\): pas du JSON : .* \/ not JSON/);
    expect(first.err).toMatch(/ligne \/ line 7: scheduleId: planification inconnue "nope" .* \/ unknown schedule "nope"/);
    expect(first.err).toMatch(/ligne \/ line 8: scheduledAt: pas un début de créneau .* \/ not a slot start of schedule .* 2026-10-05T06:25:00.000Z/);
    expect(first.err).toMatch(/ligne \/ line 10: attempts\[0\]\.steps\[0\]\.status: /);
    const again = await vigie('import', file, '--config', cfg, '--skip-invalid');
    expect(again.out).toContain('0 insérées (inserted), 4 déjà présentes (duplicates)');
  });

  it('refuses a missing --config (exit 2) and an unreadable file (exit 2)', async () => {
    expect((await vigie('import', join(dir, 'runs.jsonl'))).code).toBe(2);
    const missing = await vigie('import', join(dir, 'absent.jsonl'), '--config', cfg);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('absent.jsonl');
  });
});

describe('vigie calendar import', () => {
  it('imports the shipped zone B calendar once', async () => {
    const file = new URL('../../data/calendrier-scolaire/Zone-B.ics', import.meta.url).pathname;
    const first = await vigie('calendar', 'import', file, '--author', 'alice');
    expect(first.out).toMatch(/Calendrier B importé \(\d+ périodes, 2017-2018 → 2026-2027\)/);
    const again = await vigie('calendar', 'import', file);
    expect(again.out).toContain('déjà importé');
    const stored = await store.calendars.list('Zone B');
    expect(stored).toHaveLength(1);
    expect(stored[0]?.calendar.holidays.find((h) => h.firstDay === '2026-10-17')).toMatchObject({ endDay: '2026-11-02' });
  });

  it('refuses a file whose zone contradicts --zone (exit 2) unless forced', async () => {
    const file = new URL('../../data/calendrier-scolaire/Zone-B.ics', import.meta.url).pathname;
    const wrong = await vigie('calendar', 'import', file, '--zone', 'A');
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/--zone: .*zone B.*not A/);
    expect(await store.calendars.list('A')).toEqual([]);
    const { runCalendarImport } = await import('../calendar-cmd.js');
    const forced = await runCalendarImport(file, { zone: 'A', force: true }, () => undefined);
    expect(forced).toBe(0);
    expect(await store.calendars.list('A')).toHaveLength(1);
  });

  it('imports a JSON export for one académie, and refuses a file of another format (exit 2)', async () => {
    const json = new URL('../../data/calendrier-scolaire/sample-records.json', import.meta.url).pathname;
    const res = await vigie('calendar', 'import', json, '--zone', 'B', '--academie', 'Reims');
    expect(res.code).toBe(0);
    const bad = join(dir, 'cal.txt');
    writeFileSync(bad, 'hello');
    const refused = await vigie('calendar', 'import', bad);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('cal.txt');
  });
});

describe('vigie sla, corrections, incidents, audit', () => {
  const sla = async () => JSON.parse((await vigie('sla', '--contract', 'replay', '--clause', 'h24', '--from', '2026-10-05T08:00', '--to', '2026-10-05T08:40', '--format', 'json')).out);

  it('gives raw and corrected figures; a correction changes only the corrected ones; withdrawal restores them', async () => {
    // Local 08:00–08:40 = 06:00–06:40Z: runs up, down, down, up, then 06:20 rejected, 06:25 off-slot, 06:30 rejected → missed.
    const before = await sla();
    const c0 = before.clauses[0];
    expect(c0.raw.sums).toMatchObject({ upMinutes: 10, downMinutes: 10, unknownMinutes: 20 });
    expect(c0.raw.figures.availabilityPercent).toBe(50);
    expect(c0.corrected.figures.availabilityPercent).toBe(50);
    expect(c0.episodes).toHaveLength(1);
    expect(c0.episodes[0]).toMatchObject({ start: '2026-10-05T06:05:00.000Z', end: '2026-10-05T06:15:00.000Z', gtrMinutes: 10 });

    const add = await vigie('correction', 'add', '--from', '2026-10-05T06:05:00Z', '--to', '2026-10-05T06:15:00Z', '--reason', 'panne ÉduConnect', '--scope', `tenants=${uai}`, '--author', 'bob', '--json');
    expect(add.code).toBe(0);
    const correction = JSON.parse(add.out) as { id: number };
    const after = (await sla()).clauses[0];
    expect(after.raw.figures.availabilityPercent).toBe(50);
    expect(after.corrected.figures.availabilityPercent).toBe(100);
    expect(after.corrected.sums.correctionMinutes).toBe(10);

    expect((await vigie('correction', 'withdraw', String(correction.id), '--reason', 'erreur', '--author', 'carol')).code).toBe(0);
    expect((await sla()).clauses[0].corrected.figures.availabilityPercent).toBe(50);
    const list = await vigie('correction', 'list');
    expect(list.out).toContain(`#${correction.id} 2026-10-05 08:05 +02:00 (2026-10-05 06:05Z) → 2026-10-05 08:15 +02:00 (2026-10-05 06:15Z)`);
    expect(list.out).toContain(`portée / scope tenants: ${uai}`);
    expect(list.out).toMatch(/motif \/ reason: « panne ÉduConnect » — bob/);
    expect(list.out).toMatch(/RETIRÉE \/ WITHDRAWN .* par \/ by carol : « erreur »/);
  });

  it('reads a date-time without offset as local time of the config zone, in corrections as in vigie sla', async () => {
    const add = await vigie('correction', 'add', '--from', '2026-10-05T08:05', '--to', '2026-10-05T08:15', '--reason', 'heure locale', '--author', 'bob', '--json');
    expect(add.code).toBe(0);
    const c = JSON.parse(add.out) as { id: number; start: string; end: string };
    // Paris is UTC+2 on 5 October: 08:05 local = 06:05Z, as `vigie sla --from 2026-10-05T08:00` reads it.
    expect([c.start, c.end]).toEqual(['2026-10-05T06:05:00.000Z', '2026-10-05T06:15:00.000Z']);
    expect((await vigie('correction', 'withdraw', String(c.id), '--author', 'bob')).code).toBe(0);
  });

  it('refuses unknown scope keys, malformed UAIs and ids absent from the stored config (exit 2, field named)', async () => {
    const bad = await vigie('correction', 'add', '--from', '2026-10-05T06:05:00Z', '--to', '2026-10-05T06:15:00Z', '--reason', 'x', '--scope', 'tenants=9999999Z;journeys=flying');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/scope\.tenants\[0\]: UAI "9999999Z" invalide : .* \/ invalid UAI "9999999Z"/);
    expect(bad.err).toMatch(/scope\.journeys\[0\]: parcours "flying" inconnu dans la dernière révision de la configuration .* \/ unknown journey "flying"/);
    const bare = await vigie('incident', 'add', '--from', '2026-10-05T06:05:00Z', '--reason', 'x', '--scope', 'foo');
    expect(bare.code).toBe(2);
    expect(bare.err).toContain('scope.tenants[0]');
    expect((await vigie('correction', 'add', '--from', '2026-10-05T06:05:00Z', '--to', '2026-10-05T06:15:00Z', '--reason', 'x', '--scope', 'colour=red')).code).toBe(2);
    expect((await vigie('correction', 'add', '--from', '2026-10-05T06:05:00Z', '--to', '2026-10-05T06:15:00Z', '--reason', 'x', '--scope', `tenants=0511234${uaiCheckLetter('0511234')}`)).err).toMatch(/scope\.tenants\[0\]: établissement "0511234.*" inconnu .* \/ unknown tenant "0511234/);
  });

  it('refuses an over-long period with exit 2 naming from/to', async () => {
    const res = await vigie('sla', '--contract', 'replay', '--from', '2000-01-01', '--to', '2099-12-31');
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/to: la période du 2000-01-01 au 2099-12-31 dépasse 400 jours .* \/ period from 2000-01-01 to 2099-12-31 is longer than 400 days/);
    // Years before 2000 are refused at every door (core/instant.ts), 0099 included (it once read as 1999).
    const old = await vigie('sla', '--contract', 'replay', '--from', '0099-10-05', '--to', '0099-10-06');
    expect(old.code).toBe(2);
    expect(old.err).toMatch(/from: .*before 2000/);
    expect((await vigie('sla', '--contract', 'replay', '--month', '1999-12')).err).toMatch(/month: .*before 2000/);
    const future = await vigie('correction', 'add', '--from', '2099-01-01T00:00:00Z', '--to', '2099-01-02T00:00:00Z', '--reason', 'x');
    expect(future.code).toBe(2);
    expect(future.err).toMatch(/from: .*more than a day in the future/);
  });

  it('refuses bad usage with the field named and exit code 2', async () => {
    const noPeriod = await vigie('sla', '--contract', 'replay');
    expect(noPeriod.code).toBe(2);
    const badMonth = await vigie('sla', '--contract', 'replay', '--month', '2026-13');
    expect(badMonth.code).toBe(2);
    expect(badMonth.err).toContain('month');
    const badCorrection = await vigie('correction', 'add', '--from', '2026-10-05T06:05:00Z', '--to', '2026-10-05T06:00:00Z', '--reason', 'x');
    expect(badCorrection.code).toBe(2);
    expect(badCorrection.err).toMatch(/to: doit être après from \(2026-10-05T06:05:00\.000Z\) \/ must be after from/);
    expect((await vigie('sla', '--contract', 'inconnu', '--month', '2026-10')).err).toMatch(/unknown contract "inconnu".*replay/);
    const gap = await vigie('sla', '--contract', 'replay', '--from', '2026-03-29T02:00', '--to', '2026-03-29T02:30'); // skipped by DST: not "to must be after from"
    expect([gap.code, gap.err]).toEqual([2, expect.stringMatching(/^(?!.*after from).*from: l'heure locale "2026-03-29T02:00" n'existe pas dans le fuseau Europe\/Paris \(changement d'heure .* \/ local time "2026-03-29T02:00" does not exist in Europe\/Paris \(DST change/s)]);
  });

  it('records manual incidents in the chronology, not in the figures, and keeps the audit trail', async () => {
    const before = (await sla()).clauses[0].raw.sums;
    const inc = await vigie('incident', 'add', '--from', '2026-10-05T06:00:00Z', '--to', '2026-10-05T07:00:00Z', '--reason', 'lenteurs signalées', '--author', 'dan');
    expect(inc.code).toBe(0);
    const report = await sla();
    expect(report.clauses[0].raw.sums).toEqual(before);
    expect(report.incidents.map((i: { description: string }) => i.description)).toEqual(['lenteurs signalées']);
    const audit = await vigie('audit', '--json');
    const actions = (JSON.parse(audit.out) as { action: string; actor: string }[]).map((a) => `${a.actor}:${a.action}`);
    expect(actions).toEqual(expect.arrayContaining(['alice:runs.import', 'alice:calendar.import', 'bob:correction.add', 'carol:correction.withdraw', 'dan:incident.add']));
  });

  it('prints a French table with English in parentheses, English only with --lang en, and CSV', async () => {
    const args = ['sla', '--contract', 'replay', '--from', '2026-10-05', '--to', '2026-10-06'];
    const table = await vigie(...args);
    expect(table.out).toContain('Disponibilité (availability) brut');
    expect(table.out).toContain('Heures scolaires');
    // Labels, not raw state ids; episode times in the contract zone with their offset, like the data gaps.
    expect(table.out).toContain('hors surveillance (not monitored)');
    expect(table.out).not.toMatch(/not_monitored|\bmissed \d/);
    expect(table.out).toContain(`${uai} login 2026-10-05 08:05 +02:00 → 2026-10-05 08:15 +02:00 GTR 10 min`);
    expect(table.out).toMatch(/^Planification \(schedule adherence\) : \d+ \/ \d+ créneaux exécutés \(slots executed\)/m);
    expect((await vigie(...args, '--lang', 'en')).out).toMatch(/^availability raw/m);
    const csv = (await vigie(...args, '--format', 'csv')).out.split('\n');
    expect(csv[0]).toMatch(/^clause,journey,target,tenant/);
    expect(csv.some((l) => l.startsWith(`h24,login,ent,${uai},true,raw,50,`))).toBe(true);
    expect(csv.filter((l) => l.startsWith('h24,*')).length).toBe(2);
  });
});

describe('SLA HTTP API', () => {
  const app = () =>
    createCollectorApp({
      store: { runs: { list: async () => ({ runs: [], nextCursor: null }), get: async () => null, screenshot: async () => null } },
      metrics: createMetrics(),
      logger: pino({ level: 'silent' }),
      routers: [{ path: '/api/v1', router: createSlaRouter(createLocalSlaBackend(store, { clock: () => new Date('2026-10-05T07:00:00Z') })) }],
      attachContext: attachContext('y'.repeat(64)),
    });

  it('GET /api/v1/sla gives the same JSON as vigie sla; a bad query is a 400 naming the field', async () => {
    const res = await request(app()).get('/api/v1/sla').query({ contract: 'replay', from: '2026-10-05T08:00', to: '2026-10-05T08:40', clause: 'h24' });
    expect(res.status).toBe(200);
    expect(res.body.clauses[0].raw.sums.upMinutes).toBe(10);
    const bad = await request(app()).get('/api/v1/sla').query({ contract: 'replay', month: '10-2026' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('month');
    const unknown = await request(app()).get('/api/v1/sla').query({ contract: 'replay', month: '2026-10', frobs: '1' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('frobs');
    const long = await request(app()).get('/api/v1/sla').query({ contract: 'replay', from: '2000-01-01', to: '2099-12-31' });
    expect(long.status).toBe(400);
    expect(long.body.message).toMatch(/^to: la période du 2000-01-01 au 2099-12-31 dépasse 400 jours .* \/ period from 2000-01-01/);
    const old = await request(app()).get('/api/v1/sla').query({ contract: 'replay', from: '1970-01-01', to: '1970-01-02' });
    expect(old.status).toBe(400);
    expect(old.body.message).toMatch(/^from: .*before 2000/);
  });

  it('POST/GET /api/v1/corrections and /incidents, withdraw, audit; 400 naming the field', async () => {
    const created = await request(app()).post('/api/v1/corrections').send({ from: '2026-10-05T06:00:00Z', to: '2026-10-05T06:05:00Z', reason: 'test', author: 'eve', scope: { journeys: ['login'] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ author: 'eve', createdAt: '2026-10-05T07:00:00.000Z', scope: { journeys: ['login'] } });
    const noAuthor = await request(app()).post('/api/v1/corrections').send({ from: '2026-10-05T06:00:00Z', to: '2026-10-05T06:05:00Z', reason: 'x' });
    expect(noAuthor.status).toBe(400);
    expect(noAuthor.body.message).toMatch(/^author: /);
    const nope = await request(app()).post('/api/v1/corrections').send({ from: '2026-10-05T06:00:00Z', to: '2026-10-05T06:05:00Z', reason: 'x', author: 'eve', scope: { tenants: ['NOPE'] } });
    expect(nope.status).toBe(400);
    expect(nope.body.message).toMatch(/^scope\.tenants\[0\]: UAI "NOPE" invalide : .* \/ invalid UAI "NOPE"/);
    const withdrawn = await request(app()).post(`/api/v1/corrections/${created.body.id}/withdraw`).send({ author: 'eve' });
    expect(withdrawn.body.withdrawnAt).toBe('2026-10-05T07:00:00.000Z');
    expect((await request(app()).post(`/api/v1/corrections/${created.body.id}/withdraw`).send({ author: 'eve' })).status).toBe(409);
    const listed = await request(app()).get('/api/v1/corrections').query({ from: '2026-10-05T00:00:00Z' });
    expect(listed.body.some((c: { id: number }) => c.id === created.body.id)).toBe(true);
    const incident = await request(app()).post('/api/v1/incidents').send({ from: '2026-10-05T06:00:00Z', description: 'panne réseau académique', author: 'eve' });
    expect(incident.status).toBe(201);
    expect(incident.body.end).toBeNull();
    expect((await request(app()).get('/api/v1/incidents').query({ from: 'yesterday' })).status).toBe(400);
    const audit = await request(app()).get('/api/v1/audit').query({ actor: 'eve' });
    expect(audit.body.map((a: { action: string }) => a.action)).toEqual(['incident.add', 'correction.withdraw', 'correction.add']);
  });

  it('GET /api/v1/status gives the current state and last-24-hours figures per tenant × journey', async () => {
    const res = await request(app()).get('/api/v1/status');
    expect(res.status).toBe(200);
    const row = res.body.rows.find((r: { schedule: string }) => r.schedule === login);
    // At 07:00Z the last slots were: 06:15 up, then nothing (missed) until 07:00 → no news past the grace: stale
    // (F21: a schedule that stops reporting never stays on its last state).
    expect(row).toMatchObject({ journey: 'login', tenant: uai, state: 'stale', since: '2026-10-05T06:25:00.000Z' });
    expect(row.locations).toEqual([expect.objectContaining({ location: 'local', stale: true, lastResultSlot: '2026-10-05T06:15:00.000Z' })]);
    expect(row.availability24hPercent).toBe(50);
  });

  it('goes through the admin API of a running vigie start (remote backend)', async () => {
    const token = 'x'.repeat(64);
    const server = createCollectorApp({
      store: { runs: { list: async () => ({ runs: [], nextCursor: null }), get: async () => null, screenshot: async () => null } },
      metrics: createMetrics(),
      logger: pino({ level: 'silent' }),
      routers: [{ path: '/api/v1/admin', router: createAdminRouter(token, { runManual: async () => { throw new Error('no'); }, pause: async () => { throw new Error('no'); }, resume: async () => { throw new Error('no'); }, sla: createLocalSlaBackend(store, { clock: () => new Date('2026-10-05T07:00:00Z') }) }) }],
    }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const port = (server.address() as { port: number }).port;
      const remote = createRemoteSlaBackend({ url: `http://127.0.0.1:${port}`, token, pid: process.pid });
      const ctx = operatorContext('test');
      const list = await remote.inputs.listCorrections(ctx, {});
      expect(list.length).toBeGreaterThan(0);
      await expect(remote.inputs.addCorrection(ctx, { from: 'x' } as never)).rejects.toMatchObject({ code: 'VALIDATION' });
      // The report crosses as JSON text, the same document as the local engine's.
      const query = { contract: 'replay', from: '2026-10-05T08:00', to: '2026-10-05T08:40', clause: 'h24' };
      const viaAdmin = parseJson(await remote.engine.slaReport(query));
      const local = parseJson(await createLocalSlaBackend(store, { clock: () => new Date('2026-10-05T07:00:00Z') }).engine.slaReport(query));
      expect(viaAdmin).toEqual(local);
      expect(await remote.inputs.timezone(ctx)).toBe('Europe/Paris');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('penalties', () => {
  it('applies the yearly cap to the running total of the contract year (earlier months included)', async () => {
    const computeSlaReport = (st: Store, ...rest: Parameters<typeof engineSlaReport> extends [unknown, ...infer R] ? R : never) => engineSlaReport(createSources(st), ...rest);
    const { validateConfig } = await import('../../core/config/validate.js');
    const base = replayConfig({ tenants: 1, journeys: ['login'] });
    const contract = {
      id: 'caps',
      startDate: '2026-09-01',
      clauses: [{ id: 'h24', name: '24/7', journeys: ['login'], targetPercent: 99, penalties: { availabilityTiers: [{ below: 99.99, amount: 1000 }], yearlyCap: 1500 } }],
    };
    const contracts = validateConfig({ ...base, contracts: [contract] }).contracts;
    // One down run in November (October already has 50 % on 5 October).
    await store.runs.insertBatch([{ scheduleId: login, journey: 'login', target: 'ent', tenant: uai, location: 'local', trigger: 'scheduled', scheduledAt: '2026-11-02T08:00:00.000Z', revisionId: null, status: 'down', kind: 'timeout', startedAt: '2026-11-02T08:00:00.000Z', durationMs: 1, late: false, attempts: [] }]);
    const now = new Date('2026-12-15T00:00:00Z');
    const nov = await computeSlaReport(store, { contract: 'caps', period: { month: '2026-11' } }, now, { contracts });
    const lines = nov.clauses[0]!.penalties!.lines.map((l) => [l.month, l.kind, l.amount]);
    expect(lines).toEqual([
      ['2026-11', 'availability-tier', 1000],
      ['2026-11', 'yearly-cap', -500],
    ]);
    expect(nov.clauses[0]!.penalties!.yearTotals[1]).toBe(1500);
    const octOnly = await computeSlaReport(store, { contract: 'caps', period: { month: '2026-10' } }, now, { contracts });
    expect(octOnly.clauses[0]!.penalties!.lines.map((l) => l.amount)).toEqual([1000]);
  });
});

describe('latency objectives', () => {
  it('gives attainment and nearest-rank percentiles of passing runs and of their steps', async () => {
    const computeSlaReport = (st: Store, ...rest: Parameters<typeof engineSlaReport> extends [unknown, ...infer R] ? R : never) => engineSlaReport(createSources(st), ...rest);
    const { validateConfig } = await import('../../core/config/validate.js');
    const contract = {
      id: 'lat',
      startDate: '2026-09-01',
      clauses: [{ id: 'h24', name: '24/7', journeys: ['login'], targetPercent: 99, latency: { login: { thresholdMs: 1000, targetPercent: 75, steps: { landing: 100 } } } }],
    };
    const contracts = validateConfig({ ...replayConfig({ tenants: 1, journeys: ['login'] }), contracts: [contract] }).contracts;
    // 06:00–06:20Z on 20 October: passing runs of 500, 1500, 800, 900 ms, and a down run (left out).
    const durations = [500, 1500, 800, 900, 60000];
    await store.runs.insertBatch(
      durations.map((d, i) => {
        const at = new Date(Date.UTC(2026, 9, 20, 6, i * 5)).toISOString();
        const status = i === 4 ? ('down' as const) : ('up' as const);
        return {
          scheduleId: login, journey: 'login', target: 'ent', tenant: uai, location: 'local', trigger: 'scheduled' as const, scheduledAt: at, revisionId: null, status, startedAt: at, durationMs: d, late: false,
          attempts: [{ attempt: 1, location: 'local', status, startedAt: at, durationMs: d, measures: {}, flags: [], steps: [{ name: 'landing', index: 0, status: 'passed' as const, soft: false, startedAt: at, durationMs: d / 10 }] }],
        };
      }),
    );
    const report = await computeSlaReport(store, { contract: 'lat', period: { from: '2026-10-20', to: '2026-10-21' } }, new Date('2026-12-01T00:00:00Z'), { contracts });
    const l = report.clauses[0]?.latency.login;
    expect(l?.journey).toMatchObject({ samples: 4, attainmentPercent: 75, met: true, p50Ms: 800, p95Ms: 1500, p99Ms: 1500 });
    expect(l?.steps.landing).toMatchObject({ samples: 4, attainmentPercent: 75, p50Ms: 80 });
  });

  it('takes latency samples and outage episodes within the clause service hours only (not on Sunday)', async () => {
    const computeSlaReport = (st: Store, ...rest: Parameters<typeof engineSlaReport> extends [unknown, ...infer R] ? R : never) => engineSlaReport(createSources(st), ...rest);
    const { validateConfig } = await import('../../core/config/validate.js');
    const latency = { login: { thresholdMs: 1000, targetPercent: 75 } };
    const contract = {
      id: 'weekdays',
      startDate: '2026-09-01',
      clauses: [
        { id: 'h24', name: '24/7', journeys: ['login'], targetPercent: 99, latency },
        { id: 'semaine', name: 'Semaine', journeys: ['login'], targetPercent: 99, serviceHours: { weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '07:00', to: '19:00' }] }, calendar: { schoolHolidays: false, publicHolidays: false }, latency },
      ],
    };
    const contracts = validateConfig({ ...replayConfig({ tenants: 1, journeys: ['login'] }), contracts: [contract] }).contracts;
    // Sunday 18 October 2026, 08:00–08:15 local: two slow passing runs, then two down slots.
    await store.runs.insertBatch(
      [5000, 6000, -1, -1].map((d, i) => {
        const at = new Date(Date.UTC(2026, 9, 18, 6, i * 5)).toISOString();
        const status = d < 0 ? ('down' as const) : ('up' as const);
        return { scheduleId: login, journey: 'login', target: 'ent', tenant: uai, location: 'local', trigger: 'scheduled' as const, scheduledAt: at, revisionId: null, status, ...(d < 0 ? { kind: 'timeout' as const } : {}), startedAt: at, durationMs: Math.max(d, 0), late: false, attempts: [] };
      }),
    );
    const report = await computeSlaReport(store, { contract: 'weekdays', period: { from: '2026-10-18', to: '2026-10-21' } }, new Date('2026-12-01T00:00:00Z'), { contracts });
    const [h24, week] = report.clauses;
    expect(h24?.latency.login?.journey.samples).toBe(6);
    expect(h24?.episodes.map((e) => e.start)).toContain('2026-10-18T06:10:00.000Z');
    expect(week?.latency.login?.journey).toMatchObject({ samples: 4, attainmentPercent: 75 });
    expect(week?.episodes.filter((e) => e.start.startsWith('2026-10-18'))).toEqual([]);
  });
});

// Last: these lines add runs that the figures above do not expect.
describe('vigie import, odd files', () => {
  const atLine = (at: string, status: string, extra: object = {}) => JSON.stringify({ scheduleId: login, scheduledAt: at, status, ...extra });
  it('skips a UTF-8 BOM, warns about one slot given twice with different statuses, refuses a directory (exit 2)', async () => {
    const file = join(dir, 'bom.jsonl');
    writeFileSync(file, '\uFEFF' + [atLine('2026-10-05T04:00:00Z', 'up'), atLine('2026-10-05T04:00:00Z', 'down', { kind: 'timeout' })].join('\n'));
    const res = await vigie('import', file, '--config', cfg);
    expect(res.code).toBe(0);
    expect(res.out).toContain('1 insérées (inserted), 1 déjà présentes (duplicates), 0 lignes rejetées (rejected lines) sur 2');
    expect(res.out).toMatch(/1 créneau\(x\) en double avec des statuts différents/);
    expect(res.err).toMatch(/ligne \/ line 2: .*already given at line 1 .*\(up ≠ down\)/);
    const folder = await vigie('import', dir, '--config', cfg);
    expect(folder.code).toBe(2);
    expect(folder.err).toMatch(/file: .* n'est pas un fichier \(un dossier \?\) : .* \/ .* is not a file/);
    expect(folder.err).not.toContain('EISDIR');
  });

});
