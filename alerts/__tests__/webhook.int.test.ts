import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertIncident, AlertNotice } from '../../db/index.js';
import { isPermanent } from '../outbox.js';
import { createWebhookSender } from '../webhook.js';

/**
 * The webhook channel against a real HTTP receiver on loopback: the receiver checks the HMAC signature as its
 * documentation says (alerts/README.md), sees the same idempotency key on a retry, and the Matrix preset sends an
 * `m.room.message` with the access token under a transaction id fixed per notice. 4xx is permanent, 5xx retried.
 */
interface Hit { method: string; url: string; headers: IncomingMessage['headers']; body: string }
const hits: Hit[] = [];
let answer = 200;
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      hits.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(answer, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const incident: AlertIncident = {
  id: 7, scheduleId: 'platform:ent:login', journey: 'login', target: 'ent', tenant: '*', severity: 'outage', scope: 'platform', platformId: null, members: 2, location: null, detail: {},
  outageStart: '2026-10-05T06:00:00.000Z', openedAt: '2026-10-05T06:01:00.000Z', resolvedAt: null, acknowledgedAt: null, acknowledgedBy: null,
};
const notice = (recipient: string): AlertNotice => ({
  id: 1, incidentId: 7, kind: 'down', channel: 'webhook', recipient, messageId: '<incident-7.down.x@vigie.test>', status: 'pending', attempts: 0,
  nextAttemptAt: '2026-10-05T06:01:05.000Z', lastError: null, createdAt: '2026-10-05T06:01:05.000Z', sentAt: null,
});

describe('webhook channel', () => {
  it('POSTs JSON signed with HMAC-SHA256 that the receiver can verify, with the same idempotency key on a retry', async () => {
    hits.length = 0;
    answer = 200;
    const send = createWebhookSender([{ id: 'region', url: `${base}/hook`, secret: 'clé-de-test', preset: 'json' }], { zone: 'Europe/Paris', targetName: () => 'ENT Test' });
    await send(notice('region'), incident);
    await send(notice('region'), incident);
    expect(hits).toHaveLength(2);
    const [first, second] = hits as [Hit, Hit];
    const expected = createHmac('sha256', 'clé-de-test').update(first.body).digest();
    const given = Buffer.from(String(first.headers['x-vigie-signature']).replace(/^sha256=/, ''), 'hex');
    expect(timingSafeEqual(given, expected)).toBe(true);
    expect(first.headers['idempotency-key']).toBe('<incident-7.down.x@vigie.test>');
    expect(second.headers['idempotency-key']).toBe(first.headers['idempotency-key']);
    const body = JSON.parse(first.body) as { kind: string; incident: { scope: string; establishments: number }; subject: string };
    expect(body).toMatchObject({ kind: 'down', incident: { scope: 'platform', establishments: 2 } });
    expect(body.subject).toBe('[Vigie] PANNE PLATEFORME — ENT Test — Connexion');
    expect(first.body).not.toContain('clé-de-test');
  });

  it('Matrix preset: PUT of an m.room.message with the access token, under a transaction id fixed per notice', async () => {
    hits.length = 0;
    answer = 200;
    const url = `${base}/_matrix/client/v3/rooms/!salle:tchap.test/send/m.room.message`;
    const send = createWebhookSender([{ id: 'tchap', url, secret: 'jeton', preset: 'matrix' }], { zone: 'Europe/Paris' });
    await send(notice('tchap'), incident);
    await send(notice('tchap'), incident);
    expect(hits.map((h) => h.method)).toEqual(['PUT', 'PUT']);
    expect(hits[0]!.url).toBe(hits[1]!.url);
    expect(hits[0]!.url).toMatch(/^\/_matrix\/client\/v3\/rooms\/!salle:tchap\.test\/send\/m\.room\.message\/[A-Za-z0-9_-]+$/);
    expect(hits[0]!.headers.authorization).toBe('Bearer jeton');
    expect(JSON.parse(hits[0]!.body)).toMatchObject({ msgtype: 'm.text', body: expect.stringContaining('PANNE PLATEFORME') as string });
  });

  it('a 4xx answer is permanent (the notice is marked failed), a 5xx or a refused connection is retried', async () => {
    const send = createWebhookSender([{ id: 'h', url: `${base}/hook`, secret: 's', preset: 'json' }, { id: 'dead', url: 'http://127.0.0.1:1/hook', secret: 's', preset: 'json' }], { zone: 'UTC' });
    answer = 404;
    const gone = await send(notice('h'), incident).catch((e: unknown) => e);
    expect(isPermanent(gone)).toBe(true);
    answer = 503;
    const busy = await send(notice('h'), incident).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(Error);
    expect(isPermanent(busy)).toBe(false);
    const refused = await send(notice('dead'), incident).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    expect(isPermanent(refused)).toBe(false);
    expect(isPermanent(await send(notice('unknown'), incident).catch((e: unknown) => e))).toBe(true);
  });

  it('SMTP: every 5xx reply is permanent (relay denied 554, login refused 535 were retried for ever), 4xx is not', () => {
    for (const code of [550, 553, 554, 535]) expect(isPermanent(Object.assign(new Error('x'), { responseCode: code }))).toBe(true);
    for (const code of [421, 450, 451]) expect(isPermanent(Object.assign(new Error('x'), { responseCode: code }))).toBe(false);
  });
});
