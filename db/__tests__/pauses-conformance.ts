import { describe, expect, it } from 'vitest';
import type { Store } from '../store.js';
import { unique } from './run-fixture.js';

/** Schedule pauses part of the conformance suite (store-conformance.ts). */
export function describePauses(ctx: { store: Store }): void {
  const at = (h: number, m = 0) => new Date(Date.UTC(2025, 10, 14, h, m));

  describe('schedule pauses', () => {
    it('pauses, refuses a second pause, resumes, and keeps the history', async () => {
      const id = unique('pause');
      const p = await ctx.store.pauses.pause(id, at(0, 35), 'ops@region', 'maintenance prestataire');
      expect(p).toMatchObject({ scheduleId: id, pausedAt: at(0, 35).toISOString(), resumedAt: null, author: 'ops@region' });
      await expect(ctx.store.pauses.pause(id, at(1), 'ops@region')).rejects.toMatchObject({ code: 'CONFLICT' });
      const r = await ctx.store.pauses.resume(id, at(18, 44), 'astreinte');
      expect(r).toMatchObject({ resumedAt: at(18, 44).toISOString(), resumedBy: 'astreinte', author: 'ops@region' });
      await expect(ctx.store.pauses.resume(id, at(19), 'x')).rejects.toMatchObject({ code: 'CONFLICT' });
      await ctx.store.pauses.pause(id, at(20), 'ops@region');
      const all = await ctx.store.pauses.list({ scheduleId: id });
      expect(all.map((x) => [x.pausedAt, x.resumedAt])).toEqual([
        [at(0, 35).toISOString(), at(18, 44).toISOString()],
        [at(20).toISOString(), null],
      ]);
    });

    it('records pause and resume in the audit trail', async () => {
      const id = unique('pause');
      await ctx.store.pauses.pause(id, at(7), 'ops@region', 'migration');
      await ctx.store.pauses.resume(id, at(8), 'astreinte');
      const entries = (await ctx.store.audit.list({ from: at(7), to: at(9) })).filter((e) => e.subject === `schedule:${id}`);
      expect(entries.map((e) => [e.action, e.actor, e.at]).sort()).toEqual([
        ['schedule.pause', 'ops@region', at(7).toISOString()],
        ['schedule.resume', 'astreinte', at(8).toISOString()],
      ]);
      expect(entries.find((e) => e.action === 'schedule.pause')!.details).toMatchObject({ reason: 'migration' });
    });

    it('lists pauses overlapping a period, open ones included', async () => {
      const id = unique('pause');
      await ctx.store.pauses.pause(id, at(1), 'a');
      await ctx.store.pauses.resume(id, at(2), 'a');
      await ctx.store.pauses.pause(id, at(5), 'a');
      expect(await ctx.store.pauses.list({ scheduleId: id, from: at(2), to: at(5) })).toEqual([]);
      expect((await ctx.store.pauses.list({ scheduleId: id, from: at(1, 30), to: at(3) })).length).toBe(1);
      expect((await ctx.store.pauses.list({ scheduleId: id, from: at(10), to: at(11) }))[0]?.pausedAt).toBe(at(5).toISOString());
    });

    it('refuses a resume before the pause and an empty author', async () => {
      const id = unique('pause');
      await expect(ctx.store.pauses.pause(id, at(3), ' ')).rejects.toMatchObject({ code: 'VALIDATION' });
      await ctx.store.pauses.pause(id, at(3), 'a');
      await expect(ctx.store.pauses.resume(id, at(2), 'a')).rejects.toMatchObject({ code: 'CONFLICT' });
    });
  });
}
