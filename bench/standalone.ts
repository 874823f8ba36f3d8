import { pathToFileURL } from 'node:url';

/** Plumbing shared by benchmarks that can also run alone (`node --import tsx bench/<name>.ts …`). */

/** An integer option `--name` ≥ `min`, or `fallback` when absent. @throws Error naming the option. */
export function intOption(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got "${value}"`);
  return n;
}

/** An AbortController aborted on SIGINT or SIGTERM (once), after printing `message` on stderr. */
export function abortOnSignal(message: string): AbortController {
  const controller = new AbortController();
  const onSignal = () => {
    console.error(message);
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return controller;
}

/** Runs `main` when `moduleUrl` is the script node was started with; its result is the exit code (1 on a throw). */
export function runIfMain(moduleUrl: string, main: () => Promise<number>): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}

/** The URL of database `name` on the server of `url` (benchmarks create and drop a private database there). */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
