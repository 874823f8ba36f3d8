import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../index.js';
import { Client, login } from './client.js';

let nowMs = Date.parse('2026-11-29T09:30:00Z');
let sb: SandboxHandle;
const lycee = () => sb.fixtures.establishments[0]!;
const lyceeUrl = () => sb.urls.ents[lycee().uai];
const collegeUrl = () => sb.urls.ents[sb.fixtures.establishments[1]!.uai];

beforeAll(async () => {
  sb = await startSandbox({ port: 0, adminPort: 0, now: () => new Date(nowMs) });
});
afterAll(async () => {
  await sb.close();
});
beforeEach(() => {
  sb.faults.reset();
});

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${sb.adminUrl}${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  return { status: res.status, json: await res.json() };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

describe('fault API over HTTP', () => {
  it('reads, merges, replaces and resets the fault state', async () => {
    const initial = await admin('GET', '/faults');
    expect(initial.json).toMatchObject({ latency: [], errors: [], outages: [], rollCallLost: false, brokenLogout: false });
    await admin('POST', '/faults', { rollCallLost: true });
    await admin('POST', '/faults', { latency: [{ host: 'sso', ms: 5 }] });
    expect(sb.faults.get()).toMatchObject({ rollCallLost: true, latency: [{ host: 'sso', ms: 5 }] });
    const replaced = await admin('PUT', '/faults', { brokenLogout: true });
    expect(replaced.json).toMatchObject({ brokenLogout: true, rollCallLost: false, latency: [] });
    await admin('POST', '/faults/reset');
    expect(sb.faults.get().brokenLogout).toBe(false);
  });

  it('answers 400 with the path of each problem', async () => {
    const bad = await admin('POST', '/faults', { latency: [{ ms: -1 }], nonsense: 1 });
    expect(bad.status).toBe(400);
    const paths = (bad.json as { issues: { path: string }[] }).issues.map((i) => i.path);
    expect(paths).toContain('latency.0.ms');
    expect((await admin('POST', '/faults', '{')).status).toBe(400);
    expect((await admin('GET', '/nowhere')).status).toBe(404);
  });

  it('fixes and releases the clock, edits the roster, shows and resets the state', async () => {
    const fixed = await admin('POST', '/clock', { at: '2026-11-30T07:15:00Z' });
    expect(fixed.json).toEqual({ now: '2026-11-30T07:15:00.000Z', fixedAt: '2026-11-30T07:15:00.000Z' });
    expect(sb.clock.now().toISOString()).toBe('2026-11-30T07:15:00.000Z');
    expect((await admin('POST', '/clock', { at: null })).json).toMatchObject({ fixedAt: null, now: new Date(nowMs).toISOString() });
    expect((await admin('POST', '/clock', { at: 'yesterday' })).status).toBe(400);

    const added = await admin('POST', '/roster', { uai: lycee().uai, classId: 'TEST-2NDE', pupil: { id: 'REAL-1', name: 'Élève Réel' } });
    expect(added.json).toEqual({ [`${lycee().uai}/TEST-2NDE`]: [{ id: 'REAL-1', name: 'Élève Réel' }] });
    expect((await admin('POST', '/roster', { uai: lycee().uai, classId: 'NOPE', pupil: { id: 'a', name: 'b' } })).status).toBe(400);
    const state = await admin('GET', '/state');
    expect(state.json).toMatchObject({ sheets: [], absences: [], rosterAdditions: { [`${lycee().uai}/TEST-2NDE`]: [{ id: 'REAL-1' }] } });
    expect((await admin('POST', '/roster', { reset: true })).json).toEqual({});
  });
});

describe('fault effects', () => {
  it('adds latency to the matching host and path only', async () => {
    const c = new Client(sb.port);
    sb.faults.set({ latency: [{ host: 'lycee-sandbox.localhost', path: '/', ms: 300 }] });
    expect((await timed(() => c.get(`${lyceeUrl()}/`))).ms).toBeGreaterThanOrEqual(295);
    expect((await timed(() => c.get(`${lyceeUrl()}/emploi-du-temps`))).ms).toBeLessThan(250);
    expect((await timed(() => c.get(`${collegeUrl()}/`))).ms).toBeLessThan(250);
  });

  it('answers an injected status on a route, a given number of times', async () => {
    const c = new Client(sb.port);
    sb.faults.set({ errors: [{ host: 'sso', path: '/login', status: 502, times: 2 }] });
    expect((await c.get(`${sb.urls.sso}/login`)).status).toBe(502);
    expect((await c.get(`${sb.urls.sso}/serviceValidate`)).status).toBe(200);
    expect((await c.get(`${sb.urls.sso}/login`)).status).toBe(502);
    expect((await c.get(`${sb.urls.sso}/login`)).status).toBe(200);
    expect(sb.faults.get().errors).toEqual([]);
  });

  it('takes every host or one host down, until an instant', async () => {
    const c = new Client(sb.port);
    sb.faults.set({ outages: [{}] });
    for (const url of [sb.urls.sso, sb.urls.idp, sb.urls.idpAgents, lyceeUrl()]) expect((await c.get(`${url}/`)).status).toBe(503);
    sb.faults.set({ outages: [{ host: 'college-sandbox', until: new Date(nowMs + 60_000).toISOString() }] });
    expect((await c.get(`${collegeUrl()}/`)).status).toBe(503);
    expect((await c.get(`${lyceeUrl()}/`)).status).toBe(302);
    nowMs += 61_000;
    expect((await c.get(`${collegeUrl()}/`)).status).toBe(302);
  });

  it('resets connections in outage mode "reset"', async () => {
    sb.faults.set({ outages: [{ host: 'sso', mode: 'reset' }] });
    await expect(new Client(sb.port).get(`${sb.urls.sso}/login`)).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  it('shows a waiting-queue page on the ENT hosts', async () => {
    const c = new Client(sb.port);
    sb.faults.set({ waitingQueue: { host: 'lycee-sandbox' } });
    const page = await c.get(`${lyceeUrl()}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain("File d'attente");
    expect((await c.get(`${collegeUrl()}/`)).status).toBe(302);
  });

  it('makes the SSO refuse the service URL', async () => {
    const c = new Client(sb.port);
    sb.faults.set({ refuseService: {} });
    const answer = await c.follow(c.get(`${lyceeUrl()}/`));
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('data-error="service"');
  });

  it('takes one identity provider down', async () => {
    const c = new Client(sb.port);
    sb.faults.set({ idpDown: { idp: 'idp-agents' } });
    expect((await c.get(`${sb.urls.idpAgents}/login`)).status).toBe(503);
    expect((await c.get(`${sb.urls.idp}/login`)).status).toBe(200);
    expect((await login(c, sb, lycee().uai, lycee().accounts.teacher)).status).toBe(503);
    expect(c.cookie('sso.localhost', 'CASTGC')).toBeUndefined();
  });
});

describe('close()', () => {
  it('closes keep-alive sockets and pending latency promptly', async () => {
    const other = await startSandbox({ port: 0, adminPort: 0 });
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: other.port, path: '/', headers: { Host: 'sso.localhost' }, agent }, (res) => {
          res.resume();
          res.on('end', resolve);
        })
        .on('error', reject);
    });
    other.faults.set({ latency: [{ ms: 60_000 }] });
    const pending = new Promise((resolve) => {
      http.get({ host: '127.0.0.1', port: other.port, path: '/', headers: { Host: 'sso.localhost' } }).on('error', resolve);
    });
    await new Promise((r) => setTimeout(r, 50));
    const { ms } = await timed(() => other.close());
    expect(ms).toBeLessThan(1000);
    await pending;
    agent.destroy();
  });
});
