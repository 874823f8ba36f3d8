import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { VigieError } from '../core/errors.js';

/** Who holds a data folder, written next to the lock so a refused process can say so. */
export interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

export interface LockDataDirOptions {
  /**
   * Called when the lock was lost (its file touched by someone else or not refreshed for `staleMs`, e.g. the event
   * loop blocked that long). Default: proper-lockfile's, which throws out of band and so stops the process: carrying
   * on could let a second process open the same PGlite folder.
   */
  onCompromised?: (err: Error) => void;
  /** A lock not refreshed for this long is considered abandoned by a crashed process (default 10 000 ms). */
  staleMs?: number;
}

const LOCK_NAME = 'vigie.lock';
const OWNER_NAME = 'vigie.lock.json';

/**
 * Takes the exclusive lock on an embedded data folder (DESIGN.md §4: one process owns a PGlite folder). The lock is
 * a `vigie.lock` directory inside `dir` kept fresh by proper-lockfile; `vigie.lock.json` says who holds it. A lock
 * left by a process killed with SIGKILL is taken over once stale (`staleMs`); a normal exit releases it.
 *
 * @param dir the data folder (created if missing).
 * @returns `release()`, idempotent.
 * @throws VigieError `CONFLICT` naming the holder's pid and host when another process (or this one) holds it.
 */
export async function lockDataDir(dir: string, opts: LockDataDirOptions = {}): Promise<() => Promise<void>> {
  mkdirSync(dir, { recursive: true });
  const ownerFile = join(dir, OWNER_NAME);
  let unlock: () => Promise<void>;
  try {
    unlock = await lockfile.lock(dir, {
      lockfilePath: join(dir, LOCK_NAME),
      stale: opts.staleMs ?? 10_000,
      retries: 0,
      realpath: false,
      ...(opts.onCompromised ? { onCompromised: opts.onCompromised } : {}),
    });
  } catch (err) {
    if ((err as { code?: string }).code !== 'ELOCKED') throw err;
    const owner = readLockOwner(dir);
    const who = owner ? `process ${owner.pid} on ${owner.host} (since ${owner.since})` : 'another process';
    throw new VigieError(
      'CONFLICT',
      `data folder ${dir} is in use by ${who}; stop it, or talk to it through its admin API`,
      { cause: err },
    );
  }
  const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  writeFileSync(ownerFile, JSON.stringify(owner));

  let released = false;
  return async () => {
    if (released) return;
    released = true;
    rmSync(ownerFile, { force: true });
    await unlock();
  };
}

/** The holder of `dir` as written in the folder, or null when none is recorded or the file is unreadable. */
export function readLockOwner(dir: string): LockOwner | null {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, OWNER_NAME), 'utf8')) as LockOwner;
    return typeof parsed.pid === 'number' ? parsed : null;
  } catch {
    return null;
  }
}
