import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { lockDataDir, type LockDataDirOptions } from './data-dir-lock.js';
import { restrictTree } from './file-modes.js';
import { createPgliteDb, type PgliteDb } from './pglite-db.js';

/** Where PGlite keeps its files inside a Vigie data folder (the folder itself also holds the lock). */
export const PGLITE_SUBDIR = 'pgdata';

/**
 * Opens the embedded store of a Vigie data folder for the process that owns it (DESIGN.md §4): takes the folder's
 * lock, then starts PGlite on `<dir>/pgdata` in a worker thread. `close()` stops PGlite, then releases the lock. The
 * folder is kept private: 0700, its files 0600 (file-modes.ts).
 *
 * @param dir the data folder (e.g. `.vigie`), created if missing.
 * @param opts.niceness PGlite's thread priority (see `createPgliteDb`).
 * @throws VigieError `CONFLICT` when another process holds the folder (its pid in the message: talk to it through
 *   its admin API instead); `UNAVAILABLE` when PGlite cannot start (the lock is released again).
 */
export async function openEmbeddedDb(dir: string, opts: LockDataDirOptions & { niceness?: number } = {}): Promise<PgliteDb> {
  const release = await lockDataDir(dir, opts);
  const pgdata = join(dir, PGLITE_SUBDIR);
  let db: PgliteDb;
  try {
    // The data folder 0700; PGlite's own folder and files 0700 / 0600 (a store made by an older Vigie too). Only
    // PGlite's folder is walked: the data folder may be one the user also keeps other files in.
    chmodSync(dir, 0o700);
    db = await createPgliteDb(pgdata, { niceness: opts.niceness });
    restrictTree(pgdata);
  } catch (err) {
    await release();
    throw err;
  }
  let closing: Promise<void> | null = null;
  return {
    query: (sql, params) => db.query(sql, params),
    transaction: (fn) => db.transaction(fn),
    openChannel: () => db.openChannel(),
    close() {
      closing ??= db
        .close()
        .then(() => restrictTree(pgdata))
        .finally(release);
      return closing;
    },
  };
}
