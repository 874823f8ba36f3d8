import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revisionSnapshot } from '../../core/config/revision.js';
import { validateConfig } from '../../core/config/validate.js';
import type { FailureKind, RunResult, RunStatus } from '../../core/run-types.js';
import { createPgliteDb, createStore, type Store } from '../../db/index.js';
import { replayConfig, scheduleId, tenantUai } from '../../cli/__tests__/replay-fixture.js';
import { createEngine, parseJson, type SlaReport, type StatusReport } from '../index.js';

/**
 * Issue 9 item 4: the status API's last-24-hours availability and coverage are the figures `vigie sla` gives for the
 * same window under a 24/7 clause counting every party (the status is the measured picture, whoever failed): one
 * computation, not two that drift apart. Runs of every kind, holes, and failures of several parties.
 */
const t0 = tenantUai(0);
const id = scheduleId('login', t0);
const now = new Date('2026-10-06T09:02:00Z');
let store: Store;

beforeAll(async () => {
  store = createStore(await createPgliteDb());
  await store.migrate();
  const base = replayConfig({ tenants: 1, journeys: ['login'] }) as { contracts: { clauses: Record<string, unknown>[] }[] };
  base.contracts[0]!.clauses.push({ id: 'all', name: 'Tout', journeys: ['login'], targetPercent: 99, parties: ['provider', 'educonnect', 'academie-idp', 'establishment-network', 'vigie'] });
  await store.revisions.save(revisionSnapshot(validateConfig(base), {}), new Date('2026-10-01T00:00:00Z'));
  const runs: RunResult[] = [];
  const from = now.getTime() - 26 * 3_600_000;
  for (let t = Math.ceil(from / 300_000) * 300_000, i = 0; t < now.getTime() - 300_000; t += 300_000, i++) {
    if (i % 17 === 5) continue; // missed
    const [status, kind]: [RunStatus, FailureKind | undefined] = i % 29 === 3 ? ['down', 'http'] : i % 31 === 7 ? ['down', 'credentials'] : i % 13 === 2 ? ['error', 'infra'] : i % 7 === 0 ? ['degraded', undefined] : ['up', undefined];
    const at = new Date(t).toISOString();
    runs.push({ scheduleId: id, journey: 'login', target: 'ent', tenant: t0, location: 'local', trigger: 'scheduled', scheduledAt: at, revisionId: null, status, ...(kind ? { kind } : {}), startedAt: at, durationMs: 2000, late: false, attempts: [] });
  }
  await store.runs.insertBatch(runs);
});
afterAll(async () => {
  await store?.close();
});

describe('status and SLA agree', () => {
  it('gives the same availability and coverage for the last 24 hours as vigie sla with a 24/7 all-parties clause', async () => {
    const engine = createEngine(store, { clock: () => now });
    const status = parseJson<StatusReport>(await engine.status());
    const row = status.rows.find((r) => r.schedule === id)!;
    const from = new Date(now.getTime() - 24 * 3_600_000).toISOString();
    const report = parseJson<SlaReport>(await engine.slaReport({ contract: 'replay', from, to: now.toISOString(), clause: 'all' }));
    const figures = report.clauses[0]!.raw.figures;
    expect(row.coverage24hPercent).not.toBeNull();
    expect(row.coverage24hPercent!).toBeGreaterThan(80);
    expect(row.coverage24hPercent!).toBeLessThan(100);
    expect({ availability: row.availability24hPercent, coverage: row.coverage24hPercent }).toEqual({ availability: figures.availabilityPercent, coverage: figures.coveragePercent });
  });
});
