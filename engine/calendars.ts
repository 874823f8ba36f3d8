import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSchoolCalendarIcs, parseSchoolCalendarJson, type SchoolCalendar } from '../core/calendar/school-calendar.js';
import { VigieError } from '../core/errors.js';
import { normalizeCalendarLocation, type SchoolCalendarRepository, type StoredSchoolCalendar } from '../db/index.js';

/** The school calendars shipped in the repository (`data/calendrier-scolaire/Zone-B.ics`, Licence Ouverte / Etalab). */
export const SHIPPED_CALENDAR_DIR = fileURLToPath(new URL('../data/calendrier-scolaire/', import.meta.url));

/**
 * Parses a ministry export: ICS (by extension `.ics` or a `BEGIN:VCALENDAR` start) or JSON (an array of records, or
 * the Opendatasoft `{ results: [...] }` / `[{ fields: {...} }]` shapes). `location` keeps one académie's records of a
 * JSON export.
 * @throws VigieError `VALIDATION` naming the file when it is neither.
 */
export function parseCalendarFile(name: string, text: string, opts: { location?: string } = {}): SchoolCalendar {
  const ext = extname(name).toLowerCase();
  const trimmed = text.trimStart();
  if (ext === '.ics' || trimmed.startsWith('BEGIN:VCALENDAR')) return parseSchoolCalendarIcs(text);
  if (ext === '.json' || trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new VigieError('VALIDATION', `${name}: JSON invalide / invalid JSON: ${(err as Error).message}`);
    }
    const list = Array.isArray(parsed) ? parsed : (parsed as { results?: unknown }).results;
    if (!Array.isArray(list)) throw new VigieError('VALIDATION', `${name}: tableau d'enregistrements attendu (ou { results: [...] }) / expected an array of records (or { results: [...] })`);
    const records = list.map((r: unknown) => (r && typeof r === 'object' && 'fields' in r ? (r as { fields: unknown }).fields : r));
    return parseSchoolCalendarJson(records, opts);
  }
  throw new VigieError('VALIDATION', `${name}: format inconnu (attendu .ics ou .json) / unknown format (expected ICS or JSON)`);
}

/** The zone a calendar names in its lines ("Zone B" → `B`), when they all agree; else null. */
export function calendarZone(calendar: SchoolCalendar): string | null {
  const zones = new Set(calendar.holidays.map((h) => h.zone).filter((z): z is string => !!z && !z.includes(',')).map(normalizeCalendarLocation));
  const [only] = zones;
  return zones.size === 1 && only !== undefined ? only : null;
}

/**
 * Merges the calendars of one location in import order: a later import replaces the school years it contains and
 * keeps the others (importing 2026-2027 after 2025-2026 covers both; re-importing a corrected year replaces it).
 */
export function mergeCalendars(list: readonly SchoolCalendar[]): SchoolCalendar {
  let holidays: SchoolCalendar['holidays'] = [];
  let covered: SchoolCalendar['covered'] = [];
  for (const cal of list) {
    const years = new Set(cal.holidays.map((h) => h.schoolYear));
    holidays = [...holidays.filter((h) => !years.has(h.schoolYear)), ...cal.holidays];
    const ranges = new Set(cal.covered.map((c) => `${c.from}|${c.to}`));
    covered = [...covered.filter((c) => !ranges.has(`${c.from}|${c.to}`)), ...cal.covered];
  }
  holidays.sort((a, b) => a.firstDay.localeCompare(b.firstDay) || a.endDay.localeCompare(b.endDay));
  covered.sort((a, b) => a.from.localeCompare(b.from));
  return { holidays, covered };
}

/**
 * School calendars by normalized location: the imported ones (merged per location), and for a location with none, the
 * file shipped in `dir` (`Zone-B.ics` → `B`).
 */
export function calendarsByLocation(stored: readonly StoredSchoolCalendar[], dir: string | null = SHIPPED_CALENDAR_DIR): Map<string, SchoolCalendar> {
  const byLocation = new Map<string, SchoolCalendar[]>();
  for (const s of stored) byLocation.set(s.location, [...(byLocation.get(s.location) ?? []), s.calendar]);
  const out = new Map([...byLocation].map(([k, v]) => [k, mergeCalendars(v)] as const));
  if (dir) {
    let files: string[];
    try {
      files = readdirSync(dir).filter((f) => /\.(ics|json)$/i.test(f));
    } catch {
      files = [];
    }
    for (const file of files) {
      const location = normalizeCalendarLocation(basename(file, extname(file)).replace(/[-_]+/g, ' '));
      if (out.has(location)) continue;
      out.set(location, parseCalendarFile(file, readFileSync(join(dir, file), 'utf8')));
    }
  }
  return out;
}

/** Where the engine gets school calendars: imported ones from the store, else the files of a folder. */
export interface CalendarSource {
  /** Calendars by normalized location ({@link calendarsByLocation}); the same Map while nothing changed. */
  byLocation(): Promise<Map<string, SchoolCalendar>>;
}

/**
 * A {@link CalendarSource} that parses the calendars once and again only when they change: the stored imports are
 * recognised by their ids and content hashes, the files of `dir` by name, size and modification time. Parsing a
 * ministry ICS file takes tens of milliseconds; an SLA report used to do it on every request.
 */
export function createCalendarSource(repo: Pick<SchoolCalendarRepository, 'list'>, dir: string | null = SHIPPED_CALENDAR_DIR): CalendarSource {
  let cached: { key: string; value: Map<string, SchoolCalendar> } | null = null;
  return {
    async byLocation() {
      const stored = await repo.list();
      const key = `${stored.map((s) => `${s.id}:${s.contentSha256}`).join(',')}|${fileStamps(dir)}`;
      if (cached?.key !== key) cached = { key, value: calendarsByLocation(stored, dir) };
      return cached.value;
    },
  };
}

/** `name:size:mtime` of each calendar file of `dir` (empty when the folder is missing). */
function fileStamps(dir: string | null): string {
  if (!dir) return '';
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /\.(ics|json)$/i.test(f)).sort();
  } catch {
    return '';
  }
  return files
    .map((f) => {
      try {
        const st = statSync(join(dir, f));
        return `${f}:${st.size}:${st.mtimeMs}`;
      } catch {
        return `${f}:gone`;
      }
    })
    .join(',');
}
