import { chmod, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResult } from '../core/run-types.js';

/**
 * A disk spool of results not yet durable in the store (issue 8 item 5, DESIGN.md §4 "nothing is lost on the way"):
 * each result pushed to the buffered sink is also written here, one file per result, and removed once the store has
 * it. A process that stops (or dies) while the store is unreachable leaves its files; the next start loads them, in
 * the order they were written, before any new result. Writing a result the store already has is harmless (its slot
 * key makes it a duplicate), so a crash between the store write and the removal costs nothing.
 *
 * Files: `<dir>/<16-digit sequence>.json`, written to a `.tmp` name, flushed (fsync) and renamed, mode 0600 in a 0700
 * folder (results hold no secret, but screenshots may show pupils' names). Bytes (screenshots) are stored as base64.
 */

/** One spooled result, with the key of the config revision it was made under when the store did not know it yet. */
export interface SpoolEntry {
  /** The file's name without `.json`; gives the order. */
  id: string;
  result: RunResult;
  /** Set when `result.revisionId` is null because the revision was not stored yet (see cli/store-readiness.ts). */
  revisionKey?: string;
}

export interface ResultSpool {
  /** Every spooled result, oldest first. A file that cannot be read is moved aside (`.bad`) and reported. */
  load(): Promise<{ entries: SpoolEntry[]; unreadable: string[] }>;
  /** Writes `result` durably; resolves with its id. */
  save(result: RunResult, revisionKey?: string): Promise<string>;
  /** Removes a spooled result (no error when already gone). */
  remove(id: string): Promise<void>;
}

const NAME = /^(\d{16})\.json$/;

/**
 * JSON replacer/reviver pair keeping `Uint8Array`s (screenshots) as `{ "$bytes": base64 }`. The replacer reads the
 * holder's own value (`this[key]`): for a Node `Buffer`, `JSON.stringify` has already called `Buffer.toJSON` before
 * the replacer sees it (`{ type: 'Buffer', data: [...] }`), which the reviver also turns back into bytes (spool files
 * written so by earlier versions lost their screenshot, and the store then refused the whole result).
 */
function encode(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown> | null)?.[key];
  return raw instanceof Uint8Array ? { $bytes: Buffer.from(raw).toString('base64') } : value;
}
function decode(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)) {
    return new Uint8Array((value as { data: number[] }).data);
  }
  if (value !== null && typeof value === 'object' && typeof (value as { $bytes?: unknown }).$bytes === 'string') {
    return new Uint8Array(Buffer.from((value as { $bytes: string }).$bytes, 'base64'));
  }
  return value;
}

/**
 * Whether a parsed file has the shape this spool writes: `{ result, revisionKey? }` with the fields the sink and the
 * writer read first (a file `{}` once crashed every start). The store's writer checks the rest with the run schema.
 */
function isEntry(v: unknown): v is { result: RunResult; revisionKey?: string } {
  if (v === null || typeof v !== 'object') return false;
  const { result, revisionKey } = v as { result?: unknown; revisionKey?: unknown };
  if (revisionKey !== undefined && typeof revisionKey !== 'string') return false;
  if (result === null || typeof result !== 'object') return false;
  const r = result as Record<string, unknown>;
  return typeof r.scheduleId === 'string' && typeof r.scheduledAt === 'string' && typeof r.location === 'string' && Array.isArray(r.attempts);
}

/**
 * The spool in folder `dir` (created 0700 if missing; an existing folder is set to 0700).
 * @throws the file system's error when the folder cannot be created or written (the caller decides whether to run
 *   without a spool).
 */
export async function createFileSpool(dir: string): Promise<ResultSpool> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  let next = 0;
  const names = await readdir(dir);
  for (const name of names) {
    const m = NAME.exec(name);
    if (m) next = Math.max(next, Number(m[1]) + 1);
  }
  for (const name of names) if (name.endsWith('.tmp')) await rm(join(dir, name), { force: true }); // a write cut short

  return {
    async load() {
      const entries: SpoolEntry[] = [];
      const unreadable: string[] = [];
      const files = (await readdir(dir)).filter((n) => NAME.test(n)).sort();
      for (const name of files) {
        try {
          const parsed: unknown = JSON.parse(await readFile(join(dir, name), 'utf8'), decode);
          if (!isEntry(parsed)) throw new Error('not a spooled result');
          entries.push({ id: name.slice(0, -5), result: parsed.result, ...(parsed.revisionKey ? { revisionKey: parsed.revisionKey } : {}) });
        } catch {
          unreadable.push(name);
          await rename(join(dir, name), join(dir, `${name}.bad`));
        }
      }
      return { entries, unreadable };
    },
    async save(result, revisionKey) {
      const id = String(next++).padStart(16, '0');
      const tmp = join(dir, `${id}.tmp`);
      const file = await open(tmp, 'w', 0o600);
      try {
        await file.writeFile(JSON.stringify({ result, ...(revisionKey ? { revisionKey } : {}) }, encode));
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(tmp, join(dir, `${id}.json`));
      return id;
    },
    async remove(id) {
      await rm(join(dir, `${id}.json`), { force: true });
    },
  };
}
