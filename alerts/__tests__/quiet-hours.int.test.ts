import { describe, expect, it } from 'vitest';
import { revisionSnapshot } from '../../core/config/revision.js';
import type { RunStatus } from '../../core/run-types.js';
import { alertScenario, scenarioAlerting } from './scenario.js';
import { MIN, oneSeriesConfig, runAt, TENANT } from './one-series.js';

/**
 * Quiet hours and digests (issue 10 item 4). Awake Mon–Fri 07:00–19:00 (Paris). Thursday 22:00–22:10 an outage opens
 * and ends while the establishment sleeps: nothing that night, one summary at 07:00. Friday 06:50 another outage
 * begins: told at 07:00 (still on), its recovery at 07:20. The operators' digest of Thursday arrives at 07:30.
 */
const z = (iso: string) => Date.parse(iso);
const ctx = alertScenario();

const down = (t: number): RunStatus => ((t >= z('2025-11-13T21:00:00Z') && t < z('2025-11-13T21:10:00Z')) || (t >= z('2025-11-14T05:50:00Z') && t < z('2025-11-14T06:20:00Z')) ? 'down' : 'up');

describe('quiet hours', () => {
  it('hold notices while the establishment sleeps, summarise what began and ended then, and send the daily digest', async () => {
    const config = oneSeriesConfig({
      timezone: 'Europe/Paris',
      alerts: {
        smtp: { host: '127.0.0.1', port: ctx.smtp.port, from: 'vigie@region.test' },
        groupWait: 0,
        contacts: { establishments: { [TENANT]: ['cpe@lycee.test'] }, operators: ['ops@region.test'] },
        quietHours: { awake: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '07:00', to: '19:00' }] },
        digest: { at: '07:30' },
      },
    });
    await ctx.store.revisions.save(revisionSnapshot(config, {}), new Date(z('2025-11-13T20:00:00Z')));
    const runs = [];
    for (let t = z('2025-11-13T20:50:00Z'); t < z('2025-11-14T06:40:00Z'); t += MIN) runs.push(runAt(t, down(t)));
    await ctx.store.runs.insertBatch(runs);
    const clock = { now: 0 };
    const alerting = scenarioAlerting(ctx.store, config, clock);
    const sentAt = new Map<string, number>();
    const tickBetween = async (from: string, to: string) => {
      for (clock.now = z(from); clock.now <= z(to); clock.now += 30_000) {
        await alerting.tick();
        for (const m of ctx.smtp.received) if (!sentAt.has(m.messageId)) sentAt.set(m.messageId, clock.now);
      }
    };
    await tickBetween('2025-11-13T20:55:00Z', '2025-11-13T21:20:00Z');
    // 22:00–22:10 local: the establishment sleeps; the operators get Wednesday's digest (due since 07:30, not sent yet).
    expect(ctx.smtp.received.map((m) => `${m.to.join(',')} ${m.subject}`)).toEqual(['ops@region.test [Vigie] BILAN DU 2025-11-12 — 0 incident']);
    expect(ctx.smtp.received[0]!.text).toContain('Aucun incident le 2025-11-12.');
    ctx.smtp.received.length = 0;
    await tickBetween('2025-11-14T05:45:00Z', '2025-11-14T06:35:00Z');
    await alerting.close();

    const got = ctx.smtp.received.map((m) => `${new Date(sentAt.get(m.messageId)!).toISOString().slice(11, 16)} ${m.to.join(',')} ${m.subject}`);
    expect(got).toEqual([
      `06:00 cpe@lycee.test [Vigie] PANNE — Lycée Test (${TENANT}) — Connexion`,
      '06:01 cpe@lycee.test [Vigie] RÉCAPITULATIF — 1 incident pendant les heures calmes',
      `06:20 cpe@lycee.test [Vigie] RÉTABLI — Lycée Test (${TENANT}) — Connexion`,
      '06:30 ops@region.test [Vigie] BILAN DU 2025-11-13 — 1 incident',
    ]);
    expect(ctx.smtp.received[1]!.text).toContain('Lycée Test (0510100G) — Connexion — panne : 2025-11-13 22:00 +01:00 → 2025-11-13 22:10 +01:00 (10 min)');
    expect(ctx.smtp.received[3]!.text).toContain('2025-11-13 22:00 +01:00');
    const [night] = await ctx.store.alerts.listIncidents({ tenant: TENANT });
    expect((await ctx.store.alerts.listNotices({ incidentId: night!.id })).map((n) => `${n.kind} ${n.status}`)).toEqual(['down digest', 'recovery digest']);
  });
});
