import { createPgliteDb, createStore, type PgliteDb, type Store } from '../index.js';

/**
 * One embedded PGlite per test file, emptied and migrated again for each test: starting a PGlite costs ~3 s, dropping
 * and re-creating the schema ~0.1 s. Each test gets a store as new (no row, sequences from 1); `store.close()` is a
 * no-op, {@link closeSharedPglite} (in the file's `afterAll`) stops the database.
 */
let shared: Promise<PgliteDb> | null = null;

export async function freshPgliteStore(): Promise<Store> {
  shared ??= createPgliteDb();
  const db = await shared;
  await db.query('DROP SCHEMA public CASCADE');
  await db.query('CREATE SCHEMA public');
  const store = createStore(db);
  await store.migrate();
  return { ...store, close: async () => undefined };
}

export async function closeSharedPglite(): Promise<void> {
  const db = await shared;
  shared = null;
  await db?.close();
}
