import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVigieError } from '../../core/errors.js';
import type { Db } from '../db.js';
import { lockDataDir } from '../data-dir-lock.js';
import { openEmbeddedDb, PGLITE_SUBDIR } from '../embedded-db.js';
import { createPgliteDb } from '../pglite-db.js';
import { createStore } from '../store.js';
import { makeRun, unique } from './run-fixture.js';
import { describeStoreConformance } from './store-conformance.js';

describeStoreConformance('PGlite in a worker thread (in memory)', () => createPgliteDb());

describe('PGlite adapter', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-pglite-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  describe('one in-memory database', () => {
    let db: Db;
    beforeAll(async () => {
      db = await createPgliteDb(':memory:');
    });
    afterAll(() => db.close());

    it('runs SQL off the main thread: the event loop keeps ticking during a blocking query', async () => {
      let ticks = 0;
      const timer = setInterval(() => (ticks += 1), 10);
      const started = Date.now();
      // pg_sleep blocks the thread PGlite runs on for 400 ms (WebAssembly has no async sleep).
      await db.query('SELECT pg_sleep(0.4)');
      clearInterval(timer);
      expect(Date.now() - started).toBeGreaterThanOrEqual(390);
      expect(ticks).toBeGreaterThanOrEqual(10); // 0 if PGlite ran on this thread
    });

    it('serializes a transaction: another caller never sees its uncommitted writes', async () => {
      await db.query('CREATE TABLE t (v int)');
      let outside: Promise<{ rows: { n: unknown }[] }> | undefined;
      await db
        .transaction(async (tx) => {
          await tx.query('INSERT INTO t VALUES (1)');
          // One PGlite session: had this run inside the open transaction, it would count the row above.
          outside = db.query<{ n: unknown }>('SELECT count(*) AS n FROM t');
          await new Promise((resolve) => setTimeout(resolve, 50));
          throw new Error('roll back');
        })
        .catch(() => undefined);
      expect(Number((await outside!).rows[0]?.n)).toBe(0);
    });
  });

  it('keeps the embedded store private: data folder and its folders 0700, every file 0600 (PGlite makes them 0666)', async () => {
    const dir = tempDir();
    const store = createStore(await openEmbeddedDb(dir));
    await store.migrate();
    await store.runs.insert(makeRun({ scheduleId: unique('modes') }));
    await store.close();
    const modes = new Map<string, number>();
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        const m = statSync(p).mode & 0o777;
        const want = e.isDirectory() ? 0o700 : 0o600;
        if (m !== want) modes.set(p.slice(dir.length), m);
      }
    };
    walk(join(dir, PGLITE_SUBDIR));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(dir, PGLITE_SUBDIR)).length).toBeGreaterThan(0);
    expect([...modes].slice(0, 5)).toEqual([]);
  });

  it('keeps data across close and reopen of a locked data folder', async () => {
    const dir = tempDir();
    const first = createStore(await openEmbeddedDb(dir));
    await first.migrate();
    const scheduleId = unique('persist');
    const { id } = await first.runs.insert(makeRun({ scheduleId }));
    // While open, the folder is this store's: a second opener is refused before it starts PGlite.
    expect(isVigieError(await openEmbeddedDb(dir).catch((e: unknown) => e), 'CONFLICT')).toBe(true);
    await first.close();
    const closed = await first.runs.list().catch((e: unknown) => e);
    expect(isVigieError(closed, 'UNAVAILABLE')).toBe(true);

    const second = createStore(await openEmbeddedDb(dir)); // close() released the lock
    try {
      expect(await second.migrate()).toEqual({ applied: [] });
      const run = await second.runs.get(id!);
      expect(run).toMatchObject({ id, scheduleId, status: 'up' });
      expect(run!.attempts[0]?.steps).toHaveLength(4);
    } finally {
      await second.close();
    }
  });

  async function startHolder(dir: string) {
    const helper = fileURLToPath(new URL('./hold-lock.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', helper, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
      child.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
    });
    return { child, exited };
  }

  it('locks the data folder: a second holder is refused with the holder named', async () => {
    const dir = tempDir();
    const { child, exited } = await startHolder(dir);
    try {
      const err = await lockDataDir(dir).catch((e: unknown) => e);
      expect(isVigieError(err, 'CONFLICT')).toBe(true);
      expect((err as Error).message).toContain(`process ${child.pid} `);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    // Released on the holder's exit: now this process gets it, and a second taker in this process is refused too.
    const release = await lockDataDir(dir);
    try {
      expect(isVigieError(await lockDataDir(dir).catch((e: unknown) => e), 'CONFLICT')).toBe(true);
    } finally {
      await release();
    }
  });

  it('takes over at once the lock of a holder that was killed', async () => {
    const dir = tempDir();
    const { child, exited } = await startHolder(dir);
    child.kill('SIGKILL'); // no exit handler runs: the lock stays on disk, fresh for another 10 s
    await exited;
    expect(existsSync(join(dir, 'vigie.lock'))).toBe(true);
    const release = await lockDataDir(dir);
    await release();
  });
});
