import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revisionSnapshot } from '../../core/config/revision.js';
import { validateConfig } from '../../core/config/validate.js';
import type { RunResult, RunStatus } from '../../core/run-types.js';
import { createPgliteDb, createStore, type Store } from '../../db/index.js';
import { replayConfig, scheduleId, tenantUai } from '../../cli/__tests__/replay-fixture.js';
import { createEngine, parseJson, type SlaReport } from '../index.js';

/**
 * Locations (DESIGN.md §5): the contract state comes from the reference location; a failure seen only from the
 * establishment's own network while the reference passes — up *or degraded* — is that network's (`error`, kind
 * `local-network`, party establishment-network), shown in the evidence, never counted against the provider.
 */
const t0 = tenantUai(0);
const id = scheduleId('login', t0);
let store: Store;
beforeAll(async () => {
  store = createStore(await createPgliteDb());
  await store.migrate();
  const base = replayConfig({ tenants: 1, journeys: ['login'] }) as { schedules: Record<string, unknown>[] };
  const config = validateConfig({
    ...base,
    locations: [{ id: 'local', kind: 'reference' }, { id: 'lycee-0', kind: 'in-school', uai: t0 }],
    schedules: base.schedules.map((s) => ({ ...s, locations: ['local', 'lycee-0'] })),
  });
  await store.revisions.save(revisionSnapshot(config, {}), new Date('2026-09-30T22:00:00Z'));
  const run = (minute: number, location: string, status: RunStatus): RunResult => {
    const at = new Date(Date.UTC(2026, 9, 5, 6, minute)).toISOString();
    return { scheduleId: id, journey: 'login', target: 'ent', tenant: t0, location, trigger: 'scheduled', scheduledAt: at, revisionId: null, status, ...(status === 'down' ? { kind: 'timeout' as const } : {}), startedAt: at, durationMs: 9000, late: false, attempts: [] };
  };
  await store.runs.insertBatch([
    run(0, 'local', 'degraded'), run(0, 'lycee-0', 'down'), // reference slow but passing, school network failing
    run(5, 'local', 'up'), run(5, 'lycee-0', 'down'),
    run(10, 'local', 'down'), run(10, 'lycee-0', 'down'), // both fail: the provider's
  ]);
});
afterAll(async () => {
  await store?.close();
});

describe('in-school locations', () => {
  it('attributes an in-school failure to the establishment network while the reference is degraded or up', async () => {
    const engine = createEngine(store, { clock: () => new Date('2026-10-05T07:00:00Z') });
    const [series] = await engine.slots({ from: Date.UTC(2026, 9, 5, 6, 0), to: Date.UTC(2026, 9, 5, 6, 15) });
    const slots = series!.slots.map((s) => ({ state: s.state, party: s.party, school: s.byLocation['lycee-0'] }));
    const network = { state: 'error', kind: 'local-network', party: 'establishment-network' };
    expect(slots).toEqual([
      { state: 'degraded', party: undefined, school: network },
      { state: 'up', party: undefined, school: network },
      { state: 'down', party: 'provider', school: { state: 'down', kind: 'timeout', party: 'provider' } },
    ]);
    const report = parseJson<SlaReport>(await engine.slaReport({ contract: 'replay', from: '2026-10-05T08:00', to: '2026-10-05T08:15', clause: 'h24' }));
    // Only the slot where the reference failed counts against the provider; the degraded one counts as up.
    expect(report.clauses[0]!.raw.sums).toMatchObject({ upMinutes: 10, degradedMinutes: 5, downMinutes: 5, downByParty: { provider: 5 } });
    // Beside the contract state: every location-slot ran (adherence 100 %), and what each location saw.
    const clause = report.clauses[0]!;
    expect(clause.schedule).toEqual({ expectedSlots: 6, executedSlots: 6, missedSlots: 0, pausedSlots: 0, adherencePercent: 100 });
    expect(clause.locations).toEqual([
      { id: 'local', kind: 'reference', up: 1, degraded: 1, down: 1, error: 0, localNetwork: 0, missed: 0, paused: 0, maintenance: 0, reachabilityPercent: 66.6667 },
      { id: 'lycee-0', kind: 'in-school', up: 0, degraded: 0, down: 1, error: 0, localNetwork: 2, missed: 0, paused: 0, maintenance: 0, reachabilityPercent: 0 },
    ]);
    expect(clause.reachabilityPercent).toBe(66.6667);
    expect(clause.series[0]!.schedule.executedSlots).toBe(6);
  });

  it('refuses a period that starts after now (its effective end would come before its start)', async () => {
    const engine = createEngine(store, { clock: () => new Date('2026-10-05T07:00:00Z') });
    await expect(engine.slaReport({ contract: 'replay', month: '2027-01' })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('starts in the future (2027-01-01 00:00 +01:00)') });
    await expect(engine.slaReport({ contract: 'replay', month: '2026-10' })).resolves.toBeDefined();
  });

  it('counts a location that did not run as missed in the schedule adherence, not in the contract state', async () => {
    const engine = createEngine(store, { clock: () => new Date('2026-10-05T07:00:00Z') });
    // 06:15 and 06:20 UTC have no run at either location: two slots × two locations missed.
    const report = parseJson<SlaReport>(await engine.slaReport({ contract: 'replay', from: '2026-10-05T08:00', to: '2026-10-05T08:25', clause: 'h24' }));
    const clause = report.clauses[0]!;
    expect(clause.schedule).toMatchObject({ expectedSlots: 10, executedSlots: 6, missedSlots: 4, adherencePercent: 60 });
    expect(clause.locations.map((l) => [l.id, l.missed])).toEqual([['local', 2], ['lycee-0', 2]]);
  });
});
