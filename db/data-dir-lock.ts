import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
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
 * a `vigie.lock` directory inside `dir` kept fresh by proper-lockfile; `vigie.lock.json` says who holds it. A normal
 * exit releases it; a lock left by a killed process is taken over at once when that pid is gone from this host, and
 * otherwise (another host on a shared disk, a reused pid) once it is stale (`staleMs` without refresh).
 *
 * @param dir the data folder (created if missing).
 * @returns `release()`, idempotent.
 * @throws VigieError `CONFLICT` naming the holder's pid and host when another process (or this one) holds it.
 */
export async function lockDataDir(dir: string, opts: LockDataDirOptions = {}): Promise<() => Promise<void>> {
  mkdirSync(dir, { recursive: true });
  const ownerFile = join(dir, OWNER_NAME);
  const lockOptions: lockfile.LockOptions = {
    lockfilePath: join(dir, LOCK_NAME),
    stale: opts.staleMs ?? 10_000,
    retries: 0,
    realpath: false,
    ...(opts.onCompromised ? { onCompromised: opts.onCompromised } : {}),
  };
  let unlock: () => Promise<void>;
  try {
    unlock = await lockfile.lock(dir, lockOptions);
  } catch (err) {
    if ((err as { code?: string }).code !== 'ELOCKED') throw err;
    const owner = readLockOwner(dir);
    if (owner && isDeadLocalProcess(dir, owner)) {
      // The holder was killed (SIGKILL, OOM) and could not remove its lock: take it now rather than making a
      // supervisor's restart loop wait for the lock to go stale.
      rmSync(join(dir, LOCK_NAME), { recursive: true, force: true });
      unlock = await lockfile.lock(dir, lockOptions).catch((again: unknown) => {
        throw conflict(dir, readLockOwner(dir), again);
      });
    } else {
      throw conflict(dir, owner, err);
    }
  }
  const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  writeFileSync(ownerFile, JSON.stringify(owner));
  held.add(resolve(dir));

  let released = false;
  return async () => {
    if (released) return;
    released = true;
    held.delete(resolve(dir));
    rmSync(ownerFile, { force: true });
    await unlock();
  };
}

function conflict(dir: string, owner: LockOwner | null, cause: unknown): VigieError {
  const [whoFr, whoEn] = owner
    ? [`le processus ${owner.pid} sur ${owner.host} (depuis ${owner.since})`, `process ${owner.pid} on ${owner.host} (since ${owner.since})`]
    : ['un autre processus', 'another process'];
  const message = `le dossier de données ${dir} est utilisé par ${whoFr} ; arrêtez-le, ou passez par son API d'administration / data folder ${dir} is in use by ${whoEn}; stop it, or talk to it through its admin API`;
  return new VigieError('CONFLICT', message, {
    cause,
  });
}

/** Folders this process holds (resolved paths). */
const held = new Set<string>();

/**
 * True when `owner` ran on this host and is gone: its pid no longer exists, or it is our own pid but this process
 * does not hold the folder (a restarted container whose process is pid 1 again).
 */
function isDeadLocalProcess(dir: string, owner: LockOwner): boolean {
  if (owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return !held.has(resolve(dir));
  try {
    process.kill(owner.pid, 0); // signal 0: existence check only
    return false;
  } catch (err) {
    return (err as { code?: string }).code === 'ESRCH';
  }
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
