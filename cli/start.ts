import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { validateConfig } from '../core/config/validate.js';
import { VigieError } from '../core/errors.js';
import type { VigieConfig } from '../core/config/schema.js';
import { revisionSnapshot } from '../core/config/revision.js';
import { toSlotSchedule } from '../core/slots.js';
import { createCollectorApp } from '../collector/app.js';
import { createAdminRouter } from '../collector/admin-routes.js';
import { attachContext, requireToken } from '../collector/auth.js';
import { createMetrics } from '../collector/metrics.js';
import { startBudgetRefresh } from '../collector/budget-metrics.js';
import { createSlaRouter } from '../collector/sla-routes.js';
import { createEngineThread, createSlaInputs, parseJson } from '../engine/index.js';
import { createRunner } from '../probes/runner.js';
import { createInProcessQueue } from '../probes/queue.js';
import { createScheduler } from '../probes/scheduler.js';
import { loadJourneys } from '../probes/journey-modules.js';
import { createRunPlanner } from '../probes/run-plan.js';
import { createExecutor, startDriftMs } from '../probes/worker.js';
import { loadConfigFile, loadFingerprintKey, resolveSecrets } from './config-load.js';
import { createLogger } from './logger.js';
import { resolveAlertSecrets } from './alerts-setup.js';
import { startAlerting } from '../alerts/service.js';
import { openStore } from './store-open.js';
import { databaseUrlFingerprint, newAdminToken, removeAdminEndpoint, writeAdminEndpoint } from './admin-api.js';
import { prepareDemo, type DemoSetup } from './demo-setup.js';
import { waitForStop } from './lifecycle.js';
import { createDurableResults } from './start-results.js';
import { isStoreOutage } from './store-readiness.js';

export interface StartOptions {
  config?: string;
  dataDir?: string;
  port?: number;
  /** Demo only: ports of the sandbox hosts and of its fault API. */
  sandboxPort?: number;
  faultPort?: number;
}

export interface VigieHandle {
  /** Base URL of the collector (API, /metrics, admin API). */
  url: string;
  config: VigieConfig;
  /** Stops scheduling, finishes or abandons running journeys (as `error`), flushes results, closes everything. */
  close(): Promise<void>;
}

/** Applies command-line overrides to a validated config (re-validated, so overrides get the same checks). */
function withOverrides(config: VigieConfig, opts: StartOptions): VigieConfig {
  if (opts.dataDir === undefined && opts.port === undefined) return config;
  return validateConfig({
    ...structuredClone(config),
    storage: { ...config.storage, ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}) },
    server: { ...config.server, ...(opts.port !== undefined ? { port: opts.port } : {}) },
  });
}

/**
 * The composition root of `vigie start` (CONVENTIONS.md "One composition root per process"): config, store,
 * revision, runner, scheduler, queue, sink, collector, admin API. Everything it opens, `close()` closes.
 */
export async function startVigie(opts: StartOptions & { env: NodeJS.ProcessEnv; logger: Logger; demo?: DemoSetup }): Promise<VigieHandle> {
  const { logger } = opts;
  const demo = opts.demo;
  const base = demo ? demo.config : await loadConfigFile(opts.config!);
  const config = withOverrides(base, opts);
  const baseDir = opts.config ? dirname(resolve(opts.config)) : process.cwd();
  const env = demo ? { ...demo.env, ...opts.env } : opts.env;

  // Journey modules load before the fingerprint key is made: a config refused for its module leaves nothing behind.
  const journeys = await loadJourneys(config, baseDir);
  const fingerprintKey = await loadFingerprintKey(config.storage.dataDir, env);
  const secrets = await resolveSecrets(config, env, fingerprintKey);
  const alertSecrets = await resolveAlertSecrets(config, env, fingerprintKey);
  mkdirSync(resolve(config.storage.dataDir), { recursive: true });
  // Before anything is stored: a busy port would otherwise leave a revision for a start that never happened.
  await assertPortFree(config.server.host, config.server.port);
  // PGlite's thread at nice 5: below the probes' event loop and Chromium, above the SLA engine's thread (nice 10).
  // PostgreSQL may be down at boot: migrations and the revision then wait for it (cli/start-results.ts).
  const storeHandle = await openStore({ env, dataDir: config.storage.dataDir, logger, niceness: 10, deferMigrations: true });
  const { store } = storeHandle;
  const cleanups: (() => Promise<void>)[] = [() => storeHandle.close()];
  try {
    const metrics = createMetrics({ processMetrics: true });
    // The store's state as the results see it, for the "store unavailable" alert once alerting runs (kept till then).
    const storeNews: { last: [available: boolean, at: number] | null } = { last: null };
    let onStoreState = (available: boolean, at: number): void => {
      storeNews.last = [available, at];
    };
    const results = await createDurableResults({
      store,
      migrated: storeHandle.migrated,
      snapshot: revisionSnapshot(config, { ...secrets.fingerprints, ...alertSecrets.fingerprints }),
      dataDir: config.storage.dataDir,
      metrics,
      logger,
      onStoreState: (available, at) => onStoreState(available, at),
    });
    const { sink, readiness } = results;
    const runner = createRunner({ ...config.runner, chromiumPath: env.VIGIE_CHROMIUM ?? config.runner.chromiumPath, shutdownGraceMs: config.runner.shutdownGrace * 1000, logger });
    cleanups.unshift(() => runner.close());
    const planner = createRunPlanner(config, secrets.values);
    const executor = createExecutor({ config, planner, journeys, runner, revisionId: () => readiness.revisionId(), logger });
    cleanups.unshift(async () => {
      const left = await sink.flush(15_000);
      if (left > 0) logger.error({ left }, 'results not written before shutdown: kept in the spool for the next start');
    });

    const queue = createInProcessQueue({
      concurrency: config.runner.concurrency,
      logger,
      handler: async (job, signal) => {
        const result = await executor.runJob(job, signal);
        metrics.observeRun(result);
        logger.info({ schedule: job.scheduleId, slot: result.scheduledAt, status: result.status, durationMs: result.durationMs, reason: result.reason }, 'run finished');
        results.push(result);
        const drift = startDriftMs(job, result);
        if (drift !== null) {
          metrics.startDrift(job.scheduleId);
          logger.warn({ schedule: job.scheduleId, slot: result.scheduledAt, planned: job.runAt.toISOString(), startedAt: result.startedAt, driftMs: drift }, "un passage a démarré à plus de 60 s de l'heure prévue / run started more than 60 s away from its planned time");
        }
      },
    });
    cleanups.unshift(() => queue.close(config.runner.shutdownGrace * 1000));
    const scheduleIdOrThrow = (id: string) => {
      if (!config.schedules.some((s) => s.id === id)) throw new VigieError('NOT_FOUND', `planification inconnue / unknown schedule "${id}"`);
    };
    const scheduler = createScheduler({
      // Paused schedules (DESIGN.md §5 `paused`): the store is the truth, read before each batch of due slots.
      pausedSchedules: async () => new Set((await store.pauses.listOpen()).map((p) => p.scheduleId)),
      entries: config.schedules.map((s) => ({ scheduleId: s.id, slotSchedule: toSlotSchedule(s, config.timezone), locations: s.locations, enabled: s.enabled })),
      queue,
      // A store that does not answer: run the slot (a duplicate is refused by its slot key; a gap is not evidence).
      onClockJump: () => metrics.clockJump(),
      // A result still in the spool counts: a restart during an outage must not run the slot again.
      hasResult: async (id, location, at) =>
        sink.holds(id, location, at) || store.runs.has(id, location, at).catch((err: unknown) => (isStoreOutage(err) ? false : Promise.reject(err as Error))),
      logger,
    });
    cleanups.unshift(async () => scheduler.stop());

    const token = newAdminToken(env);
    // SLA figures and status are computed in a worker thread (DESIGN.md §4): this event loop times the probes.
    const engine = createEngineThread({ db: storeHandle.engineDb, contracts: config.contracts, logger });
    // Closed just before the store it reads (the store's close is the last step).
    cleanups.splice(cleanups.length - 1, 0, () => engine.close());
    const inputs = createSlaInputs(store, { contracts: config.contracts });
    // Error budget and burn-rate gauges (issue 10 item 7), every minute, computed in the engine thread.
    const budgets = startBudgetRefresh({ budgets: () => engine.budgets(), set: (b, at) => metrics.setBudgets(b, at), everyMs: 60_000, logger });
    cleanups.splice(cleanups.length - 2, 0, () => budgets.close());
    if (config.alerts) {
      const alerts = config.alerts;
      // Incidents and notices (issue 10): evaluated from the engine thread's slot stream, delivered from the store.
      // The watchdog (Vigie watching itself) reads the same status the API serves.
      const alerting = startAlerting({ config: { ...config, alerts }, repo: store.alerts, slots: (req) => engine.slots(req), status: async () => parseJson(await engine.status({ fresh: true })), storeAlertFile: join(config.storage.dataDir, 'internal-outbox.json'), secrets: alertSecrets.values, logger });
      onStoreState = (available, at) => alerting.storeState(available, at);
      if (storeNews.last) alerting.storeState(...storeNews.last);
      // Stopped before the engine thread and the store it reads.
      cleanups.splice(cleanups.length - 2, 0, () => alerting.close());
    }
    const app = createCollectorApp({
      store,
      metrics,
      logger,
      attachContext: attachContext(token),
      health: async () => ({
        store: (await storeReachable(store)) ? storeHandle.kind : 'unavailable',
        buffered: sink.size(),
        queued: queue.size(),
        revision: readiness.revisionId(),
      }),
      routers: [
        { path: '/api/v1', router: createSlaRouter({ engine, inputs }, { writeGuard: requireToken(token, { loopbackOnly: false }) }) },
        {
          path: '/api/v1/admin',
          router: createAdminRouter(token, {
            async runManual(_ctx, journey, tenant, persona) {
              const result = await executor.runManual(journey, tenant, persona);
              metrics.observeRun(result);
              results.push(result);
              return result;
            },
            async pause(_ctx, id, author, reason) {
              scheduleIdOrThrow(id);
              const pause = await store.pauses.pause(id, new Date(), author, reason);
              logger.info({ schedule: id, author }, 'schedule paused');
              return pause;
            },
            async resume(_ctx, id, author) {
              scheduleIdOrThrow(id);
              const pause = await store.pauses.resume(id, new Date(), author);
              logger.info({ schedule: id, author }, 'schedule resumed');
              return pause;
            },
            sla: { engine, inputs },
          }),
        },
      ],
    });
    const server = await listen(app, config.server.host, config.server.port);
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.server.port;
    const url = `http://${config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host}:${port}`;
    cleanups.unshift(() => new Promise<void>((done) => server.close(() => done())));
    // Other commands and scripts find the API and its token here (mode 0600).
    await writeAdminEndpoint(resolve(config.storage.dataDir), {
      url,
      token,
      pid: process.pid,
      store: env.DATABASE_URL ? { kind: 'postgres', urlSha256: databaseUrlFingerprint(env.DATABASE_URL) } : { kind: 'pglite' },
    });
    cleanups.unshift(() => removeAdminEndpoint(resolve(config.storage.dataDir)));
    // Each step was unshifted, so `cleanups` is now the shutdown order: admin file, HTTP server, scheduler, queue
    // (drained, or its runs abandoned as `error` after the grace), result flush, Chromium, the engine thread, store.
    await scheduler.start();
    logger.info({ url, schedules: config.schedules.length }, 'vigie started');

    let closing: Promise<void> | null = null;
    return {
      url,
      config,
      close() {
        closing ??= (async () => {
          for (const step of cleanups) {
            try {
              await step();
            } catch (err) {
              logger.error({ err }, 'shutdown step failed');
            }
          }
          await demo?.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    for (const step of cleanups) await step().catch(() => undefined);
    throw err;
  }
}

/** True when the store answers a trivial read within 2 s. */
async function storeReachable(store: { runs: { list(f: { limit: number }): Promise<unknown> } }): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 2000)));
  const ping = store.runs.list({ limit: 1 }).then(() => true, () => false);
  const ok = await Promise.race([ping, timeout]);
  clearTimeout(timer);
  return ok;
}

/** @throws VigieError `UNAVAILABLE` naming the port and the options to change it. */
async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolvePromise, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new VigieError(
          'UNAVAILABLE',
          err.code === 'EADDRINUSE'
            ? `le port ${port} (${host}) est déjà utilisé — choisissez-en un autre avec --port ou server.port / port ${port} is already in use: pick another with --port or server.port`
            : `impossible d'écouter sur ${host}:${port} / cannot listen on ${host}:${port}: ${err.code ?? err.message}`,
        ),
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolvePromise()));
  });
}

function listen(app: import('express').Express, host: string, port: number): Promise<Server> {
  return new Promise((resolvePromise, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolvePromise(server));
    server.once('error', reject);
  });
}

/**
 * `vigie start`: runs until SIGINT, SIGTERM, SIGHUP or the exit of the npm that launched it (cli/lifecycle.ts), then
 * shuts down gracefully and says so last; a second request during the shutdown exits at once (code 1).
 */
export async function runStart(opts: StartOptions): Promise<number> {
  const logger = createLogger(process.env);
  const demo = opts.config ? undefined : await prepareDemo({ logger, dataDir: opts.dataDir, port: opts.port, sandboxPort: opts.sandboxPort, faultPort: opts.faultPort });
  let handle: VigieHandle;
  try {
    handle = await startVigie({ ...opts, env: process.env, logger, demo });
  } catch (err) {
    await demo?.close(); // the demo's sandbox would keep the process alive
    throw err;
  }
  console.error(
    `Vigie est démarrée / Vigie is running — ${handle.url}\n` +
      `  API : ${handle.url}/api/v1/runs   métriques : ${handle.url}/metrics   santé : ${handle.url}/healthz\n` +
      (demo ? `  Démo : ENT bac à sable ${demo.sandboxUrl}, API de pannes ${demo.faultApiUrl}\n` : '') +
      '  Ctrl+C pour arrêter / to stop.',
  );
  const reason = await waitForStop({
    env: process.env,
    onSecondRequest: (again) => {
      logger.warn({ reason: again }, 'second stop request: exiting without waiting');
      console.error('Arrêt forcé / forced stop.');
      process.exit(1);
    },
  });
  logger.info({ reason }, 'stopping');
  await handle.close();
  logger.info({ reason }, 'arrêté / stopped');
  console.error(`Vigie est arrêtée / Vigie stopped (${reason === 'parent-exited' ? 'processus parent terminé / parent process exited' : reason}).`);
  return 0;
}
