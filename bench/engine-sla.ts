import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { migrate } from '../db/migrate.js';
import { createPgDb } from '../db/pg-db.js';
import type { BenchOptions, BenchReport, Benchmark } from './benchmark.js';
import { createDataSet } from './engine-sla/setup.js';
import { periodOf } from './sla-sql/generate.js';
import { formatTable, median } from './stats.js';
import { abortOnSignal, intOption, runIfMain, withDatabase } from './standalone.js';

/**
 * Benchmark `engine-sla` (issue 7): the month SLA of 1,000 tenants × 4 journeys of 5-minute slots through `engine/`
 * (October 2026, Europe/Paris: 35.76 M expected slots), stage by stage — the store read, the series' slot states, the
 * whole report — each against the `count(*)` floor of the same rows, with the peak memory (max RSS) of each stage,
 * measured in a process of its own (bench/engine-sla/stage.ts). The data are bench/sla-sql's deterministic month,
 * under a real config revision (bench/engine-sla/setup.ts), in a private database on the local PostgreSQL, dropped at
 * the end. Targets: the whole report under 30 s and under 2 GB. Printed, never enforced.
 */

const ADMIN_URL = 'postgres://root@127.0.0.1:5432/test';
const TARGET_SECONDS = 30;
const TARGET_MIB = 2048;
const STAGES = ['floor', 'read', 'series', 'report', 'thread'] as const;
type Stage = (typeof STAGES)[number];

export interface EngineSlaOptions {
  tenants: number;
  journeys: number;
  days: number;
  rounds: number;
  adminUrl: string;
}

export const DEFAULTS: EngineSlaOptions = { tenants: 1000, journeys: 4, days: 31, rounds: 2, adminUrl: ADMIN_URL };

export const benchmark: Benchmark = {
  name: 'engine-sla',
  description: 'the month SLA of 1,000 tenants × 4 journeys of 5-minute slots through engine/, per stage and peak memory, vs a count(*) floor',
  run: (o) => runEngineSla({ ...DEFAULTS, rounds: o.runs === undefined ? DEFAULTS.rounds : Math.min(o.runs, 5) }, o),
};

interface StageResult {
  stage: Stage;
  seconds: number;
  rows: number;
  maxRssMiB: number;
  [k: string]: unknown;
}

const STAGE_SCRIPT = fileURLToPath(new URL('./engine-sla/stage.ts', import.meta.url));

/** Runs one stage in a child process and parses its JSON line. */
function runStage(stage: Stage, url: string, from: string, to: string, signal: AbortSignal): Promise<StageResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', STAGE_SCRIPT, stage, url, from, to], { maxBuffer: 64 * 2 ** 20, signal, env: { ...process.env, VIGIE_LOG_LEVEL: 'silent' } }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`stage ${stage} failed: ${err.message}\n${stderr}`));
      const line = stdout.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(line) as StageResult);
      } catch {
        reject(new Error(`stage ${stage}: no result line in ${JSON.stringify(stdout.slice(-500))}`));
      }
    });
  });
}

/** Runs the benchmark; creates and always drops its own database. */
export async function runEngineSla(s: EngineSlaOptions, o: Pick<BenchOptions, 'signal' | 'progress'>): Promise<BenchReport> {
  const dbName = `vigie_bench_engine_${randomBytes(4).toString('hex')}`;
  const admin = createPgDb(s.adminUrl, { max: 1, applicationName: 'vigie-bench' });
  const url = withDatabase(s.adminUrl, dbName);
  try {
    await admin.query(`CREATE DATABASE ${dbName}`);
    const db = createPgDb(url, { max: 2, applicationName: 'vigie-bench' });
    let setup: Awaited<ReturnType<typeof createDataSet>>;
    let period: { from: string; to: string };
    try {
      await migrate(db);
      period = await periodOf(db, { fromDate: '2026-10-01', days: s.days, timeZone: 'Europe/Paris' });
      setup = await createDataSet(db, period, s.tenants, s.journeys, o.progress);
    } finally {
      await db.close();
    }
    const results: Record<Stage, StageResult[]> = { floor: [], read: [], series: [], report: [], thread: [] };
    // A warm-up read puts the table in the OS cache: every stage then reads the same warm pages.
    await runStage('floor', url, period.from, period.to, o.signal);
    for (let round = 1; round <= s.rounds; round++) {
      for (const stage of STAGES) {
        o.progress(`engine-sla: round ${round}/${s.rounds}, ${stage}…`);
        results[stage].push(await runStage(stage, url, period.from, period.to, o.signal));
      }
    }
    const expectedSlots = s.tenants * s.journeys * Math.round((Date.parse(period.to) - Date.parse(period.from)) / 300_000);
    const data = {
      config: { ...s, period },
      machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverage: loadavg().map((l) => Math.round(l * 10) / 10) },
      expectedSlots,
      rows: setup.rows,
      loadSeconds: setup.loadSeconds,
      indexSeconds: setup.indexSeconds,
      results,
    };
    return { text: formatReport(data), data };
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch((err: unknown) => o.progress(`could not drop ${dbName}: ${String(err)}`));
    await admin.close();
  }
}

function formatReport(d: { config: EngineSlaOptions & { period: { from: string; to: string } }; machine: { cpus: number; memoryGiB: number; node: string; loadAverage: number[] }; expectedSlots: number; rows: number; loadSeconds: number; indexSeconds: number; results: Record<Stage, StageResult[]> }): string {
  const floor = median(d.results.floor.map((r) => r.seconds));
  const millions = d.expectedSlots / 1e6;
  const row = (label: string, stage: Stage) => {
    const xs = d.results[stage].map((r) => r.seconds);
    const m = median(xs);
    const rss = Math.max(...d.results[stage].map((r) => r.maxRssMiB));
    return [label, `${m.toFixed(2)} s`, `${Math.min(...xs).toFixed(2)} s`, `${(m / millions).toFixed(3)} s`, `× ${(m / floor).toFixed(1)}`, `${rss} MiB`];
  };
  const report = d.results.report.at(-1);
  const total = median(d.results.report.map((r) => r.seconds));
  const rss = Math.max(...d.results.report.map((r) => r.maxRssMiB), ...d.results.thread.map((r) => r.maxRssMiB));
  const clauses = (report?.clauses ?? []) as { id: string; series: number; availabilityPercent: number | null; coveragePercent: number | null; episodes: number; dataGaps: number; penalty: number | null }[];
  return [
    'engine-sla — the month SLA through engine/ (issue 7)',
    `${d.config.tenants} tenants × ${d.config.journeys} journeys, ${d.config.days} local day(s) from 2026-10-01 Europe/Paris [${d.config.period.from}, ${d.config.period.to}), 5-minute slots: ` +
      `${d.expectedSlots.toLocaleString('en')} expected slots, ${d.rows.toLocaleString('en')} run rows; load ${d.loadSeconds.toFixed(0)} s, index ${d.indexSeconds.toFixed(0)} s`,
    `${d.machine.cpus} CPUs, ${d.machine.memoryGiB} GiB, Node ${d.machine.node}; load average at the end ${d.machine.loadAverage.join(' ')}`,
    '',
    `Stages, ${d.config.rounds} round(s), each in its own process (median, min, per million expected slots, ratio to the floor, peak RSS):`,
    formatTable(['stage', 'median', 'min', 'per M slots', 'vs floor', 'max RSS'], [
      row('count(*) floor (SQL)', 'floor'),
      row('store read (runs.listScheduled, chunked)', 'read'),
      row('read + slot states per series (loadSeries)', 'series'),
      row('whole report (createEngine)', 'report'),
      row('whole report in a worker thread (vigie start)', 'thread'),
    ]),
    `whole report ${total.toFixed(1)} s, peak ${rss} MiB   targets < ${TARGET_SECONDS} s and < ${TARGET_MIB} MiB: ${total < TARGET_SECONDS ? 'time met' : 'time NOT met'}, ${rss < TARGET_MIB ? 'memory met' : 'memory NOT met'} (printed, never enforced)`,
    `report JSON ${String(report?.jsonMiB ?? '?')} MiB`,
    '',
    formatTable(['clause', 'series', 'availability', 'coverage', 'episodes', 'data gaps', 'penalty'], clauses.map((c) => [c.id, String(c.series), c.availabilityPercent === null ? 'no data' : `${c.availabilityPercent} %`, c.coveragePercent === null ? 'no data' : `${c.coveragePercent} %`, String(c.episodes), String(c.dataGaps), String(c.penalty ?? '-')])),
  ].join('\n');
}

/** `node --import tsx bench/engine-sla.ts [--tenants N] [--journeys 1-4] [--days N] [--rounds N] [--json]` */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { tenants: { type: 'string' }, journeys: { type: 'string' }, days: { type: 'string' }, rounds: { type: 'string' }, json: { type: 'boolean', default: false } } });
  const s: EngineSlaOptions = {
    ...DEFAULTS,
    tenants: intOption('tenants', values.tenants, DEFAULTS.tenants),
    journeys: intOption('journeys', values.journeys, DEFAULTS.journeys),
    days: intOption('days', values.days, DEFAULTS.days),
    rounds: intOption('rounds', values.rounds, DEFAULTS.rounds),
  };
  if (s.journeys > 4) throw new Error('--journeys must be 1–4');
  const controller = abortOnSignal('interrupted: dropping the database…');
  const report = await runEngineSla(s, { signal: controller.signal, progress: (line) => console.error(line) });
  console.log(values.json ? JSON.stringify({ date: new Date().toISOString(), ...report.data }, null, 2) : report.text);
  return 0;
}

runIfMain(import.meta.url, main);
