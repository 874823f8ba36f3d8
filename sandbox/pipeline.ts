import type http from 'node:http';
import { handleEnt } from './ent.js';
import { esc, errorPage, page } from './html.js';
import { parseCookies, sendHtml, type Ctx } from './http-util.js';
import { handleIdp } from './idp.js';
import { handleSso } from './sso.js';
import { HOSTS, SESSION_TTL_MS, SWEEP_EVERY_MS, baseUrl, establishmentByHost, type World } from './world.js';

/**
 * The public port's request pipeline: virtual host from the `Host` header, then the faults in a fixed order
 * (outage → latency → error status → waiting queue; an identity provider's own "down" fault is checked by the IdP),
 * then the party's handler. `sleeps` holds pending latency timers so that `close()` can drop them.
 */
export function createPipeline(world: World, sleeps: Set<NodeJS.Timeout>): http.RequestListener {
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        sleeps.delete(timer);
        resolve();
      }, ms);
      sleeps.add(timer);
    });

  let lastSweepMs = 0;
  return (req, res) => {
    const started = performance.now();
    const nowMs = world.baseNow().getTime();
    if (Math.abs(nowMs - lastSweepMs) >= SWEEP_EVERY_MS) {
      lastSweepMs = nowMs;
      world.store.sweep(nowMs, SESSION_TTL_MS);
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    const host = hostHeader.replace(/:\d+$/, '');
    const url = new URL(req.url ?? '/', `http://${hostHeader || '127.0.0.1'}`);
    res.on('finish', () => {
      world.log(`${method} ${host}${url.pathname} ${res.statusCode} ${Math.round(performance.now() - started)}ms`);
    });
    const ctx: Ctx = { req, res, method, host, url, cookies: parseCookies(req.headers.cookie) };
    void run(world, ctx, sleep).catch((error: unknown) => {
      world.log(`error on ${method} ${host}${url.pathname}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!res.headersSent) sendHtml(res, 500, errorPage('ENT', 500, 'internal', 'Erreur interne.'));
      else res.destroy();
    });
  };
}

async function run(world: World, ctx: Ctx, sleep: (ms: number) => Promise<void>): Promise<void> {
  const { host, method, url, res } = ctx;
  const outage = world.faults.outageFor(host);
  if (outage) {
    if (outage.mode === 'reset') {
      ctx.req.socket.destroy();
      return;
    }
    return sendHtml(res, 503, errorPage(host, 503, 'outage', 'Service indisponible.'));
  }
  const latencyMs = world.faults.latencyMsFor(host, method, url.pathname);
  if (latencyMs > 0) await sleep(latencyMs);
  const status = world.faults.takeErrorFor(host, method, url.pathname);
  if (status !== undefined) return sendHtml(res, status, errorPage(host, status, 'injected', `Erreur ${status}.`));

  const establishment = establishmentByHost(world, host);
  if (establishment) {
    if (world.faults.waitingQueueFor(host)) return sendHtml(res, 200, waitingQueuePage(establishment.name));
    return handleEnt(world, establishment, ctx);
  }
  if (host === HOSTS.sso) return handleSso(world, ctx);
  if (host === HOSTS.idp) return handleIdp(world, 'idp', ctx);
  if (host === HOSTS.idpAgents) return handleIdp(world, 'idp-agents', ctx);
  return sendHtml(res, 404, indexPage(world));
}

function waitingQueuePage(party: string): string {
  const body = `<h1>File d'attente</h1>
<p data-testid="waiting-queue">Vous êtes dans la file d'attente. Votre position : 1 284. Merci de patienter, cette page se
rechargera automatiquement.</p>`;
  return page("File d'attente", party, body);
}

/** Unknown host: list the sandbox's hosts (helps whoever typed 127.0.0.1 in a browser). */
function indexPage(world: World): string {
  const hosts = [HOSTS.sso, HOSTS.idp, HOSTS.idpAgents, ...world.fixtures.establishments.map((e) => e.entHost)];
  const items = hosts.map((h) => `<li><a href="${esc(baseUrl(world, h))}/">${esc(baseUrl(world, h))}</a></li>`).join('');
  return page('Hôte inconnu', 'ENT bac à sable Vigie', `<p data-error="host">Hôte inconnu. Hôtes du bac à sable :</p><ul>${items}</ul>`);
}
