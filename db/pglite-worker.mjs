// PGlite in a worker thread (DESIGN.md §4: embedded storage runs off the main thread). PGlite executes SQL
// synchronously in WebAssembly on the thread that owns it; here that thread is this worker, so the main thread's
// event loop (step timing, HTTP) keeps running while a query runs.
//
// Plain JavaScript on purpose: vitest and tsx load TypeScript differently, and a worker started from a .ts file
// would need a loader in both. db/pglite-db.ts is the typed client of this protocol.
//
// Protocol (one PGlite session, so everything is serialized here):
//   in:  { id, op: 'query', sql, params?, tx? }  → out: { id, rows } | { id, error }
//        { id, op: 'begin' | 'commit' | 'rollback', tx }
//        { id, op: 'close' }
//        { op: 'attach', port }  (port transferred): a second client on its own MessagePort (the SLA engine's worker
//        thread), speaking the same protocol on that port; it shares this one session and its queue.
//   out at start: { op: 'ready' } or { op: 'fatal', error }
// While transaction `tx` of a client is open only messages of that client carrying that `tx` run; the others wait in
// order, so a transaction is never interleaved with another caller's statements. A client whose port closes with a
// transaction open has it rolled back (a dead client must not hold the one session forever).
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

const dataDir = workerData?.dataDir;
// `vigie start` lowers this thread's priority (Linux nice values are per thread): the probes' event loop and
// Chromium come first; results wait in the sink's buffer, and SLA reads are not on anybody's timing path.
if (workerData?.niceness > 0) {
  try {
    setPriority(workerData.niceness);
  } catch {
    // Not permitted here (some containers): PGlite still runs off the main thread.
  }
}

/** @type {PGlite} */
let pglite;
/** @type {{ id: number, op: string, sql?: string, params?: unknown[], tx?: number, client: number, reply: (m: unknown) => void }[]} */
const queue = [];
/** The open transaction: which client, which tx id of that client. */
let currentTx = null;
let pumping = false;
let nextClient = 1;

function serializeError(err) {
  const e = /** @type {Record<string, unknown>} */ (err ?? {});
  const out = { message: String(e.message ?? err), name: String(e.name ?? 'Error') };
  for (const key of ['code', 'detail', 'hint', 'constraint', 'table', 'column', 'schema', 'position', 'severity']) {
    if (e[key] !== undefined && e[key] !== null) out[key] = String(e[key]);
  }
  return out;
}

function runnableIndex() {
  if (currentTx === null) return queue.length > 0 ? 0 : -1;
  return queue.findIndex((m) => m.op === 'abandon' || (m.client === currentTx.client && m.tx === currentTx.tx));
}

const inCurrentTx = (msg) => currentTx !== null && msg.client === currentTx.client && msg.tx === currentTx.tx;

async function execute(msg) {
  switch (msg.op) {
    case 'query': {
      if (msg.tx !== undefined && !inCurrentTx(msg)) throw new Error(`transaction ${msg.tx} is not open`);
      const params = msg.params ?? [];
      if (params.length === 0) {
        // Simple protocol: several statements allowed; return the rows of the last one (same as pg's adapter).
        const results = await pglite.exec(msg.sql);
        return results.length > 0 ? results[results.length - 1].rows : [];
      }
      return (await pglite.query(msg.sql, params)).rows;
    }
    case 'begin':
      await pglite.query('BEGIN');
      currentTx = { client: msg.client, tx: msg.tx };
      return [];
    case 'commit':
    case 'rollback':
      try {
        await pglite.query(msg.op === 'commit' ? 'COMMIT' : 'ROLLBACK');
      } finally {
        currentTx = null;
      }
      return [];
    case 'close':
      await pglite.close();
      return [];
    case 'abandon':
      // A client's port closed: roll back the transaction it left open, if it is the one holding the session.
      if (currentTx !== null && currentTx.client === msg.client) {
        currentTx = null;
        await pglite.query('ROLLBACK');
      }
      return [];
    default:
      throw new Error(`unknown op ${msg.op}`);
  }
}

async function pump() {
  if (pumping) return;
  pumping = true;
  try {
    for (let at = runnableIndex(); at >= 0; at = runnableIndex()) {
      const [msg] = queue.splice(at, 1);
      try {
        const rows = await execute(msg);
        msg.reply({ id: msg.id, rows });
      } catch (err) {
        msg.reply({ id: msg.id, error: serializeError(err) });
      }
    }
  } finally {
    pumping = false;
  }
}

try {
  pglite = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  const listen = (port, client) => {
    port.on('message', (msg) => {
      if (msg?.op === 'attach' && client === 0) {
        attach(msg.port);
        return;
      }
      queue.push({ ...msg, client, reply: (m) => port.postMessage(m) });
      void pump();
    });
  };
  const attach = (port) => {
    const client = nextClient++;
    listen(port, client);
    port.on('close', () => {
      // Queries of a gone client are dropped (nobody waits for them); an open transaction of it is rolled back.
      for (let i = queue.length - 1; i >= 0; i--) if (queue[i].client === client) queue.splice(i, 1);
      queue.unshift({ id: 0, op: 'abandon', client, reply: () => undefined });
      void pump();
    });
  };
  listen(parentPort, 0);
  parentPort.postMessage({ op: 'ready' });
} catch (err) {
  parentPort.postMessage({ op: 'fatal', error: serializeError(err) });
}
