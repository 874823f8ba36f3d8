import { findAccount, type SandboxEstablishment } from './fixtures.js';
import { esc, errorPage } from './html.js';
import { clearCookie, readForm, redirect, requestSelf, sendHtml, setCookie, token, type Ctx } from './http-util.js';
import { handleParentPage } from './ent-parent.js';
import { handleRollCall, handleTimetable } from './ent-roll-call.js';
import { entPage, type EntCtx } from './ent-page.js';
import { HOSTS, SESSION_TTL_MS, baseUrl, type World } from './world.js';

/**
 * One establishment's ENT (host `<entHost>`): a CAS client. A page asked without session redirects to
 * `{sso}/login?service=<page URL>`; the ticket that comes back is validated server-to-server over `/serviceValidate`
 * and opens the ENT session (cookie `ENTSESSION`, host-only). `POST /` receives the SSO's back-channel
 * `logoutRequest`; `GET /logout` ends the ENT session and sends the browser to the SSO's `/logout`.
 */
export const ENT_COOKIE = 'ENTSESSION';

export async function handleEnt(world: World, establishment: SandboxEstablishment, ctx: Ctx): Promise<void> {
  const party = establishment.name;
  const entUrl = baseUrl(world, establishment.entHost);
  const path = ctx.url.pathname;
  if (ctx.method === 'POST' && path === '/') return backChannelLogout(world, ctx);
  if (ctx.method === 'GET' && path === '/logout') {
    world.store.entSessions.delete(ctx.cookies[ENT_COOKIE] ?? '');
    clearCookie(ctx.res, ENT_COOKIE);
    return redirect(ctx.res, `${baseUrl(world, HOSTS.sso)}/logout?service=${encodeURIComponent(`${entUrl}/`)}`);
  }
  const ticket = ctx.url.searchParams.get('ticket');
  if (ctx.method === 'GET' && ticket !== null) return acceptTicket(world, establishment, ctx, ticket);

  const session = world.store.entSessions.get(ctx.cookies[ENT_COOKIE] ?? '');
  const live = session !== undefined && session.uai === establishment.uai && world.baseNow().getTime() - session.createdAtMs <= SESSION_TTL_MS;
  const found = live ? findAccount(world.fixtures, session.username) : undefined;
  if (!found) {
    if (ctx.method !== 'GET') return sendHtml(ctx.res, 401, errorPage(party, 401, 'session', 'Session expirée.'));
    const service = `${entUrl}${path}${ctx.url.search}`;
    return redirect(ctx.res, `${baseUrl(world, HOSTS.sso)}/login?service=${encodeURIComponent(service)}`);
  }
  const ectx: EntCtx = { ...ctx, world, establishment, account: found.account, entUrl };
  if (ctx.method === 'GET' && path === '/') return home(ectx);
  if (path === '/emploi-du-temps' || path.startsWith('/appel/')) {
    if (found.account.role !== 'teacher') return forbidden(ectx);
    if (ctx.method === 'GET' && path === '/emploi-du-temps') return handleTimetable(ectx);
    return handleRollCall(ectx, decodeURIComponent(path.slice('/appel/'.length)));
  }
  if (ctx.method === 'GET' && (path === '/absences' || path === '/notes' || path === '/cahier-de-textes')) {
    if (found.account.role === 'teacher') return forbidden(ectx);
    return handleParentPage(ectx, path.slice(1) as 'absences' | 'notes' | 'cahier-de-textes');
  }
  sendHtml(ctx.res, 404, entPage(ectx, 'Page introuvable', '<p data-error="not-found">Page introuvable.</p>'));
}

function forbidden(ctx: EntCtx): void {
  sendHtml(ctx.res, 403, entPage(ctx, 'Accès refusé', '<p class="error" data-error="role">Cette page n’est pas accessible avec votre profil.</p>'));
}

function home(ctx: EntCtx): void {
  const links =
    ctx.account.role === 'teacher'
      ? '<a href="/emploi-du-temps">Emploi du temps et appel</a>'
      : '<a href="/absences">Absences</a> <a href="/notes">Notes</a> <a href="/cahier-de-textes">Cahier de textes</a>';
  const body = `<section data-testid="home">
<h1>Bienvenue, <span data-personal>${esc(ctx.account.displayName)}</span></h1>
<p>${esc(ctx.establishment.name)} — UAI ${esc(ctx.establishment.uai)}</p>
<nav>${links}</nav>
</section>`;
  sendHtml(ctx.res, 200, entPage(ctx, 'Accueil', body));
}

async function acceptTicket(world: World, establishment: SandboxEstablishment, ctx: Ctx, ticket: string): Promise<void> {
  const party = establishment.name;
  const clean = new URL(ctx.url.toString());
  clean.searchParams.delete('ticket');
  const service = `${baseUrl(world, establishment.entHost)}${clean.pathname}${clean.search}`;
  let username: string | undefined;
  try {
    const q = new URLSearchParams({ service, ticket }).toString();
    const answer = await requestSelf(world.port, `${HOSTS.sso}:${world.port}`, 'GET', `/serviceValidate?${q}`);
    username = /<cas:user>([^<]+)<\/cas:user>/.exec(answer.body)?.[1];
  } catch (error) {
    world.log(`ENT ${establishment.entHost}: serviceValidate failed: ${String(error)}`);
    return sendHtml(ctx.res, 502, errorPage(party, 502, 'sso-unreachable', "Le service d'authentification ne répond pas."));
  }
  if (!username) return sendHtml(ctx.res, 401, errorPage(party, 401, 'ticket', 'Ticket de connexion invalide ou expiré.'));
  const found = findAccount(world.fixtures, unescapeXml(username));
  if (!found || found.establishment.uai !== establishment.uai) {
    return sendHtml(ctx.res, 403, errorPage(party, 403, 'establishment', "Ce compte n'est pas rattaché à cet établissement."));
  }
  const id = token('ENT');
  world.store.entSessions.set(id, { id, uai: establishment.uai, username: found.account.username, ticket, createdAtMs: world.baseNow().getTime() });
  setCookie(ctx.res, ENT_COOKIE, id);
  redirect(ctx.res, service);
}

async function backChannelLogout(world: World, ctx: Ctx): Promise<void> {
  const form = await readForm(ctx.req);
  const index = /<samlp:SessionIndex>([^<]+)<\/samlp:SessionIndex>/.exec(form.get('logoutRequest') ?? '')?.[1];
  if (index) {
    for (const [id, session] of world.store.entSessions) if (session.ticket === index) world.store.entSessions.delete(id);
  }
  sendHtml(ctx.res, 200, 'ok');
}

function unescapeXml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}
