import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VigieError } from '../../core/errors.js';
import { createStoreReadiness } from '../store-readiness.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A readiness over a fake store that is down until `up`; records the revisions it saved. */
function setup(snapshot: unknown) {
  const spoolDir = mkdtempSync(join(tmpdir(), 'vigie-ready-'));
  dirs.push(spoolDir);
  const state = { up: false, saved: [] as { snapshot: unknown; createdAt: string }[], migrations: 0 };
  const readiness = createStoreReadiness({
    snapshot,
    startedAt: new Date('2026-12-02T05:00:00Z'),
    migrate: async () => {
      if (!state.up) throw new VigieError('UNAVAILABLE', 'connection refused');
      state.migrations++;
    },
    saveRevision: async (s, createdAt) => (state.saved.push({ snapshot: s, createdAt: createdAt.toISOString() }), { id: 40 + state.saved.length }),
    spoolDir,
    logger: pino({ level: 'silent' }),
  });
  return { readiness, state, spoolDir };
}

describe('store readiness (vigie start booting during a store outage, issue 8 item 5)', () => {
  it('fails while the store is down, then migrates once and stores the revision once, dated at the start', async () => {
    const { readiness, state } = setup({ a: 1 });
    await expect(readiness.ensure()).rejects.toThrow(/connection refused/);
    expect(readiness.revisionId()).toBeNull();
    state.up = true;
    expect(await readiness.ensure()).toBe(41);
    expect(await readiness.revisionFor(readiness.revisionKey)).toBe(41);
    expect(state).toMatchObject({ migrations: 1, saved: [{ snapshot: { a: 1 }, createdAt: '2026-12-02T05:00:00.000Z' }] });
  });

  it("stores an earlier start's snapshot under its own date for its spooled results", async () => {
    const earlier = setup({ a: 1 });
    await earlier.readiness.persistSnapshot();
    const later = createStoreReadiness({
      snapshot: { a: 2 }, startedAt: new Date('2026-12-02T06:00:00Z'), migrate: async () => undefined,
      saveRevision: async (s, createdAt) => (earlier.state.saved.push({ snapshot: s, createdAt: createdAt.toISOString() }), { id: 7 }),
      spoolDir: earlier.spoolDir, logger: pino({ level: 'silent' }),
    });
    expect(await later.revisionFor(earlier.readiness.revisionKey)).toBe(7);
    expect(earlier.state.saved).toEqual([{ snapshot: { a: 1 }, createdAt: '2026-12-02T05:00:00.000Z' }]);
  });

  it("a missing or damaged snapshot keeps the results: they go under this start's revision (found by a hostile tester)", async () => {
    const { readiness, state, spoolDir } = setup({ a: 3 });
    state.up = true;
    mkdirSync(join(spoolDir, 'revisions'), { recursive: true });
    writeFileSync(join(spoolDir, 'revisions', 'damaged.json'), '{"snapshot": {"a"');
    expect(await readiness.revisionFor('damaged')).toBe(41);
    expect(await readiness.revisionFor('never-written')).toBe(41);
    expect(state.saved).toEqual([{ snapshot: { a: 3 }, createdAt: '2026-12-02T05:00:00.000Z' }]);
  });
});
