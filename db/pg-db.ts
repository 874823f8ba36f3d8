import pg from 'pg';
import type { Logger } from 'pino';
import { VigieError } from '../core/errors.js';
import { classifyDbError, inSavepoint, type Db, type QueryResult } from './db.js';

export interface PgDbOptions {
  /**
   * Schema put first on every connection's `search_path` (tests isolate each file in its own schema). Must be a
   * plain lower-case identifier; the schema must exist.
   */
  schema?: string;
  /** Pool size (default 10). */
  max?: number;
  /** Shown in `pg_stat_activity` (default `vigie`). */
  applicationName?: string;
  /** How long to wait for a connection before failing with `UNAVAILABLE` (default 10 000 ms). */
  connectionTimeoutMillis?: number;
  /** Receives errors of idle pooled connections (a restarted server), which would otherwise crash the process. */
  logger?: Pick<Logger, 'warn'>;
}

/**
 * A {@link Db} over a node-postgres pool, for `DATABASE_URL` (PostgreSQL 15+ or TimescaleDB).
 *
 * @param url `postgres://user@host:port/db`
 * @throws VigieError `CONFIG` when `opts.schema` is not a plain identifier. Connection errors surface on the first
 *   query (the pool connects lazily) as `UNAVAILABLE`.
 */
export function createPgDb(url: string, opts: PgDbOptions = {}): Db {
  if (opts.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(opts.schema)) {
    throw new VigieError('CONFIG', `le schéma de base de données "${opts.schema}" doit être un identifiant en minuscules / database schema "${opts.schema}" must be a lower-case identifier`);
  }
  // pg would throw a bare TypeError from `new URL` at the first query (found by a hostile tester).
  if (!url.startsWith('/') && !url.startsWith('socket:')) {
    try {
      new URL(url);
    } catch {
      throw new VigieError('CONFIG', "DATABASE_URL n'est pas une URL valide / is not a valid URL (expected postgres://user@host:5432/database)");
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'vigie',
    // Never wait forever for a connection: a hung server must surface as UNAVAILABLE so results get spooled (F22).
    connectionTimeoutMillis: opts.connectionTimeoutMillis ?? 10_000,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  });
  // The error alone: pg attaches its Client (3 KB, with the backend's cancel key) to idle-connection errors.
  pool.on('error', (err) => opts.logger?.warn({ err: { message: err.message, code: (err as { code?: unknown }).code } }, 'idle PostgreSQL connection failed'));

  return {
    query: (sql, params) => runQuery(pool, sql, params),
    async transaction(fn) {
      const client = await pool.connect().catch((err: unknown) => {
        throw classifyDbError(err);
      });
      let broken = false;
      try {
        await runQuery(client, 'BEGIN');
        const result = await fn(clientDb(client));
        await runQuery(client, 'COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {
          broken = true; // the session is unusable: destroy it rather than return it to the pool
        });
        throw err;
      } finally {
        client.release(broken);
      }
    },
    async close() {
      await pool.end();
    },
  };
}

function clientDb(client: pg.PoolClient): Db {
  const tx: Db = {
    query: (sql, params) => runQuery(client, sql, params),
    transaction: (fn) => inSavepoint(tx, fn),
    close: () => Promise.reject(new VigieError('INTERNAL', 'close() called on a transaction')),
  };
  return tx;
}

async function runQuery<T>(
  executor: pg.Pool | pg.PoolClient,
  sql: string,
  params?: readonly unknown[],
): Promise<QueryResult<T>> {
  let result: pg.QueryResult | pg.QueryResult[];
  try {
    // No parameters → simple protocol (several statements allowed), as the Db contract says.
    result = (await (params && params.length > 0
      ? executor.query(sql, params as unknown[])
      : executor.query(sql))) as pg.QueryResult | pg.QueryResult[];
  } catch (err) {
    throw classifyDbError(err);
  }
  // A multi-statement script returns one result per statement: keep the last, like PGlite's adapter.
  const last = Array.isArray(result) ? result[result.length - 1] : result;
  return { rows: (last?.rows ?? []) as T[] };
}
