import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { createPgDb } from '../db/pg-db.js';
import { openEmbeddedDb } from '../db/index.js';
import { createStore, type Store } from '../db/store.js';
import type { EngineDbSpec } from '../engine/index.js';

/**
 * Opens the store the environment asks for (DESIGN.md §4): PostgreSQL when `DATABASE_URL` is set, else embedded
 * PGlite in `dataDir`, after taking the folder's lock (one process owns a PGlite folder; others go through its admin
 * API). Runs the migrations, unless `deferMigrations` (PostgreSQL only: PGlite is always there).
 * @throws VigieError `CONFLICT` when another process holds the data folder.
 */
export async function openStore(opts: { env: NodeJS.ProcessEnv; dataDir: string; logger: Logger; niceness?: number; deferMigrations?: boolean }): Promise<OpenedStore> {
  const url = opts.env.DATABASE_URL;
  if (url) {
    const db = createPgDb(url, { logger: opts.logger });
    const store = createStore(db);
    // `deferMigrations`: the caller migrates when the server answers (vigie start boots during an outage).
    if (!opts.deferMigrations) await store.migrate();
    opts.logger.info({ store: 'postgres' }, opts.deferMigrations ? 'store opened' : 'store ready');
    return { store, kind: 'postgres', migrated: !opts.deferMigrations, engineDb: { kind: 'postgres', url }, close: () => store.close() };
  }
  const dir = resolve(opts.dataDir);
  // openEmbeddedDb takes the folder's lock first; closing the store stops PGlite, then releases the lock.
  const db = await openEmbeddedDb(dir, { niceness: opts.niceness });
  const store = createStore(db);
  try {
    await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  opts.logger.info({ store: 'pglite', dataDir: dir }, 'store ready');
  return { store, kind: 'pglite', migrated: true, engineDb: { kind: 'pglite', openChannel: () => db.openChannel() }, close: () => store.close() };
}

/** An open store, and how the SLA engine's worker thread reaches the same data (its own pool, or a PGlite channel). */
export interface OpenedStore {
  store: Store;
  kind: 'postgres' | 'pglite';
  /** False when the migrations were deferred (`deferMigrations`): the caller runs `store.migrate()`. */
  migrated: boolean;
  engineDb: EngineDbSpec;
  close(): Promise<void>;
}
