import { describe, expect, it } from 'vitest';
import { configWarnings, validateConfig } from '../validate.js';
import { slotLengths } from '../timing.js';
import { isVigieError, type Issue } from '../../errors.js';

/**
 * Issue 8 item 2, config side: a journey timeout plus the schedule offset must be shorter than the slot (refused,
 * naming both), and a default step timeout shorter than an explicit journey timeout is said, not silent (a warning).
 */

function config(journey: Record<string, unknown> | undefined, schedule: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const s: Record<string, unknown> = { id: 's', journey: 'login', tenant: '0519990G', persona: 'prof', ...schedule };
  for (const [k, v] of Object.entries(s)) if (v === undefined) delete s[k];
  return {
    targets: [{ id: 'ent', name: 'ENT', profile: 'sandbox', ssoUrl: 'http://sso.localhost:7080' }],
    tenants: [{ uai: '0519990G', name: 'Lycée', target: 'ent', entUrl: 'http://lycee.localhost:7080', academie: 'Reims', departement: '51', zone: 'B' }],
    personas: [{ id: 'prof', role: 'teacher', username: 'prof', password: { env: 'P' } }],
    journeys: journey === undefined ? {} : { login: journey },
    schedules: [s],
    ...extra,
  };
}

function issuesOf(input: unknown): readonly Issue[] {
  try {
    validateConfig(input);
  } catch (err) {
    if (isVigieError(err, 'CONFIG')) return err.issues;
    throw err;
  }
  return [];
}

describe('journey timeout + offset against the slot', () => {
  it('refuses timeout + offset reaching an interval slot, naming both fields and the slot', () => {
    const issues = issuesOf(config({ timeout: '60s', stepTimeout: '15s' }, { every: '5m', offset: '4m' }));
    expect(issues).toEqual([
      { path: 'schedules[0].offset', message: expect.stringContaining('journeys.login.timeout (1m) + schedules[0].offset (4m) doit être plus court que le créneau (5m) / must be shorter than the slot (5m)') },
    ]);
    // One second less fits.
    expect(issuesOf(config({ timeout: '59s', stepTimeout: '15s' }, { every: '5m', offset: '4m' }))).toEqual([]);
  });

  it('counts the default journey timeout (60 s) and says it is the default', () => {
    const issues = issuesOf(config(undefined, { every: '30s' }));
    expect(issues.map((i) => i.path)).toEqual(['schedules[0].every']);
    expect(issues[0]!.message).toMatch(/^journeys\.login\.timeout \(1m, défaut \/ default\) doit être plus court que le créneau \(30s\)/);
    expect(issuesOf(config({ timeout: '20s', stepTimeout: '15s' }, { every: '30s', offset: '9s' }))).toEqual([]);
  });

  it('measures a cron slot cut short by a close start (0,5 * * * *: a 5-minute slot at :00)', () => {
    expect(slotLengths({ kind: 'cron', cron: '0,5 * * * *', timezone: 'Europe/Paris', intervalSeconds: 3600 }).map((l) => l.seconds)).toEqual([300, 3300]);
    const issues = issuesOf(config({ timeout: '5m', stepTimeout: '15s' }, { cron: '0,5 * * * *', interval: '1h' }));
    expect(issues.map((i) => i.path)).toEqual(['schedules[0].cron']);
    expect(issues[0]!.message).toMatch(/créneau \(5m, 2028-01-01T\d\d:00Z\) .*the shortest of this cron/);
    expect(issuesOf(config({ timeout: '4m59s', stepTimeout: '15s' }, { cron: '0,5 * * * *', interval: '1h' }))).toEqual([]);
  });

  it('measures DST: a daily 02:30 slot lasts 23 h 30 min around the spring change in Paris', () => {
    const lengths = slotLengths({ kind: 'cron', cron: '30 2 * * *', timezone: 'Europe/Paris', intervalSeconds: 86400 });
    expect(lengths.map((l) => l.seconds / 3600)).toEqual([23.5, 24, 25]);
    expect(new Date(lengths[0]!.firstStart).toISOString()).toBe('2028-03-25T01:30:00.000Z');
    // 23 h 20 min offset + 15 min timeout fits a 24 h slot, not the 23 h 30 min one.
    const schedule = { cron: '30 2 * * *', interval: '1d', offset: '23h20m' };
    const issues = issuesOf(config({ timeout: '15m', stepTimeout: '15s' }, schedule));
    expect(issues.map((i) => i.path)).toEqual(['schedules[0].offset']);
    expect(issues[0]!.message).toMatch(/journeys\.login\.timeout \(15m\) \+ schedules\[0\]\.offset \(23h20m\) doit être plus court que le créneau \(23h30m, 2028-03-25T01:30Z\)/);
    expect(issuesOf(config({ timeout: '9m', stepTimeout: '15s' }, schedule))).toEqual([]);
    // The schedule's own zone decides: Réunion has no DST.
    expect(issuesOf(config({ timeout: '15m', stepTimeout: '15s' }, { ...schedule, timezone: 'Indian/Reunion' }))).toEqual([]);
  });

  it('leaves a schedule the schema refuses to the schema (one message)', () => {
    const issues = issuesOf(config(undefined, { every: '5m', offset: '6m' }));
    expect(issues.map((i) => i.path)).toEqual(['schedules[0].offset']);
    expect(issues[0]!.message).toMatch(/offset must be shorter than the slot/);
  });
});

describe('warnings of a valid config', () => {
  const warningsOf = (input: Record<string, unknown>) => {
    expect(issuesOf(input)).toEqual([]);
    return configWarnings(input);
  };

  it('a journey timeout longer than the default step timeout, stepTimeout not written', () => {
    const warnings = warningsOf(config({ timeout: '90s' }, { every: '5m' }));
    expect(warnings).toEqual([
      { path: 'journeys.login.timeout', message: expect.stringMatching(/stepTimeout \(15s par défaut\) \/ each wait of a step is still limited to the default stepTimeout \(15s\) within this 1m30s timeout; write journeys\.login\.stepTimeout/) },
    ]);
    // Written (even at the default value), or not longer, or not explicit: nothing to say.
    expect(warningsOf(config({ timeout: '90s', stepTimeout: '15s' }, { every: '5m' }))).toEqual([]);
    expect(warningsOf(config({ timeout: '15s' }, { every: '5m' }))).toEqual([]);
    expect(warningsOf(config({ thresholdMs: 5000 }, { every: '5m' }))).toEqual([]);
  });

  it('a stepTimeout not shorter than the timeout (it could never fire)', () => {
    expect(warningsOf(config({ timeout: '60s', stepTimeout: '10m' }, { every: '15m' })).map((w) => w.path)).toEqual(['journeys.login.stepTimeout']);
    expect(warningsOf(config({ timeout: '60s', stepTimeout: '60s' }, { every: '15m' })).map((w) => w.path)).toEqual(['journeys.login.stepTimeout']);
    expect(warningsOf(config({ timeout: '60s', stepTimeout: '59s' }, { every: '15m' }))).toEqual([]);
  });

  it('server.host other than loopback: access control and TLS in front', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'vigie.region.fr']) {
      const warnings = warningsOf(config(undefined, { every: '5m' }, { server: { host } }));
      expect(warnings.map((w) => w.path)).toEqual(['server.host']);
      expect(warnings[0]!.message).toMatch(/contrôle d'accès et TLS .* \/ .*put access control and TLS in front/);
    }
    for (const host of ['127.0.0.1', 'localhost', '::1']) expect(warningsOf(config(undefined, { every: '5m' }, { server: { host } }))).toEqual([]);
    expect(warningsOf(config(undefined, { every: '5m' }))).toEqual([]); // the default is loopback
  });

  it('a roll call without a parent, unless propagation is off', () => {
    const rollCall = { journey: 'roll-call', every: '15m' };
    expect(warningsOf(config(undefined, rollCall)).map((w) => [w.path, w.message])).toEqual([
      ['schedules[0].personas', expect.stringMatching(/appel sans parent .* \/ roll call without personas\.parent/)],
    ]);
    const off = { ...config(undefined, rollCall), journeys: { 'roll-call': { options: { propagation: false } } } };
    expect(warningsOf(off)).toEqual([]);
  });
});

describe('freshness grace against the run', () => {
  it('refuses a grace shorter than offset + timeout (stale while the run still goes), accepts one that covers it', () => {
    const issues = issuesOf(config({ timeout: '60s' }, { every: '5m', offset: '10s', grace: '1s' }));
    expect(issues).toEqual([{ path: 'schedules[0].grace', message: expect.stringContaining("grace (1s) doit couvrir l'offset et le timeout du parcours (1m10s)") }]);
    expect(issuesOf(config({ timeout: '60s' }, { every: '5m', offset: '10s', grace: '70s' }))).toEqual([]);
  });
});
