import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { revisionSnapshot } from '../../core/config/revision.js';
import type { RunResult } from '../../core/run-types.js';
import type { Store } from '../../db/index.js';
import { closeSharedPglite, freshPgliteStore } from '../../db/__tests__/shared-pglite.js';
import { createEngine } from '../../engine/index.js';
import { createEmailSender } from '../email.js';
import { createAlertEvaluator } from '../evaluator.js';
import { deliverDue } from '../outbox.js';
import { startSmtp } from './smtp.js';
import { MIN, oneSeriesConfig, runAt } from './one-series.js';

/**
 * Maintenance windows and notices (issue 10; field scenario F11 e-mails), counted as distinct Message-IDs at a real
 * SMTP server, at the scenario's own times: a daily window 23:00–23:30 Europe/Paris announced in January suppresses
 * the notices of a failure inside it in July (CEST, 21:00–21:30Z); its end never re-sends DOWN for an outage already
 * notified, and an outage recovering inside it gets exactly one RECOVERY.
 */
/** Paris local time on 2025-07-15 (UTC+2). */
const paris = (hhmm: string) => Date.parse(`2025-07-15T${hhmm}:00+02:00`);

const config = oneSeriesConfig({
  timezone: 'Europe/Paris',
  contracts: [{ id: 'c', name: 'Contrat', startDate: '2025-01-01', timezone: 'Europe/Paris', clauses: [{ id: 'h24', name: '24/7', journeys: ['login'], targetPercent: 99 }], maintenance: [{ kind: 'recurring', id: 'nightly', start: '23:00', end: '23:30' }] }],
});

let store: Store;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
beforeEach(async () => {
  store = await freshPgliteStore();
  smtp = await startSmtp();
  // The window is in the config from January: announced then.
  await store.revisions.save(revisionSnapshot(config, {}), new Date('2025-01-10T09:00:00Z'));
});
afterEach(async () => {
  await store?.close();
  await smtp?.close();
});
afterAll(closeSharedPglite);

/** One run per 1-minute slot of 22:30–23:59 local, `down` where `down(t)`; then alerting ticks every 30 s. */
async function scenario(down: (t: number) => boolean): Promise<void> {
  const runs: RunResult[] = [];
  for (let t = paris('22:30'); t < paris('23:59'); t += MIN) {
    runs.push(runAt(t, down(t) ? 'down' : 'up'));
  }
  await store.runs.insertBatch(runs);
  const clock = { now: 0 };
  const engine = createEngine(store, { clock: () => new Date(clock.now) });
  const evaluator = createAlertEvaluator({ slots: (req) => engine.slots(req), repo: store.alerts, routing: { recipientsOf: () => [{ channel: 'email', to: 'cpe@lycee.test' }], operators: [] }, lookbackMs: 30 * MIN });
  const email = createEmailSender({ host: '127.0.0.1', port: smtp.port, from: 'vigie@region.test' }, { zone: 'Europe/Paris' });
  try {
    for (clock.now = paris('22:40'); clock.now <= paris('23:58'); clock.now += 30_000) {
      await evaluator.evaluate(clock.now);
      await deliverDue(store.alerts, email.send, new Date(clock.now));
    }
  } finally {
    email.close();
  }
}
const between = (a: string, b: string) => (t: number) => t >= paris(a) && t < paris(b);
const incidents = async () => (await store.alerts.listIncidents()).map((i) => [i.openedAt, i.resolvedAt]);

describe('F11: a daily window in local time across DST, and notices', () => {
  it('no notice for the failure inside the window (23:05–23:24); exactly DOWN 23:36 and RECOVERY 23:45 for the one after it', async () => {
    await scenario((t) => between('23:05', '23:25')(t) || between('23:35', '23:45')(t));
    expect(smtp.messageIds().size).toBe(2);
    expect(smtp.received.map((m) => m.kind)).toEqual(['down', 'recovery']);
    expect(await incidents()).toEqual([[new Date(paris('23:36')).toISOString(), new Date(paris('23:45')).toISOString()]]);
    expect(smtp.received[0]!.text).toContain('2025-07-15 23:36 +02:00');
  });

  it('the end of the window never re-sends DOWN for an outage notified before it (22:50–23:40)', async () => {
    await scenario(between('22:50', '23:40'));
    expect(smtp.received.map((m) => m.kind)).toEqual(['down', 'recovery']);
    expect(smtp.messageIds().size).toBe(2);
    expect(await incidents()).toEqual([[new Date(paris('22:51')).toISOString(), new Date(paris('23:40')).toISOString()]]);
  });

  it('an outage recovering inside the window (22:50–23:10) gets exactly one RECOVERY, at the first up slot after it', async () => {
    await scenario(between('22:50', '23:10'));
    expect(smtp.received.map((m) => m.kind)).toEqual(['down', 'recovery']);
    expect(smtp.messageIds().size).toBe(2);
    // Slots inside the window are excluded (neither up nor down): the first up slot that counts is 23:30.
    expect(await incidents()).toEqual([[new Date(paris('22:51')).toISOString(), new Date(paris('23:30')).toISOString()]]);
  });
});
