import { revisionSnapshot } from '../../core/config/revision.js';
import { validateConfig } from '../../core/config/validate.js';
import type { FailureKind, RunResult, RunStatus } from '../../core/run-types.js';
import type { Store } from '../../db/index.js';
import { tenantUai } from '../../cli/__tests__/replay-fixture.js';

/**
 * October 2026 in Paris (31 days, the 25th lasts 25 hours) for the report tests: three lycées of zone B probed every
 * hour for `login` and `logout`; the third (C) created on 15 October 00:00 by a second revision. Scripted facts:
 * - A's login down 6 October 09:00–12:00 (3 slots, kind timeout): one episode of 180 min, over the 2-hour GTR limit;
 * - B's login down 20 October 10:00 (kind http), then excluded by a correction of the rectorat (10:00–11:00, B only);
 * - a maintenance window 13 October 20:00–23:00, announced with the revision (exclude mode, every establishment);
 * - A's logout left the académie session alive 8 October 16:00 (kind security);
 * - an incident declared by hand for A, 22 October 14:00–15:00 (in the chronology, not in the figures).
 *
 * The figures, by hand (h24 clause, login): a month is 745 hours = 44 700 min per series.
 * A: excluded 180 (window), down 180 → 44 340 / 44 520 = 99.5957 %. B raw: down 60 → 44 460 / 44 520 = 99.8652 %;
 * corrected: the 60 min are excluded → 100 %. C: 409 hours from the 15th = 24 540 min, all up, 20 160 not monitored.
 * Pooled corrected: 113 340 / 113 520 = 99.8414 %; raw: 113 340 / 113 580 = 99.7887 %. Penalties: 99.8414 < 99.9 →
 * tier 500 EUR, plus 100 EUR for the episode over its limit = 600 EUR.
 */
export const [A, B, C] = [tenantUai(0), tenantUai(1), tenantUai(2)];
export const NAMES: Record<string, string> = { [A]: 'Lycée Jean Jaurès', [B]: 'Lycée Colbert', [C]: 'Lycée Pierre Bayen' };
export const MONTH_FROM = Date.UTC(2026, 8, 30, 22);
export const MONTH_TO = Date.UTC(2026, 9, 31, 23);
const C_FROM = Date.UTC(2026, 9, 14, 22);
const H = 3600_000;
export const NOW = new Date('2026-11-02T08:00:00Z');

function config(tenants: readonly string[]) {
  return validateConfig({
    timezone: 'Europe/Paris',
    targets: [{ id: 'ent', name: 'ENT', profile: 'sandbox', ssoUrl: 'http://sso.localhost:7080' }],
    tenants: tenants.map((uai) => ({ uai, name: NAMES[uai], target: 'ent', entUrl: 'http://lycee.localhost:7080', academie: 'Reims', departement: '51', zone: 'B' })),
    personas: [{ id: 'prof', role: 'teacher', username: 'prof', password: { env: 'VIGIE_REPORT_PASSWORD' } }],
    schedules: tenants.flatMap((uai) => ['login', 'logout'].map((journey) => ({ id: `${journey}-${uai}`, journey, tenant: uai, persona: 'prof', every: '1h' }))),
    contracts: [
      {
        id: 'region',
        name: 'Contrat ENT lycées',
        provider: 'Prestataire ENT',
        startDate: '2026-09-01',
        clauses: [
          { id: 'h24', name: 'Connexion 24/7', journeys: ['login'], targetPercent: 99, severity: { login: 'bloquant' }, penalties: { availabilityTiers: [{ below: 99.9, amount: 500 }], gtr: [{ severity: 'bloquant', limit: '2h', amount: 100 }] } },
          { id: 'deconnexion', name: 'Déconnexion effective', journeys: ['logout'], targetPercent: 100 },
        ],
        maintenance: [{ kind: 'one-off', id: 'mep-13', mode: 'exclude', start: '2026-10-13T20:00', end: '2026-10-13T23:00', reason: 'Mise en production' }],
      },
    ],
  });
}

function run(journey: string, tenant: string, at: number, status: RunStatus, kind?: FailureKind): RunResult {
  const iso = new Date(at).toISOString();
  return { scheduleId: `${journey}-${tenant}`, journey, target: 'ent', tenant, location: 'local', trigger: 'scheduled', scheduledAt: iso, revisionId: null, status, ...(kind ? { kind } : {}), startedAt: iso, durationMs: 1500, late: false, attempts: [] };
}

/** Fills `store` with the month above. */
export async function storeMonth(store: Store): Promise<void> {
  await store.revisions.save(revisionSnapshot(config([A, B]), {}), new Date(MONTH_FROM));
  await store.revisions.save(revisionSnapshot(config([A, B, C]), {}), new Date(C_FROM));
  const down = new Map<string, FailureKind>([
    [`login-${A}@${Date.UTC(2026, 9, 6, 7)}`, 'timeout'],
    [`login-${A}@${Date.UTC(2026, 9, 6, 8)}`, 'timeout'],
    [`login-${A}@${Date.UTC(2026, 9, 6, 9)}`, 'timeout'],
    [`login-${B}@${Date.UTC(2026, 9, 20, 8)}`, 'http'],
    [`logout-${A}@${Date.UTC(2026, 9, 8, 14)}`, 'security'],
  ]);
  const runs: RunResult[] = [];
  for (let t = MONTH_FROM; t < MONTH_TO; t += H) {
    for (const tenant of t >= C_FROM ? [A, B, C] : [A, B]) {
      for (const journey of ['login', 'logout']) {
        const kind = down.get(`${journey}-${tenant}@${t}`);
        runs.push(run(journey, tenant, t, kind ? 'down' : 'up', kind));
      }
    }
  }
  await store.runs.insertBatch(runs);
  await store.corrections.add({ start: new Date(Date.UTC(2026, 9, 20, 8)), end: new Date(Date.UTC(2026, 9, 20, 9)), scope: { tenants: [B] }, reason: 'Panne du fournisseur d’identité académique reconnue', author: 'rectorat', at: new Date('2026-10-21T09:00:00Z') });
  await store.incidents.add({ start: new Date(Date.UTC(2026, 9, 22, 12)), end: new Date(Date.UTC(2026, 9, 22, 13)), scope: { tenants: [A] }, description: 'Appel impossible signalé par la vie scolaire', author: 'cpe', at: new Date('2026-10-22T13:30:00Z') });
}
