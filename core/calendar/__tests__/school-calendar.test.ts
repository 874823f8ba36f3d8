import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VigieError } from '../../errors.js';
import { parseSchoolCalendarIcs, parseSchoolCalendarJson, schoolCalendarCovers, schoolHolidayOn } from '../school-calendar.js';

const DIR = new URL('../../../data/calendrier-scolaire/', import.meta.url);
const ics = readFileSync(new URL('Zone-B.ics', DIR), 'utf8');
const records = JSON.parse(readFileSync(new URL('sample-records.json', DIR), 'utf8')) as unknown[];

describe('parseSchoolCalendarIcs on the ministry zone B file', () => {
  const cal = parseSchoolCalendarIcs(ics);

  it('keeps pupils lines and ignores the teacher-only "prérentrée Enseignants" lines', () => {
    expect(cal.holidays.some((h) => /enseignant|prérentrée/i.test(h.name))).toBe(false);
    // 68 events in the file, 8 of them teacher-only (one per summer 2018-2025 … as published).
    const teacherLines = (ics.match(/SUMMARY:[^\n]*Enseignants/g) ?? []).length;
    expect(teacherLines).toBeGreaterThan(0);
    expect(cal.holidays).toHaveLength(68 - teacherLines);
  });

  it('reads a holiday as whole local days [DTSTART, DTEND): DTEND is the morning classes resume', () => {
    const noel = cal.holidays.find((h) => h.name === 'Vacances de Noël' && h.firstDay === '2025-12-20')!;
    expect(noel).toMatchObject({ endDay: '2026-01-05', schoolYear: '2025-2026', zone: 'Zone B' });
    expect(schoolHolidayOn(cal, '2025-12-19')).toBeNull(); // last day of class
    expect(schoolHolidayOn(cal, '2025-12-20')?.name).toBe('Vacances de Noël'); // first holiday day
    expect(schoolHolidayOn(cal, '2026-01-04')?.name).toBe('Vacances de Noël'); // last holiday day
    expect(schoolHolidayOn(cal, '2026-01-05')).toBeNull(); // classes resume
  });

  it('reads zero-length events: a "pont" is one day, "Début des Vacances d’Été" runs to the end of the school year', () => {
    const pont = cal.holidays.find((h) => h.name === "Pont de l'Ascension" && h.firstDay === '2027-05-07')!;
    expect(pont.endDay).toBe('2027-05-08');
    const summer = cal.holidays.find((h) => h.name === "Début des Vacances d'Été")!;
    expect(summer).toMatchObject({ firstDay: '2027-07-03', endDay: '2027-09-01' });
  });

  it('covers school years 2017-2018 to 2026-2027 and nothing after', () => {
    expect(cal.covered).toEqual([{ from: '2017-09-01', to: '2027-09-01' }]);
    expect(schoolCalendarCovers(cal, '2027-08-31')).toBe(true);
    expect(schoolCalendarCovers(cal, '2027-09-01')).toBe(false);
    expect(schoolCalendarCovers(cal, '2017-08-31')).toBe(false);
  });

  it('accepts CRLF line endings with the same result', () => {
    expect(parseSchoolCalendarIcs(ics.replace(/\r?\n/g, '\r\n'))).toEqual(cal);
  });

  it('merges duplicate events', () => {
    const event = ics.slice(ics.indexOf('BEGIN:VEVENT'), ics.indexOf('END:VEVENT') + 'END:VEVENT'.length);
    const doubled = ics.replace('END:VCALENDAR', `${event}\nEND:VCALENDAR`);
    expect(parseSchoolCalendarIcs(doubled).holidays).toHaveLength(cal.holidays.length);
  });

  it('rejects text that is not iCalendar with a VALIDATION error', () => {
    expect(() => parseSchoolCalendarIcs('hello')).toThrow(VigieError);
  });
});

describe('parseSchoolCalendarJson on the dataset export shape', () => {
  const cal = parseSchoolCalendarJson(records);

  it('merges the per-académie duplicates and drops the teachers line', () => {
    expect(cal.holidays.map((h) => [h.name, h.firstDay, h.endDay])).toEqual([
      ["Vacances d'Été", '2026-07-04', '2026-09-01'],
      ['Vacances de la Toussaint', '2026-10-17', '2026-11-02'],
      ['Vacances de Noël', '2026-12-19', '2027-01-04'],
      ["Vacances d'Hiver", '2027-02-20', '2027-03-08'],
    ]);
  });

  it('agrees with the ICS file on the same holidays (UTC instants read as local midnights)', () => {
    const fromIcs = parseSchoolCalendarIcs(ics);
    for (const h of cal.holidays) {
      expect(fromIcs.holidays.some((i) => i.name === h.name && i.firstDay === h.firstDay && i.endDay === h.endDay)).toBe(true);
    }
  });

  it('uses annee_scolaire for coverage', () => {
    expect(cal.covered).toEqual([{ from: '2025-09-01', to: '2027-09-01' }]);
  });

  it('filters one académie when asked', () => {
    const one = parseSchoolCalendarJson(records, { location: 'Reims' });
    expect(one.holidays.map((h) => h.name)).toEqual(['Vacances de la Toussaint', 'Vacances de Noël', "Vacances d'Hiver"]);
  });

  it('rejects a record without dates, naming its index', () => {
    expect(() => parseSchoolCalendarJson([{ description: 'x' }])).toThrow(/^enregistrement 0 : description, start_date et end_date attendus \/ record 0: expected description, start_date and end_date$/);
  });
});
