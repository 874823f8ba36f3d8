import { mkdirSync } from 'node:fs';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { VigieError } from '../core/errors.js';
import { classifyDbError, inSavepoint, type Db, type QueryResult } from './db.js';

/** Messages of the embedded database's lifecycle errors (UNAVAILABLE), French then English. */
const WORKER_FAILED = 'le thread de la base embarquée a échoué / embedded database worker failed';
const CLOSED = 'base embarquée fermée / embedded database is closed';

/** An error coming back from the worker: a PostgreSQL error keeps its SQLSTATE in `code`. */
export class PgliteQueryError extends Error {
  readonly code?: string;
  readonly detail?: string;
  readonly constraint?: string;

  constructor(fields: Record<string, string>) {
    super(fields.message);
    this.name = 'PgliteQueryError';
    this.code = fields.code;
    this.detail = fields.detail;
    this.constraint = fields.constraint;
  }
}

type Reply = { id: number; rows?: unknown[]; error?: Record<string, string> };
type Request =
  | { op: 'query'; sql: string; params?: unknown[]; tx?: number }
  | { op: 'begin' | 'commit' | 'rollback'; tx: number }
  | { op: 'close' };

/** A {@link Db} over the embedded PGlite worker that can also let another thread in (the SLA engine's). */
export interface PgliteDb extends Db {
  /**
   * A new client channel to the same PGlite worker, to transfer to another worker thread and wrap there with
   * {@link createPgliteChannelDb}: that thread's queries then go straight to PGlite's thread, never through this one
   * (DESIGN.md §4: the engine's reads must not load the event loop that times the probes). PGlite has one session:
   * the channel's statements are serialized with this client's.
   */
  openChannel(): MessagePort;
}

/**
 * A {@link Db} over embedded PGlite running in a worker thread (`db/pglite-worker.mjs`), so SQL never blocks the
 * main thread's event loop (DESIGN.md §4). PGlite has one session: the worker serializes every statement, and a
 * transaction holds it until COMMIT/ROLLBACK (other callers' queries wait their turn).
 *
 * The caller must hold the folder's lock first ({@link lockDataDir}): two PGlite instances on one folder corrupt it.
 *
 * @param dataDir PGlite data folder (created if missing); `undefined` or `':memory:'` for an in-memory database.
 * @param opts.niceness nice value of PGlite's thread (0–19, Linux, per thread); `vigie start` uses 10 (cli/start.ts) so that the
 *   probes' event loop and Chromium get the CPU first. Default 0.
 * @throws VigieError `UNAVAILABLE` when PGlite cannot start (the cause is attached).
 */
export async function createPgliteDb(dataDir?: string, opts: { niceness?: number } = {}): Promise<PgliteDb> {
  const inMemory = dataDir === undefined || dataDir === ':memory:';
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), {
    workerData: { dataDir: inMemory ? undefined : dataDir, niceness: opts.niceness ?? 0 },
  });

  await new Promise<void>((resolve, reject) => {
    const onStart = (msg: { op?: string; error?: Record<string, string> }) => {
      if (msg.op === 'ready') resolve();
      else if (msg.op === 'fatal') {
        const cause = new PgliteQueryError(msg.error ?? { message: 'unknown error' });
        reject(new VigieError('UNAVAILABLE', `impossible d'ouvrir la base embarquée ${dataDir ?? ':memory:'} / cannot open embedded database ${dataDir ?? ':memory:'}`, { cause }));
        void worker.terminate();
      }
    };
    worker.once('message', onStart);
    worker.once('error', (err) => reject(new VigieError('UNAVAILABLE', WORKER_FAILED, { cause: err })));
  });

  const client = createClient(worker, {
    onClose: async (send) => {
      await send({ op: 'close' }).catch(() => undefined);
      await worker.terminate();
    },
  });
  worker.on('error', (err) => client.fail(new VigieError('UNAVAILABLE', WORKER_FAILED, { cause: err })));
  worker.on('exit', () => client.fail(new VigieError('UNAVAILABLE', CLOSED)));
  return {
    ...client.db,
    openChannel() {
      const { port1, port2 } = new MessageChannel();
      worker.postMessage({ op: 'attach', port: port2 }, [port2]);
      return port1;
    },
  };
}

/**
 * A {@link Db} over a channel from {@link PgliteDb.openChannel}, in the thread it was transferred to. `close()`
 * closes the channel (PGlite stays open for its owner); a transaction left open by a closed channel is rolled back.
 */
export function createPgliteChannelDb(port: MessagePort): Db {
  const client = createClient(port, {
    onClose: async () => {
      port.close();
    },
  });
  port.on('close', () => client.fail(new VigieError('UNAVAILABLE', 'canal de la base embarquée fermé / embedded database channel is closed')));
  return client.db;
}

/** What a client talks to: the PGlite worker itself, or a MessagePort attached to it. */
interface Endpoint {
  postMessage(msg: unknown): void;
  on(event: 'message', fn: (msg: Reply) => void): unknown;
}

/** The client side of the worker protocol (pglite-worker.mjs) over an endpoint. */
function createClient(endpoint: Endpoint, opts: { onClose: (send: (req: Request) => Promise<unknown[]>) => Promise<void> }) {
  const pending = new Map<number, { resolve: (rows: unknown[]) => void; reject: (err: Error) => void }>();
  let nextId = 1;
  let nextTx = 1;
  let dead: Error | null = null;
  let closing: Promise<void> | null = null;

  const fail = (err: Error) => {
    dead ??= err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  endpoint.on('message', (msg: Reply) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.error) p.reject(classifyDbError(new PgliteQueryError(msg.error)) as Error);
    else p.resolve(msg.rows ?? []);
  });

  function send(req: Request): Promise<unknown[]> {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      try {
        endpoint.postMessage({ id, ...req });
      } catch (err) {
        // A parameter the structured clone cannot copy (a function, a class instance with private fields).
        pending.delete(id);
        reject(err as Error);
      }
    });
  }

  function query<T>(sql: string, params?: readonly unknown[], tx?: number): Promise<QueryResult<T>> {
    if (closing && tx === undefined) return Promise.reject(new VigieError('UNAVAILABLE', CLOSED));
    // pg turns undefined into NULL; PGlite would fail to serialize it.
    const values = params?.map((v) => (v === undefined ? null : v));
    return send({ op: 'query', sql, params: values, tx }).then((rows) => ({ rows: rows as T[] }));
  }

  const db: Db = {
    query: (sql, params) => query(sql, params),
    async transaction(fn) {
      if (closing) throw new VigieError('UNAVAILABLE', CLOSED);
      const txId = nextTx++;
      const tx: Db = {
        query: (sql, params) => query(sql, params, txId),
        transaction: (inner) => inSavepoint(tx, inner),
        close: () => Promise.reject(new VigieError('INTERNAL', 'close() called on a transaction')),
      };
      await send({ op: 'begin', tx: txId });
      let result;
      try {
        result = await fn(tx);
      } catch (err) {
        await send({ op: 'rollback', tx: txId }).catch(() => undefined);
        throw err;
      }
      await send({ op: 'commit', tx: txId });
      return result;
    },
    close() {
      closing ??= (async () => {
        if (!dead) await opts.onClose(send);
        fail(new VigieError('UNAVAILABLE', CLOSED));
      })();
      return closing;
    },
  };
  return { db, fail };
}
