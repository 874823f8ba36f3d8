import { describe, expect, it } from 'vitest';
import { calendarZone, calendarsByLocation, createCalendarSource, mergeCalendars, parseCalendarFile, resolvePeriod, slaQuerySchema } from '../index.js';

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
    expect(() => resolvePeriod({ from: '2026-03-02', to: '2026-03-01' }, Z)).toThrow(/^to: doit être après from \(2026-03-02\) \/ must be after from \(2026-03-02\)$/);
    expect(() => resolvePeriod({ from: 'hier', to: '2026-03-01' }, Z)).toThrow(/^from: /);
  });

  it('says a local time in the spring-forward gap does not exist, at its field (it once read as "to must be after from")', () => {
    const gap = (field: string, text: string) =>
      new RegExp(`^${field}: l'heure locale "${text}" n'existe pas dans le fuseau Europe/Paris \\(changement d'heure : les horloges passent de 02:00 à 03:00\\) .* \\/ local time "${text}" does not exist in Europe/Paris \\(DST change: clocks jump from 02:00 to 03:00\\)`);
    expect(() => resolvePeriod({ from: '2026-03-29T02:00', to: '2026-03-29T02:30' }, Z)).toThrow(gap('from', '2026-03-29T02:00'));
    expect(() => resolvePeriod({ from: '2026-03-29T01:00', to: '2026-03-29T02:30' }, Z)).toThrow(gap('to', '2026-03-29T02:30'));
    expect(() => resolvePeriod({ from: '2026-03-29T01:00', to: '2026-03-29T02:59:59' }, Z)).toThrow(gap('to', '2026-03-29T02:59:59'));
    // Around the gap, the same day, the autumn overlap and an instant with its offset are read as before.
    expect(resolvePeriod({ from: '2026-03-29T01:59', to: '2026-03-29T03:00' }, Z)).toMatchObject({ from: Date.UTC(2026, 2, 29, 0, 59), to: Date.UTC(2026, 2, 29, 1) });
    expect(resolvePeriod({ from: '2026-03-29', to: '2026-03-30' }, Z).from).toBe(Date.UTC(2026, 2, 28, 23));
    expect(resolvePeriod({ from: '2026-10-25T02:30', to: '2026-10-25T04:00' }, Z).from).toBe(Date.UTC(2026, 9, 25, 0, 30));
    expect(resolvePeriod({ from: '2026-03-29T02:30:00+01:00', to: '2026-03-29T04:00' }, Z).from).toBe(Date.UTC(2026, 2, 29, 1, 30));
  });

  it('refuses periods longer than MAX_PERIOD_DAYS (out of memory on 1970–2099) in the CLI and HTTP schemas', () => {
    expect(() => resolvePeriod({ from: '2000-01-02', to: '2099-12-31' }, Z)).toThrow(/^from\/to: la période du 2000-01-02 au 2099-12-31 dépasse 400 jours .* \/ period from 2000-01-02 to 2099-12-31 is longer than 400 days/);
    expect(() => resolvePeriod({ from: '2026-01-01', to: '2027-02-06' }, Z)).toThrow(/longer than/);
    // A contract year across a DST change still fits.
    expect(resolvePeriod({ from: '2026-03-01', to: '2027-03-01' }, Z).to).toBe(Date.UTC(2027, 1, 28, 23));
    const r = slaQuerySchema.safeParse({ contract: 'c', from: '2000-01-01', to: '2099-12-31' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]).toMatchObject({ path: ['to'], message: expect.stringMatching(/from 2000-01-01 to 2099-12-31 is longer than 400 days/) });
    expect(slaQuerySchema.safeParse({ contract: 'c', from: '2026-09-01', to: '2027-09-01' }).success).toBe(true);
  });

  it('refuses periods before 2000 (core/instant.ts), 0099 included (Date.UTC read it as 1999), in every form', () => {
    expect(() => resolvePeriod({ from: '1970-01-01', to: '1970-01-02' }, Z)).toThrow(/^from: 1969-12-31T23:00:00.000Z est avant 2000-01-01T00:00:00Z .* \/ 1969-12-31T23:00:00.000Z is before 2000/);
    expect(() => resolvePeriod({ from: '0099-10-05T00:00:00Z', to: '2000-01-02' }, Z)).toThrow(/^from: 0099-10-05T00:00:00.000Z est avant 2000-01-01T00:00:00Z .* \/ 0099-10-05T00:00:00.000Z is before 2000/);
    expect(() => resolvePeriod({ month: '1999-12' }, Z)).toThrow(/^month: .*before 2000/);
    expect(() => resolvePeriod({ schoolYear: '1999-2000' }, Z)).toThrow(/^school-year: .*before 2000/);
    const r = slaQuerySchema.safeParse({ contract: 'c', from: '0099-10-05', to: '0099-10-06' });
    expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(['from', 'to']);
    // The future is fine for a query period: the report stops at now.
    expect(resolvePeriod({ from: '2099-01-01', to: '2099-01-02' }, Z).from).toBe(Date.UTC(2098, 11, 31, 23));
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

  it('parses the calendars once, and again when an import or a shipped file changes (cache keyed on stamps)', async () => {
    const { mkdtempSync, writeFileSync, utimesSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'vigie-cal-'));
    writeFileSync(join(dir, 'Zone-B.ics'), ics('Vacances de Noël', '20261219', '20270104'));
    const stored: { id: number; location: string; source: string; importedAt: string; contentSha256: string; calendar: ReturnType<typeof parseCalendarFile> }[] = [];
    let reads = 0;
    const source = createCalendarSource({ list: async () => (reads++, stored) }, dir);
    const first = await source.byLocation();
    expect(first.get('B')?.holidays[0]?.firstDay).toBe('2026-12-19');
    expect(await source.byLocation()).toBe(first); // same Map: nothing parsed again
    // The shipped file is edited (another size and time): parsed again.
    writeFileSync(join(dir, 'Zone-B.ics'), ics('Vacances de Noël', '20261218', '20270104'));
    utimesSync(join(dir, 'Zone-B.ics'), new Date(), new Date(Date.now() + 5_000));
    const second = await source.byLocation();
    expect(second).not.toBe(first);
    expect(second.get('B')?.holidays[0]?.firstDay).toBe('2026-12-18');
    // An import for zone A appears in the store: parsed again, with it.
    stored.push({ id: 7, location: 'A', source: 'a.ics', importedAt: '', contentSha256: 'x', calendar: parseCalendarFile('a.ics', ics('Vacances de Noël', '20251220', '20260105')) });
    const third = await source.byLocation();
    expect(third).not.toBe(second);
    expect(third.has('A')).toBe(true);
    expect(reads).toBe(4);
  });
});
