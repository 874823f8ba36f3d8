import { afterAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createPgDb, createStore } from '../../db/index.js';
import { runPause } from '../pause-cmd.js';
import { startVigie, type VigieHandle } from '../start.js';
import { writeNoopConfig } from './noop-config.js';

/**
 * A paused schedule really stops being probed by the running scheduler (issue 7 acceptance), scaled: a probe every
 * 2 s; `vigie pause` (through the running process's admin API) stops it from the next slot on, `vigie resume` starts
 * it again. The pause is read from the store by the scheduler, not mirrored in a set of the process.
 */
const dir = mkdtempSync(join(tmpdir(), 'vigie-pause-'));
let vigie: VigieHandle | undefined;
afterAll(async () => {
  await vigie?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Row { scheduledAt: string; status: string }
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('pause and resume with vigie start running', () => {
  it('stops probing from the next slot after a pause and probes again after the resume', async () => {
    const file = writeNoopConfig(dir, { id: 'noop-2s', every: '2s', dataDir: join(dir, 'data'), passwordEnv: 'PAUSE_TEST_PASSWORD' });
    vigie = await startVigie({ config: file, env: { ...process.env, PAUSE_TEST_PASSWORD: 'x' }, logger: pino({ level: 'silent' }) });
    const runs = async () => ((await (await fetch(`${vigie!.url}/api/v1/runs?schedule=noop-2s&limit=500`)).json()) as { runs: Row[] }).runs.map((r) => Date.parse(r.scheduledAt));
    await vi.waitFor(async () => expect((await runs()).length).toBeGreaterThanOrEqual(2), { timeout: 20_000, interval: 250 });

    const quiet = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await runPause('pause', 'noop-2s', { config: file, author: 'test', reason: 'travaux' })).toBe(0);
      const pausedAt = Date.now();
      await sleep(7_000); // three to four slots
      const resumedAt = Date.now();
      expect(await runPause('resume', 'noop-2s', { config: file, author: 'test' })).toBe(0);
      // Slots starting from the first one after the pause until the resume: none probed.
      const during = (await runs()).filter((t) => t >= pausedAt + 2_000 && t < resumedAt - 100);
      expect(during).toEqual([]);
      await vi.waitFor(async () => expect((await runs()).some((t) => t >= resumedAt - 2_000)).toBe(true), { timeout: 15_000, interval: 250 });
    } finally {
      quiet.mockRestore();
    }
  }, 60_000);

  it('stops probing when another host writes the pause to the shared PostgreSQL (the store is the truth)', async () => {
    await vigie?.close();
    vigie = undefined;
    const base = process.env.VIGIE_TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
    const name = `vigie_pause_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const url = base.replace(/\/[^/]*$/, `/${name}`);
    const admin = createPgDb(base, { max: 1 });
    await admin.query(`CREATE DATABASE ${name}`);
    const other = createStore(createPgDb(url, { max: 1 }));
    try {
      vigie = await startVigie({ config: join(dir, 'vigie.yml'), env: { ...process.env, PAUSE_TEST_PASSWORD: 'x', DATABASE_URL: url }, logger: pino({ level: 'silent' }) });
      const runs = async () => (await other.runs.list({ schedule: 'noop-2s', limit: 500 })).runs.map((r) => Date.parse(r.scheduledAt));
      await vi.waitFor(async () => expect((await runs()).length).toBeGreaterThanOrEqual(1), { timeout: 20_000, interval: 250 });
      // Written by "another host": this process's admin API never hears of it.
      await other.pauses.pause('noop-2s', new Date(), 'autre-hote', 'maintenance');
      const pausedAt = Date.now();
      await sleep(6_000);
      expect((await runs()).filter((t) => t >= pausedAt + 2_000)).toEqual([]);
      await other.pauses.resume('noop-2s', new Date(), 'autre-hote');
      const resumedAt = Date.now();
      await vi.waitFor(async () => expect((await runs()).some((t) => t >= resumedAt - 2_000)).toBe(true), { timeout: 15_000, interval: 250 });
    } finally {
      await vigie?.close();
      vigie = undefined;
      await other.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    }
  }, 60_000);
});
