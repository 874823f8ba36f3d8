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
import { MIN, oneSeriesConfig } from './one-series.js';

/**
 * An SSO outage that reaches two establishments one slot apart (the first one's run of the slot came before the
 * outage): the first incident opens alone and is told to its establishment; when the second opens a slot later the
 * target has two establishments down, and the platform incident that is opened then must say so — "2 établissements
 * touchés" — even though the first stays its own (told once, never twice). CI once showed "1 établissement touché".
 */
const [A, B] = ['0510100G', '0510101H'];
const config = oneSeriesConfig({
  tenants: [A, B].map((uai) => ({ uai, name: `Lycée ${uai}`, target: 'ent', entUrl: 'http://lycee.localhost:7080', academie: 'Reims', departement: '51', zone: 'B' })),
  schedules: [A, B].map((uai) => ({ id: `login-${uai}`, journey: 'login', tenant: uai, persona: 'prof', every: '1m' })),
});
const T0 = Date.parse('2026-10-05T08:00:00Z');

let store: Store;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
beforeEach(async () => {
  store = await freshPgliteStore();
  smtp = await startSmtp();
  await store.revisions.save(revisionSnapshot(config, {}), new Date(T0 - 60 * MIN));
});
afterEach(async () => {
  await store?.close();
  await smtp?.close();
});
afterAll(closeSharedPglite);

const run = (tenant: string, t: number, down: boolean): RunResult => {
  const iso = new Date(t).toISOString();
  return { scheduleId: `login-${tenant}`, journey: 'login', target: 'ent', tenant, location: 'local', trigger: 'scheduled', scheduledAt: iso, revisionId: null, status: down ? 'down' : 'up', ...(down ? { kind: 'http' as const } : {}), startedAt: iso, durationMs: 900, late: false, attempts: [] };
};

describe('a platform outage reaching establishments a slot apart', () => {
  it('the platform notice counts both establishments; the first one is told once, on its own', async () => {
    const runs: RunResult[] = [];
    for (let t = T0 - 10 * MIN; t < T0 + 20 * MIN; t += MIN) {
      runs.push(run(A, t, t >= T0 && t < T0 + 8 * MIN));
      runs.push(run(B, t, t >= T0 + MIN && t < T0 + 8 * MIN));
    }
    await store.runs.insertBatch(runs);
    const clock = { now: 0 };
    const engine = createEngine(store, { clock: () => new Date(clock.now) });
    const evaluator = createAlertEvaluator({
      slots: (req) => engine.slots(req),
      repo: store.alerts,
      routing: { recipientsOf: (uai) => [{ channel: 'email', to: `cpe-${uai}@x.test` }], operators: [{ channel: 'email', to: 'region@x.test' }] },
      lookbackMs: 30 * MIN,
    });
    const email = createEmailSender({ host: '127.0.0.1', port: smtp.port, from: 'vigie@region.test' }, { zone: 'UTC' });
    try {
      for (clock.now = T0 + 30_000; clock.now <= T0 + 19 * MIN; clock.now += 30_000) {
        await evaluator.evaluate(clock.now);
        await deliverDue(store.alerts, email.send, new Date(clock.now));
      }
    } finally {
      email.close();
    }
    const to = (addr: string, kind: string) => smtp.received.filter((m) => m.to.includes(addr) && m.kind === kind);
    expect(to(`cpe-${A}@x.test`, 'down')).toHaveLength(1);
    expect(to(`cpe-${A}@x.test`, 'recovery')).toHaveLength(1);
    const region = to('region@x.test', 'down');
    expect(region).toHaveLength(1);
    expect(region[0]!.text).toContain('2 établissements touchés');
    expect(to(`cpe-${B}@x.test`, 'down')).toHaveLength(1);
  });
});
