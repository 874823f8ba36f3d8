import { createPgDb } from '../../db/pg-db.js';

/**
 * A database of its own on the local PostgreSQL for a test file that runs CLI commands in-process: `create()` makes
 * it and points `DATABASE_URL` (what the commands open) at it, logs silent; `drop()` restores `DATABASE_URL` and
 * drops it. The server is `VIGIE_TEST_DATABASE_URL`, else the local `test` database's.
 */
export function cliTestDatabase(prefix: string) {
  const base = process.env.VIGIE_TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const url = base.replace(/\/[^/]*$/, `/${name}`);
  const admin = createPgDb(base, { max: 1 });
  const previousUrl = process.env.DATABASE_URL;
  return {
    url,
    async create(): Promise<void> {
      await admin.query(`CREATE DATABASE ${name}`);
      process.env.DATABASE_URL = url;
      process.env.VIGIE_LOG_LEVEL = 'silent';
    },
    async drop(): Promise<void> {
      if (previousUrl === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = previousUrl;
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await admin.close();
    },
  };
}
