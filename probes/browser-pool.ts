import { chromium, type Browser, type BrowserServer } from 'playwright-core';
import type { Logger } from 'pino';
import { DEFAULT_LAUNCH_ARGS } from '../core/chromium-flags.js';

/**
 * One Chromium per runner (DESIGN.md §4 "worker"), launched lazily, shared by the runner's concurrent attempts, each
 * in its own BrowserContext. The browser is started with `launchServer` so that its process is ours to kill: Playwright
 * spawns it as a process-group leader and `BrowserServer.kill()` SIGKILLs the whole group (renderers, GPU, zygote),
 * which is how a hung close or a crash leaves no process behind (F27, F31).
 *
 * Recycling (F30): after `recycleAfterRuns` acquisitions the browser is *retired*: new attempts get a fresh browser at
 * once, and the retired one closes when its last attempt releases it, so no run waits or is lost.
 */

/** Flags for a headless probe browser (core/chromium-flags.ts). */
export { DEFAULT_LAUNCH_ARGS };

/** A graceful close longer than this is treated as hung: the process group is killed (F27 "close hangs"). */
export const CLOSE_HANG_MS = 5_000;

export interface BrowserPoolOptions {
  chromiumPath: string;
  headless: boolean;
  recycleAfterRuns: number;
  logger: Logger;
  /** Replaces {@link DEFAULT_LAUNCH_ARGS}. */
  launchArgs?: string[];
  /** Launch timeout in ms (default 30 000). */
  launchTimeoutMs?: number;
}

/** A browser lent to one attempt. */
export interface BrowserLease {
  readonly browser: Browser;
  /** PID of the browser's main process (the process-group leader). */
  readonly pid: number | undefined;
  /** True once the browser disconnected (crash, kill). */
  disconnected(): boolean;
  /** Gives the browser back; `broken` retires and kills it (crash, hung close). */
  release(options?: { broken?: boolean }): Promise<void>;
}

/** The browser could not be started: the attempt is `error` (F28 case a). */
export class BrowserLaunchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BrowserLaunchError';
  }
}

interface Instance {
  server: BrowserServer;
  browser: Browser;
  pid: number | undefined;
  acquisitions: number;
  inUse: number;
  retired: boolean;
  gone: boolean;
  closing?: Promise<void>;
}

export interface BrowserPool {
  acquire(): Promise<BrowserLease>;
  /** Closes every browser (graceful, then killed after {@link CLOSE_HANG_MS}). */
  close(): Promise<void>;
  stats(): { launches: number; browserPid: number | undefined; liveBrowsers: number };
}

export function createBrowserPool(opts: BrowserPoolOptions): BrowserPool {
  let current: Instance | null = null;
  let launching: Promise<Instance> | null = null;
  const live = new Set<Instance>();
  let launches = 0;
  let closed = false;

  const shutdown = async (inst: Instance, reason: string): Promise<void> => {
    inst.closing ??= (async () => {
      opts.logger.debug({ pid: inst.pid, reason }, 'closing browser');
      let timer: NodeJS.Timeout | undefined;
      const hung = await Promise.race([
        inst.server.close().then(() => false, () => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), CLOSE_HANG_MS))),
      ]);
      clearTimeout(timer);
      if (hung) opts.logger.warn({ pid: inst.pid }, 'browser close hung: killing its process group');
      // kill() after a clean close is a no-op; after a crash it reaps the renderers left in the group.
      await killBounded(inst.server);
      live.delete(inst);
    })();
    return inst.closing;
  };

  const retire = (inst: Instance, reason: string) => {
    inst.retired = true;
    if (current === inst) current = null;
    if (inst.inUse === 0) void shutdown(inst, reason);
  };

  const launch = async (): Promise<Instance> => {
    let server: BrowserServer;
    try {
      server = await chromium.launchServer({
        executablePath: opts.chromiumPath,
        headless: opts.headless,
        args: opts.launchArgs ?? DEFAULT_LAUNCH_ARGS,
        timeout: opts.launchTimeoutMs ?? 30_000,
        // Signals are handled by the worker (graceful stop); the browser must not die before the run is restored.
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
    } catch (err) {
      throw new BrowserLaunchError(`Chromium could not start (${opts.chromiumPath})`, { cause: err });
    }
    let browser: Browser;
    try {
      browser = await chromium.connect(server.wsEndpoint(), { timeout: opts.launchTimeoutMs ?? 30_000 });
    } catch (err) {
      await killBounded(server);
      throw new BrowserLaunchError('could not connect to the launched Chromium', { cause: err });
    }
    launches += 1;
    const inst: Instance = { server, browser, pid: server.process()?.pid, acquisitions: 0, inUse: 0, retired: false, gone: false };
    live.add(inst);
    const onGone = () => {
      if (inst.gone) return;
      inst.gone = true;
      // A browser we are closing disconnects as expected; only an unplanned disconnect is worth a warning.
      if (inst.closing) opts.logger.debug({ pid: inst.pid }, 'browser closed');
      else opts.logger.warn({ pid: inst.pid }, 'browser disconnected');
      retire(inst, 'disconnected');
    };
    browser.on('disconnected', onGone);
    server.process()?.once('exit', onGone);
    opts.logger.info({ pid: inst.pid, launches }, 'browser launched');
    return inst;
  };

  const getInstance = async (): Promise<Instance> => {
    if (current && !current.retired && !current.gone) return current;
    launching ??= launch().then(
      (inst) => {
        launching = null;
        current = inst;
        return inst;
      },
      (err: unknown) => {
        launching = null;
        throw err;
      },
    );
    return launching;
  };

  return {
    async acquire() {
      if (closed) throw new BrowserLaunchError('the browser pool is closed');
      const inst = await getInstance();
      inst.inUse += 1;
      inst.acquisitions += 1;
      if (inst.acquisitions >= opts.recycleAfterRuns) {
        // Retire now so the next attempt launches a fresh browser; this one closes after its last release.
        inst.retired = true;
        if (current === inst) current = null;
      }
      let released = false;
      return {
        browser: inst.browser,
        pid: inst.pid,
        disconnected: () => inst.gone,
        async release(options = {}) {
          if (released) return;
          released = true;
          inst.inUse -= 1;
          if (options.broken) {
            inst.retired = true;
            if (current === inst) current = null;
            await killBounded(inst.server);
          }
          if (inst.retired && inst.inUse === 0) await shutdown(inst, options.broken ? 'broken' : 'recycled');
        },
      };
    },
    async close() {
      closed = true;
      if (launching) await launching.catch(() => undefined);
      await Promise.all([...live].map((inst) => shutdown(inst, 'pool closed')));
      current = null;
    },
    stats() {
      return { launches, browserPid: current?.pid, liveBrowsers: live.size };
    },
  };
}

/** SIGKILLs the browser's process group; never waits more than {@link CLOSE_HANG_MS} for the exit to be seen. */
async function killBounded(server: BrowserServer): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    server.kill().catch(() => undefined),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_HANG_MS))),
  ]);
  clearTimeout(timer);
}
