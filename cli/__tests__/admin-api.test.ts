import { describe, expect, it } from 'vitest';
import request from 'supertest';
import pino from 'pino';
import { createCollectorApp } from '../../collector/app.js';
import { createMetrics } from '../../collector/metrics.js';
import { createAdminRouter, type AdminHandlers } from '../admin-api.js';
import { VigieError } from '../../core/errors.js';

function app(handlers: Partial<AdminHandlers>) {
  const router = createAdminRouter('s3cret-token', handlers as AdminHandlers);
  return createCollectorApp({
    store: { listRuns: async () => ({ runs: [], nextCursor: null }), getRun: async () => null, getScreenshot: async () => null },
    metrics: createMetrics(),
    logger: pino({ level: 'silent' }),
    routers: [{ path: '/api/v1/admin', router }],
  });
}

describe('admin API', () => {
  it('refuses calls without the token', async () => {
    const a = app({});
    expect((await request(a).post('/api/v1/admin/runs').send({ journey: 'login', tenant: 'x' })).status).toBe(401);
    expect((await request(a).post('/api/v1/admin/runs').set('authorization', 'Bearer nope').send({})).status).toBe(401);
  });

  it('runs a manual journey and validates its body', async () => {
    const calls: unknown[] = [];
    const a = app({ runManual: async (...args) => { calls.push(args); return { status: 'up' } as never; } });
    const auth = { authorization: 'Bearer s3cret-token' };
    expect((await request(a).post('/api/v1/admin/runs').set(auth).send({ journey: 'login' })).status).toBe(400);
    const ok = await request(a).post('/api/v1/admin/runs').set(auth).send({ journey: 'login', tenant: '0519990G' });
    expect(ok.status).toBe(200);
    expect(calls).toEqual([['login', '0519990G', undefined]]);
  });

  it('pauses and resumes, mapping conflicts to 409', async () => {
    const a = app({
      pause: async (id, author, reason) => ({ scheduleId: id, author, reason }) as never,
      resume: async () => { throw new VigieError('CONFLICT', 'schedule x is not paused'); },
    });
    const auth = { authorization: 'Bearer s3cret-token' };
    const p = await request(a).post('/api/v1/admin/schedules/login-lycee/pause').set(auth).send({ author: 'ops', reason: 'travaux' });
    expect(p.body).toEqual({ scheduleId: 'login-lycee', author: 'ops', reason: 'travaux' });
    const r = await request(a).post('/api/v1/admin/schedules/login-lycee/resume').set(auth).send({ author: 'ops' });
    expect(r.status).toBe(409);
    expect(r.body.message).toContain('not paused');
  });
});

describe('write guard of the SLA routes', () => {
  it('refuses corrections and incidents without the token, accepts them with it', async () => {
    const { createSlaRouter } = await import('../../collector/sla-routes.js');
    const { requireToken } = await import('../admin-api.js');
    const added: unknown[] = [];
    const handlers = { addCorrection: async (b: unknown) => { added.push(b); return { id: 1 }; }, listCorrections: async () => [] } as never;
    const a = createCollectorApp({
      store: { listRuns: async () => ({ runs: [], nextCursor: null }), getRun: async () => null, getScreenshot: async () => null },
      metrics: createMetrics(),
      logger: pino({ level: 'silent' }),
      routers: [{ path: '/api/v1', router: createSlaRouter(handlers, { writeGuard: requireToken('t'.repeat(40), { loopbackOnly: false }) }) }],
    });
    const body = { from: '2026-10-05T06:00:00Z', to: '2026-10-05T06:05:00Z', reason: 'test', author: 'eve' };
    expect((await request(a).post('/api/v1/corrections').send(body)).status).toBe(401);
    expect((await request(a).post('/api/v1/incidents').send({})).status).toBe(401);
    expect(added).toEqual([]);
    expect((await request(a).get('/api/v1/corrections')).status).toBe(200);
    const ok = await request(a).post('/api/v1/corrections').set('authorization', `Bearer ${'t'.repeat(40)}`).send(body);
    expect(ok.status).toBe(201);
    expect(added).toHaveLength(1);
  });

  it('takes VIGIE_API_TOKEN when set, and refuses a short one', async () => {
    const { newAdminToken } = await import('../admin-api.js');
    expect(newAdminToken({ VIGIE_API_TOKEN: 'x'.repeat(32) })).toBe('x'.repeat(32));
    expect(() => newAdminToken({ VIGIE_API_TOKEN: 'short' })).toThrow(/at least 32/);
    expect(newAdminToken({})).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('which running vigie start a command talks to', () => {
  it('uses the live process only when it holds the store this command would open', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { writeAdminEndpoint, readAdminEndpoint, databaseUrlFingerprint } = await import('../admin-api.js');
    const dir = mkdtempSync(join(tmpdir(), 'vigie-admin-'));
    const base = { url: 'http://127.0.0.1:1', token: 't', pid: process.pid };
    await writeAdminEndpoint(dir, { ...base, store: { kind: 'pglite' } });
    expect(await readAdminEndpoint(dir, {})).not.toBeNull();
    expect(await readAdminEndpoint(dir, { DATABASE_URL: 'postgres://x/y' })).toBeNull(); // an explicit server wins
    await writeAdminEndpoint(dir, { ...base, store: { kind: 'postgres', urlSha256: databaseUrlFingerprint('postgres://x/y') } });
    expect(await readAdminEndpoint(dir, { DATABASE_URL: 'postgres://x/y' })).not.toBeNull();
    expect(await readAdminEndpoint(dir, { DATABASE_URL: 'postgres://x/other' })).toBeNull();
    expect(await readAdminEndpoint(dir, {})).toBeNull();
    await writeAdminEndpoint(dir, { ...base, pid: 2 ** 22 + 12345, store: { kind: 'pglite' } }); // no such process
    expect(await readAdminEndpoint(dir, {})).toBeNull();
  });
});
