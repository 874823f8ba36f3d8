import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revisionSnapshot } from '../../core/config/revision.js';
import { validateConfig } from '../../core/config/validate.js';
import { isVigieError } from '../../core/errors.js';
import type { RunResult, RunStatus } from '../../core/run-types.js';
import type { Store } from '../../db/index.js';
import { replayConfig, scheduleId, tenantUai } from '../../cli/__tests__/replay-fixture.js';
import { parseJson, type EngineComputations, type SlaReport, type StatusReport } from '../index.js';

/**
 * The one suite every {@link EngineComputations} implementation passes (CONVENTIONS.md "Ports and adapters"): the
 * engine in the caller's thread (`createEngine`) and in a worker thread (`createEngineThread`, over a PGlite channel
 * or its own PostgreSQL pool). `setup` gets a migrated, empty store and the suite's clock, and returns the engine.
 *
 * The data: two lycées of the replay config (zone B, Marne), `login` every 5 minutes, stored from
 * 2026-10-01 00:00 Paris. On Monday 5 October 2026, 08:00–09:00 Paris (06:00–07:00Z), tenant 0 has 12 slots: 10 up,
 * 1 down (timeout) at 08:20, 1 without run (missed) at 08:40. Over that hour, 24/7: up 50 min, down 5, unknown 5 →
 * availability 50 / 55 = 90.9091 %, coverage 55 / 60 = 91.6667 %. Tenant 1 is up all hour (100 %), so the pooled
 * clause has up 110, down 5, unknown 5: 110 / 115 = 95.6522 %, coverage 115 / 120 = 95.8333 % (minutes pooled,
 * never the mean of 90.91 and 100).
 */
export function describeEngineConformance(name: string, setup: (store: Store, clock: () => Date) => Promise<EngineComputations>, makeStore: () => Promise<Store>): void {
  describe(`engine conformance: ${name}`, () => {
    const NOW = new Date('2026-10-05T07:02:00Z');
    const ctx = {} as { store: Store; engine: EngineComputations };
    const config = validateConfig(replayConfig({ tenants: 2, journeys: ['login'] }));
    const [t0, t1] = [tenantUai(0), tenantUai(1)];

    beforeAll(async () => {
      ctx.store = await makeStore();
      await ctx.store.revisions.save(revisionSnapshot(config, {}), new Date('2026-09-30T22:00:00Z'));
      const runs: RunResult[] = [];
      for (let i = 0; i < 12; i++) {
        const at = new Date(Date.UTC(2026, 9, 5, 6, i * 5)).toISOString();
        if (i !== 8) runs.push(run(scheduleId('login', t0), t0, at, i === 4 ? 'down' : 'up'));
        runs.push(run(scheduleId('login', t1), t1, at, 'up'));
      }
      await ctx.store.runs.insertBatch(runs);
      ctx.engine = await setup(ctx.store, () => NOW);
    });
    afterAll(async () => {
      await ctx.engine?.close();
      await ctx.store?.close();
    });

    it('gives the hour of 5 October exactly, per tenant and pooled by minutes', async () => {
      const report = parseJson<SlaReport>(await ctx.engine.slaReport({ contract: 'replay', from: '2026-10-05T08:00', to: '2026-10-05T09:00', clause: 'h24' }));
      const [clause] = report.clauses;
      const byTenant = Object.fromEntries(clause!.series.map((s) => [s.tenant, s.raw]));
      expect(byTenant[t0]!.sums).toMatchObject({ countedMinutes: 60, upMinutes: 50, downMinutes: 5, unknownMinutes: 5 });
      expect(byTenant[t0]!.figures).toMatchObject({ availabilityPercent: 90.9091, coveragePercent: 91.6667 });
      expect(byTenant[t1]!.figures.availabilityPercent).toBe(100);
      expect(clause!.raw.figures).toMatchObject({ availabilityPercent: 95.6522, coveragePercent: 95.8333 });
      expect(clause!.episodes).toEqual([expect.objectContaining({ tenant: t0, start: '2026-10-05T06:20:00.000Z', end: '2026-10-05T06:25:00.000Z', gtrMinutes: 5 })]);
      expect(clause!.dataGaps).toEqual([expect.objectContaining({ tenant: t0, start: '2026-10-05T06:40:00.000Z', minutes: 5, states: ['missed'] })]);
      expect(report.generatedAt).toBe(NOW.toISOString());
    });

    it('gives the figures day by day with daily: the days add up to the period, per establishment too', async () => {
      const report = parseJson<SlaReport>(await ctx.engine.slaReport({ contract: 'replay', from: '2026-10-04T00:00', to: '2026-10-06T00:00', clause: 'h24', daily: true }));
      const [clause] = report.clauses;
      expect(clause!.daily!.map((d) => d.date)).toEqual(['2026-10-04', '2026-10-05']);
      const sum = (k: 'countedMinutes' | 'upMinutes' | 'downMinutes' | 'unknownMinutes') => clause!.daily!.reduce((a, d) => a + d.raw.sums[k], 0);
      for (const k of ['countedMinutes', 'upMinutes', 'downMinutes', 'unknownMinutes'] as const) expect(sum(k)).toBe(clause!.raw.sums[k]);
      const day5 = clause!.daily![1]!;
      expect(day5.tenants[t0]!.sums).toMatchObject({ downMinutes: 5, upMinutes: 50 });
      expect(day5.tenants[t1]!.sums.downMinutes).toBe(0);
      // Without daily, no daily figures (the API's default document is unchanged).
      const plain = parseJson<SlaReport>(await ctx.engine.slaReport({ contract: 'replay', from: '2026-10-04T00:00', to: '2026-10-06T00:00', clause: 'h24' }));
      expect(plain.clauses[0]!.daily).toBeUndefined();
      // The establishments, named as in the revision, monitored since it was stored.
      expect(report.tenants.map((t) => [t.uai, t.monitoredSince])).toEqual([[t0, '2026-09-30T22:00:00.000Z'], [t1, '2026-09-30T22:00:00.000Z']]);
      expect(report.tenants[0]!.name).toBe(config.tenants.find((t) => t.uai === t0)!.name);
    });

    it('filters by tenant, and refuses an unknown contract, clause or tenant with NOT_FOUND', async () => {
      const one = parseJson<SlaReport>(await ctx.engine.slaReport({ contract: 'replay', from: '2026-10-05T08:00', to: '2026-10-05T09:00', tenant: t1 }));
      expect(one.clauses.flatMap((c) => c.series.map((s) => s.tenant))).toEqual([t1, t1]);
      for (const q of [{ contract: 'nope' }, { contract: 'replay', clause: 'nope' }, { contract: 'replay', tenant: '0519999Z' }]) {
        const err = await ctx.engine.slaReport({ month: '2026-10', ...q }).catch((e: unknown) => e);
        expect(isVigieError(err, 'NOT_FOUND')).toBe(true);
      }
    });

    it('gives the current state per tenant and since when, at the clock it was given', async () => {
      const status = parseJson<StatusReport>(await ctx.engine.status());
      expect(status.generatedAt).toBe(NOW.toISOString());
      const rows = Object.fromEntries(status.rows.map((r) => [r.tenant, r]));
      // At 07:02Z the last final slot is 06:55 (07:00 is still running): tenant 0 up since 06:45, after its missed 06:40.
      expect(rows[t0]).toMatchObject({ state: 'up', since: '2026-10-05T06:45:00.000Z', lastSlotStart: '2026-10-05T06:55:00.000Z' });
      expect(rows[t1]).toMatchObject({ state: 'up', lastSlotStart: '2026-10-05T06:55:00.000Z' });
    });

    it('streams the final slots of each series from a cursor', async () => {
      const series = await ctx.engine.slots({ from: Date.UTC(2026, 9, 5, 6, 15), to: Date.UTC(2026, 9, 5, 6, 30) });
      const mine = series.find((s) => s.tenant === t0)!;
      expect(mine.slots.map((s) => [new Date(s.start).toISOString().slice(11, 16), s.state])).toEqual([
        ['06:15', 'up'],
        ['06:20', 'down'],
        ['06:25', 'up'],
      ]);
    });
  });
}

function run(id: string, tenant: string, at: string, status: RunStatus): RunResult {
  return {
    scheduleId: id,
    journey: 'login',
    target: 'ent',
    tenant,
    location: 'local',
    trigger: 'scheduled',
    scheduledAt: at,
    revisionId: null,
    status,
    ...(status === 'down' ? { kind: 'timeout' as const } : {}),
    startedAt: at,
    durationMs: 1200,
    late: false,
    attempts: [],
  };
}
