import { describe, expect, it } from 'vitest';
import { revisionSnapshot } from '../../core/config/revision.js';
import type { RunStatus } from '../../core/run-types.js';
import { alertScenario, scenarioAlerting } from './scenario.js';
import { MIN, oneSeriesConfig, runAt, TENANT } from './one-series.js';

/**
 * Degraded incidents (issue 10 item 1, DESIGN.md §5): K consecutive degraded slots are recorded as a `degraded`
 * incident, told to nobody by default, to the establishment with `alerts.notifyDegraded`; a degraded stretch that
 * turns into an outage ends there and the outage is its own incident.
 */
const at = (hhmm: string) => Date.parse(`2025-11-14T${hhmm}:00Z`);
const ctx = alertScenario();

// 10:00–10:05 slow, 10:05–10:08 down, then up.
const statusAt = (i: number): RunStatus => (i >= 10 && i < 15 ? 'degraded' : i >= 15 && i < 18 ? 'down' : 'up');

async function scenario(notifyDegraded: boolean) {
  const config = oneSeriesConfig({ alerts: { notifyDegraded, smtp: { host: '127.0.0.1', port: ctx.smtp.port, from: 'vigie@region.test' }, groupWait: 0, contacts: { establishments: { [TENANT]: ['cpe@lycee.test'] } } } });
  await ctx.store.revisions.save(revisionSnapshot(config, {}), new Date(at('09:00')));
  await ctx.store.runs.insertBatch(Array.from({ length: 30 }, (_, i) => runAt(at('09:50') + i * MIN, statusAt(i))));
  const clock = { now: at('09:55') };
  const alerting = scenarioAlerting(ctx.store, config, clock);
  for (; clock.now <= at('10:15'); clock.now += 30_000) await alerting.tick();
  await alerting.close();
  return (await ctx.store.alerts.listIncidents()).map((i) => `${i.severity} ${i.outageStart.slice(11, 16)}–${i.resolvedAt?.slice(11, 16)}`);
}

describe('degraded incidents', () => {
  it('are recorded and told to nobody by default; the outage that follows is told as usual', async () => {
    expect(await scenario(false)).toEqual(['degraded 10:00–10:05', 'outage 10:05–10:08']);
    expect(ctx.smtp.received.map((m) => `${m.kind} ${m.subject}`)).toEqual(['down [Vigie] PANNE — Lycée Test (0510100G) — Connexion', 'recovery [Vigie] RÉTABLI — Lycée Test (0510100G) — Connexion']);
  });

  it('with notifyDegraded, the establishment hears of the slowness and of its end', async () => {
    await scenario(true);
    expect(ctx.smtp.received.map((m) => m.subject)).toEqual([
      '[Vigie] LENTEUR — Lycée Test (0510100G) — Connexion',
      '[Vigie] RÉTABLI — LENTEUR — Lycée Test (0510100G) — Connexion',
      '[Vigie] PANNE — Lycée Test (0510100G) — Connexion',
      '[Vigie] RÉTABLI — Lycée Test (0510100G) — Connexion',
    ]);
  });
});
