import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createPgDb } from '../db/pg-db.js';
import type { BenchOptions, BenchReport, Benchmark } from './benchmark.js';
import { psql, vigieImport, type ImportOutcome } from './import-replay/children.js';
import { writeReplayFiles } from './import-replay/replay-files.js';
import { formatTable } from './stats.js';
import { abortOnSignal, intOption, runIfMain } from './standalone.js';

/**
 * Benchmark `import-replay` (issue 4, bench (a)): the speed of `vigie import` on the replay of the acceptance test
 * (cli/__tests__/replay-fixture.ts: a month of 5-minute runs, runs and failed steps only; default 2 journeys × 20
 * tenants ≈ 350,000 runs), side by side in one run:
 *
 * 1. `vigie import <runs.jsonl> --config <vigie.yml>` as a child process into a private database
 *    `vigie_bench_import_<random>` on the local PostgreSQL (created here, dropped at the end, also on error or
 *    Ctrl-C). Its migrations are applied first by importing an empty file (timed apart: start-up + migrations), so the
 *    figure is the import proper plus the process start-up (~1 s).
 * 2. The floor: the rows that import wrote (runs, and the attempts and steps of failed runs), exported with
 *    `\copy … TO` (not timed), then loaded with psql `\copy … FROM` into `*_floor` tables of the same shape
 *    (`LIKE … INCLUDING ALL`: defaults, checks, the same indexes, and the runs' foreign key to config_revisions).
 * 3. A re-import of the same file (idempotent: 0 inserted), timed.
 * 4. The same import into embedded PGlite (no DATABASE_URL, `--data-dir` a temporary folder), at a smaller size.
 */

const ADMIN_URL = 'postgres://root@127.0.0.1:5432/test';

export interface ImportReplayOptions {
  tenants: number;
  journeys: number;
  days: number;
  /** Tenants of the PGlite import (same journeys and days); 0 skips it. */
  pgliteTenants: number;
  adminUrl: string;
}

export const DEFAULTS: ImportReplayOptions = { tenants: 20, journeys: 2, days: 31, pgliteTenants: 2, adminUrl: process.env.VIGIE_BENCH_DATABASE_URL ?? ADMIN_URL };

export const benchmark: Benchmark = {
  name: 'import-replay',
  description: 'vigie import of a month of 5-minute runs (2 journeys × 20 tenants) into PostgreSQL vs a psql \\copy floor; re-import; PGlite',
  run: (o: BenchOptions) => runImportReplay(DEFAULTS, o),
};

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

const perSecond = (n: number, s: number) => Math.round(n / s);
const fmtInt = (n: number) => n.toLocaleString('en-US');

/** Runs the benchmark; creates and always drops its own database and temporary folder. */
export async function runImportReplay(s: ImportReplayOptions, o: Pick<BenchOptions, 'signal' | 'progress'>): Promise<BenchReport> {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-bench-import-'));
  const dbName = `vigie_bench_import_${randomBytes(4).toString('hex')}`;
  const url = withDatabase(s.adminUrl, dbName);
  const admin = createPgDb(s.adminUrl, { max: 1, applicationName: 'vigie-bench' });
  const loadAtStart = loadavg()[0]!;
  const check = () => {
    if (o.signal.aborted) throw new Error('interrupted');
  };
  try {
    o.progress(`import-replay: generating ${s.journeys} journeys × ${s.tenants} tenants × ${s.days} days…`);
    mkdirSync(join(dir, 'pg'));
    const files = await writeReplayFiles(join(dir, 'pg'), s);
    check();
    await admin.query(`CREATE DATABASE ${dbName}`);
    const common = { config: files.configFile, dataDir: join(dir, 'pg', 'data'), databaseUrl: url, signal: o.signal };

    o.progress(`import-replay: migrations, then start-up alone (empty file) into ${dbName}…`);
    const emptyFile = join(dir, 'empty.jsonl');
    writeFileSync(emptyFile, '');
    await psql(url, ['SELECT 1'], o.signal); // fails early if psql cannot reach the database
    const startup = await startupSeconds({ ...common, file: emptyFile });
    check();

    o.progress(`import-replay: vigie import of ${fmtInt(files.lines)} runs…`);
    const first = await vigieImport({ ...common, file: files.runsFile });
    check();
    o.progress('import-replay: re-import (idempotent)…');
    const again = await vigieImport({ ...common, file: files.runsFile });
    check();

    o.progress('import-replay: floor (psql \\copy)…');
    const floor = await copyFloor(url, dir, o.signal);
    check();

    let pglite: { files: Awaited<ReturnType<typeof writeReplayFiles>>; outcome: ImportOutcome; startup: number } | undefined;
    if (s.pgliteTenants > 0) {
      o.progress(`import-replay: PGlite, ${s.journeys} journeys × ${s.pgliteTenants} tenants…`);
      mkdirSync(join(dir, 'pglite'));
      const small = await writeReplayFiles(join(dir, 'pglite'), { ...s, tenants: s.pgliteTenants });
      const args = { config: small.configFile, dataDir: join(dir, 'pglite', 'data'), signal: o.signal };
      const pgliteStartup = await startupSeconds({ ...args, file: emptyFile });
      const outcome = await vigieImport({ ...args, file: small.runsFile });
      pglite = { files: small, outcome, startup: pgliteStartup };
    }
    const loadAtEnd = loadavg()[0]!;

    const data = {
      date: new Date().toISOString(),
      cpus: cpus().length,
      load1: { start: loadAtStart, end: loadAtEnd },
      size: { tenants: s.tenants, journeys: s.journeys, days: files.days, lines: files.lines },
      startupSeconds: startup,
      import: { ...first, runsPerSecond: perSecond(first.inserted, first.seconds), netRunsPerSecond: perSecond(first.inserted, first.seconds - startup) },
      reimport: { ...again, linesPerSecond: perSecond(files.lines, again.seconds) },
      floor: { ...floor, runsPerSecond: perSecond(floor.runs, floor.seconds), runsOnlyPerSecond: perSecond(floor.runs, floor.runsSeconds) },
      ratio: first.seconds / floor.seconds,
      netRatio: (first.seconds - startup) / floor.seconds,
      pglite: pglite && {
        tenants: s.pgliteTenants,
        lines: pglite.files.lines,
        ...pglite.outcome,
        startupSeconds: pglite.startup,
        runsPerSecond: perSecond(pglite.outcome.inserted, pglite.outcome.seconds),
        netRunsPerSecond: perSecond(pglite.outcome.inserted, pglite.outcome.seconds - pglite.startup),
      },
    };
    return { text: formatReport(data), data };
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch((err: unknown) => o.progress(`could not drop ${dbName}: ${String(err)}`));
    await admin.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The fixed cost of a `vigie import` child: node + tsx start-up, config load, store opening. An empty file is imported
 * twice: the first applies the migrations (not counted), the second is the start-up alone, subtracted for the "net"
 * figures.
 */
async function startupSeconds(args: Parameters<typeof vigieImport>[0]): Promise<number> {
  await vigieImport(args);
  return (await vigieImport(args)).seconds;
}

/** Copies what the import wrote into `*_floor` tables of the same shape with psql `\copy`; times the loads only. */
async function copyFloor(url: string, dir: string, signal: AbortSignal) {
  const file = (t: string) => join(dir, `${t}.copy`).replace(/'/g, "''");
  await psql(
    url,
    [
      ...['runs', 'attempts', 'steps'].map((t) => `\\copy ${t} TO '${file(t)}'`),
      ...['runs', 'attempts', 'steps'].map((t) => `CREATE TABLE ${t}_floor (LIKE ${t} INCLUDING ALL)`),
      'ALTER TABLE runs_floor ADD FOREIGN KEY (revision_id) REFERENCES config_revisions (id)',
      'CHECKPOINT',
    ],
    signal,
  );
  const runsSeconds = await psql(url, [`\\copy runs_floor FROM '${file('runs')}'`], signal);
  const childSeconds = await psql(url, [`\\copy attempts_floor FROM '${file('attempts')}'`, `\\copy steps_floor FROM '${file('steps')}'`], signal);
  const admin = createPgDb(url, { max: 1, applicationName: 'vigie-bench' });
  try {
    const { rows } = await admin.query<{ runs: string; attempts: string; steps: string }>(
      'SELECT (SELECT count(*) FROM runs_floor) AS runs, (SELECT count(*) FROM attempts_floor) AS attempts, (SELECT count(*) FROM steps_floor) AS steps',
    );
    const r = rows[0]!;
    return { runs: Number(r.runs), attempts: Number(r.attempts), steps: Number(r.steps), runsSeconds, childSeconds, seconds: runsSeconds + childSeconds };
  } finally {
    await admin.close();
  }
}

interface ReportData {
  date: string;
  cpus: number;
  load1: { start: number; end: number };
  size: { tenants: number; journeys: number; days: number; lines: number };
  startupSeconds: number;
  import: ImportOutcome & { runsPerSecond: number; netRunsPerSecond: number };
  reimport: ImportOutcome & { linesPerSecond: number };
  floor: { runs: number; attempts: number; steps: number; seconds: number; runsSeconds: number; runsPerSecond: number; runsOnlyPerSecond: number };
  ratio: number;
  netRatio: number;
  pglite?: { tenants: number; lines: number; seconds: number; inserted: number; startupSeconds: number; runsPerSecond: number; netRunsPerSecond: number };
}

function formatReport(d: ReportData): string {
  const sec = (x: number) => `${x.toFixed(2)} s`;
  const rows: string[][] = [
    ['vigie import → PostgreSQL', fmtInt(d.import.inserted), sec(d.import.seconds), fmtInt(d.import.runsPerSecond)],
    [`floor: psql \\copy (runs + ${fmtInt(d.floor.attempts)} attempts + ${fmtInt(d.floor.steps)} steps)`, fmtInt(d.floor.runs), sec(d.floor.seconds), fmtInt(d.floor.runsPerSecond)],
    ['floor: psql \\copy, runs table only', fmtInt(d.floor.runs), sec(d.floor.runsSeconds), fmtInt(d.floor.runsOnlyPerSecond)],
    ['re-import, same file (0 inserted expected)', `${fmtInt(d.reimport.inserted)} ins. / ${fmtInt(d.reimport.duplicates)} dup.`, sec(d.reimport.seconds), `${fmtInt(d.reimport.linesPerSecond)} lines/s`],
  ];
  if (d.pglite) rows.push([`vigie import → PGlite (${d.pglite.tenants} tenants)`, fmtInt(d.pglite.inserted), sec(d.pglite.seconds), fmtInt(d.pglite.runsPerSecond)]);
  return [
    `import-replay — ${d.size.journeys} journeys × ${d.size.tenants} tenants × ${d.size.days} days of 5-minute runs = ${fmtInt(d.size.lines)} JSONL lines`,
    `${d.date}, ${d.cpus} cores, load (1 min) ${d.load1.start.toFixed(2)} → ${d.load1.end.toFixed(2)}`,
    formatTable(['side', 'runs', 'time', 'runs/s'], rows),
    `vigie import / floor: ×${d.ratio.toFixed(1)}; net of vigie's start-up (${sec(d.startupSeconds)}, an empty file): ×${d.netRatio.toFixed(1)}, ${fmtInt(d.import.netRunsPerSecond)} runs/s`,
    d.pglite ? `PGlite net of its start-up (${sec(d.pglite.startupSeconds)}): ${fmtInt(d.pglite.netRunsPerSecond)} runs/s` : '',
    d.import.rejected > 0 || d.import.inserted !== d.size.lines ? `WARNING: ${d.import.rejected} lines rejected, ${d.import.inserted} inserted of ${d.size.lines}` : '',
  ]
    .filter((l) => l !== '')
    .join('\n');
}

/** `node --import tsx bench/import-replay.ts [--tenants N] [--journeys 1-4] [--days 1-31] [--pglite-tenants N] [--json]` */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      tenants: { type: 'string' },
      journeys: { type: 'string' },
      days: { type: 'string' },
      'pglite-tenants': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const s: ImportReplayOptions = {
    ...DEFAULTS,
    tenants: intOption('tenants', values.tenants, DEFAULTS.tenants),
    journeys: intOption('journeys', values.journeys, DEFAULTS.journeys),
    days: Math.min(31, intOption('days', values.days, DEFAULTS.days)),
    pgliteTenants: intOption('pglite-tenants', values['pglite-tenants'], DEFAULTS.pgliteTenants, 0),
  };
  const controller = abortOnSignal('interrupted: stopping the child, dropping the database…');
  try {
    const report = await runImportReplay(s, { signal: controller.signal, progress: (line) => console.error(line) });
    console.log(values.json ? JSON.stringify(report.data, null, 2) : report.text);
    return 0;
  } catch (err) {
    if (controller.signal.aborted) return 130;
    throw err;
  }
}

runIfMain(import.meta.url, main);
