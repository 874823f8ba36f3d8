import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import { VigieError } from '../core/errors.js';
import type { RunResult } from '../core/run-types.js';
import type { SchedulePause } from '../db/index.js';
import type { SlaBackend } from './sla-backend.js';

/**
 * Loopback admin API of a running `vigie start` (DESIGN.md §4): other commands (`vigie run`, later `pause`, `sla`,
 * `import`) go through it while that process holds the embedded store. It answers only loopback clients holding the
 * token written to `<dataDir>/admin.json` (mode 0600).
 */
export interface AdminHandlers {
  runManual(journey: string, tenant: string, persona?: string): Promise<RunResult>;
  pause(scheduleId: string, author: string, reason?: string): Promise<SchedulePause>;
  resume(scheduleId: string, author: string): Promise<SchedulePause>;
  /** SLA, corrections, incidents, audit, imports (`vigie sla`, `vigie import`, …) over the store this process holds. */
  sla?: SlaBackend;
}

export interface AdminEndpoint {
  url: string;
  token: string;
  pid: number;
  /** Which store the process holds: its embedded folder, or a PostgreSQL server (SHA-256 of DATABASE_URL). */
  store?: { kind: 'pglite' } | { kind: 'postgres'; urlSha256: string };
}

/** SHA-256 of a DATABASE_URL, to recognise the same server without writing its password anywhere. */
export function databaseUrlFingerprint(url: string): string {
  return createHash('sha256').update(url).digest('hex');
}

const pauseBody = z.object({ author: z.string().min(1).max(200), reason: z.string().max(1000).optional() }).strict();
const runBody = z.object({ journey: z.string().min(1), tenant: z.string().min(1), persona: z.string().min(1).optional() }).strict();

/** The API token: `VIGIE_API_TOKEN` when set (at least 32 characters), else a fresh random one per start. */
export function newAdminToken(env: NodeJS.ProcessEnv = {}): string {
  const fixed = env.VIGIE_API_TOKEN;
  if (fixed !== undefined) {
    if (fixed.length < 32) throw new VigieError('CONFIG', 'VIGIE_API_TOKEN must be at least 32 characters long');
    return fixed;
  }
  return randomBytes(32).toString('hex');
}

function isLoopback(address: string | undefined): boolean {
  return !!address && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}

/**
 * Middleware accepting only requests with `Authorization: Bearer <token>` (compared in constant time); with
 * `loopbackOnly`, only from a loopback address.
 */
export function requireToken(token: string, opts: { loopbackOnly: boolean }): RequestHandler {
  const expected = Buffer.from(`Bearer ${token}`);
  return (req, _res, next) => {
    if (opts.loopbackOnly && !isLoopback(req.socket.remoteAddress)) return next(new VigieError('FORBIDDEN', 'admin API: loopback only'));
    const given = Buffer.from(req.get('authorization') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return next(new VigieError('UNAUTHORIZED', 'bad or missing token (Authorization: Bearer <token> of admin.json or VIGIE_API_TOKEN)'));
    next();
  };
}

export function createAdminRouter(token: string, handlers: AdminHandlers): Router {
  const router = express.Router();
  router.use(requireToken(token, { loopbackOnly: true }));
  router.post('/runs', async (req, res) => {
    const body = runBody.safeParse(req.body);
    if (!body.success) throw new VigieError('VALIDATION', body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    res.json(await handlers.runManual(body.data.journey, body.data.tenant, body.data.persona));
  });
  router.post('/schedules/:id/pause', async (req, res) => {
    const body = pauseBody.safeParse(req.body);
    if (!body.success) throw new VigieError('VALIDATION', body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    res.json(await handlers.pause(req.params.id, body.data.author, body.data.reason));
  });
  router.post('/schedules/:id/resume', async (req, res) => {
    const body = pauseBody.omit({ reason: true }).safeParse(req.body);
    if (!body.success) throw new VigieError('VALIDATION', body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    res.json(await handlers.resume(req.params.id, body.data.author));
  });
  // RPC to the SLA backend: `POST /sla/<op>` with `{ args: [...] }` (cli/sla-backend.ts createRemoteSlaBackend).
  router.post('/sla/:op', async (req, res) => {
    const backend = handlers.sla;
    const op = req.params.op;
    if (!backend || !Object.hasOwn(backend, op) || typeof (backend as unknown as Record<string, unknown>)[op] !== 'function') throw new VigieError('NOT_FOUND', `admin API: no SLA operation "${op}"`);
    const body = z.object({ args: z.array(z.unknown()).max(4) }).strict().safeParse(req.body);
    if (!body.success) throw new VigieError('VALIDATION', body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const fn = (backend as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[op];
    res.json((await fn(...body.data.args)) ?? null);
  });
  return router;
}

const FILE = 'admin.json';

export async function writeAdminEndpoint(dataDir: string, endpoint: AdminEndpoint): Promise<void> {
  await writeFile(join(dataDir, FILE), JSON.stringify(endpoint), { mode: 0o600 });
}

export async function removeAdminEndpoint(dataDir: string): Promise<void> {
  await rm(join(dataDir, FILE), { force: true });
}

/**
 * The endpoint of the live process holding `dataDir` and the same store as this command would open (an explicit
 * `DATABASE_URL` for another server, or none while the process uses PostgreSQL, means "not that one"), or null.
 */
export async function readAdminEndpoint(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<AdminEndpoint | null> {
  let endpoint: AdminEndpoint;
  try {
    endpoint = JSON.parse(await readFile(join(dataDir, FILE), 'utf8')) as AdminEndpoint;
  } catch {
    return null;
  }
  try {
    process.kill(endpoint.pid, 0);
  } catch {
    return null;
  }
  const wanted = env.DATABASE_URL ? databaseUrlFingerprint(env.DATABASE_URL) : null;
  const held = endpoint.store?.kind === 'postgres' ? endpoint.store.urlSha256 : null;
  return wanted === held ? endpoint : null;
}

/** Calls the admin API. @throws VigieError with the server's code and message. */
export async function callAdmin<T>(endpoint: AdminEndpoint, method: 'POST' | 'GET', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${endpoint.url}/api/v1/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${endpoint.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15 * 60_000),
    });
  } catch (err) {
    throw new VigieError('UNAVAILABLE', `vigie start at ${endpoint.url} does not answer: ${(err as Error).message}`, { cause: err });
  }
  const payload = (await res.json().catch(() => ({}))) as { error?: string; message?: string };
  if (!res.ok) throw new VigieError((payload.error as never) ?? 'INTERNAL', payload.message ?? `HTTP ${res.status}`);
  return payload as T;
}
