import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { isVigieError } from '../core/errors.js';
import { revisionContentSha256 } from '../db/index.js';

/**
 * `vigie start` when the store (PostgreSQL) does not answer at boot (issue 8 item 5): probing starts anyway, results
 * wait in the spool, and the migrations and this start's config revision are done as soon as the store answers.
 * Results made before that carry `revisionId: null` and the start's *revision key* (the SHA-256 of its snapshot); the
 * writer gets the revision id for that key before writing them. So that a later start can still store them under the
 * right revision (its config may differ), the snapshot and its date wait in `<spoolDir>/revisions/<key>.json`.
 */

export interface StoreReadinessOptions {
  /** The start's config snapshot (secrets already replaced by references: core/config/revision.ts). */
  snapshot: unknown;
  /** When this start began: the revision's date, even when stored later. */
  startedAt: Date;
  /** Runs the pending migrations; rejects with `UNAVAILABLE` when the store does not answer. */
  migrate: () => Promise<void>;
  /** Stores a revision; rejects with `UNAVAILABLE` when the store does not answer. */
  saveRevision: (snapshot: unknown, createdAt: Date) => Promise<{ id: number }>;
  /** The results spool folder (its `revisions/` subfolder holds the snapshots waiting for the store). */
  spoolDir: string;
  logger: Logger;
}

export interface StoreReadiness {
  /** This start's revision key: its snapshot's `content_sha256` (db `revisionContentSha256`). */
  readonly revisionKey: string;
  /** This start's revision id, or null while the store has not stored it. */
  revisionId(): number | null;
  /**
   * Migrations, then this start's revision (once). Resolves with the revision id.
   * @throws VigieError `UNAVAILABLE` while the store does not answer (call again later).
   */
  ensure(): Promise<number>;
  /**
   * The revision id for results made under `key` (this start's, or an earlier start's from the spool).
   * When the snapshot of `key` is missing or unreadable, the results go under this start's revision (logged).
   * @throws VigieError `UNAVAILABLE` while the store does not answer.
   */
  revisionFor(key: string): Promise<number>;
  /** Keeps this start's snapshot on disk until it is stored (call when the first `ensure()` failed). */
  persistSnapshot(): Promise<void>;
  /** Removes the waiting snapshots no spooled result needs any more (`keep`: the keys still referenced). */
  prune(keep: ReadonlySet<string>): Promise<void>;
}

/** Creates the readiness of one `vigie start`; nothing touches the store until `ensure()`. */
export function createStoreReadiness(opts: StoreReadinessOptions): StoreReadiness {
  const revisionKey = revisionContentSha256(opts.snapshot);
  const dir = join(opts.spoolDir, 'revisions');
  const file = (key: string) => join(dir, `${key}.json`);
  let migrated = false;
  let own: number | null = null;
  const known = new Map<string, Promise<number>>();

  async function ready(): Promise<void> {
    if (migrated) return;
    await opts.migrate();
    migrated = true;
  }

  /** Memoized on success only: a failed attempt (store down) is tried again at the next call. */
  function once(key: string, save: () => Promise<number>): Promise<number> {
    const cached = known.get(key);
    if (cached) return cached;
    const attempt = save();
    known.set(key, attempt);
    attempt.catch(() => known.delete(key));
    return attempt;
  }

  const readiness: StoreReadiness = {
    revisionKey,
    revisionId: () => own,
    ensure() {
      return once(revisionKey, async () => {
        await ready();
        const { id } = await opts.saveRevision(opts.snapshot, opts.startedAt);
        own = id;
        opts.logger.info({ revision: id }, 'config revision stored');
        await rm(file(revisionKey), { force: true });
        return id;
      });
    },
    revisionFor(key) {
      if (key === revisionKey) return readiness.ensure();
      return once(key, async () => {
        let saved: { snapshot: unknown; createdAt: string };
        try {
          saved = JSON.parse(await readFile(file(key), 'utf8')) as { snapshot: unknown; createdAt: string };
          if (saved === null || typeof saved !== 'object' || !Number.isFinite(Date.parse(saved.createdAt))) throw new Error('not a saved snapshot');
        } catch (err) {
          // Results are evidence; a lost snapshot is not a reason to drop them (found by a hostile tester: six
          // results deleted). They go under this start's revision, and the log says so.
          opts.logger.error({ err, key, dir }, "spooled results refer to a revision whose snapshot is unreadable: stored under this start's revision");
          return readiness.ensure();
        }
        await ready();
        const { id } = await opts.saveRevision(saved.snapshot, new Date(saved.createdAt));
        opts.logger.info({ revision: id, key }, 'revision of an earlier start stored (its results were spooled)');
        return id;
      });
    },
    async persistSnapshot() {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFile(file(revisionKey), JSON.stringify({ snapshot: opts.snapshot, createdAt: opts.startedAt.toISOString() }), { mode: 0o600 });
    },
    async prune(keep) {
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const name of names) {
        const key = name.replace(/\.json$/, '');
        if (key !== revisionKey && !keep.has(key)) await rm(join(dir, name), { force: true });
      }
    },
  };
  return readiness;
}

/** True for the error of a store that does not answer (the caller keeps going and tries again later). */
export function isStoreOutage(err: unknown): boolean {
  return isVigieError(err, 'UNAVAILABLE');
}
