import { describeResultWriterConformance, type StoredRun } from '../../probes/__tests__/result-writer-conformance.js';
import type { Db } from '../db.js';
import { createPgDb } from '../pg-db.js';
import { createPgliteDb } from '../pglite-db.js';
import { createStoreResultWriter } from '../result-writer.js';
import { createStore } from '../store.js';

// The shared PostgreSQL 15 of the test machine (trust auth, user root), as in store-pg.int.test.ts.
const URL = process.env.VIGIE_TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
// Nothing listens on port 1: connections are refused at once; the timeout bounds the wait if a firewall drops them.
const UNREACHABLE_URL = 'postgres://root@127.0.0.1:1/test';

async function readRuns(db: Db, table: string, scheduleId: string): Promise<StoredRun[]> {
  const { rows } = await db.query<{ trigger: StoredRun['trigger']; location: string; scheduled_at: Date; status: StoredRun['status'] }>(
    `SELECT trigger, location, scheduled_at, status FROM ${table} WHERE schedule_id = $1`,
    [scheduleId],
  );
  return rows.map((r) => ({ trigger: r.trigger, location: r.location, scheduledAt: new Date(r.scheduled_at).toISOString(), status: r.status }));
}

describeResultWriterConformance('store writer on PGlite (in memory)', async () => {
  const db = await createPgliteDb();
  const store = createStore(db);
  await store.migrate();
  const writer = createStoreResultWriter(store.runs);
  return {
    writer,
    readBack: (scheduleId) => readRuns(db, 'runs', scheduleId), // one session: read on the same database
    async breakStore() {
      await store.close(); // a closed PGlite is UNAVAILABLE (db/db.ts contract)
      return writer;
    },
    close: () => store.close(),
  };
});

describeResultWriterConformance('store writer on PostgreSQL 15 (pg pool)', async () => {
  // A fresh schema per run, dropped afterwards: never touch other engineers' tables.
  const schema = `vigie_writer_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = createPgDb(URL, { max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const store = createStore(createPgDb(URL, { schema, max: 4 }));
  await store.migrate();
  let unreachable: ReturnType<typeof createStore> | undefined;
  return {
    writer: createStoreResultWriter(store.runs),
    // Through another connection than the writer's pool: the result is committed, not only visible to its session.
    readBack: (scheduleId) => readRuns(admin, `${schema}.runs`, scheduleId),
    async breakStore() {
      unreachable = createStore(createPgDb(UNREACHABLE_URL, { connectionTimeoutMillis: 500 }));
      return createStoreResultWriter(unreachable.runs);
    },
    async close() {
      await Promise.all([store.close(), unreachable?.close()]);
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.close();
    },
  };
});
