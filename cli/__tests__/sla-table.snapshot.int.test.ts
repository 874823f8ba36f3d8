import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { revisionSnapshot } from '../../core/config/revision.js';
import { validateConfig } from '../../core/config/validate.js';
import type { RunResult, RunStatus } from '../../core/run-types.js';
import { createPgliteDb, createStore, type Store } from '../../db/index.js';
import { createEngine, parseJson, type SlaReport } from '../../engine/index.js';
import { formatSlaCsv } from '../sla-csv.js';
import { formatSlaTable } from '../sla-format.js';
import { vigieInProcess } from './in-process-cli.js';
import { replayConfig, scheduleId, tenantUai } from './replay-fixture.js';

/**
 * Issue 9 item 3: the French and the English tables, whole, as a reader gets them (snapshots reviewed by eye: French
 * numbers and punctuation in French, English ones in English, local times with their offset, one label per state),
 * from a report the engine computes: two establishments, two reference locations, an outage, a late window, a
 * penalty tier, a day still running. And a CLI error in both languages.
 */
const [t0, t1] = [tenantUai(0), tenantUai(1)];
const now = new Date('2026-10-05T08:00:00Z'); // 10:00 in Paris: the day asked for is still running
let store: Store;
let report: SlaReport;

beforeAll(async () => {
  store = createStore(await createPgliteDb());
  await store.migrate();
  const base = replayConfig({ tenants: 2, journeys: ['login'] }) as { schedules: Record<string, unknown>[]; contracts: Record<string, unknown>[] };
  const contract = base.contracts[0] as { clauses: Record<string, unknown>[]; maintenance?: unknown[]; provider?: string };
  contract.provider = 'Prestataire ENT';
  contract.clauses[0]!.penalties = { availabilityTiers: [{ below: 99, amount: 1250.5 }] };
  contract.maintenance = [{ id: 'w-late', kind: 'one-off', start: '2026-10-05T09:00', end: '2026-10-05T09:15', mode: 'exclude' }];
  const config = validateConfig({
    ...base,
    locations: [{ id: 'paris', kind: 'reference' }, { id: 'lyon', kind: 'reference' }],
    schedules: base.schedules.map((s) => ({ ...s, locations: ['paris', 'lyon'] })),
  });
  await store.revisions.save(revisionSnapshot(config, {}), new Date('2026-10-05T06:30:00Z'));
  const runs: RunResult[] = [];
  for (let t = Date.parse('2026-10-05T06:00:00Z'); t < now.getTime() - 300_000; t += 300_000) {
    const minute = (t - Date.parse('2026-10-05T06:00:00Z')) / 60_000;
    for (const [tenant, location] of [[t0, 'paris'], [t0, 'lyon'], [t1, 'paris'], [t1, 'lyon']] as const) {
      if (tenant === t1 && location === 'lyon' && minute === 50) continue; // one missed location-slot
      let status: RunStatus = 'up';
      if (tenant === t0 && minute >= 30 && minute < 45) status = 'down'; // both locations: the provider's outage
      if (tenant === t1 && location === 'lyon' && minute === 20) status = 'down'; // lyon alone could not reach the ENT
      if (tenant === t1 && minute === 70) status = 'degraded';
      const at = new Date(t).toISOString();
      runs.push({ scheduleId: scheduleId('login', tenant), journey: 'login', target: 'ent', tenant, location, trigger: 'scheduled', scheduledAt: at, revisionId: null, status, ...(status === 'down' ? { kind: 'http' as const } : {}), startedAt: at, durationMs: 1800, late: false, attempts: [] });
    }
  }
  await store.runs.insertBatch(runs);
  const engine = createEngine(store, { clock: () => now });
  report = parseJson<SlaReport>(await engine.slaReport({ contract: 'replay', from: '2026-10-05', to: '2026-10-06', clause: 'h24', by: 'tenant' }));
});
afterAll(async () => {
  await store?.close();
});

describe('the SLA table as read', () => {
  it('in French (English in parentheses), French numbers and typography', async () => {
    const table = formatSlaTable(report, 'fr');
    expect(table).toContain('Planification (schedule adherence) : 67 / 72 créneaux exécutés (slots executed) (93,06 %)');
    expect(table).not.toMatch(/\d\.\d{4} %|\bdata gap\b|hors période/);
    await expect(table).toMatchFileSnapshot('__snapshots__/sla-table.fr.txt');
  });

  it('in English, English numbers and punctuation', async () => {
    const table = formatSlaTable(report, 'en');
    // No French word, no French decimal comma, no space before a colon.
    expect(table).not.toMatch(/\d,\d{4}|\w : |disponib|comptées|créneau|établissement|période/i);
    await expect(table).toMatchFileSnapshot('__snapshots__/sla-table.en.txt');
  });

  it('CSV: the per-tenant rows and the locations table', async () => {
    await expect(formatSlaCsv(report)).toMatchFileSnapshot('__snapshots__/sla-table.csv');
  });
});

describe('a CLI error, French then English', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-cli-error-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the field in both languages and exits 2', async () => {
    const res = await vigieInProcess('sla', '--contract', 'replay', '--month', '2026-13', '--data-dir', dir);
    expect(res.code).toBe(2);
    expect(res.out).toBe('');
    await expect(res.err).toMatchFileSnapshot('__snapshots__/cli-error.txt');
  });
});
