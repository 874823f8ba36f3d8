import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { VigieError } from '../errors.js';
import { addDays, DEFAULT_ZONE } from './local-time.js';

/**
 * School holidays from the ministry's calendar (data.education.gouv.fr, dataset `fr-en-calendrier-scolaire`), from its
 * ICS export (one file per zone) or its JSON export (one record per académie and population).
 *
 * Rules (DESIGN.md §5 "Service hours", issue 4):
 * - a holiday covers whole local days `[firstDay, endDay)`: the ICS `DTEND` (and the JSON `end_date`) is the morning
 *   classes resume, so the last holiday day is the day before;
 * - pupils' lines are kept, teacher-only lines ("Enseignants", "prérentrée") are ignored;
 * - duplicates (same name and days, e.g. one record per académie) are merged;
 * - a zero-length event (`DTSTART` = `DTEND`) marks a single day (a "pont"), except "Début des Vacances …", which
 *   marks the start of holidays whose end is not published yet: it runs to the end of its school year (31 August),
 *   and the days after are not covered;
 * - LF and CRLF line endings are both accepted.
 * Coverage: a school year `Y-(Y+1)` present in the file covers the local days `[Y-09-01, (Y+1)-09-01)`; any other day
 * is "calendrier manquant" unless a holiday covers it.
 */

export interface SchoolHoliday {
  /** Name as published ("Vacances de Noël"). */
  name: string;
  /** First holiday day, local `yyyy-MM-dd`. */
  firstDay: string;
  /** First day back at school (exclusive end), local `yyyy-MM-dd`. */
  endDay: string;
  /** School year `2025-2026`. */
  schoolYear: string;
  /** Zone ("Zone B") or calendar location, when given. */
  zone: string | null;
}

export interface SchoolCalendar {
  holidays: SchoolHoliday[];
  /** Local day ranges `[from, to)` the calendar covers (its school years). */
  covered: { from: string; to: string }[];
}

/** Teacher-only lines: "Vacances d'Été (prérentrée Enseignants)", population "Enseignants". */
const TEACHER_ONLY = /enseignant|pr[ée]rentr[ée]e/i;

interface RawEvent {
  name: string;
  firstDay: string;
  endDay: string;
  schoolYear?: string;
  zone: string | null;
}

/**
 * Parses the ministry's ICS export. Takes the file's text (callers read the file). Throws VigieError `VALIDATION` when
 * the text is not an iCalendar file.
 */
export function parseSchoolCalendarIcs(text: string): SchoolCalendar {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text.replace(/\r?\n/g, '\r\n')));
  } catch (err) {
    throw new VigieError('VALIDATION', `pas un fichier iCalendar : ${(err as Error).message} / not an iCalendar file: ${(err as Error).message}`, { cause: err });
  }
  const events: RawEvent[] = [];
  for (const vevent of root.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(vevent);
    const name = String(event.summary ?? '').trim();
    const description = String(vevent.getFirstPropertyValue('description') ?? '');
    if (!event.startDate) continue;
    const firstDay = icalDate(event.startDate);
    const endDay = event.endDate ? icalDate(event.endDate) : firstDay;
    const location = vevent.getFirstPropertyValue('location');
    events.push({ name, firstDay, endDay, zone: location ? String(location) : null, ...(TEACHER_ONLY.test(`${name} ${description}`) ? { schoolYear: 'teacher' } : {}) });
  }
  return build(events.filter((e) => e.schoolYear !== 'teacher'));
}

/** One record of the JSON export (fields as published; extra fields ignored). */
export interface SchoolCalendarRecord {
  description: string;
  population?: string;
  start_date: string;
  end_date: string;
  location?: string;
  zones?: string;
  annee_scolaire?: string;
}

/**
 * Parses records of the ministry's JSON export. Instants are UTC standing for local midnights (Europe/Paris);
 * `options.location` keeps one académie's records (default: all, duplicates merged). Throws VigieError `VALIDATION`
 * on a record without a description or with an invalid date.
 */
export function parseSchoolCalendarJson(records: readonly unknown[], options: { location?: string; zone?: string } = {}): SchoolCalendar {
  const zone = options.zone ?? DEFAULT_ZONE;
  const events: RawEvent[] = [];
  records.forEach((raw, i) => {
    const r = raw as Partial<SchoolCalendarRecord>;
    if (!r || typeof r.description !== 'string' || typeof r.start_date !== 'string' || typeof r.end_date !== 'string') {
      throw new VigieError('VALIDATION', `enregistrement ${i} : description, start_date et end_date attendus / record ${i}: expected description, start_date and end_date`);
    }
    if (options.location && r.location !== options.location) return;
    if (TEACHER_ONLY.test(`${r.description} ${r.population ?? ''}`)) return;
    events.push({
      name: r.description.trim(),
      firstDay: jsonLocalDate(r.start_date, zone, i),
      endDay: jsonLocalDate(r.end_date, zone, i),
      schoolYear: r.annee_scolaire,
      zone: r.zones ?? null,
    });
  });
  return build(events);
}

/** Merges duplicates, resolves zero-length events and computes coverage. */
function build(events: RawEvent[]): SchoolCalendar {
  const years = new Set<number>();
  const byKey = new Map<string, SchoolHoliday>();
  for (const e of events) {
    const startYear = e.schoolYear && /^\d{4}-\d{4}$/.test(e.schoolYear) ? Number(e.schoolYear.slice(0, 4)) : schoolYearOf(e.firstDay);
    years.add(startYear);
    let endDay = e.endDay;
    if (endDay <= e.firstDay) {
      // Zero-length: "Début des Vacances d'Été" opens holidays whose end is unpublished; anything else is one day.
      endDay = /^d[ée]but/i.test(e.name) ? `${startYear + 1}-09-01` : addDays(e.firstDay, 1);
    }
    const key = `${e.name}|${e.firstDay}|${endDay}`;
    if (!byKey.has(key)) byKey.set(key, { name: e.name, firstDay: e.firstDay, endDay, schoolYear: `${startYear}-${startYear + 1}`, zone: e.zone });
  }
  const holidays = [...byKey.values()].sort((a, b) => a.firstDay.localeCompare(b.firstDay) || a.endDay.localeCompare(b.endDay));
  const covered: { from: string; to: string }[] = [];
  for (const y of [...years].sort((a, b) => a - b)) {
    const from = `${y}-09-01`;
    const to = `${y + 1}-09-01`;
    const last = covered[covered.length - 1];
    if (last && last.to === from) last.to = to;
    else covered.push({ from, to });
  }
  return { holidays, covered };
}

/** School year (its first calendar year) of a day: September to December belong to the year starting then. */
function schoolYearOf(date: string): number {
  const y = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= 9 ? y : y - 1;
}

function icalDate(t: ICAL.Time): string {
  return `${String(t.year).padStart(4, '0')}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;
}

function jsonLocalDate(instant: string, zone: string, index: number): string {
  const dt = DateTime.fromISO(instant, { setZone: false }).setZone(zone);
  if (!dt.isValid) throw new VigieError('VALIDATION', `enregistrement ${index} : date invalide "${instant}" / record ${index}: invalid date "${instant}"`);
  return dt.toISODate() as string;
}

/** Is the local day `date` inside a holiday of the calendar? Returns the holiday or null. */
export function schoolHolidayOn(calendar: SchoolCalendar, date: string): SchoolHoliday | null {
  return calendar.holidays.find((h) => h.firstDay <= date && date < h.endDay) ?? null;
}

/** Does the calendar say anything about the local day `date` (a covered school year, or a holiday)? */
export function schoolCalendarCovers(calendar: SchoolCalendar, date: string): boolean {
  return calendar.covered.some((c) => c.from <= date && date < c.to) || schoolHolidayOn(calendar, date) !== null;
}
