import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/db.js';
import { migrate } from '../../db/migrate.js';
import { createPgDb } from '../../db/pg-db.js';
import { createSchedules, insertRuns, periodOf, type Period } from '../sla-sql/generate.js';
import { computeSla, countFloor, samplePercentiles, type ClauseFigures, type ServiceHours } from '../sla-sql/queries.js';

// The SQL of bench/sla-sql.ts checked on tiny data sets: a hand-computed day, the month's grid (fall-back day), and
// a generated sample against an independent computation in TypeScript from the raw rows.

const URL = process.env.VIGIE_TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const schema = `vigie_slasql_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const TZ = 'Europe/Paris';
const HOURS: ServiceHours = { timeZone: TZ, from: '07:00', to: '19:00' };

let admin: Db;
let db: Db;
beforeAll(async () => {
  admin = createPgDb(URL, { max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  db = createPgDb(URL, { schema, max: 2 });
  await migrate(db);
});
afterAll(async () => {
  await db?.close();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.close();
});

/** A scheduled (or manual) run of the `login` journey at a local wall-clock time of 2026-10-01 (or `day`). */
async function run(tenant: string, local: string, status: string, kind: string | null = null, trigger = 'scheduled', day = '2026-10-01'): Promise<void> {
  const at = DateTime.fromISO(`${day}T${local}`, { zone: TZ }).toUTC().toISO();
  await db.query(
    `INSERT INTO runs (schedule_id, journey, target, tenant, location, trigger, scheduled_at, status, kind, started_at, duration_ms, attempts_count)
     VALUES ($1, 'login', 'ent-0', $2, 'local', $3, $4, $5, $6, $4, 1000, 1)`,
    [`login:${tenant}`, tenant, trigger, at, status, kind],
  );
}

function pick(f: ClauseFigures) {
  return [f.counted, f.up, f.degraded, f.down, f.excluded, f.error, f.missing, f.unknown, f.observed];
}

describe('sla-sql queries', () => {
  it('match a hand computation on one day, 2 tenants (pooled minutes, not averaged percentages)', async () => {
    await db.query('TRUNCATE runs');
    await createSchedules(db, { tenants: 2, journeys: 1 }); // tenants 0510001B and 0510002C, journey login
    const B = '0510001B';
    const C = '0510002C';
    await run(B, '06:55', 'up'); // outside service hours
    await run(B, '07:00', 'down', 'http'); // first slot in hours
    await run(B, '07:05', 'degraded');
    await run(B, '10:00', 'down', 'local-network'); // establishment's network: excluded by a provider clause
    await run(B, '12:00', 'error', 'infra');
    await run(B, '18:55', 'up'); // last slot in hours
    await run(B, '19:00', 'down', 'timeout'); // outside
    await run(B, '08:00', 'up', null, 'manual'); // manual: outside SLA slots
    await run(B, '23:55', 'up', null, 'scheduled', '2026-09-30'); // the day before the period
    await run(C, '08:00', 'up');
    const period = await periodOf(db, { fromDate: '2026-10-01', days: 1, timeZone: TZ });
    expect(period).toEqual({ from: '2026-09-30T22:00:00.000Z', to: '2026-10-01T22:00:00.000Z' });

    const { figures, party } = await computeSla(db, period, HOURS);
    const [pooled, b, c] = figures;
    if (!pooled || !b || !c) throw new Error(`expected 3 figure rows (pooled, ${B}, ${C}), got ${figures.length}`);
    expect([pooled.tenant, b.tenant, c.tenant]).toEqual([null, B, C]);
    // 24/7: 288 slots = 1440 min. B: up 06:55 + 18:55 = 10, degraded 5, down 07:00 + 19:00 = 10, excluded 5,
    // error 5, 7 rows = 35 min → missing 1405, unknown 1410, observed 25.
    expect(pick(b.all)).toEqual([1440, 10, 5, 10, 5, 5, 1405, 1410, 25]);
    expect(b.all.availability).toBeCloseTo((100 * 15) / (1440 - 5 - 1410), 10); // 60 %
    expect(b.all.coverage).toBeCloseTo((100 * 25) / (1440 - 5), 10); // 1.7422 %
    // Mon–Fri 07–19 (a Thursday): 144 slots = 720 min; in hours 07:00 down, 07:05 degraded, 10:00 excluded,
    // 12:00 error, 18:55 up.
    expect(pick(b.hours)).toEqual([720, 5, 5, 5, 5, 5, 695, 700, 15]);
    expect(b.hours.availability).toBeCloseTo((100 * 10) / 15, 10);
    expect(b.hours.coverage).toBeCloseTo((100 * 15) / 715, 10);
    expect(pick(c.all)).toEqual([1440, 5, 0, 0, 0, 0, 1435, 1435, 5]);
    expect(c.all.availability).toBe(100);
    // Pooled: sums of minutes. 20 up of 30 eligible = 66.6667 %, not the mean of 60 % and 100 %.
    expect(pick(pooled.all)).toEqual([2880, 15, 5, 10, 5, 5, 2840, 2845, 30]);
    expect(pooled.all.availability).toBeCloseTo((100 * 20) / 30, 10);
    expect(pooled.all.coverage).toBeCloseTo((100 * 30) / 2875, 10);
    expect(pick(pooled.hours)).toEqual([1440, 10, 5, 5, 5, 5, 1410, 1415, 20]);
    expect(pooled.hours.availability).toBeCloseTo(75, 10);

    expect(party.map((p) => [p.state, p.party, p.kind, p.allMinutes, p.hoursMinutes])).toEqual([
      ['degraded', null, null, 5, 5],
      ['down', 'establishment-network', 'local-network', 5, 5],
      ['down', 'provider', 'http', 5, 5],
      ['down', 'provider', 'timeout', 5, 0],
      ['error', 'vigie', 'infra', 5, 5],
      ['up', null, null, 15, 10],
    ]);
    expect(await countFloor(db, period)).toBe(8); // scheduled rows of the period
  });

  it('counts 44,700 minutes in October 2026 (25-hour fall-back day) and 22 weekdays × 12 h of service hours', async () => {
    await db.query('TRUNCATE runs');
    await createSchedules(db, { tenants: 1, journeys: 1 });
    const period = await periodOf(db, { fromDate: '2026-10-01', days: 31, timeZone: TZ });
    expect(period).toEqual({ from: '2026-09-30T22:00:00.000Z', to: '2026-10-31T23:00:00.000Z' });
    const { figures } = await computeSla(db, period, HOURS);
    expect(figures[0]!.all.counted).toBe(44_700);
    expect(figures[0]!.hours.counted).toBe(22 * 12 * 60);
    expect(figures[0]!.all.availability).toBeNull(); // nothing observed: no data, never 0 % or NaN
    expect(figures[0]!.all.coverage).toBe(0);
  });

  it('agree with a TypeScript computation from the raw rows of a generated sample', async () => {
    await db.query('TRUNCATE runs');
    await createSchedules(db, { tenants: 5, journeys: 4 });
    // 25 and 26 October: the fall-back Sunday and a Monday.
    const period: Period = await periodOf(db, { fromDate: '2026-10-25', days: 2, timeZone: TZ });
    await insertRuns(db, period, 1, 21);
    const { rows } = await db.query<{ tenant: string; status: string; kind: string | null; scheduled_at: Date; duration_ms: number }>(
      'SELECT tenant, status, kind, scheduled_at, duration_ms FROM runs',
    );
    const slotsPerSchedule = (25 + 24) * 12;
    expect(rows.length).toBeGreaterThan(0.9 * 20 * slotsPerSchedule);
    expect(rows.length).toBeLessThan(20 * slotsPerSchedule); // some slots are missing
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['up', 'degraded', 'down', 'error']));

    const sums = { up: 0, degraded: 0, down: 0, excluded: 0, error: 0, hoursUp: 0, hoursRows: 0 };
    for (const r of rows) {
      const local = DateTime.fromJSDate(r.scheduled_at, { zone: TZ });
      const inHours = local.weekday <= 5 && local.hour >= 7 && local.hour < 19;
      const key = r.status === 'down' && r.kind === 'local-network' ? 'excluded' : (r.status as 'up' | 'degraded' | 'down' | 'error');
      sums[key] += 5;
      if (inHours) sums.hoursRows += 5;
      if (inHours && (r.status === 'up' || r.status === 'degraded')) sums.hoursUp += 5;
    }
    const counted = 20 * slotsPerSchedule * 5;
    const hoursCounted = 20 * 12 * 60; // only Monday
    const missing = counted - rows.length * 5;
    const { figures } = await computeSla(db, period, HOURS);
    const pooled = figures[0]!;
    expect(pick(pooled.all)).toEqual([
      counted, sums.up, sums.degraded, sums.down, sums.excluded, sums.error, missing, sums.error + missing,
      sums.up + sums.degraded + sums.down,
    ]);
    expect(pooled.all.availability).toBeCloseTo((100 * (sums.up + sums.degraded)) / (counted - sums.excluded - sums.error - missing), 10);
    expect(pooled.hours.counted).toBe(hoursCounted);
    expect(pooled.hours.up + pooled.hours.degraded).toBe(sums.hoursUp);
    expect(hoursCounted - pooled.hours.missing).toBe(sums.hoursRows);

    // Exact percentiles (no sample) equal percentile_disc computed here: the smallest value reaching the fraction.
    const passed = rows.filter((r) => r.status === 'up' || r.status === 'degraded').map((r) => r.duration_ms).sort((a, b) => a - b);
    const disc = (p: number) => passed[Math.ceil(p * passed.length) - 1];
    const exact = await samplePercentiles(db, period, null);
    const all = exact.find((e) => e.journey === null)!;
    expect([all.sampled, all.p50, all.p95, all.p99]).toEqual([passed.length, disc(0.5), disc(0.95), disc(0.99)]);
  });
});
