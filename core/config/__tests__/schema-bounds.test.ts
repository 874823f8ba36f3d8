import { describe, expect, it } from 'vitest';
import { validateConfig } from '../validate.js';
import { isVigieError, type Issue } from '../../errors.js';

/** A minimal valid config; each test changes one part of it. */
function base(): Record<string, unknown> {
  return {
    targets: [{ id: 'ent', name: 'ENT', profile: 'sandbox', ssoUrl: 'http://sso.localhost:7080' }],
    tenants: [{ uai: '0519990G', name: 'Lycée', target: 'ent', entUrl: 'http://lycee.localhost:7080', academie: 'Reims', departement: '51', zone: 'B' }],
    personas: [{ id: 'prof', role: 'teacher', username: 'prof', password: { env: 'P' } }],
    journeys: { login: { timeout: '60s' } },
    schedules: [{ id: 's', journey: 'login', tenant: '0519990G', persona: 'prof', every: '5m' }],
  };
}

function issuesOf(config: Record<string, unknown>): readonly Issue[] {
  try {
    validateConfig(config);
  } catch (err) {
    if (isVigieError(err, 'CONFIG')) return err.issues;
    throw err;
  }
  return [];
}

const withJourney = (login: Record<string, unknown>) => ({ ...base(), journeys: { login } });
const withSchedule = (extra: Record<string, unknown>): Record<string, unknown> => {
  const s = { id: 's', journey: 'login', tenant: '0519990G', persona: 'prof', every: '5m', ...extra };
  for (const [k, v] of Object.entries(s)) if (v === undefined) delete (s as Record<string, unknown>)[k];
  return { ...base(), schedules: [s] };
};

describe('duration bounds', () => {
  it('the base config is valid', () => {
    expect(issuesOf(base())).toEqual([]);
  });

  it('accepts the ms unit and both ends of each range', () => {
    // A 1 h timeout needs slots longer than 1 h (timing.ts): the schedule runs every 2 h here.
    const twoHourly = withSchedule({ every: '2h' });
    const c = validateConfig({ ...twoHourly, journeys: { login: { timeout: '1h', stepTimeout: '1500ms' } }, runner: { shutdownGrace: 0 } });
    expect(c.journeys.login).toMatchObject({ timeout: 3600, stepTimeout: 1.5 });
    expect(c.runner.shutdownGrace).toBe(0);
    expect(validateConfig(withJourney({ timeout: 1, stepTimeout: '10m' })).journeys.login).toMatchObject({ timeout: 1, stepTimeout: 600 });
  });

  it.each([
    [{ timeout: '100000d' }, 'journeys.login.timeout', /at most 1h/],
    [{ timeout: 0.5 }, 'journeys.login.timeout', /at least 1s/],
    [{ timeout: '1h1s' }, 'journeys.login.timeout', /at most 1h/],
    [{ stepTimeout: '11m' }, 'journeys.login.stepTimeout', /at most 10m/],
    [{ stepTimeout: '999ms' }, 'journeys.login.stepTimeout', /at least 1s/],
  ])('journey %j → %s', (login, path, message) => {
    const issues = issuesOf(withJourney(login));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe(path);
    expect(issues[0]!.message).toMatch(message);
  });

  it.each([
    [{ every: '500ms' }, 'schedules[0].every', /at least 1s/],
    [{ every: '1d' }, 'schedules[0].every', /cron pattern in the time zone/],
    [{ every: undefined, cron: '0 6 * * *', interval: '32d' }, 'schedules[0].interval', /at most 31d/],
    [{ every: undefined, cron: '0 6 * * *', interval: '0s' }, 'schedules[0].interval', /at least 1s/],
    [{ offset: '5m' }, 'schedules[0].offset', /shorter than the slot/],
  ])('schedule %j → %s', (extra, path, message) => {
    const issues = issuesOf(withSchedule(extra));
    expect(issues.map((i) => i.path)).toEqual([path]);
    expect(issues[0]!.message).toMatch(message);
  });

  it('accepts a zero offset and a 31-day cron interval', () => {
    const c = validateConfig(withSchedule({ every: undefined, cron: '0 6 1 * *', interval: '31d', offset: 0 }));
    expect(c.schedules[0]).toMatchObject({ interval: 31 * 86400, offset: 0 });
  });

  it('bounds the shutdown grace (0 … 10 min)', () => {
    const issues = issuesOf({ ...base(), runner: { shutdownGrace: '11m' } });
    expect(issues.map((i) => i.path)).toEqual(['runner.shutdownGrace']);
  });

  it('bounds the contract durations', () => {
    const contract = {
      id: 'c',
      startDate: '2026-09-01',
      clauses: [{ id: 'k', name: 'K', journeys: ['login'], targetPercent: 99, noticePeriod: '91d', penalties: { gtr: [{ severity: 'bloquant', limit: '30s' }] } }],
      maintenance: [{ kind: 'one-off', id: 'w', start: '2026-10-24T20:00', duration: '32d' }],
    };
    const issues = issuesOf({ ...base(), contracts: [contract] });
    expect(issues.map((i) => i.path).sort()).toEqual(['contracts[0].clauses[0].noticePeriod', 'contracts[0].clauses[0].penalties.gtr[0].limit', 'contracts[0].maintenance[0].duration']);
  });
});

describe('unknown keys', () => {
  it('are reported with their path at every level, not dropped', () => {
    const config = withSchedule({ evrey: '5m' });
    config.runner = { bogusKey: 1 };
    config.journeys = { login: { timout: '30s' } };
    (config.tenants as Record<string, unknown>[])[0]!.testData = { classes: [{ id: 'c', pupils: [{ id: 'p', nom: 'x' }] }] };
    const issues = issuesOf(config);
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    expect(Object.keys(byPath).sort()).toEqual(['journeys.login', 'runner', 'schedules[0]', 'tenants[0].testData.classes[0].pupils[0]']);
    expect(byPath.runner).toMatch(/^clé inconnue "bogusKey" ; clés possibles : concurrency, .* \/ unrecognized key "bogusKey"; expected: concurrency, /);
    expect(byPath['schedules[0]']).toMatch(/unrecognized key "evrey"; expected: .*every/);
    expect(byPath['journeys.login']).toContain('"timout"');
  });

  it('are reported inside an inline ENT profile', () => {
    const profile = {
      id: 'p',
      name: 'P',
      login: { startUrl: '{ent}/', stages: [{ name: 'landing', action: 'expect', selector: '#home', timeout: 5 }] },
      logout: { selector: '#logout', loggedOutSelector: '#login' },
      rollCall: { timetableUrl: '{ent}/edt', currentLessonSelector: 'a', rosterRowSelector: 'tr', pupilIdAttribute: 'data-id', absentSelector: 'input', validateSelector: 'button', savedSelector: '.ok', extra: 1 },
    };
    const config = base();
    (config.targets as Record<string, unknown>[])[0]!.profile = profile;
    const byPath = Object.fromEntries(issuesOf(config).map((i) => [i.path, i.message]));
    expect(byPath).toEqual({ 'targets[0].profile.login.stages[0]': 'Unrecognized key: "timeout"', 'targets[0].profile.rollCall': 'Unrecognized key: "extra"' });
  });

  it('are reported in secret references and contracts', () => {
    const config = base();
    (config.personas as Record<string, unknown>[])[0]!.password = { env: 'P', value: 'x' };
    config.contracts = [{ id: 'c', startDate: '2026-09-01', clauses: [{ id: 'k', name: 'K', journeys: ['login'], targetPercent: 99, penalties: { monthlyCapp: 5 } }] }];
    const paths = issuesOf(config).map((i) => i.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['contracts[0].clauses[0].penalties', 'personas[0].password']));
  });
});
