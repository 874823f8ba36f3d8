import { createHash } from 'node:crypto';
import type { SchoolCalendar } from '../core/calendar/school-calendar.js';
import { VigieError } from '../core/errors.js';
import { appendAudit } from './audit.js';
import { oneRow, type Db } from './db.js';
import { canonicalJson } from './revisions.js';
import { toIso } from './run-rows.js';

/** An imported school calendar (the engine's {@link SchoolCalendar}) for one zone or calendar location. */
export interface StoredSchoolCalendar {
  id: number;
  /** Normalized location ({@link normalizeCalendarLocation}). */
  location: string;
  /** File name it came from. */
  source: string;
  importedAt: string;
  contentSha256: string;
  calendar: SchoolCalendar;
}

/**
 * The key calendars are stored and looked up by: "Zone B", "zone b" and "B" are all `B`; other locations upper-cased
 * without accents ("Réunion" → `REUNION`), so a tenant's `zone: B` finds the ministry's "Zone B".
 */
export function normalizeCalendarLocation(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/^\s*zone\s+/i, '')
    .trim()
    .toUpperCase();
}

/**
 * Stores an imported calendar with its source file name and import time, and an audit entry. Importing the same
 * content again for the same location inserts nothing and returns `{ inserted: false }` with the stored row.
 * @throws VigieError `VALIDATION` on an empty location or an invalid date.
 */
export async function importSchoolCalendar(
  db: Db,
  input: { location: string; source: string; calendar: SchoolCalendar; at: Date; actor: string },
): Promise<{ inserted: boolean; calendar: StoredSchoolCalendar }> {
  const location = normalizeCalendarLocation(input.location);
  if (!location) throw new VigieError('VALIDATION', 'calendar: lieu (zone) requis / location (zone) is required');
  if (Number.isNaN(input.at.getTime())) throw new VigieError('VALIDATION', "calendar: heure d'import invalide / invalid import time");
  const json = canonicalJson(input.calendar);
  const sha = createHash('sha256').update(json).digest('hex');
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<CalendarRow>(
      `INSERT INTO school_calendars (location, source, imported_at, content_sha256, calendar) VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (location, content_sha256) DO NOTHING RETURNING *`,
      [location, input.source, input.at, sha, json],
    );
    if (rows.length > 0) {
      await appendAudit(tx, { at: input.at, actor: input.actor, action: 'calendar.import', subject: `calendar:${location}`, details: { source: input.source, holidays: input.calendar.holidays.length, sha256: sha } });
      return { inserted: true, calendar: toCalendar(oneRow(rows, 'calendar insert')) };
    }
    const existing = await tx.query<CalendarRow>('SELECT * FROM school_calendars WHERE location = $1 AND content_sha256 = $2', [location, sha]);
    return { inserted: false, calendar: toCalendar(oneRow(existing.rows, 'stored calendar')) };
  });
}

/** Imported calendars, oldest import first, for one location or all. */
export async function listSchoolCalendars(db: Db, location?: string): Promise<StoredSchoolCalendar[]> {
  const { rows } = await db.query<CalendarRow>(
    'SELECT * FROM school_calendars WHERE ($1::text IS NULL OR location = $1) ORDER BY imported_at, id',
    [location === undefined ? null : normalizeCalendarLocation(location)],
  );
  return rows.map(toCalendar);
}

interface CalendarRow {
  id: unknown;
  location: string;
  source: string;
  imported_at: Date;
  content_sha256: string;
  calendar: SchoolCalendar;
}

const toCalendar = (r: CalendarRow): StoredSchoolCalendar => ({
  id: Number(r.id),
  location: r.location,
  source: r.source,
  importedAt: toIso(r.imported_at),
  contentSha256: r.content_sha256,
  calendar: r.calendar,
});
