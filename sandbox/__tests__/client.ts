import http from 'node:http';
import type { SandboxAccount, SandboxHandle } from '../index.js';

/**
 * A minimal cookie-keeping HTTP client for the sandbox tests: every request goes to 127.0.0.1 with the URL's host in
 * the `Host` header (Node does not resolve `*.localhost`), cookies are kept per host name (host-only, as a browser
 * does for the sandbox's cookies), and `follow` walks redirects and the identity providers' auto-submitted form.
 */
export interface Answer {
  status: number;
  url: string;
  location?: string;
  setCookies: string[];
  body: string;
}

export class Client {
  /** host name → cookie name → value */
  readonly jar = new Map<string, Map<string, string>>();
  /** Every URL `follow` visited, in order. */
  visited: string[] = [];

  constructor(private readonly port: number) {}

  cookie(host: string, name: string): string | undefined {
    return this.jar.get(host)?.get(name);
  }

  setCookie(host: string, name: string, value: string): void {
    if (!this.jar.has(host)) this.jar.set(host, new Map());
    this.jar.get(host)!.set(name, value);
  }

  request(method: 'GET' | 'POST', url: string, form?: Record<string, string | string[]>): Promise<Answer> {
    const u = new URL(url);
    const cookies = [...(this.jar.get(u.hostname) ?? new Map<string, string>())].map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
    let body: string | undefined;
    const headers: http.OutgoingHttpHeaders = { Host: u.host, Connection: 'close' };
    if (cookies.length) headers.Cookie = cookies.join('; ');
    if (form) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(form)) for (const item of [v].flat()) params.append(k, item);
      body = params.toString();
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: this.port, method, path: `${u.pathname}${u.search}`, headers, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const setCookies = res.headers['set-cookie'] ?? [];
            for (const line of setCookies) {
              const [pair = '', ...attrs] = line.split(';'); // split always yields at least one element
              const i = pair.indexOf('=');
              const name = pair.slice(0, i).trim();
              const value = decodeURIComponent(pair.slice(i + 1).trim());
              if (attrs.some((a) => a.trim().toLowerCase() === 'max-age=0')) this.jar.get(u.hostname)?.delete(name);
              else this.setCookie(u.hostname, name, value);
            }
            const location = res.headers.location ? new URL(res.headers.location, url).toString() : undefined;
            resolve({ status: res.statusCode ?? 0, url, location, setCookies, body: Buffer.concat(chunks).toString('utf8') });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  get(url: string): Promise<Answer> {
    return this.request('GET', url);
  }

  /** Follows redirects (303 → GET) and auto-submitted assertion forms; returns the last answer. */
  async follow(answer: Answer | Promise<Answer>, maxHops = 12): Promise<Answer> {
    let current = await answer;
    for (let hop = 0; hop < maxHops; hop++) {
      this.visited.push(current.url);
      if (current.location && current.status >= 300 && current.status < 400) {
        current = await this.get(current.location);
        continue;
      }
      const form = /<form id="assertion" method="post" action="([^"]+)">([\s\S]*?)<\/form>/.exec(current.body);
      if (form) {
        current = await this.request('POST', unescape(form[1]!), hiddenInputs(form[2]!));
        continue;
      }
      return current;
    }
    throw new Error('too many hops');
  }
}

function unescape(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Values of the hidden inputs of a form's HTML. */
export function hiddenInputs(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) out[m[1]!] = unescape(m[2]!); // both groups are mandatory
  return out;
}

/** The `href` of the first element carrying `attr` (e.g. `data-wayf="personnels"`), absolute. */
export function linkOf(answer: Answer, attr: string): string {
  const m = new RegExp(`<a ${attr.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} href="([^"]+)"`).exec(answer.body);
  if (!m) throw new Error(`no link with ${attr} on ${answer.url}:\n${answer.body}`);
  return new URL(unescape(m[1]!), answer.url).toString();
}

/**
 * Logs an account in the way a browser would: ENT home → SSO WAYF → identity provider (profile choice for pupils and
 * parents) → credentials → assertion → SSO → ENT with ticket → home. Returns the final answer (the home page).
 */
export async function login(client: Client, sb: SandboxHandle, uai: string, account: SandboxAccount, password = account.password): Promise<Answer> {
  const wayf = await client.follow(client.get(`${sb.urls.ents[uai]}/`));
  const idpPage = await client.get(linkOf(wayf, account.idp === 'idp' ? 'data-wayf="eleves-parents"' : 'data-wayf="personnels"'));
  const formPage =
    account.idp === 'idp' ? await client.get(linkOf(idpPage, `data-profile="${account.role === 'parent' ? 'parent' : 'eleve'}"`)) : idpPage;
  const fields = hiddenInputs(formPage.body);
  const action = new URL('/login', formPage.url).toString();
  return client.follow(client.request('POST', action, { ...fields, username: account.username, password }));
}
