import type { ServiceHours, Weekday } from '../config/contract.js';
import { normalize, type Interval } from './intervals.js';
import { localDays, wallClockToUtc } from './local-time.js';

const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** ISO weekday number (1 = Monday) → `mon`…`sun`. */
export function weekdayName(isoWeekday: number): Weekday {
  const name = WEEKDAYS[isoWeekday - 1];
  if (name === undefined) throw new RangeError(`invalid ISO weekday: ${isoWeekday}`);
  return name;
}

/**
 * The weekly service hours of a clause over `[from, to)` (epoch ms) as UTC intervals, evaluated day by day in the
 * contract's time zone: `24/7` is every minute of every local day (1380, 1440 or 1500 minutes); a range such as
 * Mon–Fri 07:00–19:00 converts each end through the zone, so 07:00 is 06:00Z in winter and 05:00Z in summer.
 */
export function weeklyServiceIntervals(hours: ServiceHours, from: number, to: number, zone: string): Interval[] {
  if (hours === '24/7') return to > from ? [{ start: from, end: to }] : [];
  const out: Interval[] = [];
  for (const day of localDays(from, to, zone)) {
    out.push(...hoursOfDay(hours, day.date, day.weekday, zone));
  }
  return normalize(out.map((i) => ({ start: Math.max(i.start, from), end: Math.min(i.end, to) })));
}

/** The weekly service hours of one local day (unclipped). */
export function hoursOfDay(hours: ServiceHours, date: string, isoWeekday: number, zone: string): Interval[] {
  if (hours === '24/7') return [{ start: wallClockToUtc(date, '00:00', zone), end: wallClockToUtc(date, '24:00', zone) }];
  const name = weekdayName(isoWeekday);
  return hours.weekly
    .filter((r) => r.days.includes(name))
    .map((r) => ({ start: wallClockToUtc(date, r.from, zone), end: wallClockToUtc(date, r.to, zone) }));
}
