import { readdir } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchOptions, Benchmark } from './benchmark.js';

/**
 * `npm run bench [-- [name…] [--runs N] [--warmup N] [--timing-runs N] [--latencies 300,1000] [--json]]`
 *
 * Runs every benchmark of `bench/` in turn (a `bench/*.ts` file exporting `benchmark`), or those named. Reports go to
 * stdout (a readable table, or one JSON document with `--json`), progress to stderr. Exit 0 whatever the figures
 * (benchmarks never fail CI); 1 when a benchmark could not run (sandbox, browser, every login failing), 2 on a usage
 * error, 130 on Ctrl-C.
 */

const USAGE = `usage: npm run bench -- [name…] [--runs N] [--warmup N] [--timing-runs N] [--latencies MS,MS] [--json] [--list]`;

function positiveInt(name: string, value: string | undefined, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${value}"`);
  return n;
}

class UsageError extends Error {}

async function discover(): Promise<Benchmark[]> {
  const dir = dirname(fileURLToPath(import.meta.url));
  const files = (await readdir(dir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && f !== 'run.ts').sort();
  const found: Benchmark[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { benchmark?: Benchmark };
    if (mod.benchmark) found.push(mod.benchmark);
  }
  return found;
}

async function main(): Promise<number> {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      allowPositionals: true,
      options: {
        runs: { type: 'string' },
        warmup: { type: 'string' },
        'timing-runs': { type: 'string' },
        latencies: { type: 'string' },
        json: { type: 'boolean', default: false },
        list: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const all = await discover();
  if (values.help || values.list) {
    if (values.help) console.log(USAGE);
    for (const b of all) console.log(`${b.name.padEnd(20)} ${b.description}`);
    return 0;
  }
  const unknown = positionals.filter((n) => !all.some((b) => b.name === n));
  if (unknown.length > 0) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${all.map((b) => b.name).join(', ')}`);
    return 2;
  }
  const selected = positionals.length > 0 ? all.filter((b) => positionals.includes(b.name)) : all;

  const controller = new AbortController();
  const onSignal = () => {
    console.error('interrupted: closing browsers and the sandbox…');
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let options: BenchOptions;
  try {
    const latencies = values.latencies?.split(',').map((s) => positiveInt('latencies', s.trim())!);
    options = {
      runs: positiveInt('runs', values.runs),
      warmup: positiveInt('warmup', values.warmup, 0),
      timingRuns: positiveInt('timing-runs', values['timing-runs']),
      latenciesMs: latencies,
      signal: controller.signal,
      progress: (line) => console.error(line),
    };
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`${err.message}\n${USAGE}`);
    return 2;
  }

  const results: Record<string, unknown> = {};
  let failed = false;
  for (const b of selected) {
    try {
      const report = await b.run(options);
      results[b.name] = report.data;
      if (!values.json) console.log(`${report.text}\n`);
    } catch (err) {
      failed = true;
      const message = err instanceof Error ? err.message : String(err);
      results[b.name] = { error: message };
      console.error(`${b.name}: could not run: ${message}`);
    }
    if (controller.signal.aborted) break;
  }
  if (values.json) console.log(JSON.stringify({ date: new Date().toISOString(), cpus: cpus().length, benchmarks: results }, null, 2));
  if (controller.signal.aborted) return 130;
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
