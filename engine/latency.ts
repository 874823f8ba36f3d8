import type { ClauseConfig } from '../core/config/contract.js';
import type { Interval } from '../core/calendar/intervals.js';
import { latencyOf, type LatencyFigures } from '../core/sla/index.js';
import type { Series } from './load-series.js';

/** Latency figures of a clause per journey: the journey's and each step's with a threshold. */
export type ClauseLatency = Record<string, { journey: LatencyFigures; steps: Record<string, LatencyFigures> }>;

/**
 * Collects the durations of a clause's latency objectives series by series (DESIGN.md §5 "Latency objective"), so
 * that no run object outlives its series: per journey with an objective, the passing runs (`up`, `degraded`) of its
 * series with a slot in `[from, to)` inside the clause's counted minutes (a Sunday run is no sample of a school-hours
 * objective), at every location, and the passed steps of their last attempt named in the objective.
 */
export interface LatencyAccumulator {
  /** Adds one series' samples; `counted` is the clause's counted minutes for it (normalized, sorted). */
  add(series: Series, counted: readonly Interval[], from: number, to: number): void;
  /** The figures (core/sla `latencyOf`: nearest-rank percentiles, attainment against the threshold). */
  figures(): ClauseLatency;
}

/** A {@link LatencyAccumulator} for the clause's latency objectives (journeys the clause does not list are ignored). */
export function createLatencyAccumulator(clause: ClauseConfig): LatencyAccumulator {
  const objectives = Object.entries(clause.latency).filter(([journey]) => clause.journeys.includes(journey));
  const samples = new Map(objectives.map(([journey, o]) => [journey, { journey: [] as number[], steps: new Map(Object.keys(o.steps ?? {}).map((name) => [name, [] as number[]])) }]));
  return {
    add(series, counted, from, to) {
      const mine = samples.get(series.info.journey);
      if (!mine) return;
      const inHours = (t: number) => t >= from && t < to && inIntervals(counted, t);
      for (const r of series.runs) {
        if ((r.status === 'up' || r.status === 'degraded') && inHours(r.scheduledAt)) mine.journey.push(r.durationMs);
      }
      if (mine.steps.size === 0) return;
      // Steps come from passing runs only (listPassingSteps), one list per step name.
      for (const st of series.steps) {
        const list = mine.steps.get(st.name);
        if (list && st.status === 'passed' && inHours(st.scheduledAt)) list.push(st.durationMs);
      }
    },
    figures() {
      const out: ClauseLatency = {};
      for (const [journey, objective] of objectives) {
        const s = samples.get(journey)!; // one entry per objective, made above
        const steps: Record<string, LatencyFigures> = {};
        for (const [name, thresholdMs] of Object.entries(objective.steps ?? {})) steps[name] = latencyOf(s.steps.get(name) ?? [], thresholdMs, objective.targetPercent);
        out[journey] = { journey: latencyOf(s.journey, objective.thresholdMs, objective.targetPercent), steps };
      }
      return out;
    },
  };
}

/** Whether `t` falls in one of the sorted, disjoint intervals (binary search: runs × intervals would be slow). */
export function inIntervals(list: readonly Interval[], t: number): boolean {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const iv = list[mid]!; // lo <= mid <= hi < length
    if (iv.end <= t) lo = mid + 1;
    else if (iv.start > t) hi = mid - 1;
    else return true;
  }
  return false;
}
