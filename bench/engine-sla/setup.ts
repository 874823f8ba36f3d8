import { revisionSnapshot } from '../../core/config/revision.js';
import { validateConfig } from '../../core/config/validate.js';
import { uaiCheckLetter } from '../../core/uai.js';
import type { Db } from '../../db/db.js';
import { createStore } from '../../db/store.js';
import { insertRuns, JOURNEYS, type Period } from '../sla-sql/generate.js';

/**
 * The data set of `bench/engine-sla.ts`: the runs of bench/sla-sql/generate.ts (same deterministic mix of outages,
 * gaps, errors, in-school-network failures and slow runs), under a real config revision with real UAIs, so that the
 * engine reads them exactly as it reads `vigie start`'s.
 */

/** A valid UAI for tenant number `n` (1-based): stems 0510001…, with their check letter. */
export function benchUai(n: number): string {
  const stem = String(510000 + n).padStart(7, '0');
  return `${stem}${uaiCheckLetter(stem)}`;
}

export const benchScheduleId = (journey: string, uai: string) => `${journey}-${uai}`;

/**
 * The config: N lycées of zone B (Marne), 4 journeys every 5 minutes each, and a contract like a region's: 24/7 and
 * school-hours availability of login, roll call and parent view (tiers, a yearly cap, a latency objective on login),
 * and the "déconnexion effective" clause of logout.
 */
export function benchConfig(tenants: number, journeys: number): Record<string, unknown> {
  const uais = Array.from({ length: tenants }, (_, i) => benchUai(i + 1));
  const js = JOURNEYS.slice(0, journeys);
  const availability = js.filter((j) => j !== 'logout');
  const penalties = { availabilityTiers: [{ below: 99.5, amount: 500 }, { below: 99, amount: 2000 }], yearlyCap: 20_000 };
  return {
    timezone: 'Europe/Paris',
    targets: [{ id: 'ent', name: 'ENT', profile: 'sandbox', ssoUrl: 'http://sso.localhost:7080' }],
    tenants: uais.map((uai) => ({ uai, name: `Lycée ${uai}`, target: 'ent', entUrl: 'http://lycee.localhost:7080', academie: 'Reims', departement: '51', zone: 'B' })),
    personas: [{ id: 'prof', role: 'teacher', username: 'prof', password: { env: 'VIGIE_BENCH_PASSWORD' } }],
    schedules: uais.flatMap((uai) => js.map((journey) => ({ id: benchScheduleId(journey, uai), journey, tenant: uai, persona: 'prof', every: '5m' }))),
    contracts: [
      {
        id: 'region',
        name: 'Contrat ENT',
        startDate: '2026-09-01',
        clauses: [
          ...(availability.length > 0
            ? [
                { id: 'h24', name: 'Disponibilité 24/7', journeys: availability, targetPercent: 99, penalties, latency: { login: { thresholdMs: 5000, targetPercent: 90 } } },
                {
                  id: 'scolaire',
                  name: 'Disponibilité en temps scolaire',
                  journeys: availability,
                  targetPercent: 99.5,
                  serviceHours: { weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '07:00', to: '19:00' }] },
                  calendar: { schoolHolidays: true, publicHolidays: true },
                  penalties,
                },
              ]
            : []),
          ...(js.includes('logout') ? [{ id: 'deconnexion', name: 'Déconnexion effective', journeys: ['logout'], targetPercent: 99.9 }] : []),
        ],
      },
    ],
  };
}

/**
 * Creates the data set in a migrated, empty database: the revision (dated at the period's start), the expected
 * schedules for the generator (`bench_schedules`), the runs (two `INSERT … SELECT` in parallel, `runs` UNLOGGED and
 * loaded without its indexes), then the one index the engine reads through (`runs_slot_key`), and `VACUUM ANALYZE`.
 * @returns the number of rows and the seconds of each step.
 */
export async function createDataSet(db: Db, period: Period, tenants: number, journeys: number, progress: (s: string) => void): Promise<{ rows: number; loadSeconds: number; indexSeconds: number }> {
  const config = validateConfig(benchConfig(tenants, journeys));
  await createStore(db).revisions.save(revisionSnapshot(config, {}), new Date(period.from));
  await db.query('ALTER TABLE runs SET UNLOGGED');
  await db.query('DROP INDEX runs_slot_key, runs_recent_idx, runs_journey_tenant_idx');
  await db.query('ALTER TABLE runs DROP CONSTRAINT runs_pkey');
  await db.query('ALTER TABLE runs DROP CONSTRAINT runs_revision_id_fkey');
  await db.query(`CREATE TABLE bench_schedules (schedule_no int PRIMARY KEY, tenant_no int NOT NULL, schedule_id text NOT NULL, journey text NOT NULL, target text NOT NULL, tenant text NOT NULL, offset_s int NOT NULL)`);
  const rows = Array.from({ length: tenants }, (_, t) =>
    JOURNEYS.slice(0, journeys).map((journey, j) => ({ schedule_no: t * journeys + j + 1, tenant_no: t + 1, schedule_id: benchScheduleId(journey, benchUai(t + 1)), journey, target: 'ent', tenant: benchUai(t + 1), offset_s: ((t + 1) * 7 + (j + 1) * 13) % 240 })),
  ).flat();
  await db.query(`INSERT INTO bench_schedules SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(schedule_no int, tenant_no int, schedule_id text, journey text, target text, tenant text, offset_s int)`, [JSON.stringify(rows)]);
  await db.query('ANALYZE bench_schedules');
  const schedules = tenants * journeys;
  progress(`engine-sla: generating ${schedules} schedules of 5-minute runs…`);
  const t0 = performance.now();
  const half = Math.ceil(schedules / 2) + 1;
  await Promise.all([insertRuns(db, period, 1, half), insertRuns(db, period, half, schedules + 1)]);
  const loadSeconds = (performance.now() - t0) / 1000;
  progress('engine-sla: building runs_slot_key (the index the engine reads through)…');
  const t1 = performance.now();
  await db.query(`CREATE UNIQUE INDEX runs_slot_key ON runs (schedule_id, location, scheduled_at) WHERE trigger = 'scheduled'`);
  await db.query('VACUUM (ANALYZE) runs');
  const indexSeconds = (performance.now() - t1) / 1000;
  const count = await db.query<{ n: string }>('SELECT count(*) AS n FROM runs');
  return { rows: Number(count.rows[0]!.n), loadSeconds, indexSeconds };
}
