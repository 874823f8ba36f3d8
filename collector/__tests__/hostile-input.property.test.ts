import { Agent, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, TOKEN, buildCollector, filledPath } from './hostile-fixture.js';

// Issue 8 acceptance, the HTTP half: at least 10,000 malformed requests against the collector as `vigie start`
// builds it (every router, real SLA inputs, a recording store that throws on NUL as PostgreSQL does): no 5xx, no
// crash, nothing stored. Each request starts from a route's accepted request (one mutation from a write, see
// hostile-input.test.ts) and carries at least one poison, plus random noise (method, headers, query, token); a 4xx
// is required whenever the poison must be refused (a schema poison in the body of a GET is ignored, rightly).
// Node's http client on a loopback server: supertest would re-listen for every request and re-encode some paths.

const NUM_RUNS = 10_000;

// Gate poisons are refused before any route (hostile-input.ts, body-parser); schema poisons by the routes' strict
// schemas (a POST route's body then never validates), so they reach the handlers too. (An unknown query key is
// noise, not a poison: a POST route ignores its query.)
const GATE_POISONS = ['nulQuery', 'nulQueryKey', 'badPercentQuery', 'badPercentPath', 'nulPath', 'unsupportedEncoding', 'undecodableBody', 'invalidJson', 'nulBody', 'nulBodyKey', 'loneSurrogate', 'deepBody', 'badCharset'] as const;
const SCHEMA_POISONS = ['unknownRootKey', 'wrongType'] as const;
type Poison = (typeof GATE_POISONS)[number] | (typeof SCHEMA_POISONS)[number];
const BODY_POISONS = new Set<Poison>(['unsupportedEncoding', 'undecodableBody', 'invalidJson', 'nulBody', 'nulBodyKey', 'loneSurrogate', 'deepBody', 'badCharset', 'unknownRootKey', 'wrongType']);
const QUERY_KEYS = ['journey', 'tenant', 'schedule', 'status', 'from', 'to', 'limit', 'cursor', 'contract', 'month', 'schoolYear', 'clause', 'actor', 'action', '__proto__', 'constructor'];
const BAD_PERCENT = ['%', '%E0%A4%A', '%C0%AF', '%FF', '%G1', '%%', '%ED%A0%80', '%u0041'];
const UNSUPPORTED = ['compress', 'x-garbage', 'gzip, br', 'identity;q=0', 'zstd2', 'GZIP2'];
const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/*+json', 'garbage'];

/** Percent-encodes UTF-8 bytes but unreserved ones: always a valid encoding (a lone surrogate becomes U+FFFD). */
const pct = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => (/[\w.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`)).join('');

const textArb = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 4, arbitrary: fc.constantFrom('login', '0519990G', '2026-10-05T06:00:00Z', '2026-10', '-1', '1e3', '', 'up', 'region') },
  // Long values; over node's 16 KB of headers the server itself answers 431.
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 20_000 }).map((n) => 'x'.repeat(n)) },
);

const requestArb = fc.record({
  route: fc.constantFrom(...ROUTES),
  method: fc.option(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'), { freq: 3 }),
  auth: fc.constantFrom('none', 'token', 'token', 'wrong'),
  poisons: fc.uniqueArray(fc.constantFrom<Poison>(...GATE_POISONS, ...SCHEMA_POISONS), { minLength: 1, maxLength: 3 }),
  query: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 8 })), textArb), { maxLength: 3 }),
  noise: fc.record({ text: fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), bad: fc.constantFrom(...BAD_PERCENT), at: fc.nat(), depth: fc.integer({ min: 65, max: 5000 }) }),
  contentType: fc.constantFrom(...CONTENT_TYPES),
  codings: fc.constantFrom(...UNSUPPORTED),
  accepted: fc.constantFrom('gzip' as const, 'deflate' as const, 'br' as const),
  extraHeaders: fc.dictionary(fc.constantFrom('accept', 'accept-encoding', 'x-forwarded-for', 'transfer-encoding-x', 'range', 'if-none-match'), fc.stringMatching(/^[\x21-\x7e]{0,40}$/), { maxKeys: 2 }),
});
type Generated = typeof requestArb extends fc.Arbitrary<infer T> ? T : never;

interface Wire {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Whether the request must be refused (4xx): a gate poison, or a schema poison on a POST route's body. */
  refused?: boolean;
}

/** Puts a poison at a random place of a JSON value: a new key of one of its objects, or one of their values. */
function poisonValue(value: Record<string, unknown>, at: number, replace: (s: string) => unknown, key: boolean): Record<string, unknown> {
  const copy = structuredClone(value);
  const objects: Record<string, unknown>[] = [];
  const stack: unknown[] = [copy];
  while (stack.length) {
    const v = stack.pop();
    if (!v || typeof v !== 'object') continue;
    if (!Array.isArray(v)) objects.push(v as Record<string, unknown>); // a named property of an array is not JSON
    stack.push(...Object.values(v));
  }
  const target = objects[at % objects.length]!;
  const keys = Object.keys(target);
  if (key || keys.length === 0) target[key ? 'na\u0000me' : 'x'] = replace('x');
  else { const k = keys[at % keys.length]!; target[k] = replace(typeof target[k] === 'string' ? (target[k] as string) : 'x'); }
  return copy;
}

function materialize(g: Generated): Wire {
  const { route, noise, poisons } = g;
  const has = (p: Poison) => poisons.includes(p);
  let segments = filledPath(route.path).split('/');
  const at = 1 + (noise.at % (segments.length - 1)); // never the empty segment before the first slash
  if (has('badPercentPath')) segments[at] = `${segments[at]}${noise.bad}`;
  if (has('nulPath')) segments[at] = `${segments[at]}%00`;
  if (noise.at % 7 === 0) segments = [...segments, pct(noise.text)]; // a trailing random segment
  const pairs = [...Object.entries(route.query ?? {}), ...g.query].map(([k, v]) => `${pct(k)}=${pct(v)}`);
  if (has('nulQuery')) pairs.push(`${QUERY_KEYS[noise.at % QUERY_KEYS.length]}=${pct(noise.text)}%00`);
  if (has('nulQueryKey')) pairs.push(`jour%00ney=${pct(noise.text)}`);
  if (has('badPercentQuery')) pairs.splice(noise.at % (pairs.length + 1), 0, `${QUERY_KEYS[noise.at % QUERY_KEYS.length]}=${noise.bad}`);
  const path = `${segments.join('/')}${pairs.length ? `?${pairs.join('&')}` : ''}`;

  const headers: Record<string, string> = { ...g.extraHeaders };
  if (g.auth === 'token') headers.authorization = `Bearer ${TOKEN}`;
  if (g.auth === 'wrong') headers.authorization = `Bearer ${'g'.repeat(40)}`;
  const method = g.method ?? route.method;
  const refused = poisons.some((p) => (GATE_POISONS as readonly string[]).includes(p)) || (method === 'POST' && route.method === 'POST' && (has('unknownRootKey') || has('wrongType')));
  const bodyPoisoned = poisons.some((p) => BODY_POISONS.has(p));
  if (!bodyPoisoned && !route.body && noise.at % 3 === 0) return { method, path, headers, refused }; // no body at all
  let value: Record<string, unknown> = structuredClone(route.body ?? {});
  // Every body schema is strict and takes no number or boolean at its root: either change breaks it.
  if (has('unknownRootKey')) value[`zz${noise.text}`] = 'red';
  if (has('wrongType')) value[Object.keys(value)[noise.at % Math.max(1, Object.keys(value).length)] ?? 'x'] = noise.at % 2 ? 42 : true;
  if (has('nulBody')) value = poisonValue(value, noise.at, (s) => `${s}\u0000${noise.text}`, false);
  if (has('loneSurrogate')) value = poisonValue(value, noise.at, (s) => `${s}\ud800`, false);
  if (has('nulBodyKey')) value = poisonValue(value, noise.at, () => noise.text, true);
  // Thousands of levels would overflow JSON.stringify here: a marker string, replaced in the text.
  if (has('deepBody')) value = poisonValue(value, noise.at, () => 'DEEP\u0001', false);
  let text = JSON.stringify(value).replace('"DEEP\\u0001"', `${'['.repeat(noise.depth)}${']'.repeat(noise.depth)}`);
  // A strict prefix (never empty: an empty body parses as {}) of an object's text never ends it, whatever follows.
  if (has('invalidJson')) text = text.slice(0, 1 + (noise.at % (text.length - 1))) + ['', ',', '\u0000', "'", '\\'][noise.at % 5]!;
  let body = Buffer.from(text, 'utf8');
  // A body poison only bites when the JSON parser reads the body: then the type is JSON, else anything.
  headers['content-type'] = bodyPoisoned ? 'application/json' : g.contentType;
  if (has('badCharset')) headers['content-type'] = 'application/json; charset=x-klingon';
  if (has('undecodableBody')) {
    // A valid stream cut short (random bytes may happen to be a valid, empty, brotli stream): its end never comes.
    const whole = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync }[g.accepted](body);
    headers['content-encoding'] = g.accepted;
    body = whole.subarray(0, 1 + (noise.at % (whole.length - 1)));
  } else if (!bodyPoisoned && noise.at % 5 === 0) {
    headers['content-encoding'] = 'gzip'; // noise: a coding the server takes, on a clean body
    body = gzipSync(body);
  }
  if (has('unsupportedEncoding')) headers['content-encoding'] = g.codings;
  return { method, path, headers, body, refused };
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function send(port: number, wire: Wire): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    // Node frames a GET, DELETE, HEAD or OPTIONS body only with an explicit Content-Length.
    const headers = wire.body ? { ...wire.headers, 'content-length': String(wire.body.length) } : wire.headers;
    const req = httpRequest({ host: '127.0.0.1', port, agent, method: wire.method, path: wire.path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8').slice(0, 500) }));
    });
    req.on('error', reject);
    req.end(wire.body);
  });
}

describe('10,000 malformed HTTP requests (fast-check)', () => {
  const { app, record } = buildCollector();
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = await new Promise<Server>((done) => { const s = app.listen(0, '127.0.0.1', () => done(s)); });
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    agent.destroy();
    await new Promise((done) => server.close(done));
  });

  it('answer 4xx (the poisoned ones), never 5xx, nothing reaches the store, and the app keeps answering', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(requestArb, async (g) => {
        const wire = materialize(g);
        const res = await send(port, wire);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const what = `${wire.method} ${wire.path.slice(0, 300)} ${JSON.stringify(wire.headers)} → ${res.status} ${res.text}`;
        expect(res.status, what).toBeLessThan(500);
        if (wire.refused) expect(res.status, what).toBeGreaterThanOrEqual(400);
        expect(record.writes).toEqual([]);
        expect(record.refused).toEqual([]);
      }),
      { numRuns: NUM_RUNS, seed: process.env.VIGIE_FC_SEED ? Number(process.env.VIGIE_FC_SEED) : undefined, endOnFailure: true },
    );
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(NUM_RUNS);
    // Several kinds of refusal were exercised, not one gate catching everything.
    expect([...statuses.keys()]).toEqual(expect.arrayContaining([400, 401, 404, 415]));
    // Still answering, and still writing when asked properly.
    expect((await send(port, { method: 'GET', path: '/healthz', headers: {} })).status).toBe(200);
    const post = ROUTES.find((r) => r.path === '/api/v1/corrections' && r.method === 'POST')!;
    const ok = await send(port, { method: 'POST', path: post.path, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(post.body)) });
    expect(ok.status).toBe(201);
    expect(record.writes).toHaveLength(1);
  }, 180_000);
});
