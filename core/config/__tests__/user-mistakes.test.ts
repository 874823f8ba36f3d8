import { describe, expect, it } from 'vitest';
import { validateConfig, type ValidateOptions } from '../validate.js';
import { checkListenHost, isCalendarLocation, isLoopbackHost } from '../input-checks.js';
import { isVigieError, type Issue } from '../../errors.js';

/**
 * Issue 8 item 7: what users get wrong in a `vigie.yml` is refused at its path, French then English. Each case
 * changes one thing in a valid config and expects exactly one issue.
 */

/** Built-in profiles as cli/config-load.ts passes them (a stand-in for probes/profiles: core tests import no probes). */
const options: ValidateOptions = { builtInProfiles: { sandbox: { login: { stages: [{ name: 'wayf' }, { name: 'landing' }] } } } };

type Cfg = Record<string, unknown> & {
  locations: Record<string, unknown>[];
  targets: Record<string, unknown>[];
  tenants: Record<string, unknown>[];
  personas: Record<string, unknown>[];
  journeys: Record<string, Record<string, unknown>>;
  schedules: Record<string, unknown>[];
  contracts: Record<string, unknown>[];
  server: Record<string, unknown>;
  storage: Record<string, unknown>;
  runner: Record<string, unknown>;
};
const pupils = [{ id: 'E01', name: 'Léa' }, { id: 'E02' }];

/** Two tenants, a teacher and a parent of the first one, a roll call with its parent, one contract. */
function base(): Cfg {
  return {
    locations: [{ id: 'local', kind: 'reference' }, { id: 'cdi', kind: 'in-school', uai: '0519990G' }],
    targets: [{ id: 'ent', name: 'ENT', profile: 'sandbox', ssoUrl: 'http://sso.localhost:7080' }],
    tenants: [
      { uai: '0519990G', name: 'Lycée', target: 'ent', entUrl: 'http://lycee.localhost:7080', academie: 'Reims', departement: '51', zone: 'B', testData: { classes: [{ id: 'T', pupils }] } },
      { uai: '0519991H', name: 'Collège', target: 'ent', entUrl: 'http://college.localhost:7080', academie: 'Reims', departement: '51', zone: 'Zone B' },
    ],
    personas: [
      { id: 'prof', role: 'teacher', tenant: '0519990G', username: 'prof', password: { env: 'P' } },
      { id: 'parent', role: 'parent', tenant: '0519990G', username: 'parent', password: { file: '/run/secrets/parent' }, pupil: 'E01' },
      { id: 'prof-college', role: 'teacher', tenant: '0519991H', username: 'pc', password: { env: 'P' } },
    ],
    journeys: { login: { timeout: '60s', stepTimeout: '15s', stepThresholdsMs: { landing: 3000, 'open-ent': 2000 } } },
    schedules: [
      { id: 'login', journey: 'login', tenant: '0519990G', persona: 'prof', every: '5m', locations: ['local', 'cdi'] },
      { id: 'appel', journey: 'roll-call', tenant: '0519990G', persona: 'prof', personas: { parent: 'parent' }, every: '15m' },
    ],
    contracts: [
      {
        id: 'marche',
        startDate: '2026-09-01',
        currency: 'EUR',
        clauses: [{ id: 'k', name: 'K', journeys: ['login', 'roll-call'], targetPercent: 99, latency: { 'roll-call': { thresholdMs: 9000, targetPercent: 95, steps: { 'parent:landing': 4000, validate: 2000 } } } }],
      },
    ],
    server: { host: '127.0.0.1', port: 8080 },
    storage: { dataDir: '.vigie/data' },
    runner: { chromiumPath: '/usr/bin/chromium' },
  };
}

function issuesOf(config: unknown, opts: ValidateOptions = options): readonly Issue[] {
  try {
    validateConfig(config, opts);
  } catch (err) {
    if (isVigieError(err, 'CONFIG')) return err.issues;
    throw err;
  }
  return [];
}

/** Changes one thing and expects exactly that one issue. */
function expectOne(change: (c: Cfg) => void, path: string, message: RegExp): void {
  const config = base();
  change(config);
  const issues = issuesOf(config);
  expect(issues.map((i) => i.path)).toEqual([path]);
  expect(issues[0]!.message).toMatch(message);
  expect(issues[0]!.message).toMatch(/ \/ /); // French, then English
}

describe('check-config catches what users get wrong (issue 8 item 7)', () => {
  it('accepts the base config', () => {
    expect(issuesOf(base())).toEqual([]);
  });

  it('an empty or invalid server.host', () => {
    expectOne((c) => (c.server.host = ''), 'server.host', /adresse d'écoute vide \/ empty listen address/);
    expectOne((c) => (c.server.host = '  '), 'server.host', /empty listen address/);
    for (const bad of ['http://0.0.0.0', 'localhost:8080', '[::1]', 'my host', '1.2.3', '999.1.1.1', 'a..b', '-x.fr']) {
      expectOne((c) => (c.server.host = bad), 'server.host', /invalid listen address .*host name or an IP address/);
    }
    for (const good of ['localhost', '0.0.0.0', '::', '::1', '192.168.1.20', 'vigie.region.fr', 'fe80::1']) expect(checkListenHost(good)).toBeNull();
  });

  it('empty paths', () => {
    expectOne((c) => (c.storage.dataDir = ''), 'storage.dataDir', /chemin vide \/ empty path/);
    expectOne((c) => (c.runner.chromiumPath = ' '), 'runner.chromiumPath', /empty path/);
    expectOne((c) => (c.journeys.homework = { module: '' }), 'journeys.homework.module', /empty path/);
    expectOne((c) => (c.personas[1]!.password = { file: ' ' }), 'personas[1].password.file', /empty path/);
  });

  it('duplicate contract ids', () => {
    expectOne((c) => c.contracts.push({ ...c.contracts[0]! }), 'contracts[1].id', /en double \/ duplicate id "marche"/);
  });

  it('a roll call whose parent is of another establishment, or not a parent', () => {
    const otherParent = { id: 'parent-college', role: 'parent', tenant: '0519991H', username: 'x', password: { env: 'P' } };
    expectOne((c) => {
      c.personas.push(otherParent);
      c.schedules[1]!.personas = { parent: 'parent-college' };
    }, 'schedules[1].personas.parent', /d'un autre établissement .* \/ persona "parent-college" belongs to another tenant \(0519991H\), not 0519990G/);
    expectOne((c) => (c.schedules[1]!.personas = { parent: 'prof' }), 'schedules[1].personas.parent', /has role teacher, not parent/);
    // The same for the acting persona of any schedule.
    expectOne((c) => (c.schedules[0]!.persona = 'prof-college'), 'schedules[0].persona', /belongs to another tenant/);
    // A missing parent is a warning (see timing.test.ts), an unknown one an error.
    expectOne((c) => (c.schedules[1]!.personas = { parent: 'parent-inconnu' }), 'schedules[1].personas.parent', /persona inconnue \/ unknown persona/);
  });

  it("a parent's pupil not in the test data", () => {
    expectOne((c) => (c.personas[1]!.pupil = 'E99'), 'personas[1].pupil', /élève absent .* \/ pupil "E99" is not in the test data of tenant 0519990G/);
    // A parent without a tenant: its pupil must be in the test data of the schedules it acts in.
    expectOne((c) => {
      delete c.personas[1]!.tenant;
      c.personas[1]!.pupil = 'E99';
      c.tenants[1]!.testData = { classes: [{ id: 'U', pupils: [{ id: 'E99' }] }] };
    }, 'schedules[1].personas.parent', /pupil "E99" of parent "parent" is not in the test data of tenant 0519990G/);
  });

  it('an unknown built-in profile', () => {
    expectOne((c) => (c.targets[0]!.profile = 'sandbx'), 'targets[0].profile', /profil intégré inconnu \/ unknown built-in profile "sandbx" \(built-in: sandbox/);
    // Without the built-in profiles (core alone), ids are not judged.
    const config = base();
    config.targets[0]!.profile = 'sandbx';
    expect(issuesOf(config, {})).toEqual([]);
  });

  it('an unknown journey or step in thresholds', () => {
    expectOne((c) => (c.journeys.logn = { thresholdMs: 5000 }), 'journeys.logn', /parcours inconnu \/ unknown journey "logn"/);
    expectOne((c) => (c.journeys.login!.stepThresholdsMs = { landng: 3000 }), 'journeys.login.stepThresholdsMs.landng', /étape inconnue .* \/ unknown step "landng" of journey login \(steps: open-ent, wayf, landing\)/);
    const clause = (c: Cfg) => (c.contracts[0]!.clauses as Record<string, unknown>[])[0]!;
    expectOne((c) => (clause(c).journeys = ['login', 'logon']), 'contracts[0].clauses[0].journeys[1]', /unknown journey "logon"/);
    expectOne((c) => (clause(c).latency = { logon: { thresholdMs: 1, targetPercent: 1 } }), 'contracts[0].clauses[0].latency.logon', /unknown journey "logon"/);
    expectOne((c) => (clause(c).latency = { 'roll-call': { thresholdMs: 1, targetPercent: 1, steps: { 'parent:landin': 1 } } }), 'contracts[0].clauses[0].latency.roll-call.steps.parent:landin', /unknown step "parent:landin" of journey roll-call/);
    expectOne((c) => (c.contracts[0]!.maintenance = [{ kind: 'one-off', id: 'w', start: '2026-10-24T20:00', duration: '1h', scope: { journeys: ['logon'] } }]), 'contracts[0].maintenance[0].scope.journeys[0]', /unknown journey "logon"/);
    // A user journey's steps are its module's: not judged.
    const config = base();
    config.journeys.homework = { module: './homework.journey.mjs', stepThresholdsMs: { anything: 1 } };
    expect(issuesOf(config)).toEqual([]);
  });

  it('an unknown zone', () => {
    expectOne((c) => (c.tenants[0]!.zone = 'D'), 'tenants[0].zone', /zone inconnue \/ unknown zone "D" \(a school-calendar location: A, B, C, Corse/);
    expectOne((c) => (c.tenants[0]!.zone = 'Zone Z'), 'tenants[0].zone', /unknown zone/);
    for (const zone of ['A', 'zone b', 'Zone C', 'Corse', 'Réunion', 'reunion', 'Nouvelle Calédonie', 'Saint Pierre et Miquelon']) expect(isCalendarLocation(zone)).toBe(true);
  });

  it('an in-school location with an unknown UAI', () => {
    expectOne((c) => (c.locations[1]!.uai = '0519992J'), 'locations[1].uai', /aucun établissement .* \/ no tenant has UAI "0519992J"/);
  });

  it('an empty currency', () => {
    expectOne((c) => (c.contracts[0]!.currency = ''), 'contracts[0].currency', /devise vide \/ empty currency/);
  });

  it('a date before 2000 in a contract or a maintenance window (0099 once became 1999)', () => {
    expectOne((c) => (c.contracts[0]!.startDate = '0099-09-01'), 'contracts[0].startDate', /date avant 2000 refusée \/ a date before 2000 is refused: "0099-09-01"/);
    expectOne((c) => (c.contracts[0]!.maintenance = [{ kind: 'one-off', id: 'w', start: '1999-12-31T20:00', duration: '1h' }]), 'contracts[0].maintenance[0].start', /before 2000/);
  });

  it('NUL in any string, or a lone surrogate', () => {
    expectOne((c) => (c.tenants[0]!.name = 'Lycée\0'), 'tenants[0].name', /caractère NUL interdit \/ NUL character \(U\+0000\) not allowed/);
    expectOne((c) => (c.personas[1]!.password = { file: '/run/secrets/\0x' }), 'personas[1].password.file', /NUL character/);
    expectOne((c) => ((c.journeys.login!.options as unknown) = { deep: [{ text: 'a\0b' }] }), 'journeys.login.options.deep[0].text', /NUL character/);
    expectOne((c) => ((c.journeys.login!.options as unknown) = { 'k\0': 1 }), 'journeys.login.options', /clé \/ key "k\\u0000": .*NUL/);
    expectOne((c) => (c.tenants[0]!.name = 'Lycée \uD83D'), 'tenants[0].name', /lone UTF-16 surrogate not allowed/);
    // A field the schema already refuses (an id must be letters and digits) gets one message, the schema's.
    const config = base();
    config.schedules[0]!.id = 'lo\0gin';
    expect(issuesOf(config).map((i) => i.path)).toEqual(['schedules[0].id']);
  });

  it('a password written in the file instead of a secret reference: use { env: NAME } or { file: path }, at its path', () => {
    const literal = /^secret écrit en clair : .*\{ env: NOM_DE_VARIABLE \} ou \{ file: chemin \}.* \/ literal secret: .*give \{ env: VARIABLE_NAME \} or \{ file: path \}/;
    expectOne((c) => (c.personas[0]!.password = 'hunter2'), 'personas[0].password', literal);
    expectOne((c) => (c.personas[1]!.password = 123456), 'personas[1].password', literal);
    const config = base();
    config.personas[0]!.password = 'hunter2';
    expect(JSON.stringify(issuesOf(config))).not.toContain('hunter2');
    // Neither a value nor a reference: what a reference looks like.
    expectOne((c) => (c.personas[0]!.password = { envv: 'P' }), 'personas[0].password', /^référence de secret attendue : \{ env: NOM_DE_VARIABLE \} ou \{ file: chemin \} \/ expected a secret reference: \{ env: VARIABLE_NAME \} or \{ file: path \}$/);
    // A literal user name stays allowed.
    expect(issuesOf({ ...base(), personas: base().personas.map((p) => ({ ...p, username: 'plain-name' })) })).toEqual([]);
  });

  it('one message per field, even when the schema and a cross-reference both refuse it', () => {
    expectOne((c) => (c.schedules[0]!.persona = 'pr of'), 'schedules[0].persona', /^identifiant attendu/);
  });

  it('tells loopback listen addresses from the others', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.20', 'vigie.region.fr', '128.0.0.1', 'localhost.example.fr']) expect(isLoopbackHost(h)).toBe(false);
  });
});
