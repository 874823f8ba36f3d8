import { describe, expect, it } from 'vitest';
import type { Store } from '../store.js';
import { windowKey } from '../sla-queries.js';
import { makeRun, unique } from './run-fixture.js';

/** SLA storage part of the conformance suite (store-conformance.ts): calendars, corrections, incidents, audit, SLA reads, batch import. */
export function describeSlaStorage(ctx: { store: Store }): void {
  const at = (d: number, h = 0, m = 0) => new Date(Date.UTC(2026, 9, d, h, m));
  const calendar = { holidays: [{ name: 'Vacances de la Toussaint', firstDay: '2026-10-17', endDay: '2026-11-02', schoolYear: '2026-2027', zone: 'Zone B' }], covered: [{ from: '2026-09-01', to: '2027-07-04' }] };

  describe('SLA storage', () => {
    it('imports a school calendar once per location and content (re-import inserts nothing)', async () => {
      const zone = unique('Zone Test');
      const first = await ctx.store.calendars.import({ location: zone, source: 'Zone-T.ics', calendar, at: at(1), actor: 'ops' });
      expect(first.inserted).toBe(true);
      expect(first.calendar.location).toBe(zone.replace(/^Zone /, '').toUpperCase());
      const again = await ctx.store.calendars.import({ location: zone, source: 'other-name.ics', calendar, at: at(2), actor: 'ops' });
      expect(again).toMatchObject({ inserted: false, calendar: { id: first.calendar.id, source: 'Zone-T.ics' } });
      const list = await ctx.store.calendars.list(zone);
      expect(list).toHaveLength(1);
      expect(list[0]?.calendar).toEqual(calendar);
      expect(list[0]?.importedAt).toBe(at(1).toISOString());
    });

    it('adds, lists and withdraws corrections without deleting anything, each with an audit entry', async () => {
      const author = unique('auteur');
      const c = await ctx.store.corrections.add({ start: at(5, 8), end: at(5, 9), scope: { tenants: ['0510001A'] }, reason: 'panne EduConnect non détectée', author, at: at(6) });
      expect(c).toMatchObject({ start: at(5, 8).toISOString(), end: at(5, 9).toISOString(), scope: { tenants: ['0510001A'] }, author, withdrawnAt: null });
      const w = await ctx.store.corrections.withdraw(c.id, { author, reason: 'erreur', at: at(7) });
      expect(w).toMatchObject({ id: c.id, withdrawnAt: at(7).toISOString(), withdrawnBy: author, withdrawalReason: 'erreur' });
      await expect(ctx.store.corrections.withdraw(c.id, { author, at: at(8) })).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(ctx.store.corrections.withdraw(987654321, { author, at: at(8) })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const listed = (await ctx.store.corrections.list({ from: at(5), to: at(6) })).filter((x) => x.author === author);
      expect(listed.map((x) => x.id)).toEqual([c.id]);
      expect(await ctx.store.corrections.list({ from: at(5, 9), to: at(6) }).then((l) => l.filter((x) => x.author === author))).toEqual([]);
      const audit = await ctx.store.audit.list({ actor: author });
      expect(audit.map((a) => a.action)).toEqual(['correction.withdraw', 'correction.add']);
      expect(audit[1]?.subject).toBe(`correction:${c.id}`);
      expect((await ctx.store.audit.list({ actor: author, action: 'correction.' })).length).toBe(2);
      expect((await ctx.store.audit.list({ actor: author, action: 'correction.add' })).length).toBe(1);
    });

    it('refuses a correction with an empty reason or an end before its start', async () => {
      await expect(ctx.store.corrections.add({ start: at(5), end: at(4), reason: 'x', author: 'a', at: at(6) })).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(ctx.store.corrections.add({ start: at(4), end: at(5), reason: ' ', author: 'a', at: at(6) })).rejects.toMatchObject({ code: 'VALIDATION' });
    });

    it('records manual incidents, open ones overlapping everything after their start', async () => {
      const author = unique('auteur');
      const closed = await ctx.store.incidents.add({ start: at(10, 8), end: at(10, 10), description: 'lenteurs signalées', author, at: at(10, 11) });
      const open = await ctx.store.incidents.add({ start: at(12, 8), scope: { journeys: ['login'] }, description: 'connexion impossible', author, at: at(12, 9) });
      expect(open.end).toBeNull();
      const mine = async (from: Date, to: Date) => (await ctx.store.incidents.list({ from, to })).filter((i) => i.author === author).map((i) => i.id);
      expect(await mine(at(10), at(11))).toEqual([closed.id]);
      expect(await mine(at(20), at(21))).toEqual([open.id]);
      expect((await ctx.store.audit.list({ actor: author })).map((a) => a.action)).toEqual(['incident.add', 'incident.add']);
    });

    it('reads back every status and failure kind, at every location, of several schedules at once', async () => {
      const { FAILURE_KINDS } = await import('../../core/run-types.js');
      const [a, b] = [unique('sla-kinds-a'), unique('sla-kinds-b')];
      const statuses = ['up', 'degraded', 'down', 'error'] as const;
      const runs = FAILURE_KINDS.map((kind, i) => {
        const t = at(5, 10, i).toISOString();
        return makeRun({ scheduleId: i % 2 ? a : b, location: i % 3 ? 'local' : 'lycee-1', scheduledAt: t, startedAt: t, status: statuses[i % 4]!, kind, durationMs: 100 + i, attempts: [] });
      });
      runs.push(makeRun({ scheduleId: a, scheduledAt: at(5, 11).toISOString(), startedAt: at(5, 11).toISOString(), status: 'up', durationMs: 7, attempts: [] }));
      await ctx.store.runs.insertBatch(runs);
      const read = await ctx.store.runs.listScheduled([a, b], at(5), at(6));
      const key = (r: { scheduleId: string; scheduledAt: number }) => `${r.scheduleId} ${r.scheduledAt}`;
      expect([...read].sort((x, y) => key(x).localeCompare(key(y)))).toEqual(
        runs.map((r) => ({ scheduleId: r.scheduleId, location: r.location, scheduledAt: Date.parse(r.scheduledAt), status: r.status, ...(r.kind ? { kind: r.kind } : {}), durationMs: r.durationMs })).sort((x, y) => key(x).localeCompare(key(y))),
      );
    });

    it('reads scheduled runs of a period (manual runs excluded) and batch-inserts idempotently', async () => {
      const schedule = unique('sla-sched');
      const runs = [0, 5, 10].map((m) => makeRun({ scheduleId: schedule, scheduledAt: at(3, 12, m).toISOString(), startedAt: at(3, 12, m).toISOString(), status: m === 5 ? 'down' : 'up', kind: m === 5 ? 'timeout' : undefined }));
      const manual = makeRun({ scheduleId: schedule, trigger: 'manual', scheduledAt: at(3, 12, 7).toISOString(), attempts: [] });
      expect(await ctx.store.runs.insertBatch([...runs, runs[0]!, manual])).toEqual({ inserted: 4, duplicates: 1 }); // runs[0]: one of the three above
      expect(await ctx.store.runs.insertBatch(runs)).toEqual({ inserted: 0, duplicates: 3 });
      const read = await ctx.store.runs.listScheduled([schedule], at(3, 12, 5), at(3, 12, 10));
      expect(read).toEqual([{ scheduleId: schedule, location: 'local', scheduledAt: at(3, 12, 5).getTime(), status: 'down', kind: 'timeout', durationMs: 1235 }]);
      // Steps of passing runs only (the down run at 12:05 is left out), for latency objectives.
      const steps = await ctx.store.runs.listPassingSteps([schedule], ['landing'], at(3), at(4));
      expect(steps.map((x) => [x.scheduledAt, x.name, x.durationMs])).toEqual([
        [at(3, 12, 0).getTime(), 'landing', 400],
        [at(3, 12, 10).getTime(), 'landing', 400],
      ]);
      expect((await ctx.store.runs.listScheduled([schedule], at(3), at(4))).length).toBe(3);
      const page = await ctx.store.runs.list({ schedule, trigger: 'scheduled' });
      const detail = await ctx.store.runs.get(page.runs[0]!.id);
      expect(detail?.attempts[0]?.steps.length).toBe(4);
    });

    it('finds revisions in force, first-seen tenants and window announcement times', async () => {
      const uai = unique('T');
      const windowA = { kind: 'one-off', id: 'migr', mode: 'pause', start: '2026-10-24T20:00', duration: 21600 };
      const contract = unique('contract');
      const snap = (extra: object) => ({ tenants: [{ uai, name: 'x' }], schedules: [], contracts: [{ id: contract, maintenance: [windowA], ...extra }] });
      // Far-future dates so other tests' revisions do not interleave.
      const t1 = new Date(Date.UTC(2090, 0, 1));
      const t2 = new Date(Date.UTC(2090, 0, 15));
      const r1 = await ctx.store.revisions.save(snap({}), t1);
      const r2 = await ctx.store.revisions.save(snap({ name: 'v2' }), t2);
      const inForce = await ctx.store.revisions.listInForce(new Date(Date.UTC(2090, 0, 10)), new Date(Date.UTC(2090, 1, 1)));
      expect(inForce.map((r) => r.id)).toEqual([r1.id, r2.id]);
      expect((await ctx.store.revisions.listInForce(new Date(Date.UTC(2090, 0, 20)), new Date(Date.UTC(2090, 1, 1)))).map((r) => r.id)).toEqual([r2.id]);
      const seen = await ctx.store.revisions.firstSeenTimes();
      expect(seen.tenants.get(uai)).toBe(t1.getTime());
      // Same window, keys in another order: same announcement.
      const reordered = { duration: 21600, start: '2026-10-24T20:00', mode: 'pause', id: 'migr', kind: 'one-off' };
      expect(seen.windows.get(windowKey(contract, reordered))).toBe(t1.getTime());
      expect((await ctx.store.revisions.latest(new Date(Date.UTC(2090, 0, 10))))?.id).toBe(r1.id);
    });
  });
}
