import { performance } from 'node:perf_hooks';
import type { Db } from '../../db/db.js';
import type { Period } from './generate.js';

/**
 * The SLA computations of `bench/sla-sql.ts`, in SQL over `runs` (DESIGN.md §5), for 5-minute slots that tile the
 * period and start on 5-minute marks. Europe/Paris offsets are whole hours, so a slot lies wholly inside or wholly
 * outside weekly service hours given on 5-minute marks: clipping "minute by minute" reduces to counting 5 minutes
 * for the slots whose local start is inside. The expected slot grid (one row per slot start, with its clause flag) is
 * computed once (8,940 rows for October 2026) into a small table and hash-joined to the runs.
 *
 * Figures come from pooled minute sums, never from averages of percentages:
 * - availability = (up + degraded) / (counted − excluded − unknown), coverage = observed / (counted − excluded);
 * - unknown = error + missing (expected slots of `bench_schedules` without a scheduled run);
 * - excluded = down minutes of a party the clause does not count (no maintenance windows in this data set);
 * - observed = up + degraded + counted down.
 * The party of a run is derived from its kind as `defaultParty` does (core/sla/types.ts): the runs table stores no
 * party of its own.
 */

/** Weekly service hours of the "school hours" clause: Monday–Friday, local `[from, to)`. */
export interface ServiceHours {
  timeZone: string;
  /** `HH:MM`, inclusive. */
  from: string;
  /** `HH:MM`, exclusive. */
  to: string;
}

/** The parties an availability clause counts (DESIGN.md §5 default: the ENT provider). */
export const COUNTED_PARTIES = ['provider'];

const PARTY_SQL = `CASE WHEN r.kind = 'local-network' THEN 'establishment-network'
  WHEN r.kind IN ('infra', 'safety') THEN 'vigie' ELSE 'provider' END`;

const RUNS_IN_PERIOD = `r.trigger = 'scheduled' AND r.scheduled_at >= $1 AND r.scheduled_at < $2`;

/**
 * Builds `sla_grid` (expected slot starts of the period with their service-hours flag) and `sla_base` (runs counted
 * per tenant × state × party × kind × in-hours flag): the one scan of the runs, done as a parallel hash aggregate.
 * Both are regular UNLOGGED tables, not temporary ones: PostgreSQL's parallel workers cannot read temporary tables.
 */
export async function buildBase(db: Db, period: Period, hours: ServiceHours): Promise<void> {
  await db.query('DROP TABLE IF EXISTS sla_grid, sla_base');
  await db.query(
    `CREATE UNLOGGED TABLE sla_grid AS
     SELECT s AS slot_start,
            extract(isodow FROM s AT TIME ZONE $3) <= 5
              AND (s AT TIME ZONE $3)::time >= $4::time AND (s AT TIME ZONE $3)::time < $5::time AS in_hours
     FROM generate_series($1::timestamptz, $2::timestamptz - interval '5 minutes', interval '5 minutes') s`,
    [period.from, period.to, hours.timeZone, hours.from, hours.to],
  );
  // Without statistics the planner guesses the grid's size and may hash the runs instead of the grid.
  await db.query('ANALYZE sla_grid');
  await db.query(`CREATE UNLOGGED TABLE sla_base AS ${baseSql(period)}`);
}

/** The one scan of the runs: slots per tenant × state × party × kind × in-hours flag (needs `sla_grid`). */
export function baseSql(period: Period): string {
  // CREATE TABLE AS cannot take parameters: the bounds are inlined as literals (ISO instants from periodOf).
  const lit = (iso: string) => `'${iso.replace(/'/g, "''")}'::timestamptz`;
  return `SELECT r.tenant, r.status, CASE WHEN r.status IN ('down', 'error') THEN ${PARTY_SQL} END AS party, r.kind, g.in_hours,
            count(*) AS slots
     FROM runs r JOIN sla_grid g ON g.slot_start = r.scheduled_at
     WHERE ${RUNS_IN_PERIOD.replace('$1', lit(period.from)).replace('$2', lit(period.to))}
     GROUP BY 1, 2, 3, 4, 5`;
}

/** Minute sums and figures of one clause (`all` = 24/7, `hours` = service hours) for a tenant or pooled. */
export interface ClauseFigures {
  counted: number;
  up: number;
  degraded: number;
  down: number;
  /** Down minutes of parties the clause does not count. */
  excluded: number;
  error: number;
  missing: number;
  unknown: number;
  observed: number;
  /** Percent, null when nothing was observed. */
  availability: number | null;
  /** Percent, null when nothing was counted. */
  coverage: number | null;
}

export interface TenantFigures {
  /** null for the pooled row (all tenants and journeys). */
  tenant: string | null;
  all: ClauseFigures;
  hours: ClauseFigures;
}

const CLAUSES = [
  ['all', 'true'],
  ['hours', 'b.in_hours'],
] as const;

/**
 * Availability, coverage and minutes by state per tenant and pooled over every tenant (GROUPING SETS over the small
 * `sla_base`: pooled rows add minute sums, never percentages), for the 24/7 clause and the service-hours clause.
 * Missing minutes = expected − measured, the expected (counted) minutes coming from `bench_schedules` × `sla_grid`.
 */
export async function tenantFigures(db: Db): Promise<TenantFigures[]> {
  const sums = CLAUSES.flatMap(([c, cond]) => [
    `5 * sum(slots) FILTER (WHERE ${cond} AND b.status = 'up') AS ${c}_up`,
    `5 * sum(slots) FILTER (WHERE ${cond} AND b.status = 'degraded') AS ${c}_degraded`,
    `5 * sum(slots) FILTER (WHERE ${cond} AND b.status = 'down' AND b.party = ANY($1)) AS ${c}_down`,
    `5 * sum(slots) FILTER (WHERE ${cond} AND b.status = 'down' AND NOT b.party = ANY($1)) AS ${c}_excluded`,
    `5 * sum(slots) FILTER (WHERE ${cond} AND b.status = 'error') AS ${c}_error`,
    `5 * sum(slots) FILTER (WHERE ${cond}) AS ${c}_rows`,
  ]);
  const derived = CLAUSES.flatMap(([c]) => {
    const counted = `(e.schedules * (SELECT ${c === 'all' ? 'count(*)' : 'count(*) FILTER (WHERE in_hours)'} FROM sla_grid) * 5)`;
    const missing = `(${counted} - coalesce(m.${c}_rows, 0))`;
    const unknown = `(coalesce(m.${c}_error, 0) + ${missing})`;
    const excluded = `coalesce(m.${c}_excluded, 0)`;
    const upDeg = `(coalesce(m.${c}_up, 0) + coalesce(m.${c}_degraded, 0))`;
    const observed = `(${upDeg} + coalesce(m.${c}_down, 0))`;
    return [
      `${counted} AS ${c}_counted`,
      `coalesce(m.${c}_up, 0) AS ${c}_up`,
      `coalesce(m.${c}_degraded, 0) AS ${c}_degraded`,
      `coalesce(m.${c}_down, 0) AS ${c}_down`,
      `${excluded} AS ${c}_excluded`,
      `coalesce(m.${c}_error, 0) AS ${c}_error`,
      `${missing} AS ${c}_missing`,
      `${unknown} AS ${c}_unknown`,
      `${observed} AS ${c}_observed`,
      `CASE WHEN ${observed} > 0 THEN 100.0 * ${upDeg} / (${counted} - ${excluded} - ${unknown}) END AS ${c}_availability`,
      `CASE WHEN ${counted} - ${excluded} > 0 THEN 100.0 * ${observed} / (${counted} - ${excluded}) END AS ${c}_coverage`,
    ];
  });
  const sql = `WITH measured AS (
    SELECT b.tenant, GROUPING(b.tenant) AS pooled, ${sums.join(',\n    ')}
    FROM sla_base b GROUP BY GROUPING SETS ((b.tenant), ())),
  expected AS (
    SELECT tenant, GROUPING(tenant) AS pooled, count(*) AS schedules FROM bench_schedules GROUP BY GROUPING SETS ((tenant), ()))
  SELECT e.tenant, ${derived.join(',\n    ')}
  FROM expected e LEFT JOIN measured m ON m.pooled = e.pooled AND m.tenant IS NOT DISTINCT FROM e.tenant
  ORDER BY e.pooled DESC, e.tenant`;
  const { rows } = await db.query<Record<string, string | null> & { tenant: string | null }>(sql, [COUNTED_PARTIES]);
  return rows.map((row) => ({ tenant: row.tenant, all: clauseOf(row, 'all'), hours: clauseOf(row, 'hours') }));
}

function clauseOf(row: Record<string, string | null>, c: 'all' | 'hours'): ClauseFigures {
  const n = (k: string) => Number(row[`${c}_${k}`]);
  const pct = (k: string) => (row[`${c}_${k}`] === null ? null : Number(row[`${c}_${k}`]));
  return {
    counted: n('counted'),
    up: n('up'),
    degraded: n('degraded'),
    down: n('down'),
    excluded: n('excluded'),
    error: n('error'),
    missing: n('missing'),
    unknown: n('unknown'),
    observed: n('observed'),
    availability: pct('availability'),
    coverage: pct('coverage'),
  };
}

/** Pooled minutes of one (state, party, kind), 24/7 and within service hours. */
export interface StatePartyMinutes {
  state: string;
  party: string | null;
  kind: string | null;
  allMinutes: number;
  hoursMinutes: number;
}

/** Pooled minutes by state × party × kind (party only for down and error runs), both clauses, from `sla_base`. */
export async function minutesByStateAndParty(db: Db): Promise<StatePartyMinutes[]> {
  const { rows } = await db.query<{ state: string; party: string | null; kind: string | null; all_minutes: string; hours_minutes: string }>(
    `SELECT status AS state, party, kind, 5 * sum(slots) AS all_minutes, 5 * coalesce(sum(slots) FILTER (WHERE in_hours), 0) AS hours_minutes
     FROM sla_base GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  );
  return rows.map((r) => ({ state: r.state, party: r.party, kind: r.kind, allMinutes: Number(r.all_minutes), hoursMinutes: Number(r.hours_minutes) }));
}

/** Everything the availability/coverage/minutes step computes, with the time of its scan and of its derivations. */
export interface SlaComputation {
  figures: TenantFigures[];
  party: StatePartyMinutes[];
  scanSeconds: number;
  deriveSeconds: number;
}

/** The whole SQL computation: one scan of the runs into `sla_base`, then per-tenant, pooled and per-party figures. */
export async function computeSla(db: Db, period: Period, hours: ServiceHours): Promise<SlaComputation> {
  const t0 = performance.now();
  await buildBase(db, period, hours);
  const t1 = performance.now();
  const figures = await tenantFigures(db);
  const party = await minutesByStateAndParty(db);
  const t2 = performance.now();
  return { figures, party, scanSeconds: (t1 - t0) / 1000, deriveSeconds: (t2 - t1) / 1000 };
}

/** The floor: a plain count of the same rows (same predicate, no join, no aggregate beyond count). */
export async function countFloor(db: Db, period: Period): Promise<number> {
  const { rows } = await db.query<{ n: string }>(FLOOR_SQL, [period.from, period.to]);
  return Number(rows[0]!.n); // an aggregate without GROUP BY always returns one row
}

export interface JourneyPercentiles {
  /** null for the pooled row. */
  journey: string | null;
  sampled: number;
  p50: number;
  p95: number;
  p99: number;
}

/**
 * p50/p95/p99 of `duration_ms` of passed runs (up and degraded) per journey and pooled, on a `TABLESAMPLE SYSTEM`
 * block sample of `percent` % (REPEATABLE, so runs compare). Block sampling reads only the chosen pages; rows of a
 * page are neighbours (the same few slots of many schedules, as runs arrive in time order), so the sample is
 * clustered in time — checked against exact figures by `--exact-percentiles`.
 */
export async function samplePercentiles(db: Db, period: Period, percent: number | null): Promise<JourneyPercentiles[]> {
  const from = percent === null ? 'runs r' : `runs r TABLESAMPLE SYSTEM (${Number(percent)}) REPEATABLE (42)`;
  // percentile_disc over a 3-element fraction array returns 3 values, non-null (every group has at least one row).
  const { rows } = await db.query<{ journey: string | null; sampled: string; p: [number, number, number] }>(
    `SELECT r.journey, count(*) AS sampled,
            percentile_disc(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY r.duration_ms) AS p
     FROM ${from}
     WHERE ${RUNS_IN_PERIOD} AND r.status IN ('up', 'degraded')
     GROUP BY GROUPING SETS ((r.journey), ()) ORDER BY GROUPING(r.journey), r.journey`,
    [period.from, period.to],
  );
  return rows.map((r) => ({ journey: r.journey, sampled: Number(r.sampled), p50: r.p[0], p95: r.p[1], p99: r.p[2] }));
}

/**
 * How PostgreSQL reads `runs` for a query, e.g. `Parallel Seq Scan` or `Index Only Scan using runs_recent_idx`
 * (EXPLAIN without ANALYZE): printed next to the timings, because the floor may become an index-only scan once the
 * table has its indexes and a fresh visibility map, which is not the same work as the SLA query's heap scan.
 */
export async function scanOfRuns(db: Db, sql: string, params: readonly unknown[] = []): Promise<string> {
  const { rows } = await db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
  const found: string[] = [];
  const walk = (node: Record<string, unknown>) => {
    if (node['Relation Name'] === 'runs') {
      found.push(`${String(node['Node Type'])}${node['Index Name'] ? ` using ${String(node['Index Name'])}` : ''}`);
    }
    for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  const plan = rows[0]!['QUERY PLAN']; // EXPLAIN always returns one row
  walk((Array.isArray(plan) ? plan[0] : JSON.parse(String(plan))[0]).Plan as Record<string, unknown>);
  return found.join(', ') || '(runs not read)';
}

/** The SQL of {@link countFloor}, for {@link scanOfRuns}. */
export const FLOOR_SQL = `SELECT count(*) AS n FROM runs r WHERE ${RUNS_IN_PERIOD}`;
