import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkUai } from '../../core/uai.js';
import { SSO_COOKIE, idpCookieName, startSandbox, type SandboxHandle } from '../index.js';
import { Client, hiddenInputs, linkOf, login } from './client.js';

let nowMs = Date.parse('2026-11-29T09:30:00Z');
let sb: SandboxHandle;
const lycee = () => sb.fixtures.establishments[0]!;
const college = () => sb.fixtures.establishments[1]!;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, adminPort: 0, now: () => new Date(nowMs) });
});
afterAll(async () => {
  await sb.close();
});

describe('fixtures', () => {
  it('have valid, distinct UAIs in the académie de Reims, zone B', () => {
    const uais = sb.fixtures.establishments.map((e) => e.uai);
    for (const uai of uais) expect(checkUai(uai)).toBeNull();
    expect(new Set(uais).size).toBe(2);
    expect(sb.fixtures.establishments.map((e) => [e.kind, e.academie, e.departement, e.zone])).toEqual([
      ['lycee', 'Reims', '51', 'B'],
      ['college', 'Reims', '51', 'B'],
    ]);
    expect(Object.keys(sb.urls.ents)).toEqual(uais);
  });
});

describe('CAS login', () => {
  it('redirects an anonymous ENT home to the SSO with the ENT as service', async () => {
    const c = new Client(sb.port);
    const answer = await c.get(`${sb.urls.ents[lycee().uai]}/`);
    expect(answer.status).toBe(302);
    expect(answer.location).toBe(`${sb.urls.sso}/login?service=${encodeURIComponent(`${sb.urls.ents[lycee().uai]}/`)}`);
  });

  it('shows the WAYF page without a ticket-granting cookie', async () => {
    const c = new Client(sb.port);
    const wayf = await c.follow(c.get(`${sb.urls.ents[lycee().uai]}/`));
    expect(wayf.body).toContain('Où êtes-vous ?');
    expect(linkOf(wayf, 'data-wayf="eleves-parents"').startsWith(`${sb.urls.idp}/login`)).toBe(true);
    expect(linkOf(wayf, 'data-wayf="personnels"').startsWith(`${sb.urls.idpAgents}/login`)).toBe(true);
    expect(wayf.body).toContain('>Élève ou parent</a>');
    expect(wayf.body).toContain(">Enseignant ou personnel de l'établissement</a>");
  });

  it('logs a teacher in through the staff IdP and a parent through the pupils/parents IdP', async () => {
    const teacher = new Client(sb.port);
    const home = await login(teacher, sb, lycee().uai, lycee().accounts.teacher);
    expect(home.status).toBe(200);
    expect(home.body).toContain('data-testid="home"');
    expect(home.body).toContain(`Bienvenue, <span data-personal>${lycee().accounts.teacher.displayName}</span>`);
    expect(home.body).toContain('id="logout"');
    expect(teacher.cookie('sso.localhost', SSO_COOKIE)).toMatch(/^TGT-/);
    expect(teacher.cookie('idp-agents.localhost', idpCookieName('idp-agents'))).toBeDefined();
    expect(teacher.cookie('idp.localhost', idpCookieName('idp'))).toBeUndefined();

    const parent = new Client(sb.port);
    const parentHome = await login(parent, sb, college().uai, college().accounts.parent);
    expect(parentHome.body).toContain(`Bienvenue, <span data-personal>${college().accounts.parent.displayName}</span>`);
    expect(parent.cookie('idp.localhost', idpCookieName('idp'))).toBeDefined();
  });

  it('shows an error on the IdP form for a wrong password, and no SSO session', async () => {
    const c = new Client(sb.port);
    const answer = await login(c, sb, lycee().uai, lycee().accounts.parent, 'wrong');
    expect(answer.body).toContain('data-error="credentials"');
    expect(answer.body).toContain('id="password"');
    expect(c.cookie('sso.localhost', SSO_COOKIE)).toBeUndefined();
  });

  it('refuses a parent account on the pupil profile and a teacher on the pupils/parents IdP', async () => {
    const c = new Client(sb.port);
    const form = await c.get(`${sb.urls.idp}/login?profile=eleve&RelayState=`);
    const asPupil = await c.request('POST', `${sb.urls.idp}/login`, {
      ...hiddenInputs(form.body),
      username: lycee().accounts.parent.username,
      password: lycee().accounts.parent.password,
    });
    expect(asPupil.body).toContain('data-error="credentials"');
    const teacherHere = await c.request('POST', `${sb.urls.idp}/login`, {
      profile: 'parent',
      RelayState: '',
      username: lycee().accounts.teacher.username,
      password: lycee().accounts.teacher.password,
    });
    expect(teacherHere.body).toContain('data-error="credentials"');
  });

  it('issues a ticket silently with a valid CASTGC', async () => {
    const c = new Client(sb.port);
    await login(c, sb, lycee().uai, lycee().accounts.teacher);
    const service = `${sb.urls.ents[lycee().uai]}/emploi-du-temps`;
    const answer = await c.get(`${sb.urls.sso}/login?service=${encodeURIComponent(service)}`);
    expect(answer.status).toBe(302);
    expect(answer.location).toMatch(new RegExp(`^${service.replace(/[.?]/g, '\\$&')}\\?ticket=ST-[0-9a-f]+$`));
  });

  it('refuses unregistered service URLs without issuing a ticket', async () => {
    const c = new Client(sb.port);
    await login(c, sb, lycee().uai, lycee().accounts.teacher);
    for (const service of [
      `http://evil.localhost:${sb.port}/`,
      `http://lycee-sandbox.localhost:${sb.port + 1}/`,
      `https://lycee-sandbox.localhost:${sb.port}/`,
      'not a url',
    ]) {
      const answer = await c.get(`${sb.urls.sso}/login?service=${encodeURIComponent(service)}`);
      expect(answer.status, service).toBe(403);
      expect(answer.location).toBeUndefined();
      expect(answer.body).toContain('data-error="service"');
    }
  });

  it('validates tickets once, for their service only, before they expire (CAS 2.0 XML)', async () => {
    const c = new Client(sb.port);
    await login(c, sb, lycee().uai, lycee().accounts.teacher);
    const service = `${sb.urls.ents[lycee().uai]}/`;
    const ticketFor = async () =>
      new URL((await c.get(`${sb.urls.sso}/login?service=${encodeURIComponent(service)}`)).location!).searchParams.get('ticket')!;
    const validate = (ticket: string, svc = service) =>
      c.get(`${sb.urls.sso}/serviceValidate?service=${encodeURIComponent(svc)}&ticket=${ticket}`);

    const ticket = await ticketFor();
    const ok = await validate(ticket);
    expect(ok.body).toContain('<cas:authenticationSuccess>');
    expect(ok.body).toContain(`<cas:user>${lycee().accounts.teacher.username}</cas:user>`);
    expect(ok.body).toContain(`<cas:uai>${lycee().uai}</cas:uai>`);
    expect((await validate(ticket)).body).toContain('code="INVALID_TICKET"');

    const other = await ticketFor();
    expect((await validate(other, `${sb.urls.ents[college().uai]}/`)).body).toContain('code="INVALID_SERVICE"');

    const late = await ticketFor();
    nowMs += 11_000;
    expect((await validate(late)).body).toContain('code="INVALID_TICKET"');
  });

  it('refuses a ticket replayed to the ENT', async () => {
    const c = new Client(sb.port);
    await login(c, sb, lycee().uai, lycee().accounts.teacher);
    const service = `${sb.urls.ents[lycee().uai]}/`;
    const withTicket = (await c.get(`${sb.urls.sso}/login?service=${encodeURIComponent(service)}`)).location!;
    expect((await c.get(withTicket)).status).toBe(302);
    const fresh = new Client(sb.port);
    const replay = await fresh.get(withTicket);
    expect(replay.status).toBe(401);
    expect(replay.body).toContain('data-error="ticket"');
  });

  it('refuses an account of another establishment', async () => {
    const c = new Client(sb.port);
    await login(c, sb, lycee().uai, lycee().accounts.teacher);
    const colService = `${sb.urls.ents[college().uai]}/`;
    const answer = await c.follow(c.get(`${sb.urls.sso}/login?service=${encodeURIComponent(colService)}`));
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('data-error="establishment"');
  });

  it('ends sessions after a school day and sweeps them from memory', async () => {
    const c = new Client(sb.port);
    await login(c, sb, lycee().uai, lycee().accounts.parent);
    expect((await c.get(`${sb.urls.ents[lycee().uai]}/`)).status).toBe(200);
    expect(sb.state.sessions().ent).toBeGreaterThan(0);
    nowMs += 8 * 3600_000 + 120_000;
    expect((await c.get(`${sb.urls.ents[lycee().uai]}/`)).status).toBe(302);
    expect(sb.state.sessions()).toEqual({ sso: 0, idp: 0, idpAgents: 0, ent: 0 });
  });
});
