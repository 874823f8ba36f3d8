import { beforeEach, describe, expect, it } from 'vitest';
import { revisionSnapshot } from '../../core/config/revision.js';
import { deliverDue } from '../outbox.js';
import { alertScenario, scenarioAlerting } from './scenario.js';
import { MIN, oneSeriesConfig, runAt } from './one-series.js';

/**
 * A notice that fails for good (SMTP 550) is marked failed, the operators are told once which contact refused it,
 * and its recovery is released with a note (issue 10 item 3), through the alerting loop of `vigie start`.
 */
const at = (hhmm: string) => Date.parse(`2025-11-14T${hhmm}:00Z`);
const refusals = new Map<string, number>();
// cpe@ refuses its first message only (a mailbox created late); nobody@ always.
const ctx = alertScenario({ refuse: (a) => a === 'nobody@lycee.test' || (a === 'cpe@lycee.test' && (refusals.set(a, (refusals.get(a) ?? 0) + 1).get(a) ?? 0) === 1) });
beforeEach(() => refusals.clear());

describe('a notice refused for good', () => {
  it('tells the operators once per contact, releases the recovery with a note', async () => {
    const config = oneSeriesConfig({
      alerts: { smtp: { host: '127.0.0.1', port: ctx.smtp.port, from: 'vigie@region.test' }, groupWait: 0, contacts: { establishments: { '0510100G': ['cpe@lycee.test', 'nobody@lycee.test'] }, operators: ['ops@region.test'] } },
    });
    await ctx.store.revisions.save(revisionSnapshot(config, {}), new Date(at('09:00')));
    await ctx.store.runs.insertBatch(Array.from({ length: 40 }, (_, i) => runAt(at('09:50') + i * MIN, i >= 10 && i < 20 ? 'down' : 'up')));
    const clock = { now: at('09:55') };
    const alerting = scenarioAlerting(ctx.store, config, clock);
    for (; clock.now <= at('10:25'); clock.now += 30_000) await alerting.tick();
    await alerting.close();

    const got = ctx.smtp.received.map((m) => `${m.to.join(',')} ${m.subject}`);
    expect(got).toEqual([
      'ops@region.test [Vigie] MESSAGE NON REMIS — cpe@lycee.test',
      'ops@region.test [Vigie] MESSAGE NON REMIS — nobody@lycee.test',
      'cpe@lycee.test [Vigie] RÉTABLI — Lycée Test (0510100G) — Connexion',
    ]);
    expect(ctx.smtp.received[0]!.text).toContain('550');
    expect(ctx.smtp.received[2]!.text).toContain("le message de panne n'a pas pu vous être remis");
    const notices = await ctx.store.alerts.listNotices();
    expect(notices.filter((n) => n.recipient === 'nobody@lycee.test').map((n) => `${n.kind} ${n.status}`)).toEqual(['down failed', 'recovery failed']);
  });
});

describe('a send that never settles', () => {
  it('counts as a failed attempt past the deadline and is retried with the same Message-ID', async () => {
    const now = at('10:00');
    await ctx.store.alerts.syncInternal({ now, conditions: [{ key: 'store', kind: 'store', since: now }], managed: [], operators: [{ channel: 'email', to: 'ops@region.test' }], domain: 'vigie.test' });
    const hanging = () => new Promise<void>(() => undefined);
    const r = await deliverDue(ctx.store.alerts, hanging, new Date(now), { deadlineMs: 100 });
    expect(r).toEqual({ sent: 0, failed: 1 });
    const [n] = await ctx.store.alerts.listNotices();
    expect(n).toMatchObject({ status: 'pending', attempts: 1 });
    expect(n!.lastError).toContain('delivery still pending after');
    expect(Date.parse(n!.nextAttemptAt)).toBe(now + 5_000);
    const ids: string[] = [];
    await deliverDue(ctx.store.alerts, async (notice) => void ids.push(notice.messageId), new Date(now + 5_000));
    expect(ids).toEqual([n!.messageId]);
  });
});
