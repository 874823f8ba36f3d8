import type { Db } from '../../db/db.js';

/**
 * Synthetic month of 5-minute runs for `bench/sla-sql.ts`, generated inside PostgreSQL with `generate_series` into
 * Vigie's real `runs` table (db/migrations/001-initial.sql: same columns, types and CHECKs).
 *
 * The mix is deterministic (hashes of the schedule, slot and hour, no `random()`), so two runs of the benchmark
 * scan the same data:
 * - tenant outages: for ~0.4 % of (tenant, hour) pairs every journey of the tenant is `down` for the whole hour
 *   (kind timeout / http / assertion), about three hours per tenant and month;
 * - collector gaps: ~0.3 % of the hours have no row at all for anybody (missing slots);
 * - per slot: 1.5 % missing, 0.5 % `error` (kind `infra`, our side), 0.2 % `down` with kind `local-network` (party
 *   establishment-network, a party an availability clause does not count), 0.6 % `down` (assertion, http, timeout,
 *   network), 4.2 % `degraded`, the rest `up`.
 */

/** Slot length of every generated schedule. */
export const SLOT_MINUTES = 5;

/** The four journeys of DESIGN.md §2 (logout is only counted by a "déconnexion effective" clause in Vigie, but it is
 * scanned like the others here: the benchmark measures SQL over 4 journeys × tenants). */
export const JOURNEYS = ['login', 'roll-call', 'parent-view', 'logout'] as const;

/** Size and period of a generated data set. */
export interface GenerateOptions {
  tenants: number;
  journeys: number;
  /** Period start as a local date (`YYYY-MM-DD`) in `timeZone`, midnight. */
  fromDate: string;
  /** Local days from `fromDate` (31 = October 2026 with its 25-hour fall-back day). */
  days: number;
  timeZone: string;
}

/** Period bounds as UTC instants (ISO strings) computed by PostgreSQL from local midnights. */
export interface Period {
  from: string;
  to: string;
}

/** Resolves the local-midnight bounds of the period through PostgreSQL's time-zone rules. */
export async function periodOf(db: Db, o: Pick<GenerateOptions, 'fromDate' | 'days' | 'timeZone'>): Promise<Period> {
  const { rows } = await db.query<{ from: Date; to: Date }>(
    `SELECT ($1::date::timestamp AT TIME ZONE $3) AS "from", (($1::date + $2::int)::timestamp AT TIME ZONE $3) AS "to"`,
    [o.fromDate, o.days, o.timeZone],
  );
  const [row] = rows; // a SELECT without FROM returns exactly one row
  return { from: row!.from.toISOString(), to: row!.to.toISOString() };
}

/**
 * Creates `bench_schedules` (the expected schedules: what Vigie reads from the config revision, here one schedule per
 * journey × tenant) — the SLA queries need it to count missing slots, which have no row.
 */
export async function createSchedules(db: Db, o: Pick<GenerateOptions, 'tenants' | 'journeys'>): Promise<void> {
  if (o.journeys < 1 || o.journeys > JOURNEYS.length) throw new RangeError(`journeys must be 1–${JOURNEYS.length}`);
  await db.query('DROP TABLE IF EXISTS bench_schedules');
  await db.query(`CREATE TABLE bench_schedules (
    schedule_no int PRIMARY KEY, tenant_no int NOT NULL, schedule_id text NOT NULL, journey text NOT NULL,
    target text NOT NULL, tenant text NOT NULL, offset_s int NOT NULL)`);
  await db.query(
    `INSERT INTO bench_schedules
     SELECT (t - 1) * $2 + j, t, jn || ':' || uai, jn, 'ent-' || (t % 5), uai, ((t * 7 + j * 13) % 240)
     FROM generate_series(1, $1::int) t
     CROSS JOIN LATERAL (SELECT '051' || lpad(t::text, 4, '0') || chr(65 + t % 26) AS uai) u
     CROSS JOIN generate_series(1, $2::int) j
     CROSS JOIN LATERAL (SELECT ($3::text[])[j] AS jn) n`,
    [o.tenants, o.journeys, [...JOURNEYS]],
  );
  await db.query('ANALYZE bench_schedules');
}

/**
 * Inserts the runs of schedules `[firstNo, endNo)` over `period`; call it on several connections with disjoint ranges
 * to load in parallel (INSERT … SELECT is not parallelised by PostgreSQL 15).
 */
export async function insertRuns(db: Db, period: Period, firstNo: number, endNo: number): Promise<void> {
  await db.query(
    `INSERT INTO runs (schedule_id, journey, target, tenant, location, trigger, scheduled_at, status, kind,
                       started_at, duration_ms, attempts_count, received_at)
     SELECT schedule_id, journey, target, tenant, 'local', 'scheduled', slot_start, st.status, st.kind,
            slot_start + offset_s * interval '1 second', st.duration_ms, st.attempts,
            slot_start + offset_s * interval '1 second' + st.duration_ms * interval '1 ms'
     FROM (
       SELECT sc.*, g.slot_start,
              (hashint8extended(sc.schedule_no::bigint * 10000000 + g.slot_no, 1) & 16777215)::float8 / 16777216 AS u,
              (hashint8extended(sc.schedule_no::bigint * 10000000 + g.slot_no, 4) & 16777215)::float8 / 16777216 AS v,
              (hashint8extended(sc.tenant_no::bigint * 1000000 + g.hour_no, 2) & 16777215)::float8 / 16777216 AS outage,
              (hashint8extended(g.hour_no, 3) & 16777215)::float8 / 16777216 AS gap
       FROM bench_schedules sc
       CROSS JOIN (
         SELECT s AS slot_start, (extract(epoch FROM s) / 300)::bigint AS slot_no, (extract(epoch FROM s) / 3600)::bigint AS hour_no
         FROM generate_series($1::timestamptz, $2::timestamptz - interval '5 minutes', interval '5 minutes') s
       ) g
       WHERE sc.schedule_no >= $3 AND sc.schedule_no < $4
       OFFSET 0 -- a fence: without it the planner inlines u, v… into every CASE below and hashes each ten times
     ) x
     CROSS JOIN LATERAL (
       SELECT CASE WHEN outage < 0.004 THEN 'down' WHEN u < 0.020 THEN 'error' WHEN u < 0.028 THEN 'down'
                   WHEN u < 0.070 THEN 'degraded' ELSE 'up' END AS status,
              CASE WHEN outage < 0.004 THEN (ARRAY['timeout', 'http', 'assertion'])[1 + tenant_no % 3]
                   WHEN u < 0.020 THEN 'infra' WHEN u < 0.022 THEN 'local-network'
                   WHEN u < 0.028 THEN (ARRAY['assertion', 'http', 'timeout', 'network'])[1 + floor(v * 4)::int]
                   END AS kind,
              CASE WHEN outage < 0.004 OR u < 0.028 THEN 2 ELSE 1 END AS attempts,
              CASE WHEN outage < 0.004 THEN 30000
                   WHEN u < 0.028 THEN 500 + floor(v * 9500)::int
                   WHEN u < 0.070 THEN 8000 + floor(v * 7000)::int
                   -- up: mostly 2–4 s with a long tail (v² stretches the upper part)
                   ELSE 2000 + floor(v * v * 5000)::int END AS duration_ms
     ) st
     -- missing slots: no row (collector gap for everybody, or a lost slot)
     WHERE gap >= 0.003 AND (outage < 0.004 OR u >= 0.015)`,
    [period.from, period.to, firstNo, endNo],
  );
}
