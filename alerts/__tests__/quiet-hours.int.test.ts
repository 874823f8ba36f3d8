import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { revisionSnapshot } from '../../core/config/revision.js';
import type { RunStatus } from '../../core/run-types.js';
import type { Store } from '../../db/index.js';
import { closeSharedPglite, freshPgliteStore } from '../../db/__tests__/shared-pglite.js';
import { createEngine } from '../../engine/index.js';
import { startAlerting } from '../service.js';
import { startSmtp } from './smtp.js';
import { MIN, oneSeriesConfig, runAt, TENANT } from './one-series.js';

/**
 * Quiet hours and digests (issue 10 item 4). Awake Mon–Fri 07:00–19:00 (Paris). Thursday 22:00–22:10 an outage opens
 * and ends while the establishment sleeps: nothing that night, one summary at 07:00. Friday 06:50 another outage
 * begins: told at 07:00 (still on), its recovery at 07:20. The operators' digest of Thursday arrives at 07:30.
 */
const z = (iso: string) => Date.parse(iso);
let store: Store;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
beforeEach(async () => {
  store = await freshPgliteStore();
  smtp = await startSmtp();
});
afterEach(() => smtp.close());
afterAll(closeSharedPglite);

const down = (t: number): RunStatus => ((t >= z('2025-11-13T21:00:00Z') && t < z('2025-11-13T21:10:00Z')) || (t >= z('2025-11-14T05:50:00Z') && t < z('2025-11-14T06:20:00Z')) ? 'down' : 'up');

describe('quiet hours', () => {
  it('hold notices while the establishment sleeps, summarise what began and ended then, and send the daily digest', async () => {
    const config = oneSeriesConfig({
      timezone: 'Europe/Paris',
      alerts: {
        smtp: { host: '127.0.0.1', port: smtp.port, from: 'vigie@region.test' },
        groupWait: 0,
        contacts: { establishments: { [TENANT]: ['cpe@lycee.test'] }, operators: ['ops@region.test'] },
        quietHours: { awake: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '07:00', to: '19:00' }] },
        digest: { at: '07:30' },
      },
    });
    await store.revisions.save(revisionSnapshot(config, {}), new Date(z('2025-11-13T20:00:00Z')));
    const runs = [];
    for (let t = z('2025-11-13T20:50:00Z'); t < z('2025-11-14T06:40:00Z'); t += MIN) runs.push(runAt(t, down(t)));
    await store.runs.insertBatch(runs);
    const clock = { now: 0 };
    const engine = createEngine(store, { clock: () => new Date(clock.now) });
    const alerting = startAlerting({ config: config as typeof config & { alerts: NonNullable<typeof config.alerts> }, repo: store.alerts, slots: (r) => engine.slots(r), secrets: { webhooks: new Map() }, logger: pino({ level: 'silent' }), clock: () => clock.now });
    const sentAt = new Map<string, number>();
    const tickBetween = async (from: string, to: string) => {
      for (clock.now = z(from); clock.now <= z(to); clock.now += 30_000) {
        await alerting.tick();
        for (const m of smtp.received) if (!sentAt.has(m.messageId)) sentAt.set(m.messageId, clock.now);
      }
    };
    await tickBetween('2025-11-13T20:55:00Z', '2025-11-13T21:20:00Z');
    // 22:00–22:10 local: the establishment sleeps; the operators get Wednesday's digest (due since 07:30, not sent yet).
    expect(smtp.received.map((m) => `${m.to.join(',')} ${m.subject}`)).toEqual(['ops@region.test [Vigie] BILAN DU 2025-11-12 — 0 incident']);
    expect(smtp.received[0]!.text).toContain('Aucun incident le 2025-11-12.');
    smtp.received.length = 0;
    await tickBetween('2025-11-14T05:45:00Z', '2025-11-14T06:35:00Z');
    await alerting.close();

    const got = smtp.received.map((m) => `${new Date(sentAt.get(m.messageId)!).toISOString().slice(11, 16)} ${m.to.join(',')} ${m.subject}`);
    expect(got).toEqual([
      `06:00 cpe@lycee.test [Vigie] PANNE — Lycée Test (${TENANT}) — Connexion`,
      '06:01 cpe@lycee.test [Vigie] RÉCAPITULATIF — 1 incident pendant les heures calmes',
      `06:20 cpe@lycee.test [Vigie] RÉTABLI — Lycée Test (${TENANT}) — Connexion`,
      '06:30 ops@region.test [Vigie] BILAN DU 2025-11-13 — 1 incident',
    ]);
    expect(smtp.received[1]!.text).toContain('Lycée Test (0510100G) — Connexion — panne : 2025-11-13 22:00 +01:00 → 2025-11-13 22:10 +01:00 (10 min)');
    expect(smtp.received[3]!.text).toContain('2025-11-13 22:00 +01:00');
    const [night] = await store.alerts.listIncidents({ tenant: TENANT });
    expect((await store.alerts.listNotices({ incidentId: night!.id })).map((n) => `${n.kind} ${n.status}`)).toEqual(['down digest', 'recovery digest']);
  });
});
