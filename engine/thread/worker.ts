// The SLA engine's worker thread (host.ts starts it through entry.mjs). It opens its own way to the store — a pool
// on PostgreSQL, or a channel straight to the PGlite worker — and answers requests lane by lane, one at a time per
// lane, so that a long SLA report neither blocks the status nor runs twice in parallel.
import { setPriority } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { ContractConfig } from '../../core/config/contract.js';
import { isVigieError } from '../../core/errors.js';
import { createPgDb, createPgliteChannelDb, createStore, type Db } from '../../db/index.js';
import { createEngine, type EngineComputations } from '../engine.js';
import type { EngineLane, EngineReply, EngineRequest } from './protocol.js';

interface WorkerInput {
  db: { kind: 'postgres'; url: string; schema?: string } | { kind: 'pglite'; port: MessagePort };
  contracts?: readonly ContractConfig[];
  calendarDir?: string | null;
  niceness: number;
  /** Share of wall time a lane may compute (0 < duty ≤ 1), see the rest below. */
  dutyCycle: number;
}

const input = workerData as WorkerInput;
const port = parentPort!;

// Lower this thread's priority (Linux nice values are per thread): on a 2-core machine the probes' event loop and
// Chromium must get the CPU first, or a busy report would slow page loads and turn healthy runs `degraded`.
try {
  if (input.niceness > 0) setPriority(input.niceness);
} catch {
  // Not permitted here (some containers): the engine still runs off the main thread.
}

const db: Db = input.db.kind === 'postgres' ? createPgDb(input.db.url, { max: 4, applicationName: 'vigie-engine', ...(input.db.schema ? { schema: input.db.schema } : {}) }) : createPgliteChannelDb(input.db.port);
const store = createStore(db);

/** One lane: its own engine (and caches) whose clock is the instant the host gave with the request being served. */
function lane(): { engine: EngineComputations; now: number; queue: Promise<unknown> } {
  const l = { now: Date.now(), queue: Promise.resolve() as Promise<unknown>, engine: null as unknown as EngineComputations };
  l.engine = createEngine(store, { contracts: input.contracts, calendarDir: input.calendarDir, clock: () => new Date(l.now) });
  return l;
}
const lanes: Record<EngineLane, ReturnType<typeof lane>> = { sla: lane(), status: lane() };

async function serve(req: EngineRequest): Promise<EngineReply> {
  const l = lanes[req.lane];
  l.now = req.nowMs;
  try {
    switch (req.op) {
      case 'slaReport':
        return { id: req.id, ok: true, value: await l.engine.slaReport(req.query) };
      case 'status':
        return { id: req.id, ok: true, value: await l.engine.status({ fresh: req.fresh === true }) };
      case 'budgets':
        return { id: req.id, ok: true, value: await l.engine.budgets() };
      case 'slots':
        return { id: req.id, ok: true, value: await l.engine.slots(req.request) };
    }
  } catch (err) {
    const e = err as Error & { code?: unknown; issues?: unknown; retryAfterSeconds?: unknown };
    return {
      id: req.id,
      ok: false,
      error: isVigieError(err)
        ? { code: err.code, message: err.message, issues: [...err.issues], ...(err.retryAfterSeconds !== undefined ? { retryAfterSeconds: err.retryAfterSeconds } : {}) }
        : { code: 'INTERNAL', message: `moteur SLA / SLA engine: ${e?.message ?? String(err)}`, issues: [], stack: e?.stack },
    };
  }
}

port.on('message', (req: EngineRequest | { op: 'close' }) => {
  if (req.op === 'close') {
    void store.close().finally(() => port.postMessage({ closed: true }));
    return;
  }
  const l = lanes[req.lane];
  // One request at a time per lane: the lane's clock is the request's `now`, and reports stay bounded in memory.
  const run = l.queue
    .then(async () => {
      const started = performance.now();
      const reply = await serve(req);
      // Duty cycle: after a computation of d ms, the lane rests d × (1 − duty) / duty ms before the next one, so that
      // a flood of reports takes at most that share of a core. Nice values alone do not protect the probes: on this
      // kind of machine the two vCPUs share a core's execution units, and a busy engine slowed the probing thread.
      const rest = ((performance.now() - started) * (1 - input.dutyCycle)) / input.dutyCycle;
      return { reply, rest };
    })
    .then(async ({ reply, rest }) => {
      send(reply);
      if (rest > 1) await new Promise((r) => setTimeout(r, Math.min(rest, 60_000)));
    });
  l.queue = run.catch(() => undefined);
});

/** Sends a reply; a report goes back as UTF-8 bytes whose buffer is transferred (no copy for the main thread). */
function send(reply: EngineReply): void {
  if (reply.ok && typeof reply.value === 'string') {
    const bytes = new TextEncoder().encode(reply.value);
    port.postMessage({ ...reply, value: bytes }, [bytes.buffer]);
  } else port.postMessage(reply);
}
port.postMessage({ ready: true });
