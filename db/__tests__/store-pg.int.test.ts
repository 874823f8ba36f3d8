import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVigieError } from '../../core/errors.js';
import { sqlStateOf, type Db } from '../db.js';
import { migrate, readMigrations } from '../migrate.js';
import { createPgDb } from '../pg-db.js';
import { describeStoreConformance } from './store-conformance.js';

// The shared PostgreSQL 15 of the test machine (trust auth, user root: `psql -h 127.0.0.1 -d test -c 'select current_user'`).
const URL = process.env.VIGIE_TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const suffix = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
// Each file works in its own fresh schemas, dropped afterwards: never touch other engineers' tables.
const schema = `vigie_store_${suffix}`;
const raceSchema = `vigie_race_${suffix}`;

let admin: Db;
beforeAll(async () => {
  admin = createPgDb(URL, { max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}; CREATE SCHEMA ${raceSchema}`);
});
afterAll(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS ${raceSchema} CASCADE`);
  await admin.close();
});

describeStoreConformance('PostgreSQL 15 (pg pool)', async () => createPgDb(URL, { schema, max: 4 }));

describe('PostgreSQL adapter', () => {
  it('reports a server it cannot reach as UNAVAILABLE', async () => {
    const db = createPgDb('postgres://root@127.0.0.1:1/test', { connectionTimeoutMillis: 2000 });
    try {
      expect(isVigieError(await db.query('SELECT 1').catch((e: unknown) => e), 'UNAVAILABLE')).toBe(true);
      const inTx = await db.transaction((tx) => tx.query('SELECT 1')).catch((e: unknown) => e);
      expect(isVigieError(inTx, 'UNAVAILABLE')).toBe(true);
    } finally {
      await db.close();
    }
  });


  it('a database that does not exist is UNAVAILABLE with its SQLSTATE kept (results wait); a malformed URL is CONFIG', async () => {
    const db = createPgDb(URL.replace(/\/[^/]*$/, '/vigie_no_such_database'), { max: 1 });
    try {
      const err = await db.query('SELECT 1').catch((e: unknown) => e);
      expect(isVigieError(err, 'UNAVAILABLE')).toBe(true);
      expect((err as Error).message).toMatch(/database refused \(DATABASE_URL\).*does not exist/);
      expect(sqlStateOf((err as Error).cause)).toBe('3D000');
    } finally {
      await db.close();
    }
    expect(isVigieError((() => { try { createPgDb('postgres://%zz@[::1'); } catch (e) { return e; } return null; })(), 'CONFIG')).toBe(true);
  });

  it('lets two migrators on two pools start together: each file is applied exactly once', async () => {
    const a = createPgDb(URL, { schema: raceSchema, max: 2 });
    const b = createPgDb(URL, { schema: raceSchema, max: 2 });
    try {
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      const names = readMigrations().map((m) => m.name);
      expect([...ra.applied, ...rb.applied].sort()).toEqual(names);
      const { rows } = await a.query<{ name: string; n: unknown }>(
        'SELECT name, count(*) AS n FROM schema_migrations GROUP BY name ORDER BY name',
      );
      expect(rows.map((r) => [r.name, Number(r.n)])).toEqual(names.map((n) => [n, 1]));
      const tables = await a.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'runs'`,
        [raceSchema],
      );
      expect(tables.rows).toHaveLength(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
