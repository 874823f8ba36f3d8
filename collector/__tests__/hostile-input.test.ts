import { gzipSync, brotliCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { ACCEPTED_ENCODINGS, MAX_BODY_DEPTH, classifyError } from '../hostile-input.js';
import { ROUTES, TOKEN, buildCollector, capturingLogger, filledPath } from './hostile-fixture.js';

// Issue 8 item 6: hostile input gets a 4xx with a short message, logged once at warn without a stack, and nothing of
// it reaches the store. The app is the one `vigie start` builds (hostile-fixture.ts), its store a recording fake.

const auth = { authorization: `Bearer ${TOKEN}` };
/** superagent would JSON-encode a Buffer sent as `application/json`: send the bytes as they are. */
const raw = (body: unknown) => body as string;
const correction = ROUTES.find((r) => r.method === 'POST' && r.path === '/api/v1/corrections')!.body!;

function setup() {
  const { logger, lines } = capturingLogger();
  const { app, record } = buildCollector({ logger });
  return { app, record, lines };
}

/** The one log record of a rejected request: warn, no stack, no error object. */
function expectOneWarn(lines: Record<string, unknown>[], status: number) {
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ level: 40, status });
  expect(JSON.stringify(lines[0])).not.toMatch(/stack|"err"/);
}

describe('hostile input → 4xx naming the field, never reaching the store', () => {
  it('the base requests are accepted, and each POST writes once (so the cases below are one mutation from a write)', async () => {
    const { app, record } = setup();
    for (const route of ROUTES) {
      const req = route.method === 'GET' ? request(app).get(filledPath(route.path)).query(route.query ?? {}) : request(app).post(filledPath(route.path)).send(route.body);
      const res = await req.set(auth);
      expect(res.status, `${route.method} ${route.path}: ${res.text}`).toBeLessThan(300);
    }
    expect(record.writes).toHaveLength(ROUTES.filter((r) => r.method === 'POST').length);
    expect(record.refused).toEqual([]);
  });

  it('a NUL in a query value or key is a 400 naming the key', async () => {
    const { app, record, lines } = setup();
    const res = await request(app).get('/api/v1/runs').query({ journey: 'log\u0000in' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'VALIDATION', issues: [{ path: 'journey', message: expect.stringContaining('NUL') }] });
    expect(res.body.message).toMatch(/^requête invalide \(journey\) \/ invalid query \(journey\)/);
    expectOneWarn(lines, 400);
    expect((await request(app).get('/api/v1/sla?contract=region&month=2026-10&ten%00ant=x')).body.issues[0].path).toBe('ten\\0ant');
    expect((await request(app).get('/api/v1/corrections?from=2026-10-05%00')).status).toBe(400);
    expect(record).toMatchObject({ writes: [], refused: [], reads: 0 });
  });

  it('a NUL in a path parameter, or bad percent-encoding in a path, is a 400', async () => {
    const { app, record, lines } = setup();
    for (const path of ['/api/v1/runs/%E0%A4%A', '/api/v1/runs/%', '/api/v1/runs/1/attempts/%C0%AF/screenshot.png', '/api/v1/admin/schedules/%FF/pause']) {
      const res = await request(app).get(path);
      expect(res.status, path).toBe(400);
      expect(res.body.issues[0]).toMatchObject({ path: '(path)', message: expect.stringContaining('percent-encoding') });
    }
    const nul = await request(app).post('/api/v1/admin/schedules/login%00lycee/pause').set(auth).send({ author: 'ops' });
    expect(nul.status).toBe(400);
    expect(nul.body.issues[0].message).toContain('NUL');
    expect(lines.every((l) => l.level === 40 && !('err' in l))).toBe(true);
    expect(lines).toHaveLength(5);
    expect(record).toMatchObject({ writes: [], refused: [] });
  });

  it('a NUL or a lone surrogate anywhere in a JSON body (values and keys) is a 400 naming its path', async () => {
    const { app, record, lines } = setup();
    const cases: [unknown, string][] = [
      [{ ...correction, reason: 'panne\u0000' }, 'reason'],
      [{ ...correction, scope: { tenants: ['0519990G', '\u0000'] } }, 'scope.tenants[1]'],
      [{ ...correction, 'rea\u0000son': 'x' }, 'rea\\0son'],
      [{ ...correction, author: 'ev\ud800e' }, 'author'],
    ];
    for (const [body, path] of cases) {
      const res = await request(app).post('/api/v1/corrections').set(auth).send(body as object);
      expect(res.status, path).toBe(400);
      expect(res.body.issues[0].path).toBe(path);
    }
    // Also once the body is decompressed, and under the admin API.
    const gz = await request(app).post('/api/v1/admin/audit').set(auth).set({ 'content-type': 'application/json', 'content-encoding': 'gzip' })
      .serialize(raw).send(gzipSync(JSON.stringify({ actor: 'ops', action: 'x', details: { a: [{ b: '\u0000' }] } })));
    expect(gz.status).toBe(400);
    expect(gz.body.issues[0].path).toBe('details.a[0].b');
    expect(lines).toHaveLength(5);
    expect(record).toMatchObject({ writes: [], refused: [] });
  });

  it(`a body nested deeper than ${MAX_BODY_DEPTH} levels is a 400, even 100,000 levels deep`, async () => {
    const { app, record } = setup();
    for (const depth of [MAX_BODY_DEPTH + 1, 100_000]) {
      const res = await request(app).post('/api/v1/admin/revisions').set(auth).type('json').send(`{"snapshot":${'['.repeat(depth)}${']'.repeat(depth)},"createdAt":"2026-10-05T06:00:00Z"}`);
      expect(res.status).toBe(400);
      expect(res.body.issues[0].message).toContain('nested deeper');
    }
    expect(record.writes).toEqual([]);
  });

  it('a Content-Encoding the server does not take is a 415 listing the accepted ones; an undecodable body a 400', async () => {
    const { app, record, lines } = setup();
    const unsupported = ['compress', 'x-garbage', 'gzip, br', ...(ACCEPTED_ENCODINGS.includes('zstd') ? [] : ['zstd'])];
    for (const coding of unsupported) {
      const res = await request(app).post('/api/v1/corrections').set(auth).set({ 'content-type': 'application/json', 'content-encoding': coding }).send(JSON.stringify(correction));
      expect(res.status, coding).toBe(415);
      expect(res.headers['accept-encoding']).toBe(ACCEPTED_ENCODINGS);
      expect(res.body.message).toMatch(/^encodage de contenu non pris en charge .* \/ unsupported Content-Encoding/);
    }
    for (const coding of ['br', 'gzip', 'deflate', ...(ACCEPTED_ENCODINGS.includes('zstd') ? ['zstd'] : [])]) {
      const res = await request(app).post('/api/v1/incidents').set(auth).set({ 'content-type': 'application/json', 'content-encoding': coding }).serialize(raw).send(Buffer.from('not compressed at all'));
      expect(res.status, coding).toBe(400);
      expect(res.body.message).toMatch(/corps compressé illisible \/ compressed request body cannot be decoded/);
    }
    const br = await request(app).post('/api/v1/incidents').set(auth).set({ 'content-type': 'application/json', 'content-encoding': 'br' }).serialize(raw).send(brotliCompressSync(JSON.stringify(ROUTES[11]!.body)));
    expect(br.status).toBe(201); // a coding it does take still works
    expect(lines.filter((l) => l.level === 40)).toHaveLength(unsupported.length + 3 + (ACCEPTED_ENCODINGS.includes('zstd') ? 1 : 0));
    expect(lines.some((l) => (l.level as number) >= 50)).toBe(false);
    expect(record.writes).toHaveLength(1);
  });

  it("body-parser's errors keep their 4xx: bad JSON 400, unknown charset 415, too large 413 (a gzip bomb too)", async () => {
    const { app, record, lines } = setup();
    const bad = await request(app).post('/api/v1/corrections').set(auth).type('json').send('{"from":');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'VALIDATION', issues: [{ path: '(body)' }] });
    const charset = await request(app).post('/api/v1/corrections').set(auth).set('content-type', 'application/json; charset=x-klingon').send('{}');
    expect(charset.status).toBe(415);
    const big = await request(app).post('/api/v1/corrections').set(auth).type('json').send(`{"reason":"${'x'.repeat(6 * 1024 * 1024)}"}`);
    expect(big.status).toBe(413);
    expect(big.body.message).toMatch(/trop gros .* \/ request body too large/);
    const bomb = gzipSync(`{"reason":"${'0'.repeat(64 * 1024 * 1024)}"}`); // ~64 KB on the wire
    const boom = await request(app).post('/api/v1/corrections').set(auth).set({ 'content-type': 'application/json', 'content-encoding': 'gzip' }).serialize(raw).send(bomb);
    expect(boom.status).toBe(413);
    expect(lines.map((l) => l.status)).toEqual([400, 415, 413, 413]);
    expect(lines.every((l) => l.level === 40 && !('err' in l))).toBe(true);
    expect(record.writes).toEqual([]);
  });

  it('a body of invalid UTF-8 is a 400 (never stored with U+FFFD); a write that is not JSON a 415', async () => {
    const { app, record, lines } = setup();
    // "réseau" saved in Latin-1: é is the single byte 0xE9.
    const latin1 = Buffer.from(JSON.stringify({ ...correction, reason: 'r\u00e9seau' }), 'latin1');
    const bad = await request(app).post('/api/v1/corrections').set(auth).set('content-type', 'application/json').serialize(raw).send(latin1);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ message: 'corps de requête en UTF-8 invalide / request body is not valid UTF-8', issues: [{ path: '(body)' }] });
    const text = await request(app).post('/api/v1/corrections').set(auth).set('content-type', 'text/plain').send(JSON.stringify(correction));
    expect(text.status).toBe(415);
    expect(text.body.message).toBe("Content-Type application/json attendu / Content-Type application/json expected");
    const form = await request(app).post('/api/v1/corrections').set(auth).type('form').send({ reason: 'x' });
    expect(form.status).toBe(415);
    expect(lines.map((l) => l.status)).toEqual([400, 415, 415]);
    expect(record.writes).toEqual([]);
  });

  it('a real bug stays a 500, logged once at error with its stack, its detail not sent', async () => {
    const { logger, lines } = capturingLogger();
    const { app } = buildCollector({ logger, engineStatus: async () => { throw new TypeError('cannot read properties of undefined'); } });
    const res = await request(app).get('/api/v1/status');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'INTERNAL', message: 'erreur interne / internal error' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, err: { type: 'TypeError', stack: expect.stringContaining('TypeError') } });
  });
});

describe('classifyError', () => {
  const req = { headers: {} } as never;
  it('keeps the 4xx of foreign errors (Express, body-parser), with the code of that status; the rest is a bug', () => {
    const uri = Object.assign(new URIError("Failed to decode param '%E0%A4%A'"), { status: 400, statusCode: 400 });
    expect(classifyError(uri, req)).toMatchObject({ status: 400, type: 'uri.malformed', error: { code: 'VALIDATION', message: expect.stringMatching(/percent-encoding/) } });
    expect(classifyError(Object.assign(new Error('x'), { statusCode: 404 }), req)).toMatchObject({ status: 404, error: { code: 'NOT_FOUND' } });
    expect(classifyError(Object.assign(new Error('x'), { status: 429 }), req)).toMatchObject({ status: 429, error: { code: 'RATE_LIMITED' } });
    expect(classifyError(Object.assign(new Error('x'), { status: 418 }), req)).toMatchObject({ status: 418, error: { message: 'requête refusée (HTTP 418) / request refused (HTTP 418)' } });
    expect(classifyError(Object.assign(new Error('x'), { status: 500, type: 'stream.encoding.set' }), req)).toEqual({ status: 500, error: null });
    expect(classifyError(new TypeError('bug'), req)).toEqual({ status: 500, error: null });
    expect(classifyError('a string', req)).toEqual({ status: 500, error: null });
  });
});
