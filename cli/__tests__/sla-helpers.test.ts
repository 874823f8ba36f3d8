import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../core/config/validate.js';
import { parseScope } from '../corrections-cmd.js';
import { createLineReader } from '../import-line.js';
import { replayConfig, scheduleId, tenantUai } from './replay-fixture.js';


describe('parseScope', () => {
  it('reads key=list;key=list with singular keys, or a bare tenant list', () => {
    expect(parseScope('tenant=0510100G,0510101H;journeys=login')).toEqual({ tenants: ['0510100G', '0510101H'], journeys: ['login'] });
    expect(parseScope('0510100G, 0510101H')).toEqual({ tenants: ['0510100G', '0510101H'] });
    expect(parseScope(undefined)).toEqual({});
  });
});

describe('import lines', () => {
  const config = validateConfig(replayConfig({ tenants: 1, journeys: ['login'] }));
  const read = createLineReader(config);
  const id = scheduleId('login', tenantUai(0));

  it('fills the run from the schedule and defaults', () => {
    const r = read(JSON.stringify({ scheduleId: id, scheduledAt: '2026-10-05T06:05:00+00:00', status: 'down', kind: 'timeout', attempts: [{ attempt: 1, status: 'down', steps: [{ name: 'credentials', status: 'failed' }] }] }), 3);
    expect(r.run).toMatchObject({ scheduleId: id, journey: 'login', target: 'ent', tenant: tenantUai(0), location: 'local', trigger: 'scheduled', scheduledAt: '2026-10-05T06:05:00.000Z', startedAt: '2026-10-05T06:05:00.000Z', durationMs: 0 });
    expect(r.run?.attempts[0]?.steps[0]).toMatchObject({ index: 0, soft: false, startedAt: '2026-10-05T06:05:00.000Z' });
  });

  it('names the line and the field of every problem', () => {
    expect(read(JSON.stringify({ scheduleId: id, scheduledAt: '2026-10-05T06:05:00Z', status: 'up', tenant: '0000000A', location: 'ailleurs' }), 9).issues).toEqual([
      { line: 9, path: 'tenant', message: expect.stringContaining('does not match') },
      { line: 9, path: 'location', message: expect.stringContaining('not a location') },
    ]);
    expect(read(JSON.stringify({ scheduleId: id, status: 'up', durationMs: -1 }), 4).issues?.map((i) => i.path)).toEqual(['scheduledAt', 'durationMs']);
  });
});

describe('vigie.example.yml contract', () => {
  it('carries a school-hours availability clause, a 24/7 clause and a logout clause with penalties', async () => {
    const { loadConfigFile } = await import('../config-load.js');
    const config = await loadConfigFile(new URL('../../vigie.example.yml', import.meta.url).pathname);
    const [contract] = config.contracts;
    if (!contract) throw new Error('vigie.example.yml without contract');
    const byId = Object.fromEntries(contract.clauses.map((c) => [c.id, c]));
    expect(byId['disponibilite-scolaire']).toMatchObject({
      serviceHours: { weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '07:00', to: '19:00' }] },
      calendar: { schoolHolidays: true, publicHolidays: true },
      penalties: { gtr: expect.arrayContaining([expect.objectContaining({ severity: 'bloquant', limit: 4 * 3600 })]), monthlyCap: 10000, yearlyCap: 60000 },
    });
    expect(byId['disponibilite-24-7']?.serviceHours).toBe('24/7');
    expect(byId['deconnexion-effective']?.journeys).toEqual(['logout']);
    expect(config.schedules.some((s) => s.journey === 'logout')).toBe(true);
  });
});
