import { beforeEach, describe, expect, it } from 'vitest';
import { revisionSnapshot } from '../../core/config/revision.js';
import { validateConfig } from '../../core/config/validate.js';
import { CRASH_REASON, type AttemptResult, type RunResult } from '../../core/run-types.js';
import type { Store } from '../../db/index.js';
import { createEngine, parseJson, type StatusRow } from '../../engine/index.js';
import { createEmailSender } from '../email.js';
import { deliverDue } from '../outbox.js';
import { createWatchdog } from '../watchdog.js';
import { alertScenario } from './scenario.js';
import { incidentLines } from '../../cli/incidents-cmd.js';

/**
 * Field scenario F21 (issue 10 item 6 and acceptance): the freshness watchdog at the scenario's own times (injected
 * clock) over a real store, e-mails counted as distinct Message-IDs received by a real SMTP server. A "restart" is a
 * new engine and watchdog over the same store: nothing of the deadline lives in the process.
 */
const OPERATOR = 'exploitation@region.test';
const MIN = 60_000;
const z = (iso: string) => Date.parse(iso);

const ctx = alertScenario();
let store: Store;
let smtp: typeof ctx.smtp;
beforeEach(() => void ({ store, smtp } = ctx));

const base = {
  timezone: 'Europe/Paris',
  targets: [{ id: 'ent', name: 'ENT', profile: 'sandbox', ssoUrl: 'http://sso.localhost:7080' }],
  tenants: [{ uai: '0510100G', name: 'Lycée Test', target: 'ent', entUrl: 'http://lycee.localhost:7080', academie: 'Reims', departement: '51', zone: 'B' }],
  personas: [{ id: 'prof', role: 'teacher', username: 'prof', password: { env: 'X' } }],
};

function run(scheduleId: string, journey: string, location: string, t: number): RunResult {
  const iso = new Date(t).toISOString();
  return { scheduleId, journey, target: 'ent', tenant: '0510100G', location, trigger: 'scheduled', scheduledAt: iso, revisionId: null, status: 'up', startedAt: iso, durationMs: 900, late: false, attempts: [] };
}

/** A Vigie process's watchdog and outbox at `clock.now`; a new one is a restart. */
function vigie(clock: { now: number }) {
  const engine = createEngine(store, { clock: () => new Date(clock.now) });
  const watchdog = createWatchdog({
    status: async () => parseJson(await engine.status({ fresh: true })),
    crashes: (from, to) => store.alerts.browserCrashes(from, to),
    repo: store.alerts,
    operators: [{ channel: 'email', to: OPERATOR }],
    domain: 'vigie.test',
  });
  const email = createEmailSender({ host: '127.0.0.1', port: smtp.port, from: 'vigie@region.test' }, { zone: 'Europe/Paris', tenantName: () => 'Lycée Test' });
  return {
    engine,
    async tick() {
      await watchdog.evaluate();
      await deliverDue(store.alerts, email.send, new Date(clock.now));
    },
    close: () => email.close(),
  };
}

describe('F21 (a): a daily probe that stops reporting', () => {
  it('is STALE at 09:00 CEST the next day within one tick, one e-mail, restarts do not move the deadline, its slot MISSED', async () => {
    const config = validateConfig({
      ...base,
      schedules: [{ id: 'daily-login', journey: 'login', tenant: '0510100G', persona: 'prof', cron: '0 8 * * *', interval: '1d', grace: '1h' }],
    });
    await store.revisions.save(revisionSnapshot(config, {}), new Date(z('2025-05-30T12:00:00Z')));
    await store.runs.insertBatch([run('daily-login', 'login', 'local', z('2025-05-31T06:00:00Z')), run('daily-login', 'login', 'local', z('2025-06-01T06:00:00Z'))]);

    const clock = { now: z('2025-06-01T06:30:00Z') };
    let v = vigie(clock);
    const restarts = [z('2025-06-01T18:00:00Z'), z('2025-06-02T06:00:00Z')]; // 20:00 and 08:00 CEST
    const staleAt: number[] = [];
    let firstStale: StatusRow | undefined;
    // Ticks every 15 s around the deadline, every 10 min elsewhere (the deadline is computed, not a timer).
    while (clock.now <= z('2025-06-02T08:00:00Z')) {
      if (restarts.includes(clock.now)) {
        v.close();
        v = vigie(clock);
      }
      await v.tick();
      const [row] = parseJson(await v.engine.status({ fresh: true })).rows;
      if (row!.state === 'stale') {
        staleAt.push(clock.now);
        firstStale ??= row;
      }
      const nearDeadline = clock.now >= z('2025-06-02T06:58:00Z') && clock.now < z('2025-06-02T07:02:00Z');
      clock.now += nearDeadline ? 15_000 : 10 * MIN;
    }
    v.close();

    expect(new Date(staleAt[0]!).toISOString()).toBe('2025-06-02T07:00:00.000Z');
    expect(firstStale).toMatchObject({ since: '2025-06-02T07:00:00.000Z', lastSlotStart: '2025-06-01T06:00:00.000Z', graceSeconds: 3600 });
    expect(smtp.messageIds().size).toBe(1);
    expect(smtp.received[0]).toMatchObject({ to: [OPERATOR], kind: 'down' });
    expect(smtp.received[0]!.subject).toBe('[Vigie] SANS NOUVELLES — daily-login — Lycée Test (0510100G)');
    expect(smtp.received[0]!.text).toContain('2025-06-02 09:00 +02:00');
    expect(smtp.received[0]!.text).toContain("Ce n'est pas une panne de l'ENT");
    const [incident] = await store.alerts.listIncidents();
    expect(incident).toMatchObject({ scope: 'internal', severity: 'internal', journey: 'stale', outageStart: '2025-06-02T07:00:00.000Z', openedAt: '2025-06-02T07:00:00.000Z', resolvedAt: null });
    expect(await store.alerts.listIncidents({ tenant: '0510100G' })).toEqual([]); // the operators', not the establishment's
    expect(incidentLines({ ...incident!, notices: [] }, 'Europe/Paris')[0]).toBe(
      `#${incident!.id} Vigie sans nouvelles / stale daily-login @local — signalé depuis / since 2025-06-02 09:00 +02:00 (interne, pas une panne de l'ENT / internal, not ENT downtime) — en cours / open`,
    );

    // Once the slot is over it is `missed` (unknown, never down), in the slot stream the SLA and alerts read.
    clock.now = z('2025-06-03T06:05:00Z');
    const [series] = await createEngine(store, { clock: () => new Date(clock.now) }).slots({ from: z('2025-06-02T06:00:00Z'), to: z('2025-06-03T06:00:00Z') });
    expect(series!.slots.map((s) => `${new Date(s.start).toISOString()} ${s.state}`)).toEqual(['2025-06-02T06:00:00.000Z missed']);
  });

  it('a result arriving again resolves it: one RÉTABLI to whoever was told', async () => {
    const config = validateConfig({ ...base, schedules: [{ id: 'login-5', journey: 'login', tenant: '0510100G', persona: 'prof', every: '5m' }] });
    await store.revisions.save(revisionSnapshot(config, {}), new Date(z('2025-06-02T09:00:00Z')));
    await store.runs.insertBatch([0, 5, 10].map((m) => run('login-5', 'login', 'local', z('2025-06-02T10:00:00Z') + m * MIN)));
    const clock = { now: z('2025-06-02T10:12:00Z') };
    const v = vigie(clock);
    for (; clock.now < z('2025-06-02T10:40:00Z'); clock.now += MIN) {
      if (clock.now === z('2025-06-02T10:31:00Z')) await store.runs.insertBatch([run('login-5', 'login', 'local', z('2025-06-02T10:30:00Z'))]);
      await v.tick();
    }
    v.close();
    // Silent from the 10:15 slot: stale at 10:20 (grace: the 5-minute slot), told once, back with the 10:30 result.
    expect(smtp.received.map((m) => m.kind)).toEqual(['down', 'recovery']);
    expect(smtp.received[1]!.subject).toBe('[Vigie] RÉTABLI — SANS NOUVELLES — login-5 — Lycée Test (0510100G)');
    const [incident] = await store.alerts.listIncidents();
    expect(incident).toMatchObject({ outageStart: '2025-06-02T10:20:00.000Z', resolvedAt: '2025-06-02T10:31:00.000Z' });
  });
});

describe('F21 (c): a location whose agent is killed', () => {
  it('shows stale (not up) by 12:10 and sends one "location silent" alert, not one per schedule', async () => {
    const config = validateConfig({
      ...base,
      locations: [{ id: 'local', kind: 'reference' }, { id: 'PAR', kind: 'reference' }],
      schedules: [
        { id: 'par-login', journey: 'login', tenant: '0510100G', persona: 'prof', every: '5m', locations: ['PAR'] },
        { id: 'par-logout', journey: 'logout', tenant: '0510100G', persona: 'prof', every: '5m', offset: '1m', locations: ['PAR'] },
        { id: 'local-login', journey: 'login', tenant: '0510100G', persona: 'prof', every: '5m', locations: ['local'] },
      ],
    });
    await store.revisions.save(revisionSnapshot(config, {}), new Date(z('2025-06-02T09:00:00Z')));
    const runs: RunResult[] = [];
    // PAR reports up to its 11:55 slots (killed at 12:00); local keeps reporting.
    for (let t = z('2025-06-02T09:00:00Z'); t < z('2025-06-02T10:30:00Z'); t += 5 * MIN) {
      if (t < z('2025-06-02T10:00:00Z')) runs.push(run('par-login', 'login', 'PAR', t), run('par-logout', 'logout', 'PAR', t));
      runs.push(run('local-login', 'login', 'local', t));
    }
    await store.runs.insertBatch(runs);
    const clock = { now: z('2025-06-02T09:58:00Z') }; // 11:58 CEST
    const v = vigie(clock);
    const states: Record<string, string | null>[] = [];
    for (; clock.now <= z('2025-06-02T10:20:00Z'); clock.now += 30_000) {
      await v.tick();
      if (clock.now === z('2025-06-02T10:10:00Z')) states.push(Object.fromEntries(parseJson(await v.engine.status({ fresh: true })).rows.map((r) => [r.schedule, r.state])));
    }
    v.close();
    expect(states[0]).toEqual({ 'par-login': 'stale', 'par-logout': 'stale', 'local-login': 'up' });
    expect(smtp.messageIds().size).toBe(1);
    expect(smtp.received[0]!.subject).toBe('[Vigie] POINT DE MESURE MUET — PAR');
    expect(smtp.received[0]!.at).toBeGreaterThan(0);
    const [incident] = await store.alerts.listIncidents();
    expect(incident).toMatchObject({ journey: 'location', location: 'PAR', detail: { schedules: ['par-login', 'par-logout'] } });
    // Told by 12:10 CEST: it opened at the first tick both PAR schedules were stale.
    expect(Date.parse(incident!.openedAt)).toBeLessThanOrEqual(z('2025-06-02T10:10:00Z'));
  });
});

describe('browser crash rate', () => {
  it('slots saved by their retry tell nothing to the establishment, but a crash rate over the threshold tells the operators once', async () => {
    const config = validateConfig({ ...base, schedules: [{ id: 'login-5', journey: 'login', tenant: '0510100G', persona: 'prof', every: '5m' }] });
    await store.revisions.save(revisionSnapshot(config, {}), new Date(z('2025-06-02T09:00:00Z')));
    const attempt = (n: number, t: number, crashed: boolean): AttemptResult => ({
      attempt: n, location: 'local', status: crashed ? 'error' : 'up', ...(crashed ? { kind: 'infra' as const, reason: CRASH_REASON } : {}), startedAt: new Date(t + n * 1000).toISOString(), durationMs: 500, steps: [], measures: {}, flags: [],
    });
    // 10:00–10:55: every other slot's first attempt lost its browser, its retry passed (6 crashed of 18 attempts).
    const runs = Array.from({ length: 12 }, (_, i) => {
      const t = z('2025-06-02T10:00:00Z') + i * 5 * MIN;
      return { ...run('login-5', 'login', 'local', t), attempts: i % 2 === 0 ? [attempt(1, t, true), attempt(2, t, false)] : [attempt(1, t, false)] };
    });
    await store.runs.insertBatch(runs);
    const clock = { now: z('2025-06-02T11:00:00Z') }; // the last hour holds all 18 attempts
    const v = vigie(clock);
    await v.tick();
    clock.now += 30_000;
    await v.tick();
    v.close();
    expect(await store.alerts.browserCrashes(z('2025-06-02T10:00:00Z'), z('2025-06-02T11:00:00Z'))).toEqual({ attempts: 18, crashed: 6 });
    expect(smtp.received.map((m) => `${m.to.join(',')} ${m.subject}`)).toEqual([`${OPERATOR} [Vigie] PLANTAGES DU NAVIGATEUR`]);
    expect(smtp.received[0]!.text).toContain("6 tentatives sur 18 ont perdu leur navigateur dans l'heure");
    // Every slot is up: no incident of the establishment.
    expect((await store.alerts.listIncidents()).map((i) => i.scope)).toEqual(['internal']);
  });
});

describe('a stale schedule whose location then goes silent', () => {
  it('is folded into the location incident without a false RÉTABLI', async () => {
    const ops = [{ channel: 'email' as const, to: OPERATOR }];
    const t = z('2025-06-02T10:00:00Z');
    await store.alerts.syncInternal({ now: t, conditions: [{ key: 'stale:s1@local', kind: 'stale', since: t, location: 'local' }], managed: ['stale', 'location'], operators: ops, domain: 'vigie.test' });
    await store.alerts.syncInternal({ now: t + 86_400_000, conditions: [{ key: 'location:local', kind: 'location', since: t + 86_400_000, location: 'local' }], managed: ['stale', 'location'], operators: ops, domain: 'vigie.test' });
    const notices = await store.alerts.listNotices();
    const incidents = await store.alerts.listIncidents();
    expect(incidents.map((i) => `${i.journey} ${i.resolvedAt ? 'resolved' : 'open'}`)).toEqual(['stale resolved', 'location open']);
    expect(notices.map((n) => `${incidents.find((i) => i.id === n.incidentId)!.journey} ${n.kind}`)).toEqual(['stale down', 'location down']);
  });
});
