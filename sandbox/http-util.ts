import http from 'node:http';

/** One request as the sandbox's handlers see it. */
export interface Ctx {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  method: string;
  /** Host name without port, lower case. */
  host: string;
  url: URL;
  cookies: Record<string, string>;
}

/** Parses a `Cookie` header (no decoding beyond URI components; the sandbox's values are URL-safe). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const name = part.slice(0, i).trim();
    if (name && !(name in out)) out[name] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

/** A host-only, HttpOnly, SameSite=Lax cookie (host-only keeps each `*.localhost` party's cookies apart). */
export function setCookie(res: http.ServerResponse, name: string, value: string): void {
  appendHeader(res, 'Set-Cookie', `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax`);
}

export function clearCookie(res: http.ServerResponse, name: string): void {
  appendHeader(res, 'Set-Cookie', `${name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
}

function appendHeader(res: http.ServerResponse, name: string, value: string): void {
  const prev = res.getHeader(name);
  const list = prev === undefined ? [] : Array.isArray(prev) ? prev : [String(prev)];
  res.setHeader(name, [...list, value]);
}

/** Reads the whole body (capped at 1 MiB: the sandbox only receives small forms and JSON). */
export async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1024 * 1024) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams(await readBody(req));
}

export function sendHtml(res: http.ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(html);
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body, null, 2));
}

export function sendXml(res: http.ServerResponse, status: number, xml: string): void {
  res.writeHead(status, { 'Content-Type': 'application/xml; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(xml);
}

/** 302 (CAS redirects) or 303 (after a POST). */
export function redirect(res: http.ServerResponse, location: string, status: 302 | 303 = 302): void {
  res.writeHead(status, { Location: location, 'Cache-Control': 'no-store' });
  res.end();
}

/**
 * A server-to-server request to this very sandbox: to 127.0.0.1 with the party's `Host` header (Node does not
 * resolve `*.localhost`). A fresh socket per call (`agent: false`) so that no pooled keep-alive socket outlives
 * `close()`.
 */
export function requestSelf(
  port: number,
  hostHeader: string,
  method: 'GET' | 'POST',
  path: string,
  body?: string,
  timeoutMs = 10_000,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { Host: hostHeader, Connection: 'close' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${hostHeader}${path}: no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Random opaque token for tickets, cookies and assertions. */
export function token(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().replace(/-/g, '')}`;
}
