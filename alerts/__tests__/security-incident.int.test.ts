import { describe, expect, it } from 'vitest';
import { revisionSnapshot } from '../../core/config/revision.js';
import type { RunResult } from '../../core/run-types.js';
import { alertScenario, scenarioAlerting } from './scenario.js';
import { MIN, oneSeriesConfig, TENANT } from './one-series.js';

/**
 * A logout that leaves the SSO session alive (runs `down`, kind `security`) opens a `security` incident (issue 10
 * items 1 and 4): its establishment and the security contacts are told, with a security subject, and of its end.
 */
const at = (hhmm: string) => Date.parse(`2025-11-14T${hhmm}:00Z`);
const ctx = alertScenario();

function logoutRun(t: number, down: boolean): RunResult {
  const iso = new Date(t).toISOString();
  return { scheduleId: 'logout-lycee', journey: 'logout', target: 'ent', tenant: TENANT, location: 'local', trigger: 'scheduled', scheduledAt: iso, revisionId: null, status: down ? 'down' : 'up', ...(down ? { kind: 'security' as const } : {}), startedAt: iso, durationMs: 900, late: false, attempts: [] };
}

describe('security incidents', () => {
  it('go to the establishment and the security contacts, once each, down then recovery', async () => {
    const config = oneSeriesConfig({
      journeys: { logout: { timeout: '45s' } },
      schedules: [{ id: 'logout-lycee', journey: 'logout', tenant: TENANT, persona: 'prof', every: '1m' }],
      alerts: { smtp: { host: '127.0.0.1', port: ctx.smtp.port, from: 'vigie@region.test' }, groupWait: 0, contacts: { establishments: { [TENANT]: ['cpe@lycee.test'] }, operators: ['ops@region.test'], security: ['rssi@region.test'] } },
    });
    await ctx.store.revisions.save(revisionSnapshot(config, {}), new Date(at('09:00')));
    await ctx.store.runs.insertBatch(Array.from({ length: 40 }, (_, i) => logoutRun(at('09:50') + i * MIN, i >= 10 && i < 20)));
    const clock = { now: at('09:55') };
    const alerting = scenarioAlerting(ctx.store, config, clock);
    for (; clock.now <= at('10:25'); clock.now += 30_000) await alerting.tick();
    await alerting.close();

    expect(ctx.smtp.received.map((m) => `${m.kind} ${m.to.join(',')} ${m.subject}`).sort()).toEqual([
      'down cpe@lycee.test [Vigie] SÉCURITÉ — Lycée Test (0510100G) — Déconnexion',
      'down rssi@region.test [Vigie] SÉCURITÉ — Lycée Test (0510100G) — Déconnexion',
      'recovery cpe@lycee.test [Vigie] RÉTABLI — SÉCURITÉ — Lycée Test (0510100G) — Déconnexion',
      'recovery rssi@region.test [Vigie] RÉTABLI — SÉCURITÉ — Lycée Test (0510100G) — Déconnexion',
    ]);
    expect(ctx.smtp.received[0]!.text).toContain("laisse la session du fournisseur d'identité ouverte");
    const [incident] = await ctx.store.alerts.listIncidents();
    expect(incident).toMatchObject({ severity: 'security', outageStart: new Date(at('10:00')).toISOString(), resolvedAt: new Date(at('10:10')).toISOString() });
  });
});
