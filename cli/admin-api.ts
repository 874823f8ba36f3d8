import { createHash, randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VigieError, type Issue, type VigieErrorCode } from '../core/errors.js';

/**
 * The client side of the loopback admin API of a running `vigie start` (DESIGN.md §4; the routes are
 * collector/admin-routes.ts): other commands go through it while that process holds the embedded store. It answers
 * only loopback clients holding the token written to `<dataDir>/admin.json` (mode 0600).
 */

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

/** The API token: `VIGIE_API_TOKEN` when set (at least 32 characters), else a fresh random one per start. */
export function newAdminToken(env: NodeJS.ProcessEnv = {}): string {
  const fixed = env.VIGIE_API_TOKEN;
  if (fixed !== undefined) {
    if (fixed.length < 32) throw new VigieError('CONFIG', 'VIGIE_API_TOKEN : au moins 32 caractères attendus / VIGIE_API_TOKEN must be at least 32 characters long');
    return fixed;
  }
  return randomBytes(32).toString('hex');
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

/** Calls the admin API; returns the parsed JSON. @throws VigieError with the server's code and message. */
export async function callAdmin<T>(endpoint: AdminEndpoint, method: 'POST' | 'GET', path: string, body?: unknown): Promise<T> {
  return JSON.parse(await callAdminText(endpoint, method, path, body)) as T;
}

/**
 * Calls the admin API; returns the JSON text as received (an SLA report is passed on without being parsed).
 * `body` is sent as JSON for POST, as the query string for GET (absent values left out).
 * @throws VigieError with the server's code, message and field issues; `UNAVAILABLE` when it does not answer.
 */
export async function callAdminText(endpoint: AdminEndpoint, method: 'POST' | 'GET', path: string, body?: unknown): Promise<string> {
  let url = `${endpoint.url}/api/v1/admin${path}`;
  if (method === 'GET' && body && typeof body === 'object') {
    const q = new URLSearchParams(Object.entries(body as Record<string, unknown>).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [k, String(v)]));
    if ([...q].length > 0) url += `?${q}`;
  }
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${endpoint.token}`, 'content-type': 'application/json' },
      body: method === 'POST' && body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(15 * 60_000),
    });
  } catch (err) {
    throw new VigieError('UNAVAILABLE', `vigie start (${endpoint.url}) ne répond pas / does not answer: ${(err as Error).message}`, { cause: err });
  }
  const text = await res.text();
  if (!res.ok) {
    let payload: { error?: string; message?: string; issues?: Issue[] } = {};
    try {
      payload = JSON.parse(text) as typeof payload;
    } catch {
      // Not one of our JSON errors (a proxy, a crash): the status says enough.
    }
    throw new VigieError((payload.error as VigieErrorCode | undefined) ?? 'INTERNAL', payload.message ?? `HTTP ${res.status}`, { issues: payload.issues ?? [] });
  }
  return text;
}
