import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCollectorApp } from '../../collector/app.js';
import { createMetrics } from '../../collector/metrics.js';
import { createSlaRouter } from '../../collector/sla-routes.js';
import { revisionSnapshot } from '../../core/config/revision.js';
import { validateConfig } from '../../core/config/validate.js';
import type { RunResult } from '../../core/run-types.js';
import type { SlaReport } from '../../engine/index.js';
import { main } from '../main.js';
import { createLocalSlaBackend } from '../sla-backend.js';
import { openStore } from '../store-open.js';
import { replayConfig, scheduleId, tenantUai } from './replay-fixture.js';

/**
 * A maintenance window's announcement time and its scope change the figures, through `vigie sla` and
 * `GET /api/v1/sla` alike (issue 7 acceptance). Two lycées probed every 5 minutes, both down 08:00–09:00 and
 * 10:00–11:00 (Paris) on Tuesday 6 October 2026, up otherwise; the clause counts 24/7 with a notice period of 2 days.
 * - window `w-early` 08:00–09:00, for lycée 0 only, in the revision of 1 October: announced in time, so lycée 0's
 *   hour is maintenance (excluded) and lycée 1's stays down (outside the window's scope);
 * - window `w-late` 10:00–11:00, for everybody, first in the revision stored at 09:00 the same morning: announced
 *   late, so not excluded: down for both.
 * Over 08:00–12:00: lycée 0 up 120, down 60, excluded 60 → 66.6667 %; lycée 1 up 120, down 120 → 50 %; pooled
 * 240 / (480 − 60) = 57.1429 %.
 */
const dir = mkdtempSync(join(tmpdir(), 'vigie-windows-'));
const [t0, t1] = [tenantUai(0), tenantUai(1)];
const savedUrl = process.env.DATABASE_URL;
const logger = pino({ level: 'silent' });
const paris = (hhmm: string) => Date.parse(`2026-10-06T${hhmm}:00+02:00`);

function config(windows: object[]) {
  const base = replayConfig({ tenants: 2, journeys: ['login'] });
  return validateConfig({
    ...base,
    contracts: [{ id: 'maint', name: 'Maintenance', startDate: '2026-09-01', clauses: [{ id: 'h24', name: '24/7', journeys: ['login'], targetPercent: 99, noticePeriod: '2d' }], maintenance: windows }],
  });
}
const early = { id: 'w-early', kind: 'one-off', start: '2026-10-06T08:00', end: '2026-10-06T09:00', mode: 'exclude', scope: { tenants: [t0] } };
const late = { id: 'w-late', kind: 'one-off', start: '2026-10-06T10:00', end: '2026-10-06T11:00', mode: 'exclude' };

beforeAll(async () => {
  delete process.env.DATABASE_URL;
  const handle = await openStore({ env: {}, dataDir: dir, logger });
  try {
    await handle.store.revisions.save(revisionSnapshot(config([early]), {}), new Date('2026-09-30T22:00:00Z'));
    await handle.store.revisions.save(revisionSnapshot(config([early, late]), {}), new Date(paris('09:00')));
    const runs: RunResult[] = [];
    for (let t = paris('08:00'); t < paris('12:00'); t += 5 * 60_000) {
      const down = (t >= paris('08:00') && t < paris('09:00')) || (t >= paris('10:00') && t < paris('11:00'));
      for (const uai of [t0, t1]) {
        const at = new Date(t).toISOString();
        runs.push({ scheduleId: scheduleId('login', uai), journey: 'login', target: 'ent', tenant: uai, location: 'local', trigger: 'scheduled', scheduledAt: at, revisionId: null, status: down ? 'down' : 'up', ...(down ? { kind: 'timeout' as const } : {}), startedAt: at, durationMs: 900, late: false, attempts: [] });
      }
    }
    await handle.store.runs.insertBatch(runs);
  } finally {
    await handle.close();
  }
});
afterAll(() => {
  if (savedUrl !== undefined) process.env.DATABASE_URL = savedUrl;
  rmSync(dir, { recursive: true, force: true });
});

function check(report: SlaReport) {
  const clause = report.clauses[0]!;
  const by = Object.fromEntries(clause.series.map((s) => [s.tenant, s.raw.sums]));
  expect(by[t0]).toMatchObject({ countedMinutes: 240, upMinutes: 120, downMinutes: 60, maintenanceMinutes: 60, excludedMinutes: 60 });
  expect(by[t1]).toMatchObject({ countedMinutes: 240, upMinutes: 120, downMinutes: 120, maintenanceMinutes: 0 });
  expect(clause.series.find((s) => s.tenant === t0)!.raw.figures.availabilityPercent).toBe(66.6667);
  expect(clause.series.find((s) => s.tenant === t1)!.raw.figures.availabilityPercent).toBe(50);
  expect(clause.raw.figures.availabilityPercent).toBe(57.1429);
  // Every output lists the windows applied, with their announcement and what it made of their minutes (issue 8).
  expect(clause.maintenanceWindows).toEqual([
    { id: 'w-early', mode: 'exclude', start: '2026-10-06T06:00:00.000Z', end: '2026-10-06T07:00:00.000Z', announcedAt: '2026-09-30T22:00:00.000Z', noticeMinutes: 2880, late: false, excluded: true },
    { id: 'w-late', mode: 'exclude', start: '2026-10-06T08:00:00.000Z', end: '2026-10-06T09:00:00.000Z', announcedAt: '2026-10-06T07:00:00.000Z', noticeMinutes: 2880, late: true, excluded: false },
  ]);
}

const query = { contract: 'maint', from: '2026-10-06T08:00', to: '2026-10-06T12:00' };

describe('maintenance windows: announcement time and scope', () => {
  it('through vigie sla (the contract and windows from the stored revisions)', async () => {
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    try {
      expect(await main(['sla', '--contract', query.contract, '--from', query.from, '--to', query.to, '--format', 'json', '--data-dir', dir])).toBe(0);
    } finally {
      log.mockRestore();
    }
    check(JSON.parse(out.join('\n')) as SlaReport);
  });

  it('through GET /api/v1/sla', async () => {
    const handle = await openStore({ env: {}, dataDir: dir, logger });
    try {
      const app = createCollectorApp({ store: handle.store, metrics: createMetrics(), logger, routers: [{ path: '/api/v1', router: createSlaRouter(createLocalSlaBackend(handle.store)) }] });
      const res = await request(app).get('/api/v1/sla').query(query);
      expect(res.status).toBe(200);
      check(res.body as SlaReport);
    } finally {
      await handle.close();
    }
  });
});
