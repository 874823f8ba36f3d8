import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { revisionSnapshot } from '../../core/config/revision.js';
import { validateConfig } from '../../core/config/validate.js';
import type { RunResult } from '../../core/run-types.js';
import { createPgDb, createStore, type Store } from '../../db/index.js';
import { cliTestDatabase } from '../../cli/__tests__/cli-database.js';
import { createMetrics } from '../../collector/metrics.js';
import { computeBudgets, createSources, type ClauseBudget } from '../index.js';

/**
 * Field scenario F7 through the gauges (issue 10 item 7): SLO 99.9 % over November 2025, one 1-minute probe paused
 * every night 00:00–06:00 (Paris), 32 400 active runs of which 20 down. Expected: SLI 99.9383 %, consumed 61.7284 %,
 * remaining 38.2716 %, 30-day burn rate (20 / 32 400) / 0.001 = 0.6173; no gauge NaN or ±Inf, idle windows left out.
 */
const ZONE = 'Europe/Paris';
const paris = (local: string) => DateTime.fromISO(local, { zone: ZONE }).toMillis();
const config = validateConfig({
  timezone: ZONE,
  targets: [{ id: 'ent', name: 'ENT', profile: 'sandbox', ssoUrl: 'http://sso.localhost:7080' }],
  tenants: [{ uai: '0510100G', name: 'Lycée Test', target: 'ent', entUrl: 'http://lycee.localhost:7080', academie: 'Reims', departement: '51', zone: 'B' }],
  personas: [{ id: 'prof', role: 'teacher', username: 'prof', password: { env: 'X' } }],
  journeys: { login: { timeout: '45s' } },
  schedules: [{ id: 'login', journey: 'login', tenant: '0510100G', persona: 'prof', every: '1m' }],
  contracts: [{ id: 'region', name: 'Région', startDate: '2025-09-01', clauses: [{ id: 'dispo', name: 'Disponibilité', journeys: ['login'], targetPercent: 99.9 }] }],
});

// On the local PostgreSQL: a month of 1-minute runs is written in a second there (PGlite takes twenty).
const database = cliTestDatabase('vigie_budgets');
let store: Store;
beforeAll(async () => {
  await database.create();
  store = createStore(createPgDb(database.url));
  await store.migrate();
  await store.revisions.save(revisionSnapshot(config, {}), new Date(paris('2025-10-31T12:00')));
  const runs: RunResult[] = [];
  for (let day = 1; day <= 30; day++) {
    const d = `2025-11-${String(day).padStart(2, '0')}`;
    await store.pauses.pause('login', new Date(paris(`${d}T00:00`)), 'ops', 'nuit');
    await store.pauses.resume('login', new Date(paris(`${d}T06:00`)), 'ops');
    for (let t = paris(`${d}T06:00`); t < paris(`${d}T00:00`) + 86_400_000; t += 60_000) {
      const iso = new Date(t).toISOString();
      const down = day <= 20 && t === paris(`${d}T12:00`);
      runs.push({ scheduleId: 'login', journey: 'login', target: 'ent', tenant: '0510100G', location: 'local', trigger: 'scheduled', scheduledAt: iso, revisionId: null, status: down ? 'down' : 'up', ...(down ? { kind: 'http' as const } : {}), startedAt: iso, durationMs: 900, late: false, attempts: [] });
    }
  }
  expect(runs).toHaveLength(32_400);
  await store.runs.insertBatch(runs);
}, 120_000);
afterAll(async () => {
  await store?.close();
  await database.drop();
});

const budgetsAt = async (local: string, month?: string): Promise<ClauseBudget[]> => computeBudgets(createSources(store), config.contracts, new Date(paris(local)), month ? { month } : {});

describe('F7: error budget and burn-rate gauges', () => {
  it('November: SLI 99.9383 %, consumed 61.7284 %, remaining 38.2716 %, 30-day burn 0.6173 over the expected slots', async () => {
    const [b] = await budgetsAt('2025-12-01T00:00', '2025-11');
    expect(b!.availability!.toFixed(6)).toBe('0.999383');
    expect(b!.consumed!.toFixed(6)).toBe('0.617284');
    expect(b!.remaining!.toFixed(6)).toBe('0.382716');
    // The 30-day window is November exactly: 20 down minutes over 32 400 expected (paused nights are not expected).
    expect(b!.burnRates['30d']!.toFixed(4)).toBe('0.6173');
    expect(b!.burnRates['1h']).toBe(0);
    const metrics = createMetrics();
    metrics.setBudgets([b!], paris('2025-12-01T00:00'));
    const text = await metrics.registry.metrics();
    expect(text).toContain('vigie_sla_error_budget_remaining_ratio{contract="region",clause="dispo"} 0.382716');
    expect(text).toContain(`vigie_sla_burn_rate_ratio{contract="region",clause="dispo",window="30d"} ${20 / 32_400 / 0.001}`);
    expect(text).not.toMatch(/NaN|Inf/);
  });

  it('a window inside the paused night expects nothing: no burn series for it (a gap, not 0/0); December has no data yet', async () => {
    const [b] = await budgetsAt('2025-11-15T03:00', '2025-11');
    expect(Object.keys(b!.burnRates).sort()).toEqual(['1d', '30d', '3d', '6h']);
    const [dec] = await budgetsAt('2025-12-01T00:00');
    expect(dec).toMatchObject({ availability: null, consumed: null, remaining: null });
    for (const budget of [b!, dec!]) {
      const metrics = createMetrics();
      metrics.setBudgets([budget], Date.now());
      const text = await metrics.registry.metrics();
      expect(text).not.toMatch(/NaN|Inf/);
      if (budget === b) expect(text).not.toContain('window="1h"');
      else expect(text).not.toContain('vigie_sla_availability_ratio{');
    }
  });
});
