import type { ContractConfig } from '../core/config/contract.js';
import type { Store } from '../db/index.js';
import { createCalendarSource, SHIPPED_CALENDAR_DIR } from './calendars.js';
import type { SlaReport } from './output.js';
import { periodOf } from './period.js';
import { createRevisionReader } from './revisions.js';
import type { SlaQuery } from './schemas.js';
import { computeSlaReport, type SlaSources } from './sla-report.js';
import { streamSlots, type SeriesSlots, type SlotStreamRequest } from './slot-stream.js';
import { computeStatus, type StatusReport } from './status.js';
import { computeBudgets, type ClauseBudget } from './budgets.js';

/**
 * JSON of a `T`, as text or as UTF-8 bytes: what the engine hands over, so that a report computed in a worker thread
 * crosses to the main thread without an object graph to rebuild — as bytes whose buffer is transferred, not copied (a
 * thousand tenants' month is a JSON of hundreds of MB) — and goes out on the socket without being stringified there.
 */
export type JsonText<T> = (string | Uint8Array) & { readonly __json?: T };

/** Parses a {@link JsonText} (in a command or a test, never on the probing event loop for a big report). */
export function parseJson<T>(text: JsonText<T>): T {
  return JSON.parse(typeof text === 'string' ? text : new TextDecoder().decode(text)) as T;
}

/** A {@link JsonText} as a string (commands, tests). */
export function jsonString(text: JsonText<unknown>): string {
  return typeof text === 'string' ? text : new TextDecoder().decode(text);
}

/**
 * The SLA engine's computations (DESIGN.md §4 `engine/`), the port the collector, the admin API, alerts and reports
 * call. Two implementations pass the same suite (engine/__tests__/engine-conformance.ts): {@link createEngine}, in
 * the caller's thread (commands, tests), and `createEngineThread` (thread/host.ts), in a worker thread with a bounded
 * queue, which `vigie start` uses so that nothing heavy runs on the event loop that times the probes.
 *
 * Contract: inputs are validated already (engine/schemas.ts); errors are VigieErrors (`VALIDATION`, `NOT_FOUND`,
 * `INTERNAL` for an unreadable stored revision; `RATE_LIMITED`/`UNAVAILABLE` from a busy or stopped engine).
 */
export interface EngineComputations {
  /** The SLA report of a contract over a period. */
  slaReport(query: SlaQuery): Promise<JsonText<SlaReport>>;
  /**
   * Current state and last-24-hours figures per tenant × journey; the same result for {@link STATUS_TTL_MS}, unless
   * `fresh` asks for one computed now (the watchdog: a deadline is not read ten seconds late).
   */
  status(opts?: { fresh?: boolean }): Promise<JsonText<StatusReport>>;
  /** Error budget and burn rates of every clause of the contracts (engine/budgets.ts), for the `vigie_sla_*` gauges. */
  budgets(): Promise<ClauseBudget[]>;
  /** Final slot states per series, windows applied (what alert evaluation reads). */
  slots(req: Omit<SlotStreamRequest, 'now'>): Promise<SeriesSlots[]>;
  /** Releases what the engine holds (a worker thread); pending calls end with `UNAVAILABLE`. */
  close(): Promise<void>;
}

/** How long a status result is reused, ms: the status is unauthenticated and polled by status pages. */
export const STATUS_TTL_MS = 10_000;

/** Options of {@link createEngine} (and, but the clock, of the worker thread's engine). */
export interface EngineOptions {
  /** Contracts of a `--config` file, preferred over the stored revisions' (schedules always come from revisions). */
  contracts?: readonly ContractConfig[];
  /** Folder of shipped school calendars (default `data/calendrier-scolaire`); null to use imported ones only. */
  calendarDir?: string | null;
  /** The clock (tests inject one). */
  clock?: () => Date;
}

/** The stores the engine reads. */
export type EngineStore = Pick<Store, 'revisions' | 'runs' | 'pauses' | 'calendars' | 'corrections' | 'incidents'>;

/** The sources over a store, with the engine's caches (parsed revisions, parsed calendars with their file stamps). */
export function createSources(store: EngineStore, opts: Pick<EngineOptions, 'calendarDir'> = {}): SlaSources {
  return {
    revisions: createRevisionReader(store.revisions),
    firstSeenTimes: () => store.revisions.firstSeenTimes(),
    runs: store.runs,
    pauses: store.pauses,
    calendars: createCalendarSource(store.calendars, opts.calendarDir === undefined ? SHIPPED_CALENDAR_DIR : opts.calendarDir),
    corrections: store.corrections,
    incidents: store.incidents,
  };
}

/**
 * The engine in the caller's thread. SLA reports run one at a time (each may cover a year minute by minute; parallel
 * ones would pile up in memory); a status is computed at most once per {@link STATUS_TTL_MS}, concurrent callers
 * sharing the computation in flight.
 */
export function createEngine(store: EngineStore, opts: EngineOptions = {}): EngineComputations {
  const clock = opts.clock ?? (() => new Date());
  const sources = createSources(store, opts);
  let slaQueue: Promise<unknown> = Promise.resolve();
  let statusCache: { at: number; pending: Promise<JsonText<StatusReport>> } | null = null;
  return {
    slaReport(q) {
      const run = slaQueue.then(async () => JSON.stringify(await computeSlaReport(sources, { contract: q.contract, period: periodOf(q), tenant: q.tenant, clause: q.clause, by: q.by, daily: q.daily }, clock(), { contracts: opts.contracts })) as JsonText<SlaReport>);
      slaQueue = run.catch(() => undefined);
      return run;
    },
    status(o = {}) {
      const now = clock().getTime();
      if (o.fresh) return computeStatus(sources, new Date(now)).then((r) => JSON.stringify(r) as JsonText<StatusReport>);
      if (!statusCache || now - statusCache.at >= STATUS_TTL_MS || now < statusCache.at) {
        const pending = computeStatus(sources, new Date(now)).then((r) => JSON.stringify(r) as JsonText<StatusReport>);
        statusCache = { at: now, pending };
        pending.catch(() => {
          if (statusCache?.pending === pending) statusCache = null;
        });
      }
      return statusCache.pending;
    },
    budgets() {
      const run = slaQueue.then(async () => {
        const contracts = opts.contracts ?? (await sources.revisions.latest())?.config.contracts ?? [];
        return computeBudgets(sources, contracts, clock());
      });
      slaQueue = run.catch(() => undefined);
      return run;
    },
    async slots(req) {
      const out: SeriesSlots[] = [];
      for await (const s of streamSlots(sources, { ...req, now: clock().getTime() })) out.push(s);
      return out;
    },
    async close() {},
  };
}
