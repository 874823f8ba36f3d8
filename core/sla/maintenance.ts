import type { MaintenanceWindowConfig, WindowScope } from '../config/contract.js';
import { addDays, localDays, wallClockToUtc } from '../calendar/local-time.js';
import { weekdayName } from '../calendar/service-hours.js';
import { toMs } from '../calendar/intervals.js';
import type { Instant } from './types.js';

/** One occurrence of a maintenance window, resolved to UTC. */
export interface WindowOccurrence {
  windowId: string;
  start: number;
  end: number;
  mode: 'exclude' | 'pause';
  /** Announced later than the clause's notice period before this occurrence: not excluded (DESIGN.md §5). */
  late: boolean;
  /** When a revision first contained the window, epoch ms. */
  announcedAt: number;
}

/** A window as configured, with its announcement time (when a config revision first contained it). */
export interface AnnouncedWindow {
  window: MaintenanceWindowConfig;
  announcedAt: Instant;
}

/**
 * Occurrences of maintenance windows overlapping `[from, to)` (epoch ms), in the contract's time zone (DESIGN.md §5
 * "Maintenance windows"): wall-clock starts and ends go through the zone with the cron(8) DST rules (a start in the
 * spring gap happens right after the jump; a repeated time happens at its first occurrence); a window given with a
 * duration lasts that elapsed time. A recurring end at or before its start ends the next day (23:00–01:00).
 * Each occurrence is `late` when `start − announcedAt` is shorter than `noticeSeconds`.
 */
export function resolveWindowOccurrences(windows: readonly AnnouncedWindow[], from: number, to: number, zone: string, noticeSeconds: number): WindowOccurrence[] {
  const out: WindowOccurrence[] = [];
  for (const { window: w, announcedAt } of windows) {
    const announced = toMs(announcedAt);
    const push = (start: number, end: number) => {
      if (end > from && start < to && end > start) {
        out.push({ windowId: w.id, start, end, mode: w.mode, late: start - announced < noticeSeconds * 1000, announcedAt: announced });
      }
    };
    if (w.kind === 'one-off') {
      const start = wallClockToUtc(w.start.slice(0, 10), w.start.slice(11), zone);
      const end = w.duration !== undefined ? start + w.duration * 1000 : wallClockToUtc(w.end!.slice(0, 10), w.end!.slice(11), zone);
      push(start, end);
      continue;
    }
    // A recurring occurrence may start the day before `from` and run into the period.
    for (const day of localDays(from - 2 * 86_400_000, to, zone)) {
      if (w.from && day.date < w.from) continue;
      if (w.until && day.date > w.until) continue;
      if (w.days && !w.days.includes(weekdayName(day.weekday))) continue;
      const start = wallClockToUtc(day.date, w.start, zone);
      const end =
        w.duration !== undefined ? start + w.duration * 1000 : wallClockToUtc(w.end! > w.start ? day.date : addDays(day.date, 1), w.end!, zone);
      push(start, end);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Does a window scope cover a series? Absent or empty lists match everything. */
export function windowApplies(scope: WindowScope, series: { target: string; tenant: string; journey: string }): boolean {
  const ok = (list: string[] | undefined, value: string) => !list || list.length === 0 || list.includes(value);
  return ok(scope.targets, series.target) && ok(scope.tenants, series.tenant) && ok(scope.journeys, series.journey);
}
