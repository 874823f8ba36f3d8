import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVigieError } from '../../core/errors.js';
import { createPgDb, createPgliteDb, createStore, type PgliteDb } from '../../db/index.js';
import { createEngineThread, jsonString } from '../index.js';
import { describeEngineConformance } from './engine-conformance.js';

/**
 * The engine in a worker thread (`vigie start`): through a channel to the embedded PGlite worker, and with its own
 * pool on the local PostgreSQL 15 (a fresh schema, dropped afterwards).
 */
const logger = pino({ level: 'silent' });

let pglite: PgliteDb;
describeEngineConformance(
  'worker thread over a PGlite channel',
  async (_store, clock) => createEngineThread({ db: { kind: 'pglite', openChannel: () => pglite.openChannel() }, clock, logger }),
  async () => {
    pglite = await createPgliteDb();
    const store = createStore(pglite);
    await store.migrate();
    return store;
  },
);

const BASE = process.env.VIGIE_TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const schema = `vigie_engine_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
describeEngineConformance(
  'worker thread with its own PostgreSQL pool',
  async (_store, clock) => createEngineThread({ db: { kind: 'postgres', url: BASE, schema }, clock, logger }),
  async () => {
    const admin = createPgDb(BASE, { max: 1 });
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.close();
    const db = createPgDb(BASE, { schema, max: 2 });
    const store = createStore(db);
    await store.migrate();
    // Dropped with the store: the suite closes the store last.
    const close = store.close.bind(store);
    store.close = async () => {
      await close();
      const drop = createPgDb(BASE, { max: 1 });
      await drop.query(`DROP SCHEMA ${schema} CASCADE`);
      await drop.close();
    };
    return store;
  },
);

describe('engine thread: bounded, restartable, off the event loop', () => {
  let db: PgliteDb;
  let store: ReturnType<typeof createStore>;
  const clock = () => new Date('2027-08-31T20:00:00Z');
  beforeAll(async () => {
    db = await createPgliteDb();
    store = createStore(db);
    await store.migrate();
    const { revisionSnapshot } = await import('../../core/config/revision.js');
    const { validateConfig } = await import('../../core/config/validate.js');
    const { replayConfig } = await import('../../cli/__tests__/replay-fixture.js');
    // 8 schedules every 5 minutes for a school year: ~840,000 slots, all missed — seconds of work for the engine.
    await store.revisions.save(revisionSnapshot(validateConfig(replayConfig({ tenants: 4, journeys: ['login', 'logout'] })), {}), new Date('2026-08-31T22:00:00Z'));
  });
  afterAll(async () => {
    await store?.close();
  });
  const thread = (over: Partial<Parameters<typeof createEngineThread>[0]> = {}) => createEngineThread({ db: { kind: 'pglite', openChannel: () => db.openChannel() }, clock, logger, ...over });
  const year = { contract: 'replay', schoolYear: '2026-2027', clause: 'h24' };

  it('refuses a report beyond its bound at once with RATE_LIMITED and a retry delay', async () => {
    const engine = thread({ maxPendingReports: 1 });
    try {
      const results = await Promise.allSettled([engine.slaReport(year), engine.slaReport(year), engine.slaReport(year)]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
      const err = (results[1] as PromiseRejectedResult).reason;
      expect(isVigieError(err, 'RATE_LIMITED')).toBe(true);
      expect(err.retryAfterSeconds).toBe(5);
      expect(err.message).toMatch(/moteur SLA occupé .* \/ SLA engine busy/);
      // Once the first is done, a new one is taken.
      expect(jsonString(await engine.slaReport(year))).toContain('"h24"');
    } finally {
      await engine.close();
    }
  });

  it('ends a request that outlives its timeout with UNAVAILABLE and answers the next one from a fresh thread', async () => {
    const engine = thread({ timeoutMs: 30 });
    try {
      const err = await engine.slaReport(year).catch((e: unknown) => e);
      expect(isVigieError(err, 'UNAVAILABLE')).toBe(true);
      expect((err as Error).message).toMatch(/délai dépassé/);
    } finally {
      await engine.close();
    }
    const again = thread();
    try {
      expect(jsonString(await again.status())).toContain('"rows"');
    } finally {
      await again.close();
    }
    await expect(again.status()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('keeps the event loop free while a school-year report is computed (the in-thread engine keeps it busy)', async () => {
    const { monitorEventLoopDelay, performance } = await import('node:perf_hooks');
    const { createEngine } = await import('../index.js');
    const measure = async (engine: { slaReport(q: typeof year): Promise<unknown>; close(): Promise<void> }) => {
      const h = monitorEventLoopDelay({ resolution: 5 });
      h.enable();
      const before = performance.eventLoopUtilization();
      await engine.slaReport(year);
      // Share of the time this thread's event loop was busy while the report was computed.
      const utilization = performance.eventLoopUtilization(before).utilization;
      h.disable();
      await engine.close();
      return { p99: h.percentile(99) / 1e6, utilization };
    };
    const offLoop = await measure(thread());
    const onLoop = await measure(createEngine(store, { clock }));
    // A generous bound, not 50 ms: this file runs beside Chromium tests on two cores, where the OS alone delays a free
    // loop by tens of ms (74 ms once in CI). The 50 ms p99 is asserted on a quiet machine by
    // cli/__tests__/sla-flood.serial.test.ts; what tells the two engines apart here is the loop's utilization.
    expect(offLoop.p99).toBeLessThan(200);
    // The same report in this thread keeps the loop busy most of the time; from the worker thread, hardly at all.
    expect(onLoop.utilization).toBeGreaterThan(0.5);
    expect(offLoop.utilization).toBeLessThan(0.2);
  });
});
