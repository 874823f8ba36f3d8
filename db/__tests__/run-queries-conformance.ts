import { describe, expect, it } from 'vitest';
import { isVigieError } from '../../core/errors.js';
import type { RunResult } from '../../core/run-types.js';
import type { Store } from '../store.js';
import { makeRun, unique } from './run-fixture.js';

/** listRuns / lastRunPerJourneyTenant part of the conformance suite (store-conformance.ts). */
export function describeRunQueries(ctx: { store: Store }): void {
  const minute = (m: number) => new Date(Date.UTC(2025, 10, 14, 13, m)).toISOString();

  async function insertAll(runs: RunResult[]): Promise<number[]> {
    const ids: number[] = [];
    for (const run of runs) {
      const out = await ctx.store.runs.insert(run);
      expect(out.inserted).toBe(true);
      ids.push(out.id!);
    }
    return ids;
  }

  describe('listRuns', () => {
    it('pages newest first with a cursor until the last page', async () => {
      const scheduleId = unique('page');
      await insertAll([0, 1, 2, 3, 4, 5, 6].map((m) => makeRun({ scheduleId, scheduledAt: minute(m), attempts: [] })));
      const seen: string[] = [];
      let cursor: string | undefined;
      const sizes: number[] = [];
      for (let page = 0; page < 5; page++) {
        const res = await ctx.store.runs.list({ schedule: scheduleId, limit: 3, cursor });
        sizes.push(res.runs.length);
        seen.push(...res.runs.map((r) => r.scheduledAt));
        if (!res.nextCursor) break;
        cursor = res.nextCursor;
      }
      expect(sizes).toEqual([3, 3, 1]);
      expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0].map(minute));
    });

    it('breaks ties on the same scheduledAt by id', async () => {
      const scheduleId = unique('tie');
      const ids = await insertAll([1, 2, 3].map(() => makeRun({ scheduleId, trigger: 'manual', attempts: [] })));
      const first = await ctx.store.runs.list({ schedule: scheduleId, limit: 2 });
      const second = await ctx.store.runs.list({ schedule: scheduleId, limit: 2, cursor: first.nextCursor! });
      expect([...first.runs, ...second.runs].map((r) => r.id)).toEqual([...ids].reverse());
      expect(second.nextCursor).toBeNull();
    });

    it('returns 50 runs by default', async () => {
      const scheduleId = unique('default');
      const runs = Array.from({ length: 51 }, (_, i) =>
        makeRun({ scheduleId, scheduledAt: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(), attempts: [] }),
      );
      await insertAll(runs);
      const page = await ctx.store.runs.list({ schedule: scheduleId });
      expect(page.runs).toHaveLength(50);
      expect(page.nextCursor).not.toBeNull();
    });

    it('filters on each field, from inclusive and to exclusive', async () => {
      const tenant = unique('T');
      const journey = unique('journey');
      const base = { tenant, journey, attempts: [] };
      const [a, b, c, d, e] = await insertAll([
        makeRun({ ...base, scheduleId: 's1', scheduledAt: minute(0), status: 'up' }),
        makeRun({ ...base, scheduleId: 's1', scheduledAt: minute(5), status: 'down', kind: 'http' }),
        makeRun({ ...base, scheduleId: 's1', scheduledAt: minute(5), location: 'lycee-1', status: 'degraded' }),
        makeRun({ ...base, scheduleId: 's2', scheduledAt: minute(10), status: 'error', trigger: 'manual' }),
        makeRun({ ...base, scheduleId: 's2', scheduledAt: minute(15), journey: 'other', status: 'up' }),
      ]);
      const ids = async (filter: Parameters<Store['runs']['list']>[0]) =>
        (await ctx.store.runs.list({ tenant, ...filter })).runs.map((r) => r.id).sort((x, y) => x - y);
      expect(await ids({})).toEqual([a, b, c, d, e]);
      expect(await ids({ journey })).toEqual([a, b, c, d]);
      expect(await ids({ schedule: 's2' })).toEqual([d, e]);
      expect(await ids({ location: 'lycee-1' })).toEqual([c]);
      expect(await ids({ status: 'down' })).toEqual([b]);
      expect(await ids({ trigger: 'manual' })).toEqual([d]);
      expect(await ids({ from: new Date(minute(5)), to: new Date(minute(10)) })).toEqual([b, c]);
      expect(await ids({ tenant: unique('nobody') })).toEqual([]);
      const [row] = (await ctx.store.runs.list({ tenant, status: 'down' })).runs;
      expect(row).toMatchObject({ kind: 'http', reason: null, journey, tenant, location: 'local', late: false });
    });

    it('refuses a limit out of 1–500 and a cursor it did not make', async () => {
      for (const limit of [0, 501, 2.5]) {
        expect(isVigieError(await ctx.store.runs.list({ limit }).catch((e: unknown) => e), 'VALIDATION')).toBe(true);
      }
      expect((await ctx.store.runs.list({ limit: 500, tenant: unique('none') })).runs).toEqual([]);
      const bad = await ctx.store.runs.list({ cursor: 'not-a-cursor' }).catch((e: unknown) => e);
      expect(isVigieError(bad, 'VALIDATION')).toBe(true);
    });
  });

  describe('lastRunPerJourneyTenant', () => {
    it('gives the latest run of each journey and tenant', async () => {
      const journey = unique('last');
      const [, newestA, , newestB] = await insertAll([
        makeRun({ journey, scheduleId: unique('s'), tenant: 'A', scheduledAt: minute(0), attempts: [] }),
        makeRun({ journey, scheduleId: unique('s'), tenant: 'A', scheduledAt: minute(9), status: 'down', attempts: [] }),
        makeRun({ journey, scheduleId: unique('s'), tenant: 'B', scheduledAt: minute(1), attempts: [] }),
        makeRun({ journey, scheduleId: unique('s'), tenant: 'B', scheduledAt: minute(3), attempts: [] }),
      ]);
      const last = (await ctx.store.runs.lastPerJourneyTenant()).filter((r) => r.journey === journey);
      expect(last.map((r) => [r.tenant, r.id, r.status, r.scheduledAt])).toEqual([
        ['A', newestA, 'down', minute(9)],
        ['B', newestB, 'up', minute(3)],
      ]);
    });
  });
}
