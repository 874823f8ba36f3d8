import { IANAZone } from 'luxon';
import { VigieError } from './errors.js';
import { matchesDay, type CronPattern } from './cron-pattern.js';

/**
 * Wall-clock ↔ instant conversions for cron patterns in an IANA zone, with the DST policy of cron(8)
 * (DESIGN.md §5 "Slots"):
 * - a fixed-time job whose local time does not exist (spring forward) runs once, at the instant of the jump;
 * - a fixed-time job whose local time repeats (fall back) runs once, at the first occurrence;
 * - any other job follows elapsed time: a local time that does not exist has no run, one that repeats has two.
 * luxon (and croner, which shifts a missing 02:30 to 03:30) resolve ambiguous wall times their own way, so the
 * resolution is done here from raw zone offsets.
 *
 * Times are plain numbers: instants in Unix ms; "wall" values are local wall-clock times written as if they were UTC
 * ms (Date.UTC of the local fields); "days" are local civil days counted from 1970-01-01.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** Offsets lie within ±14 h, so instants this far from a day's walls are safely outside that day. */
const MARGIN_MS = 26 * HOUR_MS;

const zones = new Map<string, IANAZone>();

/** Whether `name` is an IANA time zone of the zone rules Vigie computes with (the one check every part uses). */
export function isIanaZone(name: string): boolean {
  return zones.has(name) || IANAZone.isValidZone(name);
}

/** The zone, or a VigieError VALIDATION for an unknown name. */
export function zoneOf(name: string): IANAZone {
  let zone = zones.get(name);
  if (!zone) {
    if (!isIanaZone(name)) throw new VigieError('VALIDATION', `fuseau horaire inconnu "${name}" (nom IANA attendu, par exemple Europe/Paris) / unknown time zone "${name}" (expected an IANA name such as Europe/Paris)`);
    zone = IANAZone.create(name);
    zones.set(name, zone);
  }
  return zone;
}

/** UTC offset in ms at an instant. */
export function offsetMs(zone: IANAZone, instant: number): number {
  return Math.round(zone.offset(instant) * MINUTE_MS);
}

/** Local civil day of an instant. */
export function localDay(zone: IANAZone, instant: number): number {
  return Math.floor((instant + offsetMs(zone, instant)) / DAY_MS);
}

/**
 * The instant a skipped wall time is moved to: the first instant after the jump. `before`/`after` are the offsets
 * on either side of it; the jump lies in (wall − after, wall − before], found by bisection (about 22 steps, so a
 * change of any size, even Samoa's skipped day, is found without scanning).
 */
function instantAfterJump(zone: IANAZone, wall: number, before: number, after: number): number {
  let lo = wall - after; // offset here is still `before`
  let hi = wall - before; // offset here is already `after`
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMs(zone, mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

const dayCache = new Map<string, readonly number[]>();
/**
 * Memoised {@link computeStartsOnDay}: a scheduler asks about the same two or three days at every slot, and a DST day
 * costs a bisection. Bounded; the result depends only on its arguments.
 */
export function startsOnDay(p: CronPattern, zone: IANAZone, day: number): readonly number[] {
  const date = new Date(day * DAY_MS);
  if (!matchesDay(p, date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCDay())) return [];
  const key = `${p.source}\u0000${zone.name}\u0000${day}`;
  let starts = dayCache.get(key);
  if (!starts) {
    starts = computeStartsOnDay(p, zone, day);
    if (dayCache.size >= 5000) dayCache.clear();
    dayCache.set(key, starts);
  }
  return starts;
}

/** Instants of a matching local day's times, ascending, duplicates merged. */
function computeStartsOnDay(p: CronPattern, zone: IANAZone, day: number): number[] {
  const dayWall = day * DAY_MS;
  const before = offsetMs(zone, dayWall - MARGIN_MS);
  const middle = offsetMs(zone, dayWall + DAY_MS / 2);
  const after = offsetMs(zone, dayWall + DAY_MS + MARGIN_MS);
  const out: number[] = [];
  if (before === middle && middle === after) {
    // No offset change near this day (all but two days a year): one instant per wall time, already in order.
    for (const h of p.hours) for (const m of p.minutes) out.push(dayWall + h * HOUR_MS + m * MINUTE_MS - before);
    return out;
  }
  const resolve = before !== after ? resolverAcross(zone, dayWall, before, after) : resolverSlow(zone, [before, middle, after]);
  for (const h of p.hours) {
    for (const m of p.minutes) {
      const wall = dayWall + h * HOUR_MS + m * MINUTE_MS;
      const { instants, jump } = resolve(wall);
      if (instants.length === 0) {
        // The wall time falls in the jump. Only fixed-time jobs run (right after it).
        if (p.fixedTime) out.push(jump());
      } else if (p.fixedTime) {
        out.push(instants[0]!);
      } else {
        out.push(...instants);
      }
    }
  }
  return mergeSorted(out);
}

type Resolver = (wall: number) => { instants: number[]; jump: () => number };

/**
 * Resolution around one offset change (the usual DST day): the change instant is found once by bisection, then each
 * wall time is placed without further zone look-ups (a day of minute patterns is 1440 wall times).
 */
function resolverAcross(zone: IANAZone, dayWall: number, before: number, after: number): Resolver {
  let lo = dayWall - MARGIN_MS;
  let hi = dayWall + DAY_MS + MARGIN_MS;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMs(zone, mid) === before) lo = mid;
    else hi = mid;
  }
  const change = hi;
  return (wall) => {
    const instants: number[] = [];
    if (wall - before < change) instants.push(wall - before);
    if (wall - after >= change) instants.push(wall - after);
    instants.sort((x, y) => x - y);
    return { instants, jump: () => change };
  };
}

/** Fallback for the odd day with two changes in three days: each wall time checked against every offset seen. */
function resolverSlow(zone: IANAZone, offsets: number[]): Resolver {
  const distinct = [...new Set(offsets)];
  return (wall) => {
    const instants = distinct
      .map((o) => wall - o)
      .filter((u) => offsetMs(zone, u) === wall - u)
      .sort((x, y) => x - y);
    return { instants, jump: () => instantAfterJump(zone, wall, Math.min(...distinct), Math.max(...distinct)) };
  };
}

/** Sorts instants and merges equal ones ("starts that coincide are merged", DESIGN.md §5). */
export function mergeSorted(instants: number[]): number[] {
  instants.sort((x, y) => x - y);
  return instants.filter((u, i) => i === 0 || u !== instants[i - 1]);
}

/**
 * How far a search for the next or previous start may go: one 400-year Gregorian cycle, after which the calendar
 * repeats, so any pattern that ever matches (even "29 Feb when it is a Sunday", 28 to 40 years apart) is found.
 * Patterns that never match are refused by the parser; non-matching days cost a date check each, not a zone look-up.
 */
export const SEARCH_DAYS = 146_097 + 7;

/** First start strictly after `instant`. */
export function nextStart(p: CronPattern, zone: IANAZone, instant: number): number {
  // A fall-back can put day D's first starts after day D−1's last ones, so the search starts a day early and
  // looks one day past the first hit.
  const first = localDay(zone, instant) - 1;
  let best: number | undefined;
  let bestDay = 0;
  for (let day = first; day < first + SEARCH_DAYS; day++) {
    for (const u of startsOnDay(p, zone, day)) {
      if (u > instant && (best === undefined || u < best)) {
        if (best === undefined) bestDay = day;
        best = u;
      }
    }
    if (best !== undefined && day > bestDay) return best;
  }
  if (best !== undefined) return best;
  throw new VigieError('VALIDATION', `le motif cron "${p.source}" ne commence aucun créneau dans les ${SEARCH_DAYS} jours / cron "${p.source}" has no start within ${SEARCH_DAYS} days`);
}

/** Last start at or before `instant`, or undefined when there is none in the search range. */
export function previousStart(p: CronPattern, zone: IANAZone, instant: number): number | undefined {
  const first = localDay(zone, instant) + 1;
  let best: number | undefined;
  let bestDay = 0;
  for (let day = first; day > first - SEARCH_DAYS; day--) {
    for (const u of startsOnDay(p, zone, day)) {
      if (u <= instant && (best === undefined || u > best)) {
        if (best === undefined) bestDay = day;
        best = u;
      }
    }
    if (best !== undefined && day < bestDay) return best;
  }
  return best;
}

/** Every start in [from, to), ascending, merged. */
export function startsBetween(p: CronPattern, zone: IANAZone, from: number, to: number): number[] {
  if (!(to > from)) return [];
  const out: number[] = [];
  const last = localDay(zone, to) + 1;
  for (let day = localDay(zone, from) - 1; day <= last; day++) {
    for (const u of startsOnDay(p, zone, day)) if (u >= from && u < to) out.push(u);
  }
  return mergeSorted(out);
}

/** `instant ⊕ seconds` as a calendar duration: whole days keep the local wall time, the rest is elapsed. */
export function plusCalendar(zone: IANAZone, instant: number, seconds: number): number {
  const days = Math.floor(seconds / 86_400);
  const restMs = Math.round((seconds - days * 86_400) * 1000);
  if (days === 0) return instant + restMs;
  // Same wall time `days` later; should that time not exist, the instant after the jump (as for fixed-time jobs);
  // should it repeat, its first occurrence.
  const wall = instant + offsetMs(zone, instant) + days * DAY_MS;
  const before = offsetMs(zone, wall - MARGIN_MS);
  const after = offsetMs(zone, wall + MARGIN_MS);
  const found = [...new Set([before, after])].map((o) => wall - o).filter((u) => offsetMs(zone, u) === wall - u);
  const base = found.length > 0 ? Math.min(...found) : instantAfterJump(zone, wall, before, after);
  return base + restMs;
}
