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
//   out at start: { op: 'ready' } or { op: 'fatal', error }
// While transaction `tx` is open only messages carrying that `tx` run; the others wait in order, so a
// transaction of the main thread is never interleaved with another caller's statements.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

const dataDir = workerData?.dataDir;

/** @type {PGlite} */
let pglite;
/** @type {{ id: number, op: string, sql?: string, params?: unknown[], tx?: number }[]} */
const queue = [];
let currentTx = null;
let pumping = false;

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
  return queue.findIndex((m) => m.tx === currentTx);
}

async function execute(msg) {
  switch (msg.op) {
    case 'query': {
      if (msg.tx !== undefined && msg.tx !== currentTx) throw new Error(`transaction ${msg.tx} is not open`);
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
      currentTx = msg.tx;
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
        parentPort.postMessage({ id: msg.id, rows });
      } catch (err) {
        parentPort.postMessage({ id: msg.id, error: serializeError(err) });
      }
    }
  } finally {
    pumping = false;
  }
}

try {
  pglite = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  parentPort.on('message', (msg) => {
    queue.push(msg);
    void pump();
  });
  parentPort.postMessage({ op: 'ready' });
} catch (err) {
  parentPort.postMessage({ op: 'fatal', error: serializeError(err) });
}
