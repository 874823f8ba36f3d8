import { VigieError } from '../core/errors.js';

/**
 * The one SQL executor every repository is written against (CONVENTIONS.md "Ports and adapters"). Two adapters
 * implement it: `createPgDb` (node-postgres pool) and `createPgliteDb` (PGlite in a worker thread); both pass
 * `db/__tests__/store-conformance.ts`.
 *
 * Contract:
 * - `query(sql, params)` runs one statement with `$1…$n` parameters. With no parameters (or an empty list) it uses
 *   the simple protocol, so a script of several statements runs and the rows of the last one are returned (this is
 *   how migrations run).
 * - Values come back as: timestamptz → `Date`, jsonb → parsed JSON, bytea → `Uint8Array` (a `Buffer` on pg),
 *   int8/bigserial/count → `string` on pg and `number | bigint` on PGlite, so repositories convert with `Number()`.
 *   Pass jsonb parameters as `JSON.stringify(value)` with a `::jsonb` cast (pg would turn a JS array into a
 *   PostgreSQL array otherwise).
 * - Errors from PostgreSQL carry the SQLSTATE in `code` on both adapters (see {@link sqlStateOf}), except those that
 *   mean "not now" (connection refused or lost, server shutting down, too many connections, read-only server, a
 *   closed PGlite): these are `VigieError('UNAVAILABLE')` with the driver's error as `cause`, so a caller such as
 *   the result sink retries them later and treats everything else as a bug in the request (F22).
 * - `transaction(fn)` runs `fn` on a dedicated session between BEGIN and COMMIT, and rolls back when `fn` throws.
 *   Inside `fn`, use only `tx`: a query on the outer `Db` waits for the transaction to end (on PGlite, which has one
 *   session, it would wait forever). `tx.transaction` nests through a SAVEPOINT.
 * - `close()` waits for queries already sent, then releases the connections (or stops the worker).
 */
export interface Db {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface QueryResult<T> {
  rows: T[];
}

/** The SQLSTATE of a PostgreSQL error (`23505` unique violation, `42P01` undefined table…), if it is one. */
export function sqlStateOf(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err) {
    const code = (err as { code: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

// SQLSTATEs that say "the database cannot take this now, retry": 08xxx connection exceptions (not 08P01, a protocol
// violation, which is our bug), 57P01-03 admin/crash shutdown and cannot connect now, 53300 too many connections,
// 25006 read-only transaction (a replica being promoted, a server put read-only during maintenance).
const RETRYABLE_SQLSTATE = /^(0800[0-7]|57P0[1-3]|53300|25006)$/;
// SQLSTATEs of a server that will not let us in: 3D000 no such database, 28000 / 28P01 authentication refused.
export const SETUP_SQLSTATE = /^(3D000|28000|28P01)$/;
// Node socket errors of a driver that could not reach or lost the server.
const SOCKET_ERRNO = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE)$/;

/**
 * Wraps an error meaning "the database is unavailable now" into `VigieError('UNAVAILABLE')` (see the Db contract);
 * returns any other error unchanged. Used by both adapters.
 */
export function classifyDbError(err: unknown): unknown {
  if (err instanceof VigieError) return err;
  const state = sqlStateOf(err);
  const code = err && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  const errno = typeof code === 'string' ? code : undefined;
  // node-postgres reports a dropped connection or a connect timeout as a plain Error with no code at all.
  const plainDriverError = err instanceof Error && err.constructor === Error && errno === undefined;
  // The server answers but refuses this database or these credentials: an operator must act, and results must wait
  // for them (not be dropped as refused); `vigie start` turns it into a configuration error at boot.
  if (state && SETUP_SQLSTATE.test(state)) {
    return new VigieError('UNAVAILABLE', `base de données refusée (DATABASE_URL) / database refused (DATABASE_URL): ${(err as Error).message}`, { cause: err });
  }
  if ((state && RETRYABLE_SQLSTATE.test(state)) || (errno && SOCKET_ERRNO.test(errno)) || plainDriverError) {
    return new VigieError('UNAVAILABLE', `base de données indisponible / database unavailable: ${(err as Error).message}`, { cause: err });
  }
  return err;
}

/**
 * Whether an error (or one of its causes, or of an AggregateError's errors) means the database could not be reached
 * or the connection was lost: a Node socket errno (`ECONNREFUSED`, `ETIMEDOUT`, …), a connection SQLSTATE (08xxx,
 * 57P01-03, 53300), or the `UNAVAILABLE` error {@link classifyDbError} makes of node-postgres's plain dropped
 * connection. An operational fact, not a bug: a log line for it needs no stack trace (cli/logger.ts).
 */
export function isConnectionError(err: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [err];
  while (pending.length > 0 && seen.size < 20) {
    const e = pending.pop();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const { code, cause, errors } = e as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string' && (SOCKET_ERRNO.test(code) || RETRYABLE_SQLSTATE.test(code))) return true;
    if (e instanceof VigieError && code === 'UNAVAILABLE' && cause instanceof Error && cause.constructor === Error && (cause as { code?: unknown }).code === undefined) return true;
    pending.push(cause, ...(Array.isArray(errors) ? errors : []));
  }
  return false;
}

let savepointSeq = 0;

/**
 * Runs `fn` inside a SAVEPOINT of an open transaction `tx`, so a nested `transaction()` can fail without aborting
 * its parent. Shared by both adapters.
 */
export async function inSavepoint<T>(tx: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  const name = `vigie_sp_${++savepointSeq}`;
  await tx.query(`SAVEPOINT ${name}`);
  try {
    const result = await fn(tx);
    await tx.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (err) {
    await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
    throw err;
  }
}

/**
 * The one row a statement must return (`INSERT … RETURNING`, `SELECT` of a row known to exist).
 * @throws VigieError `INTERNAL` naming `what` when there is none (a bug, or a concurrent delete).
 */
export function oneRow<T>(rows: readonly T[], what: string): T {
  const row = rows[0];
  if (row === undefined) throw new VigieError('INTERNAL', `${what}: the database returned no row`);
  return row;
}
