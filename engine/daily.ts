import { localBuckets } from '../core/calendar/buckets.js';
import { intersect, type Interval } from '../core/calendar/intervals.js';
import type { Party } from '../core/config/contract.js';
import { figureSet, poolSums, sumMinutes, type FigureSet, type MinuteSums, type SeriesReport, type TimelineSegment } from '../core/sla/index.js';

/**
 * Day-by-day figures of a clause (reports' daily table and calendar heat map, issue 11): for each local day of the
 * period in the contract's zone — 23 or 25 hours across a DST change (`localBuckets`) — the clause's minute sums pooled
 * over its series, raw and corrected, and each establishment's corrected sums. A day's counted minutes are the
 * series' counted minutes (service hours, holidays, period, before now) cut to that day, so the days' minutes add up
 * exactly to the period's: a minute belongs to one local day.
 */

/** One local day of a clause. */
export interface DayOutput {
  /** Local date `yyyy-MM-dd` in the contract's zone. */
  date: string;
  /** `[start, end)` ISO instants: 23, 24 or 25 hours, cut to the period. */
  start: string;
  end: string;
  raw: FigureSet;
  corrected: FigureSet;
  /** Each establishment's corrected figures that day (journeys pooled), by UAI. */
  tenants: Record<string, FigureSet>;
}

interface DayAccumulator {
  label: string;
  start: number;
  end: number;
  raw: MinuteSums[];
  corrected: MinuteSums[];
  tenants: Map<string, MinuteSums[]>;
}

/** Collects the days of one clause while the series stream by. */
export interface DailyAccumulator {
  add(report: SeriesReport, timeline: readonly TimelineSegment[]): void;
  output(targetPercent: number): DayOutput[];
}

/** A {@link DailyAccumulator} over `[from, end)` in `zone` (epoch ms; `end` already capped at now). */
export function createDailyAccumulator(from: number, end: number, zone: string, parties: readonly Party[]): DailyAccumulator {
  const days: DayAccumulator[] = end > from ? localBuckets(from, end, 'day', zone).map((d) => ({ label: d.label, start: d.start, end: d.end, raw: [], corrected: [], tenants: new Map() })) : [];
  return {
    add(report, timeline) {
      // Only the timeline segments of each day are summed (the timeline is in time order).
      let i = 0;
      for (const day of days) {
        while (i < timeline.length && timeline[i]!.end <= day.start) i++;
        let j = i;
        while (j < timeline.length && timeline[j]!.start < day.end) j++;
        const counted: Interval[] = intersect(report.counted, [{ start: day.start, end: day.end }]);
        const part = timeline.slice(i, j);
        const raw = sumMinutes(part, counted, { parties });
        const corrected = report.corrections.length > 0 ? sumMinutes(part, counted, { parties, corrections: report.corrections }) : raw;
        day.raw.push(raw);
        day.corrected.push(corrected);
        const list = day.tenants.get(report.tenant);
        if (list) list.push(corrected);
        else day.tenants.set(report.tenant, [corrected]);
      }
    },
    output(targetPercent) {
      return days.map((d) => ({
        date: d.label,
        start: new Date(d.start).toISOString(),
        end: new Date(d.end).toISOString(),
        raw: figureSet(poolSums(d.raw), targetPercent),
        corrected: figureSet(poolSums(d.corrected), targetPercent),
        tenants: Object.fromEntries([...d.tenants].sort(([a], [b]) => a.localeCompare(b)).map(([t, sums]) => [t, figureSet(poolSums(sums), targetPercent)])),
      }));
    },
  };
}
