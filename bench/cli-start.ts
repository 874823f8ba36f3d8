import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOptions, BenchReport, Benchmark } from './benchmark.js';
import { formatMs, formatTable, median } from './stats.js';

/**
 * Issue 9 item 2: wall time of `vigie --help` and `vigie check-config vigie.example.yml`, compiled (dist/, built by
 * `prepare`) against from the TypeScript sources through tsx (`VIGIE_FROM_SOURCE=1`, what every start cost before the
 * build), and from the sources with tsx's cache disabled (a fresh clone's first start). The three variants of a
 * command run in turn, run after run, so a machine that slows down slows them all. Needs a fresh dist/ (`npm run
 * build`): without it the "compiled" side would silently run the sources, so the benchmark refuses.
 */
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const COMMANDS: Record<string, string[]> = {
  '--help': ['--help'],
  'check-config': ['check-config', join(ROOT, 'vigie.example.yml')],
};

function once(args: string[], env: NodeJS.ProcessEnv): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/vigie.mjs'), ...args], { env, stdio: 'ignore' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`vigie ${args.join(' ')} exited ${r.status}`);
  return ms;
}

export const benchmark: Benchmark = {
  name: 'cli-start',
  description: 'wall time of vigie --help and check-config: compiled dist/ vs TypeScript sources through tsx (warm and cold cache)',
  async run(opts: BenchOptions): Promise<BenchReport> {
    const { distIsFresh } = (await import(join(ROOT, 'bin/build-state.mjs'))) as { distIsFresh: () => boolean };
    if (!distIsFresh()) throw new Error('dist/ is missing or older than the sources: run `npm run build` first');
    const runs = opts.runs ?? 15;
    const warmup = opts.warmup ?? 2;
    // tsx keeps its compiled files under os.tmpdir(): a private TMPDIR keeps the machine's cache out of it.
    const tmp = mkdtempSync(join(tmpdir(), 'vigie-cli-start-'));
    const base = { ...process.env, VIGIE_LOG_LEVEL: 'silent', TMPDIR: tmp };
    const variants = {
      compiled: () => ({ ...base }),
      sources: () => ({ ...base, VIGIE_FROM_SOURCE: '1' }),
      // No cache at all: every start compiles every module it loads, as the first start of a fresh clone did.
      'sources, cold cache': () => ({ ...base, VIGIE_FROM_SOURCE: '1', TSX_DISABLE_CACHE: '1' }),
    };
    const rows: string[][] = [];
    const data: Record<string, Record<string, number>> = {};
    try {
      for (const [name, args] of Object.entries(COMMANDS)) {
        const samples: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((v) => [v, []]));
        for (let i = 0; i < warmup + runs; i++) {
          opts.signal.throwIfAborted();
          for (const [v, env] of Object.entries(variants)) {
            const ms = once(args, env());
            if (i >= warmup) samples[v]!.push(ms);
          }
        }
        opts.progress(`cli-start: ${name} done`);
        const m = Object.fromEntries(Object.entries(samples).map(([v, s]) => [v, median(s)]));
        data[name] = m;
        rows.push([`vigie ${name}`, formatMs(m.compiled!), formatMs(m.sources!), formatMs(m['sources, cold cache']!), `×${(m.sources! / m.compiled!).toFixed(2)}`, `×${(m['sources, cold cache']! / m.compiled!).toFixed(2)}`]);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    const text = [`cli-start — median wall time over ${runs} runs each (variants interleaved)`, formatTable(['command', 'compiled', 'sources (tsx)', 'sources, cold tsx cache', 'sources / compiled', 'cold / compiled'], rows)].join('\n');
    return { text, data: { runs, medianMs: data } };
  },
};
