import { offsetMinutes, wallClockToUtc } from './local-time.js';

/**
 * Epoch ms of a UTC calendar time. Not `Date.UTC`: it reads years 0–99 as 1900–1999, so `0099-10-05` became
 * 1999-10-05 and `0000-01-01` became 1900 (issue 8); `setUTCFullYear` takes the year as written.
 */
function utcMs(year: number, month: number, day: number, h = 0, min = 0, sec = 0, ms = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(h, min, sec, ms);
  return d.getTime();
}

const daysInMonth = (year: number, month: number): number => new Date(utcMs(year, month + 1, 0)).getUTCDate();

/**
 * The one date-time reader of every door (CLI options, HTTP bodies and queries, import files), DESIGN.md §5 "Time":
 * a date-time without an offset is a wall-clock time in the contract/config time zone; `Z` or `±hh:mm` is honoured.
 * Strict ISO 8601: an impossible date or time (2026-02-30, 25:00) is refused instead of rolling over.
 */

const RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}:?\d{2})?)?$/;

/** What `parseDateTime` read: the instant (epoch ms) and whether the text carried its own offset. */
export interface ParsedDateTime {
  ms: number;
  hasOffset: boolean;
  dateOnly: boolean;
  /**
   * Set when the text is a local time (no offset, not a date alone) that does not exist in the zone: it falls in a
   * spring-forward gap, where the clocks jump from `from` to `to` (local `HH:mm`). `ms` is then the instant of the
   * jump (cron(8) rule of `wallClockToUtc`), which a door taking a date-time from outside should refuse.
   */
  gap?: { from: string; to: string };
}

/**
 * Parses `2026-10-05` (local midnight), `2026-10-05T08:00[:ss[.fff]]` (local wall time in `zone`, cron(8) rules for
 * DST gaps/overlaps as in `wallClockToUtc`) or the same followed by `Z`/`±hh:mm` (that instant).
 * @returns null when the text is not such a date-time or names an impossible date or time.
 */
export function parseDateTime(text: string, zone: string): ParsedDateTime | null {
  const m = RE.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, hh, mi, ss, frac, off] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  const h = Number(hh ?? 0);
  const min = Number(mi ?? 0);
  const sec = Number(ss ?? 0);
  if (h > 23 || min > 59 || sec > 59) return null;
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  const date = `${y}-${mo}-${d}`;
  if (hh === undefined && off === undefined) return { ms: wallClockToUtc(date, '00:00', zone), hasOffset: false, dateOnly: true };
  if (off === undefined) {
    const wall = wallClockToUtc(date, `${hh}:${mi}`, zone);
    // The wall time read back at that instant: another one means the clocks skipped it (NaN: a zone luxon lacks).
    const offset = offsetMinutes(wall, zone);
    const gap = Number.isFinite(wall + offset) && wall + offset * 60_000 !== utcMs(year, month, day, h, min) ? gapAround(wall, zone) : undefined;
    return { ms: wall + sec * 1000 + ms, hasOffset: false, dateOnly: false, ...(gap ? { gap } : {}) };
  }
  let offsetMin = 0;
  if (off !== 'Z' && off !== 'z') {
    const om = /^([+-])(\d{2}):?(\d{2})$/.exec(off)!;
    if (Number(om[2]) > 23 || Number(om[3]) > 59) return null;
    offsetMin = (om[1] === '-' ? -1 : 1) * (Number(om[2]) * 60 + Number(om[3]));
  }
  return { ms: utcMs(year, month, day, h, min, sec, ms) - offsetMin * 60_000, hasOffset: true, dateOnly: false };
}

/** The local times (`HH:mm`) the clocks jump from and to at the transition instant `jump`. */
function gapAround(jump: number, zone: string): { from: string; to: string } {
  const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);
  return { from: hhmm(jump + offsetMinutes(jump - 1, zone) * 60_000), to: hhmm(jump + offsetMinutes(jump, zone) * 60_000) };
}

/** The human hint of the accepted forms, for error messages. */
export const DATE_TIME_HINT = 'expected 2026-10-05, 2026-10-05T08:00 (local time of the config zone) or an instant with an offset 2026-10-05T08:00:00Z / +02:00';
