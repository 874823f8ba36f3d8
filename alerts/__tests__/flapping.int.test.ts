import { describe, expect, it } from 'vitest';
import { revisionSnapshot } from '../../core/config/revision.js';
import type { RunStatus } from '../../core/run-types.js';
import { alertScenario, scenarioAlerting } from './scenario.js';
import { MIN, oneSeriesConfig, runAt, TENANT } from './one-series.js';

/**
 * Flapping (issue 10 item 1): 4 state changes within 10 slots make the series "instable": one INSTABLE message, the
 * outages that follow are recorded for nobody, then STABLE; an outage still going on when the flapping ends is told
 * then (DOWN), and its recovery after.
 */
const at = (hhmm: string) => Date.parse(`2025-11-14T${hhmm}:00Z`);
const ctx = alertScenario();

// From 10:00: d d u d d u | d d u | d … d (10:09–10:29) | u.
const pattern = 'ddudduddu' + 'd'.repeat(21);
const statusAt = (t: number): RunStatus => {
  const i = (t - at('10:00')) / MIN;
  return i < 0 || i >= pattern.length ? 'up' : pattern[i] === 'd' ? 'down' : 'up';
};

describe('flapping', () => {
  it('one INSTABLE and one STABLE instead of a message per outage; an outage open at the end is told then', async () => {
    const config = oneSeriesConfig({ alerts: { flapping: { changes: 4, slots: 10 }, smtp: { host: '127.0.0.1', port: ctx.smtp.port, from: 'vigie@region.test' }, groupWait: 0, contacts: { establishments: { [TENANT]: ['cpe@lycee.test'] } } } });
    await ctx.store.revisions.save(revisionSnapshot(config, {}), new Date(at('09:00')));
    await ctx.store.runs.insertBatch(Array.from({ length: 50 }, (_, i) => runAt(at('09:50') + i * MIN, statusAt(at('09:50') + i * MIN))));
    const clock = { now: at('09:55') };
    const alerting = scenarioAlerting(ctx.store, config, clock);
    for (; clock.now <= at('10:35'); clock.now += 30_000) await alerting.tick();
    await alerting.close();

    expect(ctx.smtp.received.map((m) => m.subject.replace(` — Lycée Test (${TENANT}) — Connexion`, ''))).toEqual([
      '[Vigie] PANNE', // 10:00–10:02
      '[Vigie] RÉTABLI',
      '[Vigie] PANNE', // 10:03–10:05
      '[Vigie] RÉTABLI',
      '[Vigie] INSTABLE', // the 4th change, at 10:05
      '[Vigie] STABLE', // 10:17: one change left in the last 10 slots
      '[Vigie] PANNE', // the outage since 10:09, untold while flapping
      '[Vigie] RÉTABLI',
    ]);
    expect(ctx.smtp.received[4]!.text).toContain("4 changements d'état sur les 10 derniers créneaux");
    // Dated from the slots (the config's zone is UTC here): down since 10:09, although told at 10:17.
    expect(ctx.smtp.received[6]!.text).toContain('est en panne depuis 2025-11-14 10:09 +00:00');
    const incidents = (await ctx.store.alerts.listIncidents()).map((i) => `${i.severity} ${i.outageStart.slice(11, 16)}–${i.resolvedAt?.slice(11, 16)}`);
    expect(incidents).toEqual(['outage 10:00–10:02', 'outage 10:03–10:05', 'flapping 10:05–10:17', 'outage 10:06–10:08', 'outage 10:09–10:30']);
  });
});
