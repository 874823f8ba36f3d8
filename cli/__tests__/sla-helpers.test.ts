import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../core/config/validate.js';
import { parseScope } from '../corrections-cmd.js';
import { createLineReader } from '../import-line.js';
import { calendarZone, calendarsByLocation, mergeCalendars, parseCalendarFile } from '../sla-calendars.js';
import { resolvePeriod } from '../sla-period.js';
import { slaQuerySchema } from '../../collector/sla-schemas.js';
import { replayConfig, scheduleId, tenantUai } from './replay-fixture.js';

const Z = 'Europe/Paris';

describe('resolvePeriod', () => {
  it('resolves a local month, a school year and local from/to in the contract zone', () => {
    expect(resolvePeriod({ month: '2026-10' }, Z)).toEqual({ from: Date.UTC(2026, 8, 30, 22), to: Date.UTC(2026, 9, 31, 23), label: '2026-10' });
    const y = resolvePeriod({ schoolYear: '2026-2027' }, Z);
    expect([y.from, y.to]).toEqual([Date.UTC(2026, 7, 31, 22), Date.UTC(2027, 7, 31, 22)]);
    const p = resolvePeriod({ from: '2026-10-25', to: '2026-10-26T08:00' }, Z);
    expect([p.from, p.to]).toEqual([Date.UTC(2026, 9, 24, 22), Date.UTC(2026, 9, 26, 7)]);
    expect(resolvePeriod({ from: '2026-10-05T06:00:00Z', to: '2026-10-05T07:00:00Z' }, Z).from).toBe(Date.UTC(2026, 9, 5, 6));
  });

  it('names the bad field', () => {
    expect(() => resolvePeriod({ month: '2026-13' }, Z)).toThrow(/^month: /);
    expect(() => resolvePeriod({ schoolYear: '2026-2028' }, Z)).toThrow(/^school-year: /);
    expect(() => resolvePeriod({ from: '2026-02-30', to: '2026-03-01' }, Z)).toThrow(/^from: /);
    expect(() => resolvePeriod({ from: '2026-03-02', to: '2026-03-01' }, Z)).toThrow(/^to: must be after from/);
    expect(() => resolvePeriod({ from: 'hier', to: '2026-03-01' }, Z)).toThrow(/^from: /);
  });

  it('refuses periods longer than MAX_PERIOD_DAYS (out of memory on 1970–2099) in the CLI and HTTP schemas', () => {
    expect(() => resolvePeriod({ from: '1970-01-01', to: '2099-12-31' }, Z)).toThrow(/^from\/to: .*longer than 400 days/);
    expect(() => resolvePeriod({ from: '2026-01-01', to: '2027-02-06' }, Z)).toThrow(/longer than/);
    // A contract year across a DST change still fits.
    expect(resolvePeriod({ from: '2026-03-01', to: '2027-03-01' }, Z).to).toBe(Date.UTC(2027, 1, 28, 23));
    const r = slaQuerySchema.safeParse({ contract: 'c', from: '1970-01-01', to: '2099-12-31' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]).toMatchObject({ path: ['to'], message: expect.stringMatching(/from 1970-01-01 to 2099-12-31 is longer than 400 days/) });
    expect(slaQuerySchema.safeParse({ contract: 'c', from: '2026-09-01', to: '2027-09-01' }).success).toBe(true);
  });
});

describe('parseScope', () => {
  it('reads key=list;key=list with singular keys, or a bare tenant list', () => {
    expect(parseScope('tenant=0510100G,0510101H;journeys=login')).toEqual({ tenants: ['0510100G', '0510101H'], journeys: ['login'] });
    expect(parseScope('0510100G, 0510101H')).toEqual({ tenants: ['0510100G', '0510101H'] });
    expect(parseScope(undefined)).toEqual({});
  });
});

describe('school calendars', () => {
  const ics = (name: string, from: string, to: string) =>
    ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', `DTSTART;VALUE=DATE:${from}`, `DTEND;VALUE=DATE:${to}`, `SUMMARY:${name}`, 'LOCATION:Zone B', 'END:VEVENT', 'END:VCALENDAR'].join('\n');

  it('detects ICS by content and names the zone of its lines', () => {
    const cal = parseCalendarFile('export', ics('Vacances de Noël', '20261219', '20270104'));
    expect(cal.holidays).toEqual([expect.objectContaining({ firstDay: '2026-12-19', endDay: '2027-01-04' })]);
    expect(calendarZone(cal)).toBe('B');
    expect(() => parseCalendarFile('x.csv', 'a,b')).toThrow(/x\.csv/);
  });

  it('merges imports: a later import replaces the school years it contains and keeps the others', () => {
    const y1 = parseCalendarFile('a.ics', ics('Vacances de Noël', '20251220', '20260105'));
    const y2 = parseCalendarFile('b.ics', ics('Vacances de Noël', '20261219', '20270104'));
    const y2fixed = parseCalendarFile('c.ics', ics('Vacances de Noël', '20261218', '20270104'));
    const merged = mergeCalendars([y1, y2, y2fixed]);
    expect(merged.holidays.map((h) => h.firstDay)).toEqual(['2025-12-20', '2026-12-18']);
  });

  it('falls back to the shipped zone B file when nothing was imported for B', () => {
    const map = calendarsByLocation([]);
    expect(map.get('B')?.holidays.some((h) => h.firstDay === '2026-10-17' && h.endDay === '2026-11-02')).toBe(true);
    const own = parseCalendarFile('a.ics', ics('Vacances de Noël', '20251220', '20260105'));
    const imported = calendarsByLocation([{ id: 1, location: 'B', source: 'a.ics', importedAt: '', contentSha256: '', calendar: own }]);
    expect(imported.get('B')).toEqual(own);
  });
});

describe('import lines', () => {
  const config = validateConfig(replayConfig({ tenants: 1, journeys: ['login'] }));
  const read = createLineReader(config);
  const id = scheduleId('login', tenantUai(0));

  it('fills the run from the schedule and defaults', () => {
    const r = read(JSON.stringify({ scheduleId: id, scheduledAt: '2026-10-05T06:05:00+00:00', status: 'down', kind: 'timeout', attempts: [{ attempt: 1, status: 'down', steps: [{ name: 'credentials', status: 'failed' }] }] }), 3);
    expect(r.run).toMatchObject({ scheduleId: id, journey: 'login', target: 'ent', tenant: tenantUai(0), location: 'local', trigger: 'scheduled', scheduledAt: '2026-10-05T06:05:00.000Z', startedAt: '2026-10-05T06:05:00.000Z', durationMs: 0 });
    expect(r.run!.attempts[0].steps[0]).toMatchObject({ index: 0, soft: false, startedAt: '2026-10-05T06:05:00.000Z' });
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
    const byId = Object.fromEntries(contract.clauses.map((c) => [c.id, c]));
    expect(byId['disponibilite-scolaire']).toMatchObject({
      serviceHours: { weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '07:00', to: '19:00' }] },
      calendar: { schoolHolidays: true, publicHolidays: true },
      penalties: { gtr: expect.arrayContaining([expect.objectContaining({ severity: 'bloquant', limit: 4 * 3600 })]), monthlyCap: 10000, yearlyCap: 60000 },
    });
    expect(byId['disponibilite-24-7'].serviceHours).toBe('24/7');
    expect(byId['deconnexion-effective'].journeys).toEqual(['logout']);
    expect(config.schedules.some((s) => s.journey === 'logout')).toBe(true);
  });
});
