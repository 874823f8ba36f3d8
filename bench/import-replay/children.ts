import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;

/** What `vigie import` printed, read back from its summary line (cli/import-cmd.ts). */
export interface ImportOutcome {
  seconds: number;
  inserted: number;
  duplicates: number;
  rejected: number;
  exitCode: number;
  stderr: string;
}

const SUMMARY = /(\d+) insérées \(inserted\), (\d+) déjà présentes \(duplicates\), (\d+) lignes rejetées/;

/**
 * Runs `vigie import <file> --config <cfg> --data-dir <dataDir>` as a child process (bin/vigie.mjs through the same
 * node), timed by wall clock from spawn to exit (node + tsx start-up included). `databaseUrl` undefined = embedded
 * PGlite in `dataDir` (the store is chosen by DATABASE_URL alone, cli/store-open.ts); with a URL, `dataDir` is still
 * passed so that a Vigie running on the default data folder is not used through its admin API (cli/sla-access.ts).
 * The child is killed when `signal` aborts.
 */
export async function vigieImport(args: { file: string; config: string; dataDir: string; databaseUrl?: string; signal: AbortSignal }): Promise<ImportOutcome> {
  const env: NodeJS.ProcessEnv = { ...process.env, VIGIE_LOG_LEVEL: 'silent', VIGIE_REPLAY_PASSWORD: 'bench' };
  if (args.databaseUrl === undefined) delete env.DATABASE_URL;
  else env.DATABASE_URL = args.databaseUrl;
  const start = performance.now();
  let stdout: string;
  let stderr: string;
  let exitCode = 0;
  try {
    ({ stdout, stderr } = await run(process.execPath, ['bin/vigie.mjs', 'import', args.file, '--config', args.config, '--data-dir', args.dataDir], {
      cwd: ROOT,
      env,
      signal: args.signal,
      maxBuffer: 64 * 1024 * 1024,
    }));
  } catch (err) {
    if (args.signal.aborted) throw new Error('interrupted', { cause: err });
    const e = err as { code?: number; stdout?: string; stderr?: string };
    // Exit 1 = some lines rejected: still a measurement (reported); anything else means the import could not run.
    if (e.code !== 1) throw new Error(`vigie import failed (exit ${String(e.code)}): ${e.stderr ?? String(err)}`, { cause: err });
    ({ stdout = '', stderr = '' } = e);
    exitCode = 1;
  }
  const seconds = (performance.now() - start) / 1000;
  const m = SUMMARY.exec(stdout);
  if (!m) throw new Error(`vigie import: no summary line in its output: ${stdout}${stderr}`);
  return { seconds, inserted: Number(m[1]), duplicates: Number(m[2]), rejected: Number(m[3]), exitCode, stderr };
}

/** Runs psql (no ~/.psqlrc, stop at the first error) with one `-c` per command; returns the wall-clock seconds. */
export async function psql(url: string, commands: readonly string[], signal: AbortSignal): Promise<number> {
  const start = performance.now();
  try {
    await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, ...commands.flatMap((c) => ['-c', c])], { signal, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    if (signal.aborted) throw new Error('interrupted', { cause: err });
    throw new Error(`psql failed: ${(err as { stderr?: string }).stderr ?? String(err)}`, { cause: err });
  }
  return (performance.now() - start) / 1000;
}
