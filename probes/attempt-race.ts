import type { Page } from 'playwright-core';
import type { CrashWatch } from './attempt-context.js';
import type { BrowserLease } from './browser-pool.js';

/**
 * The timeout race of one attempt (attempt.ts): the journey against the hard timeout, a browser disconnect and a
 * shutdown request (which aborts the attempt's signal and gives the journey `shutdownGraceMs` for its cleanup). After
 * the race, a journey failure whose page vanished gives the disconnect a moment to be reported, so that a crash is not
 * mistaken for a failure of the ENT.
 *
 * The API is split (`winner`, `settle`, `end`) rather than one async function on purpose: the attempt awaits exactly
 * what it awaited when this was inline, no more, so the journey still unwinding cannot get a microtask in before the
 * duration is read and the end is classified.
 */

/** How long to wait for a disconnect to be reported after a page vanished under a step. */
const CRASH_SETTLE_MS = 1_000;

/**
 * What ended the race: the journey returned (`completed`) or threw (`{ err }`), the hard timeout fired, the browser
 * disconnected or a page crashed (`crashed`), or the shutdown grace ran out (`interrupted`).
 */
export type Winner = 'completed' | 'timed-out' | 'crashed' | 'interrupted' | { err: unknown };

export interface RaceOptions {
  /** Runs the journey; called once, in a microtask after the race is set up. */
  run: () => Promise<void>;
  /** Hard timeout of the journey, ms. */
  timeoutMs: number;
  crash: CrashWatch;
  /** The attempt's controller: aborted as soon as `signal` aborts (the journey then runs only its cleanup steps). */
  controller: AbortController;
  /** The run's shutdown signal (`req.signal`). */
  signal: AbortSignal | undefined;
  /** Grace after `signal` aborts before the race is `interrupted`, ms. */
  shutdownGraceMs: number;
  /** The attempt's first page, and the browser's lease: a closed page or a gone browser means "maybe a crash". */
  page: Page;
  lease: Pick<BrowserLease, 'browser' | 'disconnected'>;
}

/** A started race. Use: `winner`, then `settle(winner)` (await it if it returns a promise), then `end()`. */
export interface JourneyRace {
  /** The journey's own settlement; may settle long after the race, against closed pages. Nothing needs to await it. */
  readonly journeyP: Promise<Winner>;
  /** The first of the journey, the timeout, the crash watch and the shutdown grace. Never rejects. */
  readonly winner: Promise<Winner>;
  /**
   * After `winner`: when the journey threw, no crash is known yet and its page is closed or the browser looks gone,
   * returns the wait to await (until the crash is reported, at most {@link CRASH_SETTLE_MS}); `undefined` otherwise,
   * with nothing to wait for.
   */
  settle(winner: Winner): Promise<unknown> | undefined;
  /**
   * After `settle`: a journey failure with the browser disconnected by now is a crash (`crash.crashed` set); clears the
   * timeout and grace timers and removes the abort listener.
   */
  end(): void;
}

/**
 * Starts the journey and its race at once (synchronously: the timeout starts now, and a `signal` already aborted
 * aborts `controller` before the journey's first line runs).
 */
export function startRace(o: RaceOptions): JourneyRace {
  const { crash, controller, page, lease } = o;
  const journeyP: Promise<Winner> = Promise.resolve()
    .then(() => o.run())
    .then(() => 'completed' as const, (err: unknown) => ({ err }));
  let timer: NodeJS.Timeout | undefined;
  const timeoutP = new Promise<'timed-out'>((resolve) => (timer = setTimeout(() => resolve('timed-out'), o.timeoutMs)));
  let graceTimer: NodeJS.Timeout | undefined;
  let onAbort: () => void = () => undefined;
  const abortP = new Promise<'interrupted'>((resolve) => {
    onAbort = () => {
      controller.abort();
      graceTimer = setTimeout(() => resolve('interrupted'), o.shutdownGraceMs);
    };
    if (o.signal?.aborted) onAbort();
    else o.signal?.addEventListener('abort', onAbort, { once: true });
  });
  const winner = Promise.race([journeyP, timeoutP, crash.crashP, abortP]);

  let checkDisconnect = false;
  return {
    journeyP,
    winner,
    settle(w) {
      if (typeof w === 'object' && !crash.crashed) {
        checkDisconnect = true;
        // A killed browser fails the pending Playwright call slightly before its disconnect is reported: when the page is
        // gone, give the disconnect a moment so a crash is not mistaken for a failure of the ENT.
        if (page.isClosed() || !lease.browser.isConnected() || lease.disconnected()) {
          return Promise.race([crash.crashP, sleep(CRASH_SETTLE_MS)]);
        }
      }
      return undefined;
    },
    end() {
      if (checkDisconnect) {
        if (lease.disconnected() || !lease.browser.isConnected()) crash.crashed = true;
      }
      clearTimeout(timer);
      clearTimeout(graceTimer);
      o.signal?.removeEventListener('abort', onAbort);
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
