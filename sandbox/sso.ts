import { findAccount } from './fixtures.js';
import { esc, errorPage, page } from './html.js';
import {
  clearCookie,
  redirect,
  readForm,
  requestSelf,
  sendHtml,
  sendXml,
  setCookie,
  token,
  type Ctx,
} from './http-util.js';
import type { Tgt } from './store.js';
import { HOSTS, TGT_TTL_MS, TICKET_TTL_MS, baseUrl, establishmentByHost, type World } from './world.js';

/**
 * The CAS SSO on `sso.localhost` (CAS protocol 2.0/3.0 subset, as in Apereo CAS):
 * - `GET /login?service=` — with a valid `CASTGC` cookie, issues a service ticket silently (302 `service?ticket=ST-…`);
 *   otherwise shows the WAYF page "Où êtes-vous ?" leading to an identity provider. Unregistered services are refused.
 * - `POST /acs` — an identity provider's auto-submitted assertion (`SAMLResponse`, `RelayState` = service): opens the
 *   SSO session (`CASTGC`) and redirects to the service with a ticket.
 * - `GET /serviceValidate?service=&ticket=` (and `/p3/serviceValidate`) — CAS 2.0 XML; tickets are single use and
 *   expire after 10 s.
 * - `GET /logout?service=` — ends the SSO session; with single logout, back-channel `logoutRequest`s end the ENT
 *   sessions opened under it and the identity provider's session.
 */
export const SSO_COOKIE = 'CASTGC';
const PARTY = 'Connexion ENT — SSO académique';

export async function handleSso(world: World, ctx: Ctx): Promise<void> {
  const path = ctx.url.pathname;
  if (ctx.method === 'GET' && path === '/login') return login(world, ctx);
  if (ctx.method === 'POST' && path === '/acs') return acs(world, ctx);
  if (ctx.method === 'GET' && (path === '/serviceValidate' || path === '/p3/serviceValidate')) {
    return serviceValidate(world, ctx);
  }
  if (ctx.method === 'GET' && path === '/logout') return logout(world, ctx);
  if (ctx.method === 'GET' && path === '/') return redirect(ctx.res, '/login');
  sendHtml(ctx.res, 404, errorPage(PARTY, 404, 'not-found', 'Page introuvable.'));
}

/** The live TGT of a cookie value, or undefined (unknown or expired). */
export function liveTgt(world: World, id: string | undefined): Tgt | undefined {
  if (!id) return undefined;
  const tgt = world.store.tgts.get(id);
  if (!tgt) return undefined;
  if (world.baseNow().getTime() - tgt.createdAtMs > TGT_TTL_MS) {
    world.store.tgts.delete(id);
    return undefined;
  }
  return tgt;
}

/**
 * Why a service URL is refused, or null when it is registered: an ENT host of this sandbox on this port, over http,
 * and not refused by the `refuseService` fault.
 */
export function serviceProblem(world: World, service: string): string | null {
  let url: URL;
  try {
    url = new URL(service);
  } catch {
    return 'URL de service invalide.';
  }
  const registered =
    url.protocol === 'http:' && establishmentByHost(world, url.hostname) !== undefined && Number(url.port) === world.port;
  if (!registered || world.faults.refusesService(url.hostname)) {
    return "Application non autorisée à utiliser le service d'authentification.";
  }
  return null;
}

function refuse(ctx: Ctx, message: string): void {
  sendHtml(ctx.res, 403, errorPage(PARTY, 403, 'service', message));
}

function issueTicket(world: World, tgt: Tgt, service: string): string {
  const id = token('ST');
  world.store.tickets.set(id, {
    id,
    service,
    username: tgt.username,
    tgtId: tgt.id,
    expiresAtMs: world.baseNow().getTime() + TICKET_TTL_MS,
  });
  tgt.services.push({ service, ticket: id });
  return id;
}

function withTicket(service: string, ticket: string): string {
  const url = new URL(service);
  url.searchParams.set('ticket', ticket);
  return url.toString();
}

async function login(world: World, ctx: Ctx): Promise<void> {
  const service = ctx.url.searchParams.get('service');
  if (service !== null) {
    const problem = serviceProblem(world, service);
    if (problem) return refuse(ctx, problem);
  }
  const tgt = liveTgt(world, ctx.cookies[SSO_COOKIE]);
  if (tgt && ctx.url.searchParams.get('renew') !== 'true') {
    if (service !== null) return redirect(ctx.res, withTicket(service, issueTicket(world, tgt, service)));
    const name = findAccount(world.fixtures, tgt.username)?.account.displayName ?? tgt.username;
    return sendHtml(
      ctx.res,
      200,
      page('Session active', PARTY, `<p data-testid="sso-session">Vous êtes connecté en tant que <span data-personal>${esc(name)}</span>.</p>`),
    );
  }
  const relay = encodeURIComponent(service ?? '');
  const body = `<h1>Où êtes-vous ?</h1>
<p>Choisissez votre profil pour vous connecter à l'ENT.</p>
<ul>
<li><a data-wayf="eleves-parents" href="${esc(baseUrl(world, HOSTS.idp))}/login?RelayState=${relay}">Élève ou parent</a></li>
<li><a data-wayf="personnels" href="${esc(baseUrl(world, HOSTS.idpAgents))}/login?RelayState=${relay}">Enseignant ou personnel de l'établissement</a></li>
</ul>`;
  sendHtml(ctx.res, 200, page('Où êtes-vous ?', PARTY, body));
}

async function acs(world: World, ctx: Ctx): Promise<void> {
  const form = await readForm(ctx.req);
  const assertionId = form.get('SAMLResponse') ?? '';
  const service = form.get('RelayState') ?? '';
  const assertion = world.store.assertions.get(assertionId);
  world.store.assertions.delete(assertionId); // single use
  if (!assertion || assertion.expiresAtMs < world.baseNow().getTime()) {
    return sendHtml(ctx.res, 403, errorPage(PARTY, 403, 'assertion', "Réponse du fournisseur d'identité invalide ou expirée."));
  }
  const tgt: Tgt = {
    id: token('TGT'),
    username: assertion.username,
    idp: assertion.idp,
    idpSessionId: assertion.idpSessionId,
    createdAtMs: world.baseNow().getTime(),
    services: [],
  };
  world.store.tgts.set(tgt.id, tgt);
  setCookie(ctx.res, SSO_COOKIE, tgt.id);
  if (service === '') return redirect(ctx.res, '/login', 303);
  const problem = serviceProblem(world, service);
  if (problem) return refuse(ctx, problem);
  redirect(ctx.res, withTicket(service, issueTicket(world, tgt, service)), 303);
}

function xmlFailure(code: string, message: string): string {
  return `<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
  <cas:authenticationFailure code="${code}">${esc(message)}</cas:authenticationFailure>
</cas:serviceResponse>\n`;
}

async function serviceValidate(world: World, ctx: Ctx): Promise<void> {
  const service = ctx.url.searchParams.get('service');
  const ticketId = ctx.url.searchParams.get('ticket');
  if (!service || !ticketId) {
    return sendXml(ctx.res, 200, xmlFailure('INVALID_REQUEST', 'service and ticket are required'));
  }
  const ticket = world.store.tickets.get(ticketId);
  world.store.tickets.delete(ticketId); // single use, even when the validation fails (CAS protocol §3.1.1)
  if (!ticket || ticket.expiresAtMs < world.baseNow().getTime()) {
    return sendXml(ctx.res, 200, xmlFailure('INVALID_TICKET', `Ticket ${ticketId} not recognized`));
  }
  if (ticket.service !== service) {
    return sendXml(ctx.res, 200, xmlFailure('INVALID_SERVICE', `Ticket ${ticketId} was not issued for this service`));
  }
  const found = findAccount(world.fixtures, ticket.username);
  const attrs = found
    ? `
    <cas:attributes>
      <cas:displayName>${esc(found.account.displayName)}</cas:displayName>
      <cas:role>${found.account.role}</cas:role>
      <cas:uai>${found.establishment.uai}</cas:uai>
    </cas:attributes>`
    : '';
  sendXml(
    ctx.res,
    200,
    `<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
  <cas:authenticationSuccess>
    <cas:user>${esc(ticket.username)}</cas:user>${attrs}
  </cas:authenticationSuccess>
</cas:serviceResponse>\n`,
  );
}

async function logout(world: World, ctx: Ctx): Promise<void> {
  const tgt = liveTgt(world, ctx.cookies[SSO_COOKIE]);
  clearCookie(ctx.res, SSO_COOKIE);
  // The broken-logout fault: the browser loses its cookie but the session lives on server-side, and nobody else is
  // told (the 2018 ARENA flaw). Otherwise the TGT always ends; single logout also ends the sessions it vouched for.
  if (tgt && !world.faults.current().brokenLogout) {
    world.store.tgts.delete(tgt.id);
    if (world.singleLogout) await singleLogout(world, tgt);
  }
  const service = ctx.url.searchParams.get('service');
  if (service && serviceProblem(world, service) === null) return redirect(ctx.res, service);
  sendHtml(ctx.res, 200, page('Déconnexion', PARTY, '<p data-testid="logged-out">Vous êtes déconnecté.</p>'));
}

/** Back-channel logout: CAS `logoutRequest` to each service, then the identity provider's session. */
async function singleLogout(world: World, tgt: Tgt): Promise<void> {
  const calls = tgt.services.map(async ({ service, ticket }) => {
    const url = new URL(service);
    const xml = `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="${token('LR')}" Version="2.0" IssueInstant="${world.baseNow().toISOString()}"><saml:NameID xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${esc(tgt.username)}</saml:NameID><samlp:SessionIndex>${ticket}</samlp:SessionIndex></samlp:LogoutRequest>`;
    await requestSelf(world.port, url.host, 'POST', url.pathname, new URLSearchParams({ logoutRequest: xml }).toString());
  });
  const idpHost = tgt.idp === 'idp' ? HOSTS.idp : HOSTS.idpAgents;
  calls.push(
    requestSelf(
      world.port,
      `${idpHost}:${world.port}`,
      'POST',
      '/backchannel-logout',
      new URLSearchParams({ sessionIndex: tgt.idpSessionId }).toString(),
    ).then(() => undefined),
  );
  const results = await Promise.allSettled(calls);
  for (const r of results) {
    if (r.status === 'rejected') world.log(`single logout: a back-channel call failed: ${String(r.reason)}`);
  }
}
