import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { ContractConfig } from '../../core/config/contract.js';
import { VigieError } from '../../core/errors.js';
import { STATUS_TTL_MS, type EngineComputations, type JsonText } from '../engine.js';
import type { SlaReport } from '../output.js';
import type { SeriesSlots } from '../slot-stream.js';
import type { StatusReport } from '../status.js';
import type { ClauseBudget } from '../budgets.js';
import type { EngineDbSpec, EngineLane, EngineReply, EngineRequest } from './protocol.js';

export type { EngineDbSpec } from './protocol.js';

/** Options of {@link createEngineThread}. */
export interface EngineThreadOptions {
  /** How the worker reaches the store (DATABASE_URL, or a channel of the embedded PGlite: `PgliteDb.openChannel`). */
  db: EngineDbSpec;
  contracts?: readonly ContractConfig[];
  calendarDir?: string | null;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** The clock; its instant goes with each request (tests inject one). */
  clock?: () => Date;
  /**
   * SLA reports waiting or running at once; one more is refused at once with `RATE_LIMITED` (HTTP 429 and a
   * `Retry-After`). Default 4: each may cover a year, and a burst of 40 requests must not queue up minutes of work.
   */
  maxPendingReports?: number;
  /** Slot-stream requests waiting or running at once (alert evaluation asks one at a time). Default 4. */
  maxPendingSlots?: number;
  /**
   * A request still unanswered after this long ends with `UNAVAILABLE` and the worker is restarted (a computation
   * cannot be cancelled otherwise). Default 10 minutes: a school year of a thousand tenants fits.
   */
  timeoutMs?: number;
  /** Nice value of the worker thread (Linux, per thread): the probes' thread and Chromium get the CPU first. Default 19. */
  niceness?: number;
  /**
   * Share of wall time each lane may spend computing (0–1]: after a computation of d ms the lane rests
   * d × (1 − duty) / duty ms. Default 0.5: a flood of reports takes at most half a core, and the probing thread keeps
   * its pace (measured: the p99 event-loop delay of `vigie start` under a flood, with the probes running).
   */
  dutyCycle?: number;
}

/** Seconds a refused caller is told to wait before trying again. */
const RETRY_AFTER_SECONDS = 5;

/**
 * The engine in a worker thread (DESIGN.md §4: "runs off the probing event loop"), behind the same
 * {@link EngineComputations} port as `createEngine`. The main thread only posts a request and receives a JSON string
 * (one copy); the series, the minute sums and the stringification happen in the worker, at a lower priority.
 * Requests are bounded (`RATE_LIMITED` beyond the limit, with a retry delay), a status is computed at most once per
 * {@link STATUS_TTL_MS} for all callers, and a worker that dies or hangs is replaced on the next request (the calls
 * it held end with `UNAVAILABLE`).
 */
export function createEngineThread(opts: EngineThreadOptions): EngineComputations {
  const clock = opts.clock ?? (() => new Date());
  const limits: Record<'slaReport' | 'slots' | 'budgets', number> = { slaReport: opts.maxPendingReports ?? 4, slots: opts.maxPendingSlots ?? 4, budgets: 1 };
  const timeoutMs = opts.timeoutMs ?? 10 * 60_000;
  const pending = new Map<number, { op: EngineRequest['op']; resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  const counts: Record<EngineRequest['op'], number> = { slaReport: 0, status: 0, slots: 0, budgets: 0 };
  let nextId = 1;
  let worker: Promise<Worker> | null = null;
  let closed = false;
  let statusCache: { at: number; pending: Promise<JsonText<StatusReport>> } | null = null;

  const failAll = (err: Error) => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      counts[p.op] -= 1;
      pending.delete(id);
      p.reject(err);
    }
  };

  function start(): Promise<Worker> {
    const db = opts.db.kind === 'postgres' ? opts.db : { kind: 'pglite' as const, port: opts.db.openChannel() };
    const w = new Worker(new URL('./entry.mjs', import.meta.url), {
      workerData: { db, contracts: opts.contracts, calendarDir: opts.calendarDir, niceness: opts.niceness ?? 19, dutyCycle: Math.min(1, Math.max(0.05, opts.dutyCycle ?? 0.5)) },
      transferList: db.kind === 'pglite' ? [db.port] : [],
    });
    const ready = new Promise<Worker>((resolve, reject) => {
      const onMessage = (msg: EngineReply | { ready?: boolean }) => {
        if ('ready' in msg && msg.ready) {
          resolve(w);
          return;
        }
        const reply = msg as EngineReply;
        const p = pending.get(reply.id);
        if (!p) return;
        pending.delete(reply.id);
        clearTimeout(p.timer);
        counts[p.op] -= 1;
        if (reply.ok) p.resolve(reply.value);
        else {
          if (reply.error.code === 'INTERNAL') opts.logger.error({ err: { message: reply.error.message, stack: reply.error.stack } }, 'SLA engine failed');
          p.reject(new VigieError(reply.error.code, reply.error.message, { issues: reply.error.issues, ...(reply.error.retryAfterSeconds !== undefined ? { retryAfterSeconds: reply.error.retryAfterSeconds } : {}) }));
        }
      };
      w.on('message', onMessage);
      w.once('error', (err) => {
        opts.logger.error({ err }, 'SLA engine thread failed');
        reject(new VigieError('UNAVAILABLE', `moteur SLA indisponible / SLA engine unavailable: ${err.message}`, { cause: err, retryAfterSeconds: RETRY_AFTER_SECONDS }));
      });
      w.once('exit', (code) => {
        if (worker === ready) worker = null;
        failAll(new VigieError('UNAVAILABLE', `moteur SLA arrêté / SLA engine stopped (exit ${code}); retry`, { retryAfterSeconds: RETRY_AFTER_SECONDS }));
        reject(new VigieError('UNAVAILABLE', `moteur SLA arrêté au démarrage / SLA engine exited while starting (exit ${code})`, { retryAfterSeconds: RETRY_AFTER_SECONDS }));
      });
    });
    // A worker that never reaches the store would otherwise be retried for every request: log once per start.
    ready.catch(() => undefined);
    return ready;
  }

  async function call<T>(req: Omit<EngineRequest, 'id' | 'nowMs'>): Promise<T> {
    if (closed) throw new VigieError('UNAVAILABLE', 'moteur SLA fermé / SLA engine closed');
    const op = req.op;
    if (op !== 'status' && counts[op] >= limits[op]) {
      throw new VigieError('RATE_LIMITED', `moteur SLA occupé : ${counts[op]} calculs en cours ou en attente, réessayez dans ${RETRY_AFTER_SECONDS} s / SLA engine busy: ${counts[op]} computations running or queued, retry in ${RETRY_AFTER_SECONDS} s`, { retryAfterSeconds: RETRY_AFTER_SECONDS });
    }
    counts[op] += 1;
    const id = nextId++;
    const result = new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!pending.has(id)) return;
        opts.logger.error({ op, timeoutMs }, 'SLA engine request timed out: restarting the engine thread');
        const w = worker;
        worker = null;
        failAll(new VigieError('UNAVAILABLE', `moteur SLA : délai dépassé (${Math.round(timeoutMs / 1000)} s) / SLA engine timed out`, { retryAfterSeconds: RETRY_AFTER_SECONDS }));
        void w?.then((x) => x.terminate()).catch(() => undefined);
      }, timeoutMs);
      timer.unref();
      pending.set(id, { op, resolve: resolve as (v: unknown) => void, reject, timer });
    });
    // It may be rejected (timeout, the worker exiting) while the worker is still starting, before the caller awaits it.
    result.catch(() => undefined);
    try {
      worker ??= start();
      const w = await worker;
      w.postMessage({ ...req, id, nowMs: clock().getTime() } as EngineRequest);
    } catch (err) {
      const p = pending.get(id);
      if (p) {
        pending.delete(id);
        clearTimeout(p.timer);
        counts[op] -= 1;
      }
      worker = null;
      throw err;
    }
    return result;
  }

  const lane = (op: EngineRequest['op']): EngineLane => (op === 'slaReport' || op === 'budgets' ? 'sla' : 'status');
  return {
    budgets: () => call<ClauseBudget[]>({ lane: 'sla', op: 'budgets' } as Omit<EngineRequest, 'id' | 'nowMs'>),
    slaReport: (query) => call<JsonText<SlaReport>>({ lane: lane('slaReport'), op: 'slaReport', query } as Omit<EngineRequest, 'id' | 'nowMs'>),
    status(o = {}) {
      if (o.fresh) return call<JsonText<StatusReport>>({ lane: 'status', op: 'status', fresh: true } as Omit<EngineRequest, 'id' | 'nowMs'>);
      // Shared by every caller for STATUS_TTL_MS: a flood of status requests costs one computation.
      const now = clock().getTime();
      if (!statusCache || now - statusCache.at >= STATUS_TTL_MS || now < statusCache.at) {
        const p = call<JsonText<StatusReport>>({ lane: 'status', op: 'status' } as Omit<EngineRequest, 'id' | 'nowMs'>);
        statusCache = { at: now, pending: p };
        p.catch(() => {
          if (statusCache?.pending === p) statusCache = null;
        });
      }
      return statusCache.pending;
    },
    slots: (request) => call<SeriesSlots[]>({ lane: 'status', op: 'slots', request } as Omit<EngineRequest, 'id' | 'nowMs'>),
    async close() {
      closed = true;
      statusCache = null;
      failAll(new VigieError('UNAVAILABLE', 'moteur SLA fermé / SLA engine closed'));
      const w = worker;
      worker = null;
      if (!w) return;
      const started = await w.catch(() => null);
      if (!started) return;
      // Let it close its store connection (a PostgreSQL pool, a PGlite channel), then stop it.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2_000);
        started.once('message', () => {
          clearTimeout(timer);
          resolve();
        });
        started.postMessage({ op: 'close' });
      });
      await started.terminate();
    },
  };
}
