/**
 * How a long-running command (`vigie start`, `vigie sandbox`) learns it must stop: SIGINT, SIGTERM or SIGHUP, or the
 * death of the process that launched it when that is npm (issue 9 item 1). `npm start` and `npx vigie …` run Vigie as
 * `npm → sh -c → node`; a SIGTERM sent to npm (a pidfile, a supervisor) ends npm and its shell but not node, which kept
 * probing, reparented to PID 1. So when npm launched us (it sets `npm_command` in the environment), the parent is
 * checked every `pollMs` and its exit counts as a stop request. Outside npm the parent is not watched, so
 * `nohup vigie start &` keeps running after its shell exits.
 */

/** Why the command stops: the signal received, or `parent-exited`. */
export type StopReason = NodeJS.Signals | 'parent-exited';

export interface StopWatchOptions {
  /** The environment (`npm_command` tells that npm launched us). */
  env: NodeJS.ProcessEnv;
  /** How often the parent is checked, in ms. Default 1000. */
  pollMs?: number;
  /** Called once when a second stop request arrives while the first is being handled (e.g. a second Ctrl+C). */
  onSecondRequest?: (reason: StopReason) => void;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** True when the process `pid` still exists (a process of another user counts as existing). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when npm or npx launched this process (npm sets `npm_command`: `run-script`, `start`, `exec`…). */
export function launchedByNpm(env: NodeJS.ProcessEnv): boolean {
  return typeof env.npm_command === 'string' && env.npm_command !== '';
}

/**
 * Resolves with the first stop request. After it, the signal handlers stay installed (so a second Ctrl+C does not kill
 * the process mid-shutdown by Node's default action) and report further requests to `onSecondRequest`.
 */
export function waitForStop(options: StopWatchOptions): Promise<StopReason> {
  const parent = process.ppid;
  const watchParent = launchedByNpm(options.env) && parent > 1;
  return new Promise((resolve) => {
    let first: StopReason | undefined;
    let timer: NodeJS.Timeout | undefined;
    const request = (reason: StopReason) => {
      if (first === undefined) {
        first = reason;
        if (timer) clearInterval(timer);
        resolve(reason);
      } else {
        options.onSecondRequest?.(reason);
      }
    };
    for (const signal of SIGNALS) process.on(signal, request);
    if (watchParent) {
      timer = setInterval(() => {
        if (!processAlive(parent)) request('parent-exited');
      }, options.pollMs ?? 1000);
      timer.unref();
    }
  });
}
