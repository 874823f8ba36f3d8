import type { ConfigInput } from '../core/config/schema.js';
import type { SandboxFixtures } from '../sandbox/fixtures.js';

/**
 * The demo configuration (`vigie start` without `--config`): the sandbox ENT's two establishments, probed every
 * minute for login and roll call (and the other built-in journeys every 5 minutes), from the `local` reference
 * location. Passwords go through environment variables like in a real config; {@link demoEnv} gives the sandbox's.
 */
export interface DemoUrls {
  sso: string;
  ents: Record<string, string>;
}

/** Environment variable holding the password of a sandbox account in the demo config. */
export function demoPasswordVar(uai: string, role: string): string {
  return `VIGIE_DEMO_${role.toUpperCase()}_${uai}_PASSWORD`;
}

export function demoEnv(fixtures: SandboxFixtures): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of fixtures.establishments) {
    for (const account of Object.values(e.accounts)) env[demoPasswordVar(e.uai, account.role)] = account.password;
  }
  return env;
}

export function demoConfig(fixtures: SandboxFixtures, urls: DemoUrls, opts: { journeys: readonly string[]; port: number; dataDir: string }): ConfigInput {
  const has = (j: string) => opts.journeys.includes(j);
  const first = fixtures.establishments[0];
  if (!first) throw new Error('sandbox fixtures without an establishment');
  return {
    timezone: 'Europe/Paris',
    locations: [{ id: 'local', kind: 'reference', name: 'Sonde locale (démo)' }],
    targets: [{ id: 'sandbox', name: 'ENT bac à sable Vigie', profile: 'sandbox', ssoUrl: urls.sso }],
    tenants: fixtures.establishments.map((e) => ({
      uai: e.uai,
      name: e.name,
      target: 'sandbox',
      entUrl: urls.ents[e.uai] ?? missingUrl(e.uai),
      academie: e.academie,
      departement: e.departement,
      zone: e.zone,
      kind: e.kind,
      testData: { classes: [{ id: e.testClass.id, name: e.testClass.name, pupils: e.testClass.pupils.map((p) => ({ id: p.id, name: p.name })) }] },
    })),
    personas: fixtures.establishments.flatMap((e) =>
      Object.values(e.accounts).map((a) => ({
        id: `${a.role}-${e.kind}`,
        role: a.role,
        tenant: e.uai,
        username: a.username,
        password: { env: demoPasswordVar(e.uai, a.role) },
        ...(a.role === 'parent' && a.pupilId ? { pupil: a.pupilId } : {}),
      })),
    ),
    journeys: {
      login: { timeout: 45, stepThresholdsMs: { landing: 5000 } },
      'roll-call': { timeout: 50, options: { propagationDeadline: 20, pollInterval: 2 } },
      logout: { timeout: 45 },
      // Every sandbox establishment shows the same grades and homework for the followed child.
      'parent-view': {
        timeout: 45,
        options: {
          expect: {
            grades: first.expected.grades.map((g) => `${g.subject} : ${g.value}`),
            homework: first.expected.homework.map((h) => `${h.subject} : ${h.text}`),
          },
        },
      },
    },
    schedules: fixtures.establishments.flatMap((e) => [
      { id: `login-${e.kind}`, journey: 'login', tenant: e.uai, persona: `teacher-${e.kind}`, every: '1m' },
      { id: `appel-${e.kind}`, journey: 'roll-call', tenant: e.uai, persona: `teacher-${e.kind}`, personas: { parent: `parent-${e.kind}` }, every: '1m', offset: '5s' },
      ...(has('parent-view') ? [{ id: `parents-${e.kind}`, journey: 'parent-view', tenant: e.uai, persona: `parent-${e.kind}`, every: '5m', offset: '20s' }] : []),
      ...(has('logout') ? [{ id: `deconnexion-${e.kind}`, journey: 'logout', tenant: e.uai, persona: `teacher-${e.kind}`, every: '5m', offset: '30s' }] : []),
    ]),
    // A contract to try `vigie sla --contract demo --from … --to …` on: 24/7 availability of login and roll call,
    // school-hours availability (calendars of the tenants' zones), and logout actually ending the session.
    contracts: [
      {
        id: 'demo',
        name: 'Contrat de démonstration',
        provider: 'ENT bac à sable',
        startDate: '2026-09-01',
        timezone: 'Europe/Paris',
        clauses: [
          { id: 'disponibilite-24-7', name: 'Disponibilité 24/7 (connexion, appel)', journeys: ['login', 'roll-call'], targetPercent: 99, severity: { login: 'bloquant', 'roll-call': 'bloquant' } },
          {
            id: 'disponibilite-scolaire',
            name: 'Disponibilité en heures scolaires',
            journeys: ['login', 'roll-call', 'parent-view'],
            targetPercent: 99.5,
            serviceHours: { weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '07:00', to: '19:00' }] },
            calendar: { schoolHolidays: true, publicHolidays: true },
            latency: { login: { thresholdMs: 8000, targetPercent: 95 } },
          },
          { id: 'deconnexion', name: 'Déconnexion effective', journeys: ['logout'], targetPercent: 99 },
        ],
      },
    ],
    // Incidents are recorded (`vigie incidents`) and nobody is written to: add alerts.smtp and alerts.contacts.
    alerts: {},
    runner: { concurrency: 2 },
    server: { host: '127.0.0.1', port: opts.port },
    storage: { dataDir: opts.dataDir },
  };
}

/** Every sandbox establishment gets its ENT URL from prepareDemo: a missing one is a bug of the caller. */
function missingUrl(uai: string): never {
  throw new Error(`demo config: no ENT URL for establishment ${uai}`);
}
