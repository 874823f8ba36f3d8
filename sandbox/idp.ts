import { findAccount, type SandboxAccount, type SandboxIdp } from './fixtures.js';
import { esc, errorPage, page } from './html.js';
import { clearCookie, readForm, sendHtml, setCookie, token, type Ctx } from './http-util.js';
import { ASSERTION_TTL_MS, HOSTS, SESSION_TTL_MS, baseUrl, type World } from './world.js';

/**
 * The two identity providers, each with its own session cookie on its own host:
 * - `idp.localhost` (pupils and parents, the ÉduConnect role): profile choice (`[data-profile="eleve"|"parent"]`),
 *   then the credentials form;
 * - `idp-agents.localhost` (staff, the académie/ARENA role): the credentials form directly.
 *
 * `GET /login?RelayState=<service>`: with a live session the IdP answers at once with the assertion form; without,
 * it asks for credentials. `POST /login` checks them (a wrong password shows the form again with an error) and
 * answers with an HTML form auto-submitted (POST) to the SSO's `/acs`. `POST /backchannel-logout` (from the SSO,
 * `sessionIndex`) and `GET /logout` end the IdP session.
 */
const COOKIES: Record<SandboxIdp, string> = { idp: 'IDPSESSION', 'idp-agents': 'AGENTSESSION' };
const PARTIES: Record<SandboxIdp, string> = {
  idp: 'Fournisseur d’identité élèves et parents',
  'idp-agents': 'Portail des personnels — académie de Reims',
};
type IdpProfile = 'eleve' | 'parent' | 'personnel';
const PROFILE_ROLE: Record<IdpProfile, SandboxAccount['role']> = { eleve: 'pupil', parent: 'parent', personnel: 'teacher' };

/** Name of the session cookie of an identity provider. */
export function idpCookieName(idp: SandboxIdp): string {
  return COOKIES[idp];
}

export async function handleIdp(world: World, idp: SandboxIdp, ctx: Ctx): Promise<void> {
  const party = PARTIES[idp];
  if (world.faults.idpDownFor(idp)) {
    return sendHtml(ctx.res, 503, errorPage(party, 503, 'idp-down', "Le service d'authentification est indisponible."));
  }
  const path = ctx.url.pathname;
  if (ctx.method === 'GET' && (path === '/login' || path === '/')) return showLogin(world, idp, ctx);
  if (ctx.method === 'POST' && path === '/login') return submitLogin(world, idp, ctx);
  if (ctx.method === 'POST' && path === '/backchannel-logout') {
    const form = await readForm(ctx.req);
    world.store.idpSessions[idp].delete(form.get('sessionIndex') ?? '');
    return sendHtml(ctx.res, 200, 'ok');
  }
  if (ctx.method === 'GET' && path === '/logout') {
    world.store.idpSessions[idp].delete(ctx.cookies[COOKIES[idp]] ?? '');
    clearCookie(ctx.res, COOKIES[idp]);
    return sendHtml(ctx.res, 200, page('Déconnexion', party, '<p data-testid="logged-out">Vous êtes déconnecté.</p>'));
  }
  sendHtml(ctx.res, 404, errorPage(party, 404, 'not-found', 'Page introuvable.'));
}

function showLogin(world: World, idp: SandboxIdp, ctx: Ctx): void {
  const relay = ctx.url.searchParams.get('RelayState') ?? '';
  const session = world.store.idpSessions[idp].get(ctx.cookies[COOKIES[idp]] ?? '');
  if (session && world.baseNow().getTime() - session.createdAtMs <= SESSION_TTL_MS) {
    if (relay !== '') return sendAssertion(world, idp, ctx, session.username, session.id, relay);
    const name = findAccount(world.fixtures, session.username)?.account.displayName ?? session.username;
    return sendHtml(
      ctx.res,
      200,
      page('Session active', PARTIES[idp], `<p data-testid="idp-session">Vous êtes connecté en tant que <span data-personal>${esc(name)}</span>.</p>`),
    );
  }
  if (idp === 'idp-agents') return sendForm(ctx, idp, relay, 'personnel', null);
  const profile = ctx.url.searchParams.get('profile');
  if (profile === 'eleve' || profile === 'parent') return sendForm(ctx, idp, relay, profile, null);
  const q = (p: string) => `/login?profile=${p}&RelayState=${encodeURIComponent(relay)}`;
  const body = `<h1>Je me connecte</h1><p>Je suis :</p>
<ul>
<li><a data-profile="eleve" href="${esc(q('eleve'))}">Élève</a></li>
<li><a data-profile="parent" href="${esc(q('parent'))}">Représentant légal</a></li>
</ul>`;
  sendHtml(ctx.res, 200, page('Je me connecte', PARTIES[idp], body));
}

function sendForm(ctx: Ctx, idp: SandboxIdp, relay: string, profile: IdpProfile, error: string | null): void {
  const errorHtml = error ? `<p class="error" data-error="credentials">${esc(error)}</p>` : '';
  const title = profile === 'personnel' ? 'Authentification des personnels' : `Connexion ${profile === 'eleve' ? 'élève' : 'représentant légal'}`;
  const body = `<h1>${esc(title)}</h1>${errorHtml}
<form method="post" action="/login">
<input type="hidden" name="RelayState" value="${esc(relay)}">
<input type="hidden" name="profile" value="${profile}">
<p><label for="username">Identifiant</label> <input id="username" name="username" autocomplete="username"></p>
<p><label for="password">Mot de passe</label> <input id="password" name="password" type="password" autocomplete="current-password"></p>
<p><button type="submit">Se connecter</button></p>
</form>`;
  sendHtml(ctx.res, 200, page(title, PARTIES[idp], body));
}

async function submitLogin(world: World, idp: SandboxIdp, ctx: Ctx): Promise<void> {
  const form = await readForm(ctx.req);
  const relay = form.get('RelayState') ?? '';
  const rawProfile = form.get('profile');
  const profile: IdpProfile =
    idp === 'idp-agents' ? 'personnel' : rawProfile === 'eleve' || rawProfile === 'parent' ? rawProfile : 'eleve';
  const found = findAccount(world.fixtures, form.get('username') ?? '');
  const ok =
    found !== undefined &&
    found.account.password === (form.get('password') ?? '') &&
    found.account.idp === idp &&
    found.account.role === PROFILE_ROLE[profile];
  if (!ok || !found) return sendForm(ctx, idp, relay, profile, 'Identifiant ou mot de passe incorrect.');
  const session = { id: token(idp === 'idp' ? 'IDP' : 'AGT'), username: found.account.username, createdAtMs: world.baseNow().getTime() };
  world.store.idpSessions[idp].set(session.id, session);
  setCookie(ctx.res, COOKIES[idp], session.id);
  sendAssertion(world, idp, ctx, session.username, session.id, relay);
}

/** The auto-submitted form carrying the assertion back to the SSO (SAML HTTP-POST binding, simplified). */
function sendAssertion(world: World, idp: SandboxIdp, ctx: Ctx, username: string, idpSessionId: string, relay: string): void {
  const id = token('AS');
  world.store.assertions.set(id, {
    id,
    username,
    idp,
    idpSessionId,
    expiresAtMs: world.baseNow().getTime() + ASSERTION_TTL_MS,
  });
  const acs = `${baseUrl(world, HOSTS.sso)}/acs`;
  const body = `<p>Redirection vers l'ENT…</p>
<form id="assertion" method="post" action="${esc(acs)}">
<input type="hidden" name="SAMLResponse" value="${esc(id)}">
<input type="hidden" name="RelayState" value="${esc(relay)}">
<noscript><input type="submit" value="Continuer"></noscript>
</form>
<script>document.getElementById('assertion').submit();</script>`;
  sendHtml(ctx.res, 200, page('Redirection', PARTIES[idp], body));
}
