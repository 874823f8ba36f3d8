import type { ClauseConfig } from '../config/contract.js';
import { countedIntervals, type CountedTime, type TenantCalendar } from '../calendar/clause-calendar.js';
import type { SchoolCalendar } from '../calendar/school-calendar.js';
import { toMs, type Interval } from '../calendar/intervals.js';
import { correctionIntervals, type Correction } from './corrections.js';
import { listDataGaps, type DataGap } from './data-gaps.js';
import { detectOutageEpisodes, type OutageEpisode } from './episodes.js';
import { computeErrorBudget, computeFigures, type AvailabilityFigures, type ErrorBudget } from './figures.js';
import { poolSums, sumMinutes, type MinuteSums } from './minutes.js';
import { countSlots, poolSlotCounts, type SlotCounts } from './adherence.js';
import type { LocationRef, SlotStates } from './slot-states.js';
import type { Instant } from './types.js';

/** One series (journey × target × tenant) fed to a clause: its calendar and its computed slot states. */
export interface ClauseSeriesInput {
  journey: string;
  target: string;
  /** Tenant UAI. */
  tenant: string;
  /** Probed (own probes) or covered (figures from a platform probe); reports tell them apart. */
  probed?: boolean;
  calendar: TenantCalendar;
  states: SlotStates;
  /** The schedule's locations with their kind (schedule adherence, reachability); absent: every one a reference. */
  locations?: readonly LocationRef[];
}

export interface ClauseReportInput {
  clause: ClauseConfig;
  /** Contract time zone (IANA). */
  zone: string;
  from: Instant;
  to: Instant;
  /** Evaluation instant: nothing after it counts; corrections are those in force at it. */
  now: Instant;
  series: readonly ClauseSeriesInput[];
  corrections?: readonly Correction[];
}

/** Sums and figures, raw (as measured) or corrected (corrections applied). */
export interface FigureSet {
  sums: MinuteSums;
  figures: AvailabilityFigures;
  errorBudget: ErrorBudget | null;
}

export interface SeriesReport {
  journey: string;
  target: string;
  tenant: string;
  probed: boolean;
  raw: FigureSet;
  corrected: FigureSet;
  dataGaps: DataGap[];
  episodes: OutageEpisode[];
  calendarMissing: Interval[];
  calendarMissingLabels: string[];
  /** The clause's counted minutes for this series (service hours, holidays, exceptions), normalized. */
  counted: Interval[];
  /** The periods excluded by corrections for this series (in force at `now`), for month-by-month sums. */
  corrections: Interval[];
  /** Location-slots expected, executed, missed, and each location's results over the counted minutes. */
  slots: SlotCounts;
}

export interface ClauseReport {
  clauseId: string;
  from: number;
  /** Effective end: min(to, now, first pending slot). */
  to: number;
  /** Pooled over every series of the scope (minutes added, never percentages averaged). */
  raw: FigureSet;
  corrected: FigureSet;
  series: SeriesReport[];
  /** Every episode of every series, in time order. */
  episodes: OutageEpisode[];
  /** True when some counted days had no school calendar ("calendrier manquant"). */
  calendarIncomplete: boolean;
  /** Location-slots pooled over the series (schedule adherence, per-location results, reachability). */
  slots: SlotCounts;
}

/**
 * Figures of one clause over a scope and period (DESIGN.md §5): for each series whose journey the clause lists, the
 * clause's counted minutes for its tenant (service hours, holidays, exceptions), minute sums raw and corrected, data
 * gaps, outage episodes with GTR; then the pooled figures of the scope. A scope of several tenants or journeys pools
 * minutes. Series of journeys the clause does not list (e.g. `logout` for an availability clause) are ignored.
 */
export function computeClauseReport(input: ClauseReportInput): ClauseReport {
  const from = toMs(input.from);
  const to = Math.min(toMs(input.to), toMs(input.now));
  const counted = createCountedCache(input.clause, input.zone, from);
  const series: SeriesReport[] = [];
  for (const s of input.series) {
    if (!input.clause.journeys.includes(s.journey)) continue;
    series.push(computeSeriesReport({ ...input, from, to, counted }, s));
  }
  return poolSeriesReports(input.clause, from, to, series);
}

/** Counted minutes of a clause per tenant calendar and end, computed once per calendar (1000s of tenants share one). */
export type CountedCache = (calendar: TenantCalendar, end: number) => CountedTime;

/** A {@link CountedCache} over `[from, end)` for one clause: tenants sharing a département and a calendar share it. */
export function createCountedCache(clause: ClauseConfig, zone: string, from: number): CountedCache {
  const cache = new Map<SchoolCalendar | null, Map<string, CountedTime>>();
  return (calendar, end) => {
    let byKey = cache.get(calendar.schoolCalendar);
    if (!byKey) cache.set(calendar.schoolCalendar, (byKey = new Map()));
    const key = `${calendar.departement}|${end}`;
    let time = byKey.get(key);
    if (!time) byKey.set(key, (time = countedIntervals(clause, calendar, from, end, zone)));
    return time;
  };
}

/**
 * The report of one series for one clause (the per-series part of {@link computeClauseReport}): counted minutes of its
 * tenant's calendar up to `min(to, first pending slot)`, minute sums raw and corrected, data gaps, outage episodes.
 * `from`/`to` are epoch ms, `to` already capped at `now`.
 */
export function computeSeriesReport(
  ctx: { clause: ClauseConfig; zone: string; from: number; to: number; now: Instant; corrections?: readonly Correction[]; counted: CountedCache },
  s: ClauseSeriesInput,
): SeriesReport {
  const { clause, zone, from, to } = ctx;
  const end = s.states.pendingFrom === null ? to : Math.min(to, s.states.pendingFrom);
  const time = ctx.counted(s.calendar, Math.max(from, end));
  const corrections = correctionIntervals(ctx.corrections ?? [], { clause: clause.id, target: s.target, tenant: s.tenant, journey: s.journey }, ctx.now);
  const rawSums = sumMinutes(s.states.timeline, time.counted, { parties: clause.parties });
  const correctedSums = corrections.length > 0 ? sumMinutes(s.states.timeline, time.counted, { parties: clause.parties, corrections }) : rawSums;
  return {
    journey: s.journey,
    target: s.target,
    tenant: s.tenant,
    probed: s.probed ?? true,
    raw: figureSet(rawSums, clause.targetPercent),
    corrected: figureSet(correctedSums, clause.targetPercent),
    dataGaps: listDataGaps(s.states.timeline, time.counted, zone),
    episodes: detectOutageEpisodes(s.states.slots, { journey: s.journey, counted: time.counted, parties: clause.parties, severity: clause.severity }),
    calendarMissing: time.calendarMissing,
    calendarMissingLabels: time.calendarMissingLabels,
    counted: time.counted,
    corrections,
    slots: countSlots(s.states.slots, time.counted, end, s.locations ?? []),
  };
}

/** Pools series reports into the clause's report: minutes added (never percentages averaged), episodes in time order. */
export function poolSeriesReports(clause: Pick<ClauseConfig, 'id' | 'targetPercent'>, from: number, to: number, series: SeriesReport[]): ClauseReport {
  return {
    clauseId: clause.id,
    from,
    to,
    raw: figureSet(poolSums(series.map((r) => r.raw.sums)), clause.targetPercent),
    corrected: figureSet(poolSums(series.map((r) => r.corrected.sums)), clause.targetPercent),
    series,
    episodes: series.flatMap((r) => r.episodes).sort((a, b) => a.start - b.start),
    calendarIncomplete: series.some((r) => r.calendarMissing.length > 0),
    slots: poolSlotCounts(series.map((r) => r.slots)),
  };
}

/** Sums with their figures and error budget against a target. */
export function figureSet(sums: MinuteSums, targetPercent: number): FigureSet {
  return { sums, figures: computeFigures(sums), errorBudget: computeErrorBudget(sums, targetPercent) };
}

/** One establishment's figures within a clause: its series pooled (minutes and location-slots added). */
export interface TenantFigures {
  tenant: string;
  probed: boolean;
  raw: FigureSet;
  corrected: FigureSet;
  slots: SlotCounts;
}

/** The series of a clause pooled per tenant, in UAI order (`vigie sla --by tenant`). */
export function poolByTenant(series: readonly SeriesReport[], targetPercent: number): TenantFigures[] {
  const groups = new Map<string, SeriesReport[]>();
  for (const s of series) {
    const list = groups.get(s.tenant);
    if (list) list.push(s);
    else groups.set(s.tenant, [s]);
  }
  return [...groups]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([tenant, list]) => ({
      tenant,
      probed: list.some((s) => s.probed),
      raw: figureSet(poolSums(list.map((s) => s.raw.sums)), targetPercent),
      corrected: figureSet(poolSums(list.map((s) => s.corrected.sums)), targetPercent),
      slots: poolSlotCounts(list.map((s) => s.slots)),
    }));
}
