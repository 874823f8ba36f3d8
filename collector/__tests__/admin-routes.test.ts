import { describe, expect, it } from 'vitest';
import request from 'supertest';
import pino from 'pino';
import { createCollectorApp } from '../app.js';
import { createMetrics } from '../metrics.js';
import { createAdminRouter, type AdminHandlers } from '../admin-routes.js';
import { attachContext, requireToken } from '../auth.js';
import { VigieError } from '../../core/errors.js';
import type { RequestContext } from '../../core/request-context.js';

function app(handlers: Partial<AdminHandlers>) {
  const router = createAdminRouter('s3cret-token', handlers as AdminHandlers);
  return createCollectorApp({
    store: { runs: { list: async () => ({ runs: [], nextCursor: null }), get: async () => null, screenshot: async () => null } },
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
    // The handler gets the request context of the token holder first (the security work fills its scopes).
    expect(calls).toEqual([[{ actor: 'token:admin', scopes: ['admin'] }, 'login', '0519990G', undefined]]);
  });

  it('pauses and resumes, mapping conflicts to 409', async () => {
    const a = app({
      pause: async (_ctx, id, author, reason) => ({ scheduleId: id, author, reason }) as never,
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
    const { createSlaRouter } = await import('../sla-routes.js');
    const added: unknown[] = [];
    const contexts: RequestContext[] = [];
    const inputs = {
      addCorrection: async (ctx: RequestContext, b: unknown) => { contexts.push(ctx); added.push(b); return { id: 1 }; },
      listCorrections: async (ctx: RequestContext) => { contexts.push(ctx); return []; },
    };
    const deps = { engine: {} as never, inputs: inputs as never };
    const a = createCollectorApp({
      store: { runs: { list: async () => ({ runs: [], nextCursor: null }), get: async () => null, screenshot: async () => null } },
      metrics: createMetrics(),
      logger: pino({ level: 'silent' }),
      attachContext: attachContext('t'.repeat(40)),
      routers: [{ path: '/api/v1', router: createSlaRouter(deps, { writeGuard: requireToken('t'.repeat(40), { loopbackOnly: false }) }) }],
    });
    const body = { from: '2026-10-05T06:00:00Z', to: '2026-10-05T06:05:00Z', reason: 'test', author: 'eve' };
    expect((await request(a).post('/api/v1/corrections').send(body)).status).toBe(401);
    expect((await request(a).post('/api/v1/incidents').send({})).status).toBe(401);
    expect(added).toEqual([]);
    expect((await request(a).get('/api/v1/corrections')).status).toBe(200);
    const ok = await request(a).post('/api/v1/corrections').set('authorization', `Bearer ${'t'.repeat(40)}`).send(body);
    expect(ok.status).toBe(201);
    expect(added).toHaveLength(1);
    // Readers without a token are anonymous; the token holder is the admin.
    expect(contexts.map((c) => c.actor)).toEqual(['anonymous', 'token:admin']);
  });
});
