import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revisionSnapshot } from '../../core/config/revision.js';
import { validateConfig } from '../../core/config/validate.js';
import type { SlaReport } from '../../engine/index.js';
import { vigieInProcess } from './in-process-cli.js';
import { openStore } from '../store-open.js';
import { replayConfig, scheduleId, tenantUai } from './replay-fixture.js';

/**
 * Honest imports (issue 8 item 3), through the real `vigie import` into an embedded PGlite store:
 * - the revision of an import is marked imported with its author, and the maintenance windows it brings count as
 *   announced at the import time (DESIGN.md §5), in every output; re-importing with an edited config or a file that
 *   starts earlier never makes a late window early;
 * - a file is all-or-nothing: a NUL byte at line 10 001 (PostgreSQL refuses it) is a rejected line naming the line
 *   and the field, nothing stored, an audit entry; `--skip-invalid` stores the valid lines and says which;
 * - years before 2000 are refused and no revision is ever dated before 2000.
 * The clause counts 24/7 with a notice period of 2 days; the window `w` is 08:00–09:00 (Paris) on 6 October 2026, and
 * the runs are down during it, up otherwise.
 */
const dir = mkdtempSync(join(tmpdir(), 'vigie-import-honest-'));
const savedUrl = process.env.DATABASE_URL;
const logger = pino({ level: 'silent' });
const [t0, t1] = [tenantUai(0), tenantUai(1)];
const paris = (day: string, hhmm: string) => Date.parse(`2026-10-${day}T${hhmm}:00+02:00`);
const w = { id: 'w', kind: 'one-off', start: '2026-10-06T08:00', end: '2026-10-06T09:00', mode: 'exclude' };
const w2 = { id: 'w2', kind: 'one-off', start: '2026-10-06T10:00', end: '2026-10-06T11:00', mode: 'exclude' };

function configFile(name: string, windows: object[], targetPercent = 99): string {
  const file = join(dir, name);
  const base = replayConfig({ tenants: 2, journeys: ['login'] });
  const clauses = [{ id: 'h24', name: '24/7', journeys: ['login'], targetPercent, noticePeriod: '2d' }];
  writeFileSync(file, JSON.stringify({ ...base, contracts: [{ id: 'maint', name: 'Maintenance', startDate: '2026-09-01', clauses, maintenance: windows }] }));
  return file;
}
/** Runs of one tenant every 5 minutes over `[from, to)`, down 08:00–09:00 and 10:00–11:00 on 6 October. */
function runsFile(name: string, uai: string, from: number, to: number, extra: string[] = []): string {
  const lines: string[] = [];
  for (let t = from; t < to; t += 300_000) {
    const down = (t >= paris('06', '08:00') && t < paris('06', '09:00')) || (t >= paris('06', '10:00') && t < paris('06', '11:00'));
    lines.push(JSON.stringify({ scheduleId: scheduleId('login', uai), scheduledAt: new Date(t).toISOString(), status: down ? 'down' : 'up', ...(down ? { kind: 'timeout' } : {}) }));
  }
  const file = join(dir, name);
  writeFileSync(file, [...lines, ...extra].join('\n'));
  return file;
}

const vigie = vigieInProcess;
const dataDir = (name: string) => join(dir, name);
async function withStore<T>(data: string, fn: (s: Awaited<ReturnType<typeof openStore>>['store']) => Promise<T>): Promise<T> {
  const handle = await openStore({ env: {}, dataDir: data, logger });
  try {
    return await fn(handle.store);
  } finally {
    await handle.close();
  }
}
async function sla(data: string, tenant: string, format = 'json'): Promise<string> {
  const res = await vigie('sla', '--contract', 'maint', '--from', '2026-10-06T08:00', '--to', '2026-10-06T12:00', '--tenant', tenant, '--format', format, '--data-dir', data);
  expect(res.code).toBe(0);
  return res.out;
}
const windowsOf = async (data: string, tenant: string) => (JSON.parse(await sla(data, tenant)) as SlaReport).clauses[0]!;

beforeAll(() => {
  delete process.env.DATABASE_URL;
  process.env.VIGIE_REPLAY_PASSWORD = 'test';
  process.env.VIGIE_LOG_LEVEL = 'silent';
});
afterAll(() => {
  if (savedUrl !== undefined) process.env.DATABASE_URL = savedUrl;
  rmSync(dir, { recursive: true, force: true });
});

describe('the revision of an import, and the windows it brings', () => {
  const data = dataDir('windows');
  let importedAt: [number, number];

  it('is marked imported with its author, dated at the first slot; its window is announced at the import: late, counted', async () => {
    const before = Date.now();
    const res = await vigie('import', runsFile('a.jsonl', t0, paris('05', '00:00'), paris('07', '00:00')), '--config', configFile('a.yml', [w]), '--author', 'alice', '--data-dir', data);
    importedAt = [before, Date.now()];
    expect(res.code).toBe(0);
    const revision = await withStore(data, (s) => s.revisions.latest());
    expect(revision).toMatchObject({ createdAt: new Date(paris('05', '00:00')).toISOString(), imported: { by: 'alice' } });
    expect(Date.parse(revision!.imported!.at)).toBeGreaterThanOrEqual(importedAt[0]);
    const clause = await windowsOf(data, t0);
    expect(clause.maintenanceWindows).toEqual([{ id: 'w', mode: 'exclude', start: '2026-10-06T06:00:00.000Z', end: '2026-10-06T07:00:00.000Z', announcedAt: revision!.imported!.at, noticeMinutes: 2880, late: true, excluded: false }]);
    // Late: its hour counts as measured (down), nothing is excluded.
    expect(clause.raw.sums).toMatchObject({ countedMinutes: 240, downMinutes: 120, maintenanceMinutes: 0, excludedMinutes: 0 });
  });

  it('stays late when re-imported with an edited config from a file that starts earlier', async () => {
    const res = await vigie('import', runsFile('b.jsonl', t0, paris('01', '00:00'), paris('07', '00:00')), '--config', configFile('b.yml', [w], 98), '--author', 'bob', '--data-dir', data);
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/insérées \(inserted\), 576 déjà présentes/);
    const revisions = await withStore(data, (s) => s.revisions.listInForce(new Date(paris('01', '00:00')), new Date(paris('07', '00:00'))));
    expect(revisions.map((r) => [r.createdAt, r.imported?.by])).toEqual([[new Date(paris('01', '00:00')).toISOString(), 'bob'], [new Date(paris('05', '00:00')).toISOString(), 'alice']]);
    const [window] = (await windowsOf(data, t0)).maintenanceWindows;
    expect(window).toMatchObject({ id: 'w', late: true, excluded: false });
    expect(Date.parse(window!.announcedAt!)).toBeLessThanOrEqual(importedAt[1]);
  });

  it('does not make early a window a running Vigie stored late, whatever the first slot of a later import', async () => {
    // vigie start stored w2 at 07:00 on the 6th: 3 hours' notice for a 2-day notice period.
    const clauses = [{ id: 'h24', name: '24/7', journeys: ['login'], targetPercent: 99, noticePeriod: '2d' }];
    const running = validateConfig({ ...replayConfig({ tenants: 2, journeys: ['login'] }), contracts: [{ id: 'maint', name: 'Maintenance', startDate: '2026-09-01', clauses, maintenance: [w, w2] }] });
    await withStore(data, (s) => s.revisions.save(revisionSnapshot(running, {}), new Date(paris('06', '07:00'))));
    const res = await vigie('import', runsFile('c.jsonl', t1, paris('01', '00:00'), paris('07', '00:00')), '--config', configFile('c.yml', [w, w2]), '--author', 'mallory', '--data-dir', data);
    expect(res.code).toBe(0);
    const clause = await windowsOf(data, t1);
    expect(clause.maintenanceWindows.map((m) => [m.id, m.late, m.excluded])).toEqual([['w', true, false], ['w2', true, false]]);
    expect(clause.maintenanceWindows[1]!.announcedAt).toBe(new Date(paris('06', '07:00')).toISOString());
    expect(clause.raw.sums).toMatchObject({ downMinutes: 120, maintenanceMinutes: 0 });
    // The table and the CSV list them too, with their announcement and treatment.
    const table = await sla(data, t1, 'table');
    expect(table).toContain('Fenêtres de maintenance (maintenance windows)');
    expect(table).toMatch(/w2 2026-10-06 10:00 \+02:00 → 2026-10-06 11:00 \+02:00 mode exclusion \(exclude mode\) · annoncée \(announced\) 2026-10-06 07:00 \+02:00 · préavis \(notice\) 2 880 min → en retard, comptée \(late, counted\)/);
    const csv = (await sla(data, t1, 'csv')).split('\n');
    const at = csv.indexOf('clause,window,mode,start,end,announced_at,notice_min,late,excluded');
    expect(at).toBeGreaterThan(0);
    expect(csv[at - 1]).toBe('');
    expect(csv.slice(at + 1)).toContain('h24,w2,exclude,2026-10-06T08:00:00.000Z,2026-10-06T09:00:00.000Z,2026-10-06T05:00:00.000Z,2880,true,false');
  });

  it('lists a window only in a --config file (never in a revision) as never announced, late', async () => {
    const w3 = { id: 'w3', kind: 'one-off', start: '2026-10-06T11:00', end: '2026-10-06T11:30', mode: 'exclude' };
    const args = ['sla', '--contract', 'maint', '--from', '2026-10-06T08:00', '--to', '2026-10-06T12:00', '--tenant', t1, '--config', configFile('d.yml', [w, w2, w3]), '--data-dir', data];
    const json = await vigie(...args, '--format', 'json');
    expect(json.code).toBe(0);
    const windows = (JSON.parse(json.out) as SlaReport).clauses[0]!.maintenanceWindows;
    expect(windows.find((m) => m.id === 'w3')).toMatchObject({ announcedAt: null, late: true, excluded: false });
    expect((await vigie(...args, '--lang', 'en')).out).toMatch(/w3 .* · never announced in a revision · notice 2,880 min → late, counted/);
  });
});

describe('a file is all-or-nothing, and always audited', () => {
  const data = dataDir('nul');
  const uai = t0;
  const count = () => withStore(data, async (s) => (await s.runs.list({ schedule: scheduleId('login', uai), limit: 500 })).runs.length);
  const audit = () => withStore(data, async (s) => s.audit.list({ action: 'runs.import' }));
  const nul = JSON.stringify({ scheduleId: scheduleId('login', uai), scheduledAt: new Date(paris('10', '00:00')).toISOString(), status: 'down', kind: 'timeout', reason: 'a\u0000b' });

  it('a NUL byte at line 10 001 is a rejected line naming line and field: nothing stored, no stack, an audit entry', async () => {
    const file = runsFile('nul.jsonl', uai, paris('05', '00:00'), paris('05', '00:00') + 10_000 * 300_000, [nul]);
    const res = await vigie('import', file, '--config', configFile('n.yml', []), '--author', 'alice', '--data-dir', data);
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/ligne \/ line 10001: reason: contient un caractère NUL \(U\+0000\) à la position \d+ : impossible à enregistrer \/ contains a NUL character \(U\+0000\) at position \d+: not storable/);
    expect(res.err).toMatch(/Rien n’est stocké \/ nothing stored/);
    expect(res.err).not.toMatch(/\n\s+at /);
    expect(res.out).toContain('0 insérées (inserted), 0 déjà présentes (duplicates), 1 lignes rejetées (rejected lines) sur 10001 — révision -');
    expect(await count()).toBe(0);
    expect(await withStore(data, (s) => s.revisions.latest())).toBeNull();
    expect((await audit())[0]).toMatchObject({ actor: 'alice', subject: 'nul.jsonl', details: { outcome: 'refused', lines: 10001, rejected: 1, rejectedLines: [10001], inserted: 0 } });

    const skip = await vigie('import', file, '--config', configFile('n.yml', []), '--author', 'alice', '--data-dir', data, '--skip-invalid');
    expect(skip.code).toBe(1);
    expect(skip.out).toContain('10000 insérées (inserted), 0 déjà présentes (duplicates), 1 lignes rejetées (rejected lines) sur 10001');
    expect(skip.out).toContain('Lignes stockées / lines stored: 1–10000 (--skip-invalid)');
    expect((await audit())[0]).toMatchObject({ details: { outcome: 'stored', inserted: 10000, rejectedLines: [10001] } });
  });

  it('a line whose bytes are not UTF-8 is rejected naming line and character, never stored with U+FFFD in it', async () => {
    const file = join(dir, 'latin1.jsonl');
    const nov20 = (hhmm: string) => Date.parse(`2026-11-20T${hhmm}:00+01:00`); // after the slots of the test above
    const ok = JSON.stringify({ scheduleId: scheduleId('login', uai), scheduledAt: new Date(nov20('00:00')).toISOString(), status: 'up' });
    // Line 2 was saved in Latin-1: "réseau" with é as the single byte 0xE9; line 3 keeps a real U+FFFD, valid UTF-8.
    const bad = Buffer.from(JSON.stringify({ scheduleId: scheduleId('login', uai), scheduledAt: new Date(nov20('00:05')).toISOString(), status: 'down', kind: 'http', reason: 'r\u00e9seau' }), 'latin1');
    const real = JSON.stringify({ scheduleId: scheduleId('login', uai), scheduledAt: new Date(nov20('00:10')).toISOString(), status: 'down', kind: 'http', reason: 'a\uFFFDb' });
    writeFileSync(file, Buffer.concat([Buffer.from(`${ok}\r\n`), bad, Buffer.from(`\n${real}\n`)]));
    const before = await count();
    const res = await vigie('import', file, '--config', configFile('n.yml', []), '--data-dir', data);
    expect(res.code).toBe(1);
    const col = bad.toString('latin1').indexOf('\u00e9') + 1;
    expect(res.err).toContain(`ligne / line 2: (ligne / line): octets UTF-8 invalides au caractère ${col} / invalid UTF-8 bytes at character ${col}`);
    expect(res.err).not.toMatch(/line [13]:/);
    expect(await count()).toBe(before);
    const skip = await vigie('import', file, '--config', configFile('n.yml', []), '--data-dir', data, '--skip-invalid');
    expect(skip.out).toContain('2 insérées (inserted)');
    const stored = await withStore(data, async (s) => (await s.runs.list({ schedule: scheduleId('login', uai), limit: 500 })).runs);
    expect(stored.some((r) => r.scheduledAt === new Date(nov20('00:05')).toISOString())).toBe(false);
  });

  it('refuses years before 2000 (0099-10-05 is not 1999): no revision is dated before 2000', async () => {
    const file = join(dir, 'old.jsonl');
    writeFileSync(file, JSON.stringify({ scheduleId: scheduleId('login', uai), scheduledAt: '0099-10-05T06:00:00Z', status: 'up' }));
    const res = await vigie('import', file, '--config', configFile('n.yml', []), '--data-dir', data);
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/ligne \/ line 1: scheduledAt: 0099-10-05T06:00:00.000Z est avant 2000.* \/ 0099-10-05T06:00:00.000Z is before 2000/);
    const revisions = await withStore(data, (s) => s.revisions.listInForce(new Date('2000-01-01T00:00:00Z'), new Date()));
    expect(revisions.every((r) => r.createdAt >= '2000')).toBe(true);
    expect(await withStore(data, (s) => s.revisions.latest(new Date('2000-01-01T00:00:00Z')))).toBeNull();
  });
});
