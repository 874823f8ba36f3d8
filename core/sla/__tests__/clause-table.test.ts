import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { maintenanceWindowSchema, type ClauseConfig } from '../../config/contract.js';
import { parseSchoolCalendarIcs } from '../../calendar/school-calendar.js';
import { computeClauseReport, type ClauseSeriesInput } from '../compute-clause.js';
import { resolveWindowOccurrences, type WindowOccurrence } from '../maintenance.js';
import { computeSlotStates, type LocationRef, type SlotRun } from '../slot-states.js';
import { expectedSlots } from '../schedule-slots.js';
import type { Correction } from '../corrections.js';
import type { RunStatus } from '../../run-types.js';
import { clause, LOCAL, MIN, paris, pct4, slots, within, ZONE } from './helpers.js';

const zoneB = parseSchoolCalendarIcs(readFileSync(new URL('../../../data/calendrier-scolaire/Zone-B.ics', import.meta.url), 'utf8'));
const SCHOOL = {
  serviceHours: { weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '07:00', to: '19:00' }] },
  calendar: { schoolHolidays: true, publicHolidays: true },
};

interface Case {
  from: string;
  to: string;
  /** Slot length in minutes (default 5). */
  every?: number;
  status?: (t: number) => RunStatus | null;
  runs?: (list: { start: number }[]) => SlotRun[];
  clause?: Record<string, unknown>;
  departement?: string;
  firstSeen?: string;
  windows?: WindowOccurrence[];
  locations?: LocationRef[];
  slotList?: { start: number; end: number }[];
  corrections?: Correction[];
}

function run(c: Case) {
  const from = paris(c.from);
  const to = paris(c.to);
  const list = c.slotList ?? slots(from, to, c.every ?? 5);
  const runList = c.runs ? c.runs(list) : list.flatMap((s) => {
    const status = (c.status ?? (() => 'up'))(s.start);
    return status ? [{ location: 'local', scheduledAt: s.start, status, ...(status === 'down' ? { kind: 'http' as const } : {}) }] : [];
  });
  const states = computeSlotStates({ slots: list, locations: c.locations ?? LOCAL, runs: runList, windows: c.windows, firstSeen: c.firstSeen ? paris(c.firstSeen) : null, from, to, now: to });
  const cl: ClauseConfig = clause(c.clause ?? {});
  const series: ClauseSeriesInput = { journey: 'login', target: 't', tenant: '0570001A', calendar: { departement: c.departement ?? '51', schoolCalendar: zoneB }, states };
  return computeClauseReport({ clause: cl, zone: ZONE, from, to, now: to, series: [series], corrections: c.corrections });
}

const windowsFor = (w: Record<string, unknown>, announcedAt: string, from: string, to: string, notice = 172_800) =>
  resolveWindowOccurrences([{ window: maintenanceWindowSchema.parse(w), announcedAt }], paris(from), paris(to), ZONE, notice);

describe('table: calendar edges (24/7 unless said)', () => {
  it.each([
    ['spring-forward day, 1 h down', { from: '2025-03-30 00:00', to: '2025-03-31 00:00', status: (t: number) => (within('2025-03-30 12:00', '2025-03-30 13:00')(t) ? 'down' : 'up') }, 1380, '95.6522'],
    ['fall-back day, 1 h down', { from: '2025-10-26 00:00', to: '2025-10-27 00:00', status: (t: number) => (within('2025-10-26 12:00', '2025-10-26 13:00')(t) ? 'down' : 'up') }, 1500, '96.0000'],
    ['fall-back night, down over both 02:xx hours', { from: '2025-10-26 00:00', to: '2025-10-27 00:00', status: (t: number) => (t >= Date.parse('2025-10-26T00:00:00Z') && t < Date.parse('2025-10-26T02:00:00Z') ? 'down' : 'up') }, 1500, '92.0000'],
    ['month end: October 2025 (25 h day inside)', { from: '2025-10-01 00:00', to: '2025-11-01 00:00', status: (t: number) => (within('2025-10-31 23:00', '2025-11-01 00:00')(t) ? 'down' : 'up') }, 44_700, pct4((1 - 60 / 44_700) * 100)],
    ['leap February 2024', { from: '2024-02-01 00:00', to: '2024-03-01 00:00', status: (t: number) => (within('2024-02-29 10:00', '2024-02-29 11:00')(t) ? 'down' : 'up') }, 41_760, pct4((1 - 60 / 41_760) * 100)],
    ['leap day alone', { from: '2024-02-29 00:00', to: '2024-03-01 00:00', status: (t: number) => (within('2024-02-29 10:00', '2024-02-29 11:00')(t) ? 'down' : 'up') }, 1440, '95.8333'],
  ] as [string, Case, number, string][])('%s', (_name, c, counted, availability) => {
    const r = run(c);
    expect(r.raw.sums.countedMinutes).toBe(counted);
    expect(pct4(r.raw.figures.availabilityPercent)).toBe(availability);
  });

  it('zone B: an outage on the first and last days of the Christmas holidays does not count; the day before and the day back do', () => {
    const down = (t: number) => (new Date(t).getUTCHours() === 9 ? 'down' : 'up');
    const r = run({ from: '2025-12-19 00:00', to: '2026-01-06 00:00', status: down, clause: SCHOOL });
    // Friday 19 Dec and Monday 5 Jan only: 2 × 720 counted, 2 × 60 down.
    expect(r.raw.sums.countedMinutes).toBe(1440);
    expect(r.raw.sums.downMinutes).toBe(120);
    expect(r.series[0]!.episodes.map((e) => [new Date(e.start).toISOString().slice(0, 10), e.gtrMinutes])).toEqual([
      ['2025-12-19', 60],
      // The holiday outages (outside the clause's counted minutes) are no episodes of this clause: the table showed
      // them next to "no data".
      ['2026-01-05', 60],
    ]);
  });

  it('Good Friday: an outage counts in Meurthe-et-Moselle (54), not in Moselle (57)', () => {
    const c: Case = { from: '2026-04-03 00:00', to: '2026-04-04 00:00', status: (t) => (within('2026-04-03 10:00', '2026-04-03 11:00')(t) ? 'down' : 'up'), clause: SCHOOL };
    const moselle = run({ ...c, departement: '57' });
    const meurthe = run({ ...c, departement: '54' });
    expect(moselle.raw.sums.countedMinutes).toBe(0);
    expect(moselle.raw.figures.availabilityPercent).toBeNull();
    expect(moselle.raw.figures.noData).toBe(true);
    expect(meurthe.raw.sums.countedMinutes).toBe(720);
    expect(pct4(meurthe.raw.figures.availabilityPercent)).toBe(pct4((660 / 720) * 100));
  });
});

describe('table: windows, late notice, first seen, schedules', () => {
  const day = { from: '2025-11-14 00:00', to: '2025-11-15 00:00' };
  const downAt22 = (t: number) => (within('2025-11-14 22:00', '2025-11-14 23:00')(t) ? 'down' : 'up');

  it('a window crossing midnight excludes minutes on both days', () => {
    const w = windowsFor({ kind: 'recurring', id: 'n', start: '23:30', end: '00:30' }, '2025-01-01T00:00:00Z', day.from, day.to);
    const r = run({ ...day, windows: w });
    expect(r.raw.sums.maintenanceMinutes).toBe(60); // 00:00–00:30 and 23:30–24:00
  });

  it('late window, exclude mode: not excluded, its minutes count as measured', () => {
    const w = windowsFor({ kind: 'one-off', id: 'late', mode: 'exclude', start: '2025-11-14T22:00', end: '2025-11-14T23:00' }, '2025-11-14T12:00:00Z', day.from, day.to);
    expect(w[0]!.late).toBe(true);
    const r = run({ ...day, windows: w, status: downAt22 });
    expect(r.raw.sums.maintenanceMinutes).toBe(0);
    expect(r.raw.sums.downMinutes).toBe(60);
    expect(pct4(r.raw.figures.availabilityPercent)).toBe('95.8333');
  });

  it('late window, pause mode: probing stopped and the minutes count as down', () => {
    const w = windowsFor({ kind: 'one-off', id: 'late', mode: 'pause', start: '2025-11-14T22:00', end: '2025-11-14T23:00' }, '2025-11-14T12:00:00Z', day.from, day.to);
    const r = run({ ...day, windows: w, status: (t) => (within('2025-11-14 22:00', '2025-11-14 23:00')(t) ? null : 'up') });
    expect(r.raw.sums.downMinutes).toBe(60);
    expect(r.series[0]!.episodes).toHaveLength(1);
    expect(pct4(r.raw.figures.availabilityPercent)).toBe('95.8333');
  });

  it('on-time window, pause mode: excluded', () => {
    const w = windowsFor({ kind: 'one-off', id: 'ok', mode: 'pause', start: '2025-11-14T22:00', end: '2025-11-14T23:00' }, '2025-11-01T12:00:00Z', day.from, day.to);
    const r = run({ ...day, windows: w, status: (t) => (within('2025-11-14 22:00', '2025-11-14 23:00')(t) ? null : 'up') });
    expect(r.raw.sums.maintenanceMinutes).toBe(60);
    expect(r.raw.sums.downMinutes).toBe(0);
    expect(r.raw.figures.availabilityPercent).toBe(100);
  });

  it('a tenant first seen mid-month: earlier minutes are outside the period', () => {
    const r = run({ from: '2025-11-01 00:00', to: '2025-12-01 00:00', firstSeen: '2025-11-16 12:00', status: (t) => (t < paris('2025-11-16 12:00') ? null : within('2025-11-20 10:00', '2025-11-20 11:00')(t) ? 'down' : 'up') });
    const outside = (paris('2025-11-16 12:00') - paris('2025-11-01 00:00')) / MIN;
    expect(r.raw.sums.notMonitoredMinutes).toBe(outside);
    expect(r.raw.sums.countedMinutes).toBe(43_200 - outside);
    expect(r.raw.sums.unknownMinutes).toBe(0);
    expect(pct4(r.raw.figures.availabilityPercent)).toBe(pct4((1 - 60 / (43_200 - outside)) * 100));
    expect(r.raw.figures.coveragePercent).toBe(100);
  });

  it('a threshold changed mid-month: old runs keep the state they were stored with', () => {
    // Same 2.5 s journey: degraded under the old 2 s threshold (before 12:00), up under the new 3 s one.
    const r = run({ ...day, status: (t) => (t < paris('2025-11-14 12:00') ? 'degraded' : 'up') });
    expect(r.raw.sums.degradedMinutes).toBe(720);
    expect(r.raw.figures.availabilityPercent).toBe(100);
  });

  it('a daytime-only schedule leaves the nights "non planifié" (unknown) in a 24/7 clause', () => {
    const slotList = expectedSlots([{ schedule: { kind: 'cron', cron: '*/5 7-18 * * *', timezone: ZONE, intervalSeconds: 300 }, from: '2025-01-01T00:00:00Z', to: null }], paris(day.from), paris(day.to)).map((s) => ({
      start: s.start.getTime(),
      end: s.end.getTime(),
    }));
    const r = run({ ...day, slotList });
    expect(r.raw.sums.byState.unscheduled).toBe(720);
    expect(r.raw.sums.unknownMinutes).toBe(720);
    expect(pct4(r.raw.figures.coveragePercent)).toBe('50.0000');
    expect(r.series[0]!.dataGaps.map((g) => g.label)).toEqual(['data gap 2025-11-14 00:00–07:00', 'data gap 2025-11-14 19:00–24:00']);
    expect(r.series[0]!.dataGaps[0]!.states).toEqual(['unscheduled']);
  });
});

describe('table: episodes, parties, locations, corrections, pooling', () => {
  const day = { from: '2025-11-14 00:00', to: '2025-11-15 00:00' };

  it('an outage episode with unknown slots inside is one episode; GTR spans first down start to last down end', () => {
    const r = run({
      ...day,
      status: (t) => (within('2025-11-14 10:00', '2025-11-14 10:20')(t) ? 'down' : within('2025-11-14 10:20', '2025-11-14 10:40')(t) ? null : within('2025-11-14 10:40', '2025-11-14 11:00')(t) ? 'down' : 'up'),
      clause: { severity: { login: 'bloquant' } },
    });
    expect(r.episodes).toHaveLength(1);
    expect(r.episodes[0]).toMatchObject({ downSlots: 8, gtrMinutes: 60, elapsedMinutes: 60, severity: 'bloquant', parties: ['provider'] });
    expect(r.raw.sums.downMinutes).toBe(40);
    expect(r.raw.sums.unknownMinutes).toBe(20);
  });

  it('GTR counts service hours only: an outage from 18:00 to 08:00 next day is 2 h in school hours', () => {
    const r = run({ from: '2025-11-13 00:00', to: '2025-11-15 00:00', status: (t) => (t >= paris('2025-11-13 18:00') && t < paris('2025-11-14 08:00') ? 'down' : 'up'), clause: SCHOOL });
    expect(r.episodes.map((e) => [e.gtrMinutes, e.elapsedMinutes])).toEqual([[120, 840]]);
  });

  it('a party the clause does not count: down minutes excluded and listed by party', () => {
    const r = run({
      ...day,
      runs: (list) =>
        list.map((s) => ({
          location: 'local',
          scheduledAt: s.start,
          status: within('2025-11-14 10:00', '2025-11-14 11:00')(s.start) ? ('down' as const) : ('up' as const),
          ...(within('2025-11-14 10:00', '2025-11-14 10:30')(s.start) ? { party: 'educonnect' as const } : {}),
        })),
    });
    expect(r.raw.sums.downMinutes).toBe(30);
    expect(r.raw.sums.excludedByParty).toEqual({ educonnect: 30 });
    expect(r.raw.sums.downByParty).toEqual({ educonnect: 30, provider: 30 });
    expect(pct4(r.raw.figures.availabilityPercent)).toBe(pct4((1 - 30 / 1410) * 100));
    expect(r.episodes.map((e) => e.downSlots)).toEqual([6]);
  });

  it('a failure seen only from an in-school location is not counted against the provider', () => {
    const locations: LocationRef[] = [
      { id: 'local', kind: 'reference' },
      { id: 'lycee', kind: 'in-school' },
    ];
    const r = run({
      ...day,
      locations,
      runs: (list) => list.flatMap((s) => [
        { location: 'local', scheduledAt: s.start, status: 'up' as const },
        { location: 'lycee', scheduledAt: s.start, status: within('2025-11-14 10:00', '2025-11-14 11:00')(s.start) ? ('down' as const) : ('up' as const), kind: 'network' as const },
      ]),
    });
    expect(r.raw.sums.downMinutes).toBe(0);
    expect(r.raw.figures.availabilityPercent).toBe(100);
  });

  it('a correction excludes a period after the fact: raw and corrected figures, withdrawn corrections ignored', () => {
    const base: Case = { ...day, status: (t) => (within('2025-11-14 10:00', '2025-11-14 11:00')(t) ? 'down' : 'up') };
    const correction: Correction = { id: 'c1', start: paris('2025-11-14 10:00'), end: paris('2025-11-14 10:30'), reason: 'Panne électrique du datacenter (force majeure)', author: 'region', createdAt: paris('2025-11-14 12:00') };
    const r = run({ ...base, corrections: [correction] });
    expect(pct4(r.raw.figures.availabilityPercent)).toBe('95.8333');
    expect(pct4(r.corrected.figures.availabilityPercent)).toBe(pct4((1 - 30 / 1410) * 100));
    expect(r.corrected.sums.correctionMinutes).toBe(30);
    const withdrawn = run({ ...base, corrections: [{ ...correction, withdrawnAt: paris('2025-11-14 13:00') }] });
    expect(withdrawn.corrected.figures.availabilityPercent).toBe(withdrawn.raw.figures.availabilityPercent);
  });

  it('a scope of several tenants pools minutes, never averages percentages', () => {
    const from = paris('2025-11-14 00:00');
    const to = paris('2025-11-15 00:00');
    const states = (downMinutes: number, end: number, firstSeen: number | null = null) => {
      const list = slots(from, end, 1);
      return computeSlotStates({ slots: list, locations: LOCAL, runs: list.map((s, i) => ({ location: 'local', scheduledAt: s.start, status: i < downMinutes ? ('down' as const) : ('up' as const) })), firstSeen, from, to, now: to });
    };
    const report = computeClauseReport({
      clause: clause(),
      zone: ZONE,
      from,
      to,
      now: to,
      series: [
        { journey: 'login', target: 't', tenant: 'a', calendar: { departement: '51', schoolCalendar: null }, states: states(144, to) },
        // Second tenant monitored only for the last 6 hours (first seen then): a smaller weight.
        { journey: 'login', target: 't', tenant: 'b', calendar: { departement: '51', schoolCalendar: null }, states: states(0, to, to - 360 * MIN) },
        { journey: 'logout', target: 't', tenant: 'a', calendar: { departement: '51', schoolCalendar: null }, states: states(1440, to) },
      ],
    });
    expect(report.series).toHaveLength(2); // logout is not in this clause
    expect(report.raw.sums.countedMinutes).toBe(1440 + 360);
    expect(pct4(report.raw.figures.availabilityPercent)).toBe(pct4((1 - 144 / 1800) * 100)); // 92.0000, not (90 + 100) / 2
  });
});
