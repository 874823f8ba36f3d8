import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clauseSchema, type ServiceHours } from '../../config/contract.js';
import { countedIntervals } from '../clause-calendar.js';
import { totalMinutes } from '../intervals.js';
import { formatLocalPeriod, localDays, localMonthBounds, wallClockToUtc } from '../local-time.js';
import { publicHolidays } from '../public-holidays.js';
import { parseSchoolCalendarIcs } from '../school-calendar.js';
import { weeklyServiceIntervals } from '../service-hours.js';

const ZONE = 'Europe/Paris';
const iso = (t: number) => new Date(t).toISOString();
const zoneB = parseSchoolCalendarIcs(readFileSync(new URL('../../../data/calendrier-scolaire/Zone-B.ics', import.meta.url), 'utf8'));
const SCHOOL_HOURS: ServiceHours = { weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '07:00', to: '19:00' }] };
const schoolClause = clauseSchema.parse({
  id: 'heures-scolaires',
  name: 'Disponibilité en heures scolaires',
  journeys: ['login'],
  targetPercent: 99.5,
  serviceHours: { weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '07:00', to: '19:00' }] },
  calendar: { schoolHolidays: true, publicHolidays: true },
});

describe('wall-clock conversion with the cron(8) DST rules', () => {
  it.each([
    ['2025-03-30', '02:30', '2025-03-30T01:00:00.000Z'], // does not exist: right after the jump
    ['2025-03-30', '03:00', '2025-03-30T01:00:00.000Z'],
    ['2025-03-30', '01:59', '2025-03-30T00:59:00.000Z'],
    ['2025-10-26', '02:30', '2025-10-26T00:30:00.000Z'], // repeats: first occurrence
    ['2025-10-26', '03:00', '2025-10-26T02:00:00.000Z'],
    ['2025-07-15', '23:00', '2025-07-15T21:00:00.000Z'],
    ['2025-01-15', '23:00', '2025-01-15T22:00:00.000Z'],
    ['2024-02-29', '24:00', '2024-02-29T23:00:00.000Z'], // leap day, end of day
  ])('%s %s → %s', (date, time, expected) => {
    expect(iso(wallClockToUtc(date, time, ZONE))).toBe(expected);
  });
});

describe('local days and months have their true lengths', () => {
  it.each([
    ['2025-02', 40_320],
    ['2025-03', 44_580],
    ['2025-07', 44_640],
    ['2025-10', 44_700],
    ['2025-11', 43_200],
    ['2024-02', 41_760], // leap year
  ])('month %s has %d minutes', (month, minutes) => {
    const { start, end } = localMonthBounds(month, ZONE);
    expect((end - start) / 60_000).toBe(minutes);
    expect(totalMinutes(weeklyServiceIntervals('24/7', start, end, ZONE))).toBe(minutes);
  });

  it('walks the days of a DST month', () => {
    const { start, end } = localMonthBounds('2025-03', ZONE);
    const days = localDays(start, end, ZONE);
    expect(days).toHaveLength(31);
    expect(days.filter((d) => d.end - d.start !== 86_400_000).map((d) => [d.date, (d.end - d.start) / 60_000])).toEqual([['2025-03-30', 1380]]);
  });

  it('labels periods in local time', () => {
    expect(formatLocalPeriod(Date.parse('2025-11-08T00:00:00Z'), Date.parse('2025-11-08T05:00:00Z'), ZONE)).toBe('2025-11-08 01:00–06:00');
    expect(formatLocalPeriod(Date.parse('2025-11-08T22:00:00Z'), Date.parse('2025-11-09T01:00:00Z'), ZONE)).toBe('2025-11-08 23:00 – 2025-11-09 02:00');
  });
});

describe('weekly service hours', () => {
  it('follows the local clock across DST: 07:00 is 06:00Z in winter and 05:00Z in summer', () => {
    const week = weeklyServiceIntervals(SCHOOL_HOURS, Date.parse('2025-03-27T00:00:00Z'), Date.parse('2025-04-01T00:00:00Z'), ZONE);
    expect(week.map((i) => [iso(i.start), iso(i.end)])).toEqual([
      ['2025-03-27T06:00:00.000Z', '2025-03-27T18:00:00.000Z'],
      ['2025-03-28T06:00:00.000Z', '2025-03-28T18:00:00.000Z'],
      ['2025-03-31T05:00:00.000Z', '2025-03-31T17:00:00.000Z'],
    ]);
  });

  it('counts 20 weekdays × 720 min in November 2025 before holidays', () => {
    const { start, end } = localMonthBounds('2025-11', ZONE);
    expect(totalMinutes(weeklyServiceIntervals(SCHOOL_HOURS, start, end, ZONE))).toBe(20 * 720);
  });
});

describe('public holidays with Alsace-Moselle', () => {
  it('gives Good Friday and 26 December in Moselle (57), Bas-Rhin (67), Haut-Rhin (68) only', () => {
    for (const dep of ['57', '67', '68']) {
      const dates = publicHolidays(dep, 2025).map((h) => h.date);
      expect(dates).toContain('2025-04-18');
      expect(dates).toContain('2025-12-26');
    }
    for (const dep of ['54', '51', '75']) {
      const dates = publicHolidays(dep, 2025).map((h) => h.date);
      expect(dates).not.toContain('2025-04-18');
      expect(dates).not.toContain('2025-12-26');
      expect(dates).toContain('2025-11-11');
    }
  });

  it('removes Good Friday 2026 from service hours in Moselle but not in Meurthe-et-Moselle', () => {
    const { start, end } = { start: wallClockToUtc('2026-04-03', '00:00', ZONE), end: wallClockToUtc('2026-04-04', '00:00', ZONE) };
    const moselle = countedIntervals(schoolClause, { departement: '57', schoolCalendar: zoneB }, start, end, ZONE);
    const meurthe = countedIntervals(schoolClause, { departement: '54', schoolCalendar: zoneB }, start, end, ZONE);
    expect(totalMinutes(moselle.counted)).toBe(0);
    expect(moselle.daysOff).toEqual([{ date: '2026-04-03', kind: 'public-holiday', name: 'Vendredi saint' }]);
    expect(totalMinutes(meurthe.counted)).toBe(720);
  });
});

describe('school holidays in service hours (zone B)', () => {
  const count = (from: string, to: string) =>
    countedIntervals(schoolClause, { departement: '51', schoolCalendar: zoneB }, wallClockToUtc(from, '00:00', ZONE), wallClockToUtc(to, '00:00', ZONE), ZONE);

  it.each([
    ['2025-12-19', '2025-12-20', 720, 'last day of class counts'],
    ['2025-12-22', '2025-12-23', 0, 'a Monday of the Christmas holidays does not'],
    ['2026-01-02', '2026-01-03', 0, 'the last weekday of the holidays does not'],
    ['2026-01-05', '2026-01-06', 720, 'the day classes resume (DTEND) counts'],
    ['2025-12-25', '2025-12-26', 0, 'Christmas'],
  ])('%s: %d min (%s)', (from, to, minutes) => {
    expect(totalMinutes(count(from, to).counted)).toBe(minutes);
  });

  it('flags days the calendar does not cover as "calendrier manquant" and does not count them', () => {
    const t = count('2027-08-30', '2027-09-04');
    expect(totalMinutes(t.counted)).toBe(0);
    expect(totalMinutes(t.calendarMissing)).toBe(3 * 720);
    expect(t.calendarMissingLabels).toEqual(['calendrier manquant 2027-09-01 – 2027-09-03']);
  });

  it('flags everything when no calendar was imported', () => {
    const t = countedIntervals(schoolClause, { departement: '51', schoolCalendar: null }, wallClockToUtc('2025-11-03', '00:00', ZONE), wallClockToUtc('2025-11-10', '00:00', ZONE), ZONE);
    expect(totalMinutes(t.counted)).toBe(0);
    expect(t.calendarMissingLabels).toEqual(['calendrier manquant 2025-11-03 – 2025-11-07']);
  });

  it('applies dated exceptions: a closed afternoon and an open holiday Saturday', () => {
    const c = clauseSchema.parse({
      ...schoolClause,
      calendar: {
        schoolHolidays: true,
        publicHolidays: true,
        exceptions: [
          { date: '2025-11-14', kind: 'closed', from: '12:00', to: '19:00', reason: 'Grève' },
          { date: '2025-11-15', kind: 'open', from: '08:00', to: '12:00', reason: 'Portes ouvertes' },
        ],
      },
    });
    const t = countedIntervals(c, { departement: '51', schoolCalendar: zoneB }, wallClockToUtc('2025-11-14', '00:00', ZONE), wallClockToUtc('2025-11-16', '00:00', ZONE), ZONE);
    expect(totalMinutes(t.counted)).toBe(5 * 60 + 4 * 60);
  });

  it('a 24/7 clause subtracts nothing, and the schema refuses holidays on it', () => {
    const c = clauseSchema.parse({ id: 'h24', name: '24/7', journeys: ['login'], targetPercent: 99 });
    const t = countedIntervals(c, { departement: '57', schoolCalendar: null }, wallClockToUtc('2025-12-24', '00:00', ZONE), wallClockToUtc('2025-12-27', '00:00', ZONE), ZONE);
    expect(totalMinutes(t.counted)).toBe(3 * 1440);
    expect(t.calendarMissing).toEqual([]);
    expect(clauseSchema.safeParse({ id: 'h24', name: '24/7', journeys: ['login'], targetPercent: 99, calendar: { publicHolidays: true } }).success).toBe(false);
  });
});
