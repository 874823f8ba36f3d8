import { DateTime } from 'luxon';

/**
 * Local wall-clock arithmetic in an IANA time zone (DESIGN.md §5 "Time, slots and the SLA"). Every calendar notion
 * (day, month, service hours, windows, holidays) goes through here so that a local day has 1380, 1440 or 1500 minutes.
 */

/** The default contract time zone. */
export const DEFAULT_ZONE = 'Europe/Paris';

/** One local calendar day: its ISO date, ISO weekday (1 = Monday … 7 = Sunday) and its UTC bounds `[start, end)`. */
export interface LocalDay {
  date: string;
  weekday: number;
  start: number;
  end: number;
}

/** Offset of the zone at instant `t` (ms), in minutes east of UTC. */
export function offsetMinutes(t: number, zone: string): number {
  return DateTime.fromMillis(t, { zone }).offset;
}

/**
 * UTC instant of a local wall-clock time, with the cron(8) rules DESIGN.md §5 gives for slots and windows: a local
 * time that does not exist (spring gap) maps to the instant right after the jump (02:30 on 2025-03-30 in Paris →
 * 01:00Z); a local time that repeats (autumn) maps to its first occurrence (02:30 on 2025-10-26 → 00:30Z).
 * `date` is `yyyy-MM-dd`, `time` is `HH:mm` (`24:00` = next day's midnight).
 */
export function wallClockToUtc(date: string, time: string, zone: string): number {
  const [h, m] = parseHhMm(time);
  const day = DateTime.fromISO(date, { zone: 'UTC' });
  if (!day.isValid) throw new RangeError(`invalid date: ${date}`);
  const naive = day.toMillis() + (h * 60 + m) * 60_000;
  // The offsets in force around that wall time: an instant can only be naive − offset for one of them.
  const offsets = [...new Set([offsetMinutes(naive - 14 * 3600_000, zone), offsetMinutes(naive + 14 * 3600_000, zone), offsetMinutes(naive, zone)])];
  const valid = offsets.map((o) => naive - o * 60_000).filter((t) => offsetMinutes(t, zone) * 60_000 === naive - t);
  if (valid.length > 0) return Math.min(...valid);
  // A gap: find the transition instant (first instant whose local time is past the wall time) by bisection.
  let lo = naive - 14 * 3600_000;
  let hi = naive + 14 * 3600_000;
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2);
    if (mid + offsetMinutes(mid, zone) * 60_000 > naive) hi = mid;
    else lo = mid;
  }
  // Zone transitions fall on whole minutes; hi lies within a second after the transition.
  return Math.floor(hi / 60_000) * 60_000;
}

/** `HH:mm` → [hours, minutes]; accepts `24:00`. */
export function parseHhMm(time: string): [number, number] {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match) throw new RangeError(`expected HH:mm, got "${time}"`);
  const h = Number(match[1]);
  const m = Number(match[2]);
  if (h > 24 || m > 59 || (h === 24 && m !== 0)) throw new RangeError(`invalid time of day "${time}"`);
  return [h, m];
}

/** Local days overlapping `[from, to)` (ms), each with its true UTC bounds (23, 24 or 25 hours in Paris). */
export function localDays(from: number, to: number, zone: string): LocalDay[] {
  const out: LocalDay[] = [];
  let day = DateTime.fromMillis(from, { zone }).startOf('day');
  while (day.toMillis() < to) {
    const next = day.plus({ days: 1 }).startOf('day');
    out.push({ date: day.toISODate() as string, weekday: day.weekday, start: day.toMillis(), end: next.toMillis() });
    day = next;
  }
  return out;
}

/** UTC bounds of a local date `yyyy-MM-dd`. */
export function localDayBounds(date: string, zone: string): { start: number; end: number } {
  const day = DateTime.fromISO(date, { zone }).startOf('day');
  if (!day.isValid) throw new RangeError(`invalid date: ${date}`);
  return { start: day.toMillis(), end: day.plus({ days: 1 }).startOf('day').toMillis() };
}

/** UTC bounds of a local month `yyyy-MM`. */
export function localMonthBounds(month: string, zone: string): { start: number; end: number } {
  const m = DateTime.fromISO(`${month}-01`, { zone }).startOf('month');
  if (!m.isValid) throw new RangeError(`invalid month: ${month}`);
  return { start: m.toMillis(), end: m.plus({ months: 1 }).startOf('month').toMillis() };
}

/** Local date `yyyy-MM-dd` of an instant. */
export function localDate(t: number, zone: string): string {
  return DateTime.fromMillis(t, { zone }).toISODate() as string;
}

/** Adds calendar days to a `yyyy-MM-dd` date. */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() as string;
}

/** `yyyy-MM-dd HH:mm` in local time (for labels such as "data gap 2025-11-08 01:00–06:00"). */
export function formatLocal(t: number, zone: string): string {
  return localIso(t, zone).slice(0, 16).replace('T', ' ');
}

/**
 * Offsets by quarter hour, per zone: a report labels tens of thousands of gaps and episodes, and asking the zone
 * rules (Intl, through luxon) for each one was a tenth of the report's time. Every offset change of the tz database
 * since 1972 (the last offsets with seconds ended then) falls on a quarter hour, so an offset is constant within each
 * quarter.
 */
const QUARTER_MS = 15 * 60_000;
const offsetCache = new Map<string, Map<number, number>>();

/** The local wall-clock time of an instant as `yyyy-MM-ddTHH:mm:ss.sss` (no offset), through the quarter-hour cache. */
function localIso(t: number, zone: string): string {
  let byQuarter = offsetCache.get(zone);
  if (!byQuarter) offsetCache.set(zone, (byQuarter = new Map()));
  const q = Math.floor(t / QUARTER_MS);
  let offset = byQuarter.get(q);
  if (offset === undefined) {
    if (byQuarter.size > 200_000) byQuarter.clear(); // years of quarters: bounded
    offset = offsetMinutes(q * QUARTER_MS, zone);
    byQuarter.set(q, offset);
  }
  return new Date(t + offset * 60_000).toISOString().slice(0, 23);
}

/**
 * A local period label: `2025-11-08 01:00–06:00` when it starts and ends on the same local day (an end at local
 * midnight is written `24:00`), otherwise `2025-11-08 23:00 – 2025-11-09 02:00`.
 */
export function formatLocalPeriod(start: number, end: number, zone: string): string {
  const s = localIso(start, zone);
  const e = localIso(end, zone);
  const sDate = s.slice(0, 10);
  const eDate = e.slice(0, 10);
  const sText = `${sDate} ${s.slice(11, 16)}`;
  if (sDate === eDate) return `${sText}–${e.slice(11, 16)}`;
  if (e.slice(11, 16) === '00:00' && addDays(eDate, -1) === sDate) return `${sText}–24:00`;
  return `${sText} – ${eDate} ${e.slice(11, 16)}`;
}
