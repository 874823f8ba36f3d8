import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { createPgDb } from '../db/pg-db.js';
import { createPgliteDb } from '../db/pglite-db.js';
import { lockDataDir } from '../db/data-dir-lock.js';
import { createStore, type Store } from '../db/store.js';

/**
 * Opens the store the environment asks for (DESIGN.md §4): PostgreSQL when `DATABASE_URL` is set, else embedded
 * PGlite in `dataDir`, after taking the folder's lock (one process owns a PGlite folder; others go through its admin
 * API). Runs the migrations.
 * @throws VigieError `CONFLICT` when another process holds the data folder.
 */
export async function openStore(opts: { env: NodeJS.ProcessEnv; dataDir: string; logger: Logger }): Promise<{ store: Store; kind: 'postgres' | 'pglite'; close(): Promise<void> }> {
  const url = opts.env.DATABASE_URL;
  if (url) {
    const db = await createPgDb(url);
    const store = createStore(db);
    await store.migrate();
    opts.logger.info({ store: 'postgres' }, 'store ready');
    return { store, kind: 'postgres', close: () => store.close() };
  }
  const dir = resolve(opts.dataDir);
  const release = await lockDataDir(dir);
  try {
    const db = await createPgliteDb(resolve(dir, 'pglite'));
    const store = createStore(db);
    await store.migrate();
    opts.logger.info({ store: 'pglite', dataDir: dir }, 'store ready');
    return {
      store,
      kind: 'pglite',
      async close() {
        await store.close();
        await release();
      },
    };
  } catch (err) {
    await release();
    throw err;
  }
}
