import { describe, expect, it } from 'vitest';
import request from 'supertest';
import pino from 'pino';
import { createCollectorApp, type CollectorDeps } from '../app.js';
import type { RunDetail, RunFilter, RunPage } from '../../db/index.js';
import { createMetrics } from '../metrics.js';
import type { RunResult } from '../../core/run-types.js';

function run(over: Partial<RunResult> = {}): RunResult {
  return {
    scheduleId: 'login-lycee', journey: 'login', target: 'sandbox', tenant: '0510001T', location: 'local',
    trigger: 'scheduled', scheduledAt: '2026-11-02T08:00:00.000Z', revisionId: 1, status: 'up',
    startedAt: '2026-11-02T08:00:00.100Z', durationMs: 1234, late: false,
    attempts: [{ attempt: 1, location: 'local', status: 'up', startedAt: '2026-11-02T08:00:00.100Z', durationMs: 1234, measures: {}, flags: [],
      steps: [{ name: 'open-ent', index: 0, status: 'passed', soft: false, startedAt: '2026-11-02T08:00:00.100Z', durationMs: 400 }] }],
    ...over,
  };
}

function setup() {
  const seen: RunFilter[] = [];
  // Stand-ins for the store's run reads: only the ids matter to the routes under test.
  const store: CollectorDeps['store'] = {
    runs: {
      async list(filter) { seen.push(filter ?? {}); return { runs: [{ id: 1 }], nextCursor: null } as unknown as RunPage; },
      async get(id) { return id === 1 ? ({ id: 1 } as unknown as RunDetail) : null; },
      async screenshot() { return null; },
    },
  };
  const metrics = createMetrics();
  const app = createCollectorApp({ store, metrics, logger: pino({ level: 'silent' }) });
  return { app, metrics, seen };
}

describe('collector app', () => {
  it('passes validated filters to the store, with instants as dates', async () => {
    const { app, seen } = setup();
    const res = await request(app).get('/api/v1/runs?journey=login&status=down&from=2026-11-01T00:00:00Z&limit=10');
    expect(res.status).toBe(200);
    expect(res.body.runs).toHaveLength(1);
    expect(seen[0]).toMatchObject({ journey: 'login', status: 'down', limit: 10 });
    expect(seen[0]?.from).toEqual(new Date('2026-11-01T00:00:00Z'));
  });

  it('rejects bad filters with a 400 naming the field', async () => {
    const { app } = setup();
    const res = await request(app).get('/api/v1/runs?status=green&limit=0');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('VALIDATION');
    expect(res.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['limit', 'status']);
    const unknown = await request(app).get('/api/v1/runs?colour=red');
    expect(unknown.status).toBe(400);
  });

  it('answers 404 for unknown runs and routes', async () => {
    const { app } = setup();
    expect((await request(app).get('/api/v1/runs/2')).status).toBe(404);
    expect((await request(app).get('/api/v1/runs/1')).body).toEqual({ id: 1 });
    expect((await request(app).get('/nope')).status).toBe(404);
  });

  it('exposes run metrics on /metrics', async () => {
    const { app, metrics } = setup();
    metrics.observeRun(run());
    metrics.observeRun(run({ status: 'down', scheduledAt: '2026-11-02T08:01:00.000Z' }));
    const text = (await request(app).get('/metrics')).text;
    expect(text).toContain('vigie_runs_total{journey="login",tenant="0510001T",location="local",trigger="scheduled",status="up"} 1');
    expect(text).toContain('vigie_runs_total{journey="login",tenant="0510001T",location="local",trigger="scheduled",status="down"} 1');
    expect(text).toContain('vigie_probe_success{journey="login",tenant="0510001T",location="local"} 0');
    expect(text).toMatch(/vigie_step_duration_seconds_count\{journey="login",step="open-ent",status="passed"\} 2/);
    // A failed step's duration (a 15 s step timeout) is kept apart from the passing ones (issue 8 item 2).
    const failed = run({ status: 'down', scheduledAt: '2026-11-02T08:02:00.000Z' });
    failed.attempts[0]!.steps[0] = { ...failed.attempts[0]!.steps[0]!, status: 'failed', durationMs: 15_000, error: { kind: 'timeout', message: 'no page' } };
    metrics.observeRun(failed);
    const after = (await request(app).get('/metrics')).text;
    expect(after).toMatch(/vigie_step_duration_seconds_count\{journey="login",step="open-ent",status="passed"\} 2/);
    expect(after).toMatch(/vigie_step_duration_seconds_sum\{journey="login",step="open-ent",status="passed"\} 0\.8\b/);
    expect(after).toMatch(/vigie_step_duration_seconds_count\{journey="login",step="open-ent",status="failed"\} 1/);
    expect(text).toMatch(/vigie_journey_last_run_timestamp_seconds\{journey="login",tenant="0510001T"\} 1793606401\.334/);
  });

  it('never serves NaN or Inf samples (prom-client event-loop figures before their first sample; F7)', async () => {
    const { app, metrics } = setup();
    const { Gauge } = await import('prom-client');
    new Gauge({ name: 'test_nan', help: 'x', registers: [metrics.registry] }).set(Number.NaN);
    new Gauge({ name: 'test_inf', help: 'x', registers: [metrics.registry] }).set(Number.POSITIVE_INFINITY);
    new Gauge({ name: 'test_one', help: 'x', registers: [metrics.registry] }).set(1);
    const text = (await request(app).get('/metrics')).text;
    expect(text).not.toMatch(/NaN|Inf/);
    expect(text).toContain('test_one 1');
  });

  it('answers 4xx, never 500, to malformed (400) or oversized (413) JSON bodies and odd ids', async () => {
    const { app } = setup();
    const bad = await request(app).post('/api/v1/runs').set('content-type', 'application/json').send('{"from":');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('VALIDATION');
    const nul = await request(app).post('/api/v1/runs').set('content-type', 'application/json').send('null');
    expect(nul.status).toBe(400);
    const big = await request(app).post('/api/v1/runs').set('content-type', 'application/json').send(`{"a":"${'x'.repeat(6 * 1024 * 1024)}"}`);
    expect(big.status).toBe(413); // body-parser's own status (issue 8 item 6: an error carrying a 4xx keeps it)
    for (const id of ['abc', '0x1', '-1', '1e3']) {
      const res = await request(app).get(`/api/v1/runs/${id}`);
      expect(res.status).toBe(400);
      expect(res.body.issues[0].path).toBe('id');
    }
  });

  it('reports health', async () => {
    const { app } = setup();
    const res = await request(app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
  });

  it('answers 503 on /healthz when the store is unreachable', async () => {
    const app = createCollectorApp({
      store: { runs: { list: async () => ({ runs: [], nextCursor: null }), get: async () => null, screenshot: async () => null } },
      metrics: createMetrics(),
      logger: pino({ level: 'silent' }),
      health: async () => ({ store: 'unavailable', buffered: 3 }),
    });
    const res = await request(app).get('/healthz');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'degraded', store: 'unavailable', buffered: 3 });
  });
});
