import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Logger } from 'pino';
import { fillTemplate } from '../core/profile.js';
import { gotoChecked } from './attempt-goto.js';
import { stripQuery, type ServerError } from './classify.js';
import type { JourneyContext } from './journey.js';
import type { LeaseManager } from './lease.js';
import type { RunRequest } from './run-request.js';
import type { PageObserver, StepRecorder } from './step-recorder.js';

/**
 * Context setup of one attempt (attempt.ts): the BrowserContexts opened on the lent browser (default timeouts, the
 * runner's page counters, crash hooks, the page observer the step classification reads), and the
 * {@link JourneyContext} handed to the journey. Kept apart from the race and the classification so that what a journey
 * receives is readable in one place; nothing here awaits anything but Playwright.
 */

/**
 * Crash state of one attempt, shared by the context setup (which hooks it), the race, the evidence and the
 * classification (which read it). `crashed` is set by a browser disconnect or a renderer crash, or by the race when a
 * disconnect is seen late (attempt-race.ts).
 */
export interface CrashWatch {
  crashed: boolean;
  /** Resolves `'crashed'` at the first disconnect or page crash; never rejects. */
  readonly crashP: Promise<'crashed'>;
  /** The hook given to `browser.once('disconnected')` and every page's `'crash'`: sets `crashed`, resolves `crashP`. */
  readonly onCrash: () => void;
}

/** The contexts of one attempt and how to open another. */
export interface AttemptContexts {
  /** Every context still open (a context leaves the set when it closes); closed by the attempt on every path. */
  readonly contexts: Set<BrowserContext>;
  /** Main-frame events of every page of the attempt (HTTP ≥ 400 on a navigation, failed navigations). */
  readonly observer: PageObserver;
  readonly crash: CrashWatch;
  /**
   * Opens a fresh BrowserContext with its first page: default and navigation timeouts `stepTimeoutMs`, counted in
   * `counters`, each of its pages hooked to `crash.onCrash` and watched by `observer`. Rejects when the browser is
   * unusable (the attempt is then `crashed`).
   */
  newContext(): Promise<{ context: BrowserContext; page: Page }>;
}

/**
 * Sets up the contexts of one attempt on `browser` and hooks its disconnect to the crash watch at once (before any
 * context opens).
 * @param opts.stepTimeoutMs Playwright default and navigation timeout of every context, ms.
 * @param opts.counters The runner's live counters (`stats()`), incremented on open and decremented on close.
 */
export function createAttemptContexts(browser: Browser, opts: { stepTimeoutMs: number; counters: { openContexts: number; openPages: number } }): AttemptContexts {
  const { stepTimeoutMs, counters } = opts;
  const contexts = new Set<BrowserContext>();
  const observer = createObserver();
  const crash = createCrashWatch();
  browser.once('disconnected', crash.onCrash);

  const newContext = async () => {
    const context = await browser.newContext();
    counters.openContexts += 1;
    contexts.add(context);
    context.once('close', () => {
      counters.openContexts -= 1;
      contexts.delete(context);
    });
    context.setDefaultTimeout(stepTimeoutMs);
    context.setDefaultNavigationTimeout(stepTimeoutMs);
    context.on('page', (p) => {
      counters.openPages += 1;
      p.once('close', () => (counters.openPages -= 1));
      p.on('crash', crash.onCrash);
      observer.watch(p);
    });
    const page = await context.newPage();
    return { context, page };
  };

  return { contexts, observer, crash, newContext };
}

/** What the journey context is built from (all of it owned by the attempt). */
export interface JourneyContextParts {
  req: RunRequest;
  /** The first page and its context. */
  page: Page;
  browserContext: BrowserContext;
  /** `req.settings.stepTimeout` in ms. */
  stepTimeoutMs: number;
  /** The attempt's signal: aborted on shutdown, timeout and at the end of the attempt. */
  signal: AbortSignal;
  logger: Logger;
  leases: LeaseManager;
  recorder: StepRecorder;
  /** Persona passwords, redacted from navigation errors. */
  secrets: readonly string[];
  newContext: AttemptContexts['newContext'];
}

/** The {@link JourneyContext} of one attempt: the run's context, the first page, and the recorder's methods. */
export function buildJourneyContext(parts: JourneyContextParts): JourneyContext {
  const { req, page, browserContext, stepTimeoutMs, signal, logger, leases, recorder, secrets, newContext } = parts;
  return {
    ...req.context,
    page,
    browserContext,
    settings: req.settings,
    options: req.settings.options,
    stepTimeoutMs,
    tenant: req.tenant,
    signal,
    logger,
    leases,
    step: (name, fn, o) => recorder.step(name, fn, o),
    check: (name, fn, o) => recorder.check(name, fn, o),
    cleanup: (name, fn, o) => recorder.cleanup(name, fn, o),
    handOff: () => recorder.handOff(),
    measure: (name, value) => recorder.measure(name, value),
    flag: (name) => recorder.flag(name),
    recordCookies: (cookies) => recorder.recordCookies(cookies),
    url: (template, extra = {}) => fillTemplate(template, { ...extra, ent: req.context.entUrl, sso: req.context.ssoUrl }),
    goto: (p, url) => gotoChecked(p, url, stepTimeoutMs, secrets),
    newContext,
  };
}

function createCrashWatch(): CrashWatch {
  let onCrash: () => void = () => undefined;
  const crashP = new Promise<'crashed'>((resolve) => (onCrash = () => ((watch.crashed = true), resolve('crashed'))));
  const watch: CrashWatch = { crashed: false, crashP, onCrash };
  return watch;
}

/**
 * How long a server-error page may take to load before a hard step is failed for it (attempt-context.ts observer):
 * the failure screenshot then shows the error page, not the blank page of a navigation just committed. The sandbox's
 * and the usual error pages load in milliseconds; a slower one is failed at this bound, still well under a step timeout.
 */
const SERVER_ERROR_SETTLE_MS = 1_000;

function createObserver(): PageObserver & { watch(page: Page): void } {
  const events: { seq: number; httpStatus?: number; netFail?: boolean }[] = [];
  const serverErrorListeners = new Set<(e: ServerError) => void>();
  let seq = 0;
  /** Tells the listeners of a ≥ 500 document once its page fired DOMContentLoaded, or after the bound. */
  const announce = (page: Page, e: ServerError) => {
    void page
      .waitForEvent('domcontentloaded', { timeout: SERVER_ERROR_SETTLE_MS })
      .catch(() => undefined) // not loaded within the bound, or the page closed: tell the step now
      .then(() => {
        for (const l of [...serverErrorListeners]) l(e);
      });
  };
  return {
    mark: () => seq,
    since(mark) {
      const after = events.filter((e) => e.seq > mark);
      const http = after.filter((e) => e.httpStatus !== undefined).at(-1);
      return { httpErrorStatus: http?.httpStatus, navigationFailed: after.some((e) => e.netFail) };
    },
    onServerError(listener) {
      serverErrorListeners.add(listener);
      return () => serverErrorListeners.delete(listener);
    },
    watch(page) {
      page.on('response', (r) => {
        try {
          if (r.status() >= 400 && r.request().isNavigationRequest() && r.frame() === page.mainFrame()) {
            events.push({ seq: ++seq, httpStatus: r.status() });
            if (r.status() >= 500) announce(page, { status: r.status(), url: stripQuery(r.url()), seq });
          }
        } catch {
          // A response of a detached frame: not the main frame's.
        }
      });
      page.on('requestfailed', (r) => {
        // ERR_ABORTED is a navigation replaced by another one (a redirect or a click), not a network failure.
        if (r.isNavigationRequest() && r.frame() === page.mainFrame() && r.failure()?.errorText !== 'net::ERR_ABORTED') {
          events.push({ seq: ++seq, netFail: true });
        }
      });
    },
  };
}
