import { randomBytes } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Db } from '../db/db.js';
import { migrate } from '../db/migrate.js';
import { createPgDb } from '../db/pg-db.js';
import type { BenchOptions, BenchReport, Benchmark } from './benchmark.js';
import { createSchedules, insertRuns, periodOf, SLOT_MINUTES, type Period } from './sla-sql/generate.js';
import { baseSql, computeSla, countFloor, FLOOR_SQL, samplePercentiles, scanOfRuns, type ServiceHours, type SlaComputation } from './sla-sql/queries.js';
import { formatTable, median } from './stats.js';
import { abortOnSignal, intOption, runIfMain, withDatabase } from './standalone.js';

/**
 * Benchmark `sla-sql` (issue 4, bench (b)): one month (October 2026, Europe/Paris, 44,700 local minutes with the
 * fall-back day) of 5-minute runs for 4 journeys × 1,000 tenants (35.76 M expected slots), generated in a private
 * PostgreSQL database (`vigie_bench_<random>`, Vigie's migrations, dropped at the end), then availability, coverage
 * and minutes by state and party per tenant and pooled, 24/7 and within Mon–Fri 07:00–19:00 local, computed in SQL,
 * and duration percentiles on a TABLESAMPLE. Each query is timed next to a plain count(*) of the same rows in the
 * same round (the floor). Target: availability/coverage/minutes under 30 s. Printed, never enforced.
 *
 * Honest shortcuts, printed in the report: `runs` is made UNLOGGED (no WAL for a throw-away load; scans and
 * aggregates cost the same) and loaded without its primary key, its three indexes and its `revision_id` foreign key
 * (revision_id stays NULL); `--keep-indexes` rebuilds the key and the indexes before measuring. The report prints how
 * each query reads `runs` (EXPLAIN), since with indexes the count(*) floor may become an index-only scan.
 */

const ADMIN_URL = 'postgres://root@127.0.0.1:5432/test';
const TARGET_SECONDS = 30;
const HOURS: ServiceHours = { timeZone: 'Europe/Paris', from: '07:00', to: '19:00' };

/** Size and behaviour of one benchmark run. */
export interface SlaSqlOptions {
  tenants: number;
  journeys: number;
  days: number;
  /** Measured rounds (each: floor, figures, minutes by party, percentiles). */
  rounds: number;
  keepIndexes: boolean;
  exactPercentiles: boolean;
  /** Server URL whose `test` database is used to create and drop the private one. */
  adminUrl: string;
}

export const DEFAULTS: SlaSqlOptions = {
  tenants: 1000,
  journeys: 4,
  days: 31,
  rounds: 3,
  keepIndexes: false,
  exactPercentiles: false,
  adminUrl: ADMIN_URL,
};

export const benchmark: Benchmark = {
  name: 'sla-sql',
  description: 'SLA figures in SQL over a generated month of 5-minute runs, 4 journeys × 1,000 tenants, vs a count(*) floor',
  run: (o) => runSlaSql({ ...DEFAULTS, rounds: o.runs ?? DEFAULTS.rounds }, o),
};

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - start) / 1000 };
}

/** Runs the benchmark; creates and always drops its own database. */
export async function runSlaSql(s: SlaSqlOptions, o: Pick<BenchOptions, 'signal' | 'progress'>): Promise<BenchReport> {
  const dbName = `vigie_bench_${randomBytes(4).toString('hex')}`;
  const admin = createPgDb(s.adminUrl, { max: 1, applicationName: 'vigie-bench' });
  let db: Db | undefined;
  try {
    await admin.query(`CREATE DATABASE ${dbName}`);
    // Sorts of the percentile sample stay in memory (the server default is 4 MB); only this database is touched.
    await admin.query(`ALTER DATABASE ${dbName} SET work_mem = '64MB'`);
    // Two connections: the load runs as two INSERT … SELECT in parallel (2 cores), queries use one.
    db = createPgDb(withDatabase(s.adminUrl, dbName), { max: 2, applicationName: 'vigie-bench' });
    await migrate(db);
    return await measure(db, s, o, dbName);
  } finally {
    await db?.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch((err: unknown) => o.progress(`could not drop ${dbName}: ${String(err)}`));
    await admin.close();
  }
}

const INDEXES = [
  'CREATE UNIQUE INDEX runs_slot_key ON runs (schedule_id, location, scheduled_at) WHERE trigger = \'scheduled\'',
  'CREATE INDEX runs_recent_idx ON runs (scheduled_at DESC, id DESC)',
  'CREATE INDEX runs_journey_tenant_idx ON runs (journey, tenant, scheduled_at DESC)',
];

async function measure(db: Db, s: SlaSqlOptions, o: Pick<BenchOptions, 'signal' | 'progress'>, dbName: string): Promise<BenchReport> {
  const check = () => {
    if (o.signal.aborted) throw new Error('interrupted');
  };
  const period = await periodOf(db, { fromDate: '2026-10-01', days: s.days, timeZone: HOURS.timeZone });
  const schedules = s.tenants * s.journeys;
  await db.query('ALTER TABLE runs SET UNLOGGED');
  await db.query('DROP INDEX runs_slot_key, runs_recent_idx, runs_journey_tenant_idx');
  await db.query('ALTER TABLE runs DROP CONSTRAINT runs_pkey');
  // revision_id stays NULL here; its foreign-key trigger alone costs a quarter of the load time.
  await db.query('ALTER TABLE runs DROP CONSTRAINT runs_revision_id_fkey');
  await createSchedules(db, s);
  o.progress(`sla-sql: generating ${s.days} day(s) × ${schedules} schedules into ${dbName}…`);
  const half = Math.ceil(schedules / 2) + 1;
  const load = await timed(() => Promise.all([insertRuns(db, period, 1, half), insertRuns(db, period, half, schedules + 1)]));
  check();
  let indexSeconds = 0;
  if (s.keepIndexes) {
    o.progress('sla-sql: rebuilding the indexes…');
    indexSeconds = (
      await timed(async () => {
        await db.query('ALTER TABLE runs ADD PRIMARY KEY (id, scheduled_at)');
        for (const sql of INDEXES) await db.query(sql);
      })
    ).seconds;
  }
  o.progress('sla-sql: VACUUM ANALYZE…');
  const vacuum = await timed(() => db.query('VACUUM (ANALYZE) runs'));
  // A SELECT without FROM returns exactly one row (read as size.rows[0]! below).
  const size = await db.query<{ table: string; total: string }>(
    `SELECT pg_size_pretty(pg_table_size('runs')) AS table, pg_size_pretty(pg_total_relation_size('runs')) AS total`,
  );
  check();

  o.progress('sla-sql: warm-up scan…');
  const rows = await countFloor(db, period);
  const grid = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM generate_series($1::timestamptz, $2::timestamptz - interval '5 minutes', interval '5 minutes') s`,
    [period.from, period.to],
  );
  const expectedSlots = schedules * Number(grid.rows[0]!.n); // count(*) without GROUP BY: always one row
  const samplePercent = Math.min(100, Math.max(0.01, Math.round((300_000 / Math.max(rows, 1)) * 100 * 100) / 100));

  const times = { floor: [] as number[], sla: [] as number[], scan: [] as number[], derive: [] as number[], percentiles: [] as number[] };
  let sla: SlaComputation | undefined;
  let percentiles: Awaited<ReturnType<typeof samplePercentiles>> = [];
  for (let round = 1; round <= s.rounds; round++) {
    o.progress(`sla-sql: round ${round}/${s.rounds}…`);
    const f = await timed(() => countFloor(db, period));
    times.floor.push(f.seconds);
    const t = await timed(() => computeSla(db, period, HOURS));
    times.sla.push(t.seconds);
    times.scan.push(t.value.scanSeconds);
    times.derive.push(t.value.deriveSeconds);
    sla = t.value;
    const q = await timed(() => samplePercentiles(db, period, samplePercent));
    times.percentiles.push(q.seconds);
    percentiles = q.value;
    check();
  }
  const plans = { floor: await scanOfRuns(db, FLOOR_SQL, [period.from, period.to]), sla: await scanOfRuns(db, baseSql(period)) };
  const exact = s.exactPercentiles ? await timed(() => samplePercentiles(db, period, null)) : undefined;

  const data = {
    config: { ...s, period, timeZone: HOURS.timeZone, serviceHours: `Mon–Fri ${HOURS.from}–${HOURS.to}`, slotMinutes: SLOT_MINUTES },
    machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverage: loadavg().map((l) => Math.round(l * 10) / 10) },
    storage: { unlogged: true, indexesDuringQueries: s.keepIndexes, tableSize: size.rows[0]!.table, totalSize: size.rows[0]!.total },
    expectedSlots,
    rows,
    loadSeconds: load.seconds,
    indexSeconds,
    vacuumSeconds: vacuum.seconds,
    samplePercent,
    plans,
    timesSeconds: times,
    pooled: sla?.figures.find((f) => f.tenant === null),
    tenants: (sla?.figures.length ?? 1) - 1,
    party: sla?.party ?? [],
    percentiles,
    exactPercentiles: exact ? { seconds: exact.seconds, value: exact.value } : undefined,
  };
  return { text: formatReport(data), data };
}

type ReportData = {
  config: SlaSqlOptions & { period: Period; serviceHours: string };
  machine: { cpus: number; memoryGiB: number; node: string; loadAverage: number[] };
  storage: { tableSize: string; totalSize: string; indexesDuringQueries: boolean };
  expectedSlots: number;
  rows: number;
  loadSeconds: number;
  indexSeconds: number;
  vacuumSeconds: number;
  samplePercent: number;
  plans: { floor: string; sla: string };
  timesSeconds: Record<'floor' | 'sla' | 'scan' | 'derive' | 'percentiles', number[]>;
  pooled: SlaComputation['figures'][number] | undefined;
  tenants: number;
  party: SlaComputation['party'];
  percentiles: Awaited<ReturnType<typeof samplePercentiles>>;
  exactPercentiles?: { seconds: number; value: Awaited<ReturnType<typeof samplePercentiles>> };
};

const pct = (v: number | null | undefined) => (v === null || v === undefined ? 'no data' : `${v.toFixed(4)} %`);
const sec = (v: number) => `${v.toFixed(2)} s`;

function formatReport(d: ReportData): string {
  const c = d.config;
  const millions = d.expectedSlots / 1e6;
  const floor = median(d.timesSeconds.floor);
  const row = (name: string, xs: number[]) => {
    const m = median(xs);
    return [name, sec(m), sec(Math.min(...xs)), `${(m / millions).toFixed(3)} s`, `× ${(m / floor).toFixed(2)}`];
  };
  const slaSeconds = median(d.timesSeconds.sla);
  const pooled = d.pooled;
  const clauseRow = (name: string, f: NonNullable<typeof pooled>['all']) => [
    name, String(f.counted), String(f.up), String(f.degraded), String(f.down), String(f.excluded), String(f.error), String(f.missing),
    pct(f.availability), pct(f.coverage),
  ];
  const lines = [
    `sla-sql — SLA figures in SQL (issue 4, bench b)`,
    `${c.tenants} tenants × ${c.journeys} journeys, ${c.days} local day(s) from 2026-10-01 Europe/Paris [${c.period.from}, ${c.period.to}), 5-minute slots`,
    `${d.expectedSlots.toLocaleString('en')} expected slots, ${d.rows.toLocaleString('en')} run rows (${(100 - (100 * d.rows) / d.expectedSlots).toFixed(2)} % missing); ` +
      `runs UNLOGGED, ${d.storage.indexesDuringQueries ? 'with its indexes' : 'without its indexes'}, table ${d.storage.tableSize} (with indexes ${d.storage.totalSize})`,
    `load ${sec(d.loadSeconds)} (${Math.round(d.rows / d.loadSeconds).toLocaleString('en')} rows/s, 2 connections)` +
      (d.indexSeconds > 0 ? `, indexes ${sec(d.indexSeconds)}` : '') + `, VACUUM ANALYZE ${sec(d.vacuumSeconds)}; ${d.machine.cpus} CPUs, ${d.machine.memoryGiB} GiB, Node ${d.machine.node}; load average at the end ${d.machine.loadAverage.join(' ')} (other jobs share the machine)`,
    '',
    `Timings, ${c.rounds} round(s), each query after the floor in the same round (median, min, per million expected slots, ratio to the floor):`,
    formatTable(['query', 'median', 'min', 'per M slots', 'vs floor'], [
      row('count(*) floor', d.timesSeconds.floor),
      row('SLA: availability, coverage, minutes by state and party', d.timesSeconds.sla),
      row('  of which the scan of the runs (grid + aggregate)', d.timesSeconds.scan),
      row('  of which figures per tenant, pooled, by party', d.timesSeconds.derive),
      row(`p50/p95/p99 per journey, TABLESAMPLE SYSTEM ${d.samplePercent} %`, d.timesSeconds.percentiles),
    ]),
    `runs read by: floor ${d.plans.floor}; SLA scan ${d.plans.sla}`,
    `availability/coverage/minutes total ${sec(slaSeconds)}   target < ${TARGET_SECONDS} s: ${slaSeconds < TARGET_SECONDS ? 'met' : 'NOT met'} (printed, never enforced)`,
    '',
    `Pooled over ${d.tenants} tenants × ${c.journeys} journeys (minutes; excluded = down of parties not counted; unknown = error + missing):`,
    pooled
      ? formatTable(['clause', 'counted', 'up', 'degraded', 'down', 'excluded', 'error', 'missing', 'availability', 'coverage'], [
          clauseRow('24/7', pooled.all),
          clauseRow(c.serviceHours, pooled.hours),
        ])
      : '(no pooled row)',
    '',
    'Minutes by state × party × kind (pooled):',
    formatTable(['state', 'party', 'kind', '24/7', 'hours'], d.party.map((p) => [p.state, p.party ?? '', p.kind ?? '', String(p.allMinutes), String(p.hoursMinutes)])),
    '',
    `duration_ms of passed runs, sample (${d.samplePercent} % of pages)${d.exactPercentiles ? ` vs exact (full sort, ${sec(d.exactPercentiles.seconds)})` : ''}:`,
    formatTable(['journey', 'sampled', 'p50', 'p95', 'p99', ...(d.exactPercentiles ? ['exact p50', 'p95', 'p99'] : [])], d.percentiles.map((p) => {
      const e = d.exactPercentiles?.value.find((x) => x.journey === p.journey);
      return [p.journey ?? '(all)', String(p.sampled), String(p.p50), String(p.p95), String(p.p99), ...(e ? [String(e.p50), String(e.p95), String(e.p99)] : [])];
    })),
  ];
  return lines.join('\n');
}

/** `node --import tsx bench/sla-sql.ts [--tenants N] [--journeys 1-4] [--days N] [--rounds N] [--keep-indexes] [--exact-percentiles] [--json]` */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      tenants: { type: 'string' },
      journeys: { type: 'string' },
      days: { type: 'string' },
      rounds: { type: 'string' },
      'keep-indexes': { type: 'boolean', default: false },
      'exact-percentiles': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const s: SlaSqlOptions = {
    ...DEFAULTS,
    tenants: intOption('tenants', values.tenants, DEFAULTS.tenants),
    journeys: intOption('journeys', values.journeys, DEFAULTS.journeys),
    days: intOption('days', values.days, DEFAULTS.days),
    rounds: intOption('rounds', values.rounds, DEFAULTS.rounds),
    keepIndexes: values['keep-indexes'],
    exactPercentiles: values['exact-percentiles'],
  };
  const controller = abortOnSignal('interrupted: dropping the database…');
  const report = await runSlaSql(s, { signal: controller.signal, progress: (line) => console.error(line) });
  console.log(values.json ? JSON.stringify({ date: new Date().toISOString(), ...report.data }, null, 2) : report.text);
  return 0;
}

runIfMain(import.meta.url, main);
