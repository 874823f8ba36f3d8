import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { VigieError } from '../core/errors.js';
import type { Db } from './db.js';

/** The folder of `NNN-name.sql` files shipped with Vigie. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

const FILE_NAME = /^(\d{3})-[a-z0-9][a-z0-9-]*\.sql$/;

export interface Migration {
  /** File name without `.sql`, e.g. `001-initial`: the key recorded in `schema_migrations`. */
  name: string;
  sql: string;
  sha256: string;
}

/**
 * Reads the migration files of `dir`, sorted by their number.
 *
 * @throws VigieError `INTERNAL` for a file that does not follow `NNN-name.sql` or a number used twice.
 */
export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const seen = new Set<string>();
  return files.map((file) => {
    const match = FILE_NAME.exec(file);
    const number = match?.[1];
    if (!number) throw new VigieError('INTERNAL', `migration file ${file} must be named NNN-name.sql`);
    if (seen.has(number)) throw new VigieError('INTERNAL', `two migration files are numbered ${number}`);
    seen.add(number);
    const sql = readFileSync(`${dir}/${file}`, 'utf8');
    return { name: file.slice(0, -4), sql, sha256: createHash('sha256').update(sql).digest('hex') };
  });
}

/**
 * Applies the pending migrations in order (DESIGN.md §6), each in its own transaction that first takes a
 * transaction-scoped advisory lock (`pg_advisory_xact_lock`) keyed on the current schema, then re-reads
 * `schema_migrations`: concurrent migrators (two `vigie collector` starting together) wait for each other and the
 * second finds nothing to do. A failed migration rolls back entirely and nothing after it runs.
 *
 * Migrations are append-only: an applied file whose content changed is refused, rather than leaving databases that
 * ran different SQL under the same name.
 *
 * @returns the names applied by this call (empty when the database was up to date).
 * @throws VigieError `INTERNAL` when an applied migration was edited; the PostgreSQL error of a failing migration.
 */
export async function migrate(db: Db, migrations: Migration[] = readMigrations()): Promise<{ applied: string[] }> {
  const applied: string[] = [];
  for (const migration of migrations) {
    const ran = await db.transaction(async (tx) => {
      // hashtext gives a stable int4 per schema, so test schemas (and tenants of a shared server) do not serialize
      // each other; the lock is released at COMMIT/ROLLBACK.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('vigie:migrate:' || current_schema()))`);
      await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        name       text PRIMARY KEY,
        sha256     text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await tx.query<{ sha256: string }>('SELECT sha256 FROM schema_migrations WHERE name = $1', [
        migration.name,
      ]);
      const applied = rows[0];
      if (applied) {
        if (applied.sha256 !== migration.sha256) {
          throw new VigieError(
            'INTERNAL',
            `migration ${migration.name} was changed after it was applied; migrations are append-only, add a new file`,
          );
        }
        return false;
      }
      await tx.query(migration.sql);
      await tx.query('INSERT INTO schema_migrations (name, sha256) VALUES ($1, $2)', [migration.name, migration.sha256]);
      return true;
    });
    if (ran) applied.push(migration.name);
  }
  return { applied };
}
