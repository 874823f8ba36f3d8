import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SSO_COOKIE, idpCookieName, startSandbox, type SandboxAccount, type SandboxHandle } from '../index.js';
import { Client, login } from './client.js';

/**
 * Logout and single logout: what the `logout` journey checks (DESIGN.md §2) — the ENT asks for login again, the SSO
 * asks for credentials, the identity provider asks for credentials, the SSO cookie captured before logout is refused.
 */
let sb: SandboxHandle;
let realistic: SandboxHandle;

beforeAll(async () => {
  [sb, realistic] = await Promise.all([
    startSandbox({ port: 0, adminPort: 0 }),
    startSandbox({ port: 0, adminPort: 0, preset: 'realistic' }),
  ]);
});
afterAll(async () => {
  await Promise.all([sb.close(), realistic.close()]);
});
beforeEach(() => {
  sb.faults.reset();
});

interface Probe {
  entAsksLogin: boolean;
  ssoAsksCredentials: boolean;
  idpAsksCredentials: boolean;
  replayedCookieRefused: boolean;
}

/** Logs in, logs out through the ENT's button, then runs the four checks of the logout journey. */
async function logoutChecks(handle: SandboxHandle, account: SandboxAccount, uai: string): Promise<Probe> {
  const c = new Client(handle.port);
  await login(c, handle, uai, account);
  const tgt = c.cookie('sso.localhost', SSO_COOKIE)!;
  const ent = `${handle.urls.ents[uai]}/`;
  const afterLogout = await c.follow(c.get(`${handle.urls.ents[uai]}/logout`));
  expect(afterLogout.body).toContain('data-wayf="personnels"'); // lands on the WAYF through the ENT home

  const home = await c.follow(c.get(ent));
  const sso = await c.get(`${handle.urls.sso}/login?service=${encodeURIComponent(ent)}`);
  const idpUrl = account.idp === 'idp' ? handle.urls.idp : handle.urls.idpAgents;
  const idp = await c.get(`${idpUrl}/login`);
  const fresh = new Client(handle.port);
  fresh.setCookie('sso.localhost', SSO_COOKIE, tgt);
  const replay = await fresh.get(`${handle.urls.sso}/login?service=${encodeURIComponent(ent)}`);
  return {
    entAsksLogin: home.body.includes('data-wayf='),
    ssoAsksCredentials: sso.status === 200 && sso.body.includes('data-wayf='),
    idpAsksCredentials: /id="password"|data-profile=/.test(idp.body),
    replayedCookieRefused: replay.status === 200 && replay.body.includes('data-wayf='),
  };
}

const allPass: Probe = { entAsksLogin: true, ssoAsksCredentials: true, idpAsksCredentials: true, replayedCookieRefused: true };

describe('logout', () => {
  it('ends every session with single logout on (default preset), teacher and parent', async () => {
    const e = sb.fixtures.establishments[0]!;
    expect(sb.singleLogout).toBe(true);
    expect(await logoutChecks(sb, e.accounts.teacher, e.uai)).toEqual(allPass);
    expect(await logoutChecks(sb, e.accounts.parent, e.uai)).toEqual(allPass);
  });

  it('leaves the identity provider session alive without single logout (realistic preset)', async () => {
    const e = realistic.fixtures.establishments[0]!;
    expect(realistic.singleLogout).toBe(false);
    for (const account of [e.accounts.teacher, e.accounts.parent]) {
      expect(await logoutChecks(realistic, account, e.uai)).toEqual({ ...allPass, idpAsksCredentials: false });
    }
  });

  it('keeps the SSO and IdP sessions alive with the broken-logout fault', async () => {
    const e = sb.fixtures.establishments[1]!;
    sb.faults.set({ brokenLogout: true });
    expect(await logoutChecks(sb, e.accounts.teacher, e.uai)).toEqual({
      entAsksLogin: true, // the browser lost its CASTGC, so the ENT home shows the WAYF…
      ssoAsksCredentials: true,
      idpAsksCredentials: false, // …but the académie portal session lives on
      replayedCookieRefused: false, // and the captured cookie still opens the SSO session
    });
  });

  it('ends the ENT sessions opened under the SSO session by back-channel, only with single logout', async () => {
    for (const handle of [sb, realistic]) {
      const e = handle.fixtures.establishments[0]!;
      const c = new Client(handle.port);
      await login(c, handle, e.uai, e.accounts.parent);
      await c.get(`${handle.urls.sso}/logout`); // logout at the SSO directly, not through the ENT
      const home = await c.get(`${handle.urls.ents[e.uai]}/`);
      expect(home.status, `singleLogout=${handle.singleLogout}`).toBe(handle.singleLogout ? 302 : 200);
      expect(c.cookie('idp.localhost', idpCookieName('idp'))).toBeDefined();
      const idp = await c.get(`${handle.urls.idp}/login`);
      expect(idp.body.includes('data-testid="idp-session"')).toBe(!handle.singleLogout);
    }
  });

  it('shows a logged-out page when /logout has no registered service', async () => {
    const c = new Client(sb.port);
    const answer = await c.get(`${sb.urls.sso}/logout?service=${encodeURIComponent('http://evil.localhost/')}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('data-testid="logged-out"');
  });
});
