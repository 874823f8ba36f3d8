import type { CalendarUse, ServiceHours } from '../config/contract.js';
import { intersect, normalize, subtract, union, type Interval } from './intervals.js';
import { localDate, localDays, wallClockToUtc } from './local-time.js';
import { publicHolidaysBetween } from './public-holidays.js';
import { schoolCalendarCovers, schoolHolidayOn, type SchoolCalendar } from './school-calendar.js';
import { hoursOfDay } from './service-hours.js';

/** What a tenant brings to its clause calendar: its département (public holidays) and its zone's school calendar. */
export interface TenantCalendar {
  /** Département code (`57`, `54`, `2A`, `974`). */
  departement: string;
  /** Imported school calendar of the tenant's zone; null when none was imported. */
  schoolCalendar: SchoolCalendar | null;
}

/** A day taken out of service hours, for the report. */
export interface DayOff {
  date: string;
  kind: 'school-holiday' | 'public-holiday' | 'exception';
  name: string;
}

/** The minutes a clause counts for one tenant over a period. */
export interface CountedTime {
  /** UTC intervals counted (normalized). */
  counted: Interval[];
  /** Weekly service hours on days the school calendar does not cover: not counted, flagged "calendrier manquant". */
  calendarMissing: Interval[];
  /** One label per stretch of missing days: `calendrier manquant 2027-09-01 – 2027-09-30` (local days). */
  calendarMissingLabels: string[];
  /** Days removed from service hours, with why. */
  daysOff: DayOff[];
}

/**
 * The minutes a clause counts for one tenant over `[from, to)` (epoch ms), in the contract's time zone (DESIGN.md §5
 * "Service hours"): weekly hours, minus school holidays of the tenant's calendar (whole local days) and public
 * holidays (with Alsace-Moselle's days) when the clause says so, then dated exceptions (`closed` removes, `open` adds).
 * A 24/7 clause subtracts nothing. When the clause uses school holidays, days the imported calendar does not cover are
 * not counted and are returned as `calendarMissing` ("calendrier manquant"): they are never silently counted.
 */
export function countedIntervals(
  clause: { serviceHours: ServiceHours; calendar: CalendarUse },
  tenant: TenantCalendar,
  from: number,
  to: number,
  zone: string,
): CountedTime {
  const days = localDays(from, to, zone);
  const counted: Interval[] = [];
  const missing: Interval[] = [];
  const daysOff: DayOff[] = [];
  const missingRuns: [string, string][] = [];
  let run: [string, string] | null = null;
  const publicByDate = new Map<string, string>();
  if (clause.calendar.publicHolidays && days.length > 0) {
    // days is non-empty (checked just above), so its first and last elements exist.
    for (const h of publicHolidaysBetween(tenant.departement, days[0]!.date, days[days.length - 1]!.date)) publicByDate.set(h.date, h.name);
  }
  for (const day of days) {
    const hours = hoursOfDay(clause.serviceHours, day.date, day.weekday, zone);
    if (hours.length === 0) continue;
    if (clause.calendar.schoolHolidays && tenant.schoolCalendar && schoolCalendarCovers(tenant.schoolCalendar, day.date)) run = null;
    if (clause.calendar.schoolHolidays) {
      const cal = tenant.schoolCalendar;
      if (!cal || !schoolCalendarCovers(cal, day.date)) {
        missing.push(...hours);
        // Days without service hours (week-ends) do not split a stretch of missing days.
        if (run) run[1] = day.date;
        else missingRuns.push((run = [day.date, day.date]));
        continue;
      }
      const holiday = schoolHolidayOn(cal, day.date);
      if (holiday) {
        daysOff.push({ date: day.date, kind: 'school-holiday', name: holiday.name });
        continue;
      }
    }
    const publicName = publicByDate.get(day.date);
    if (publicName) {
      daysOff.push({ date: day.date, kind: 'public-holiday', name: publicName });
      continue;
    }
    counted.push(...hours);
  }
  let result = normalize(counted);
  for (const ex of clause.calendar.exceptions) {
    for (const day of localDays(from, to, zone)) {
      if (day.date < ex.date || day.date > (ex.until ?? ex.date)) continue;
      const span: Interval[] =
        ex.from !== undefined && ex.to !== undefined
          ? [{ start: wallClockToUtc(day.date, ex.from, zone), end: wallClockToUtc(day.date, ex.to, zone) }]
          : ex.kind === 'closed'
            ? [{ start: day.start, end: day.end }]
            : hoursOfDay(clause.serviceHours, day.date, day.weekday, zone);
      if (ex.kind === 'closed') {
        result = subtract(result, span);
        daysOff.push({ date: day.date, kind: 'exception', name: ex.reason });
      } else {
        result = union(result, span);
      }
    }
  }
  const window = [{ start: from, end: to }];
  const calendarMissing = intersect(subtract(missing, result), window);
  return {
    counted: intersect(result, window),
    calendarMissing,
    calendarMissingLabels: missingRuns.map(([a, b]) => (a === b ? `calendrier manquant ${a}` : `calendrier manquant ${a} – ${b}`)),
    daysOff: daysOff.filter((d) => d.date >= localDate(from, zone)),
  };
}
