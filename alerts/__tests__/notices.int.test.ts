import { beforeEach, describe, expect, it } from 'vitest';
import { revisionSnapshot } from '../../core/config/revision.js';
import type { RunResult, RunStatus } from '../../core/run-types.js';
import type { Store } from '../../db/index.js';
import { createEngine } from '../../engine/index.js';
import { createEmailSender } from '../email.js';
import { createAlertEvaluator } from '../evaluator.js';
import { deliverDue } from '../outbox.js';
import { alertScenario } from './scenario.js';
import { MIN, oneSeriesConfig, runAt, SCHEDULE, TENANT } from './one-series.js';
import pino from 'pino';
import request from 'supertest';
import { createCollectorApp } from '../../collector/app.js';
import { attachContext } from '../../collector/auth.js';
import { createMetrics } from '../../collector/metrics.js';
import { createSlaRouter } from '../../collector/sla-routes.js';
import { incidentLines } from '../../cli/incidents-cmd.js';
import { createLocalSlaBackend } from '../../cli/sla-backend.js';

/**
 * Field scenarios F4, F23 and F25 (issue 10 acceptance): e-mails counted as distinct Message-IDs received by a real
 * SMTP server, the evaluator and the outbox driven at the scenario's own times (injected clock), "restarts" being new
 * evaluator and outbox instances over the same store. 1-minute slots, K = 2.
 */
const at = (hhmm: string, day = '2025-11-14') => Date.parse(`${day}T${hhmm}:00Z`);
const config = oneSeriesConfig();

const ctx = alertScenario();
let store: Store;
let smtp: typeof ctx.smtp;
beforeEach(() => void ({ store, smtp } = ctx));

/** Stores the revision (before `from`) and one run per 1-minute slot of `[from, to)`, status from `statusAt`. */
async function history(from: number, to: number, statusAt: (t: number) => RunStatus): Promise<void> {
  await store.revisions.save(revisionSnapshot(config, {}), new Date(from - 60 * MIN));
  const runs: RunResult[] = [];
  for (let t = from; t < to; t += MIN) {
    runs.push(runAt(t, statusAt(t)));
  }
  await store.runs.insertBatch(runs);
}

/** A Vigie alerting process (evaluator + outbox) at injected time `clock.now`; a new one is a restart. */
function alerting(clock: { now: number }) {
  const engine = createEngine(store, { clock: () => new Date(clock.now) });
  const evaluator = createAlertEvaluator({ slots: (req) => engine.slots(req), repo: store.alerts, routing: { recipientsOf: () => [{ channel: 'email', to: 'cpe@lycee.test' }], operators: [] }, lookbackMs: 30 * MIN });
  const email = createEmailSender({ host: '127.0.0.1', port: smtp.port, from: 'vigie@region.test', connectionTimeoutMs: 2_000, greetingTimeoutMs: 2_000, socketTimeoutMs: 5_000 }, { zone: 'Europe/Paris', tenantName: () => 'Lycée Test' });
  return {
    async tick() {
      await evaluator.evaluate(clock.now);
      await deliverDue(store.alerts, email.send, new Date(clock.now));
    },
    close: () => email.close(),
  };
}

/** Ticks every 30 s from `from` to `to` (scenario time); `between(t)` runs before each tick (restarts, outages). */
async function run(clock: { now: number }, from: number, to: number, between: (t: number) => Promise<void> | void = () => undefined) {
  let a = alerting(clock);
  for (clock.now = from; clock.now <= to; clock.now += 30_000) {
    const r = await between(clock.now);
    if (r === undefined && restartAt.has(clock.now)) {
      a.close();
      a = alerting(clock);
    }
    if (!downAt.has(clock.now)) await a.tick();
  }
  a.close();
}
const restartAt = new Set<number>();
const downAt = new Set<number>();
beforeEach(() => {
  restartAt.clear();
  downAt.clear();
});

describe('F4: degraded is not an outage', () => {
  it('five 503s give exactly one DOWN (14:01) and one RECOVERY (14:05); thirty slow runs give nothing', async () => {
    const slow = new Set(Array.from({ length: 30 }, (_, i) => at('13:00') + i * 2 * MIN));
    await history(at('13:00'), at('14:30'), (t) => (t >= at('14:00') && t < at('14:05') ? 'down' : slow.has(t) ? 'degraded' : 'up'));
    await run({ now: 0 }, at('13:50'), at('14:20'));
    expect(smtp.messageIds().size).toBe(2);
    expect(smtp.received.map((m) => m.kind)).toEqual(['down', 'recovery']);
    const [incident] = await store.alerts.listIncidents();
    expect(incident).toMatchObject({ outageStart: new Date(at('14:00')).toISOString(), openedAt: new Date(at('14:01')).toISOString(), resolvedAt: new Date(at('14:05')).toISOString() });
    // The detection time, in the establishment's local time with its offset (Paris is UTC+1 in November).
    expect(smtp.received[0]!.text).toContain('2025-11-14 15:01 +01:00');

    // `GET /api/v1/alerts/incidents` and `vigie incidents` (issue 10 item 8): the incident with its two notices.
    const app = createCollectorApp({
      store: { runs: { list: async () => ({ runs: [], nextCursor: null }), get: async () => null, screenshot: async () => null } },
      metrics: createMetrics(),
      logger: pino({ level: 'silent' }),
      routers: [{ path: '/api/v1', router: createSlaRouter(createLocalSlaBackend(store)) }],
      attachContext: attachContext('y'.repeat(64)),
    });
    const res = await request(app).get('/api/v1/alerts/incidents').query({ open: 'false' });
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(1);
    expect(res.body[0].notices.map((n: { kind: string; status: string }) => `${n.kind}:${n.status}`)).toEqual(['down:sent', 'recovery:sent']);
    expect((await request(app).get('/api/v1/alerts/incidents').query({ open: 'true' })).body).toEqual([]);
    const bad = await request(app).get('/api/v1/alerts/incidents').query({ open: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('open');
    const lines = incidentLines(res.body[0], 'Europe/Paris');
    expect(lines[0]).toBe(`#${incident!.id} ${TENANT} login — panne depuis / down since 2025-11-14 15:00 +01:00 (confirmée / confirmed 2025-11-14 15:01 +01:00) — rétabli / resolved 2025-11-14 15:05 +01:00`);
    expect(lines[1]).toMatch(/^ {3}panne \/ down → cpe@lycee\.test : envoyé \/ sent 2025-11-14 15:01 \+01:00 \(1 tentative\(s\) \/ attempt\(s\)\)$/);
  });
});

describe('F23: alert state survives restarts', () => {
  const down = (t: number): RunStatus => (t >= at('10:00') && t < at('10:30') ? 'down' : 'up');

  it('(a) restarts at 10:10 and 10:20 during the outage: exactly DOWN (10:01) and RECOVERY (10:30)', async () => {
    await history(at('09:30'), at('10:45'), down);
    restartAt.add(at('10:10')).add(at('10:20'));
    await run({ now: 0 }, at('09:55'), at('10:40'));
    expect(smtp.messageIds().size).toBe(2);
    expect(smtp.received.map((m) => m.kind)).toEqual(['down', 'recovery']);
  });

  it('(b) alerting down 10:25–10:40 across the recovery: one RECOVERY after the restart, the end dated 10:30', async () => {
    await history(at('09:30'), at('10:45'), down);
    for (let t = at('10:25'); t < at('10:40'); t += 30_000) downAt.add(t);
    restartAt.add(at('10:40'));
    await run({ now: 0 }, at('09:55'), at('10:44'));
    expect(smtp.received.map((m) => m.kind)).toEqual(['down', 'recovery']);
    const [incident] = await store.alerts.listIncidents();
    expect(incident!.resolvedAt).toBe(new Date(at('10:30')).toISOString());
    const [, recovery] = await store.alerts.listNotices({ incidentId: incident!.id });
    expect(Date.parse(recovery!.sentAt!)).toBeGreaterThanOrEqual(at('10:40'));
  });

  it('(c) two restarts while everything is healthy: no e-mail', async () => {
    await history(at('09:30'), at('10:45'), () => 'up');
    restartAt.add(at('10:10')).add(at('10:20'));
    await run({ now: 0 }, at('09:55'), at('10:40'));
    expect(smtp.received).toEqual([]);
    expect(await store.alerts.listIncidents()).toEqual([]);
  });
});

describe('F25: the DOWN e-mail is retried, never overtaken by its RECOVERY', () => {
  const outage = (t: number): RunStatus => (t >= at('10:00') && t < at('10:08') ? 'down' : 'up');

  it('SMTP refusing connections 10:00:30–10:05:30: DOWN delivered by 10:06:30 saying 10:01, then RECOVERY at 10:08', async () => {
    await history(at('09:30'), at('10:20'), outage);
    await run({ now: 0 }, at('09:55'), at('10:12'), async (t) => {
      if (t === at('10:00') + 30_000) await smtp.stop();
      if (t === at('10:05') + 30_000) await smtp.start();
    });
    expect(smtp.messageIds().size).toBe(2);
    expect(smtp.received.map((m) => m.kind)).toEqual(['down', 'recovery']);
    expect(smtp.received[0]!.text).toContain('11:01 +01:00');
    const [incident] = await store.alerts.listIncidents();
    const [downNotice, recovery] = await store.alerts.listNotices({ incidentId: incident!.id });
    expect(downNotice!.attempts).toBeGreaterThan(1); // at least one failed attempt on record
    expect(Date.parse(downNotice!.sentAt!)).toBeLessThanOrEqual(at('10:06') + 30_000);
    expect(Date.parse(recovery!.sentAt!)).toBeGreaterThanOrEqual(at('10:08'));
  });

  it('variant: SMTP down 10:00–10:20, longer than the outage: both after 10:20, DOWN first', async () => {
    await history(at('09:30'), at('10:30'), outage);
    await run({ now: 0 }, at('09:55'), at('10:25'), async (t) => {
      if (t === at('10:00')) await smtp.stop();
      if (t === at('10:20')) await smtp.start();
    });
    expect(smtp.received.map((m) => m.kind)).toEqual(['down', 'recovery']);
    expect(smtp.messageIds().size).toBe(2);
    const notices = await store.alerts.listNotices();
    expect(notices.every((n) => Date.parse(n.sentAt!) >= at('10:20'))).toBe(true);
  });
});

describe('the outbox never lets a recovery overtake its down notice', () => {
  it('holds a due recovery while the down notice to the same recipient waits for its retry; releases it once sent', async () => {
    await history(at('09:30'), at('09:31'), () => 'up');
    const series = { scheduleId: SCHEDULE, journey: 'login', target: 'ent', tenant: TENANT };
    const state = { open: false, consecutiveDown: 0, firstDownAt: null };
    const routing = { series: [{ ...series, evaluatedUntil: at('10:09') }], recipientsOf: () => [{ channel: 'email' as const, to: 'a@x.test' }, { channel: 'email' as const, to: 'b@x.test' }], operators: [], platform: { share: 0.5, minTenants: 2 }, domain: 'vigie.test' };
    await store.alerts.applyEvaluation({ series, evaluatedUntil: at('10:09'), state, opened: [{ outageStart: at('10:00'), openedAt: at('10:01') }], resolved: [{ outageStart: at('10:00'), resolvedAt: at('10:08') }], now: at('10:08'), groupWaitMs: 15_000 }, 'vigie.test');
    await store.alerts.route({ ...routing, now: at('10:08') });
    const due = await store.alerts.dueNotices(new Date(at('10:08')));
    expect(due.map((n) => `${n.kind}:${n.recipient}`)).toEqual(['down:a@x.test', 'down:b@x.test']);
    // a's down notice failed and waits a minute; b's was sent: only b's recovery is due.
    await store.alerts.markAttemptFailed(due[0]!.id, 'ECONNREFUSED', new Date(at('10:09')));
    await store.alerts.markSent(due[1]!.id, new Date(at('10:08')));
    expect((await store.alerts.dueNotices(new Date(at('10:08') + 30_000))).map((n) => `${n.kind}:${n.recipient}`)).toEqual(['recovery:b@x.test']);
    await store.alerts.markSent(due[0]!.id, new Date(at('10:09')));
    expect((await store.alerts.dueNotices(new Date(at('10:09')))).map((n) => `${n.kind}:${n.recipient}`)).toEqual(['recovery:a@x.test', 'recovery:b@x.test']);
    // Applying the same evaluation again (a crash after the commit, before the state was read back) adds nothing.
    await store.alerts.applyEvaluation({ series, evaluatedUntil: at('10:09'), state, opened: [{ outageStart: at('10:00'), openedAt: at('10:01') }], resolved: [{ outageStart: at('10:00'), resolvedAt: at('10:08') }], now: at('10:09'), groupWaitMs: 15_000 }, 'vigie.test');
    await store.alerts.route({ ...routing, now: at('10:09') });
    expect(await store.alerts.listNotices()).toHaveLength(4);
    expect(new Set((await store.alerts.listNotices()).map((n) => n.messageId)).size).toBe(4);
  });
});
