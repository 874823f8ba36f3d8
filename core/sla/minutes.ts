import type { Party } from '../config/contract.js';
import { MINUTE_MS, normalize, overlapMs, type Interval } from '../calendar/intervals.js';
import { clipToCounted } from './timeline.js';
import { minuteClass, type MinuteState, type TimelineSegment } from './types.js';

/**
 * Minute sums of a series or a pooled scope over a clause's counted minutes (DESIGN.md §5 "Availability"). Figures
 * are computed from these sums, never from averages of percentages; several series pool by adding their sums
 * ({@link poolSums}). Minutes may be fractional only for sub-minute slots.
 */
export interface MinuteSums {
  /** Service minutes of the period, minus `not_monitored` minutes (outside the period entirely). */
  countedMinutes: number;
  /** Service minutes before the tenant or schedule existed. */
  notMonitoredMinutes: number;
  /** up + degraded. */
  upMinutes: number;
  degradedMinutes: number;
  /** Down minutes of the parties the clause counts. */
  downMinutes: number;
  /** missed + error + paused + unscheduled ("non planifié"). */
  unknownMinutes: number;
  /** maintenance + down of parties not counted + corrections. */
  excludedMinutes: number;
  maintenanceMinutes: number;
  /** Minutes excluded by corrections after the fact (0 in raw figures). */
  correctionMinutes: number;
  /** Observed = up + degraded + down (counted parties). */
  observedMinutes: number;
  /** Minutes per state (corrections and uncounted parties not applied: the measured picture). */
  byState: Partial<Record<MinuteState, number>>;
  /** Down minutes per party, every party (the attribution table). */
  downByParty: Partial<Record<Party, number>>;
  /** Down minutes excluded because the clause does not count their party. */
  excludedByParty: Partial<Record<Party, number>>;
}

/** Options of {@link sumMinutes}. */
export interface SumOptions {
  /** Parties the clause counts; down minutes of other parties are excluded. */
  parties: readonly Party[];
  /** Periods excluded after the fact (corrected figures); omit for raw figures. */
  corrections?: readonly Interval[];
}

/**
 * Sums a series' timeline over counted minutes (service hours ∩ period ∩ before `now`). Counted minutes that no
 * segment covers are "non planifié" (unknown). A minute inside a correction is excluded whatever its state.
 */
export function sumMinutes(timeline: readonly TimelineSegment[], counted: readonly Interval[], options: SumOptions): MinuteSums {
  const ms: Record<string, number> = {};
  const byState: Partial<Record<MinuteState, number>> = {};
  const downByParty: Partial<Record<Party, number>> = {};
  const excludedByParty: Partial<Record<Party, number>> = {};
  const corrections = normalize(options.corrections ?? []);
  const add = (key: string, v: number) => (ms[key] = (ms[key] ?? 0) + v);
  for (const seg of clipToCounted(timeline, counted)) {
    const length = seg.end - seg.start;
    const corrected = corrections.length > 0 ? overlapMs(seg, corrections) : 0;
    const klass = minuteClass(seg.state);
    byState[seg.state] = (byState[seg.state] ?? 0) + length;
    if (klass === 'outside') {
      add('notMonitored', length);
      continue;
    }
    add('counted', length);
    if (seg.state === 'down') {
      const party = seg.party ?? 'provider';
      downByParty[party] = (downByParty[party] ?? 0) + length;
    }
    if (corrected > 0) add('correction', corrected);
    const rest = length - corrected;
    if (rest <= 0) continue;
    if (klass === 'up') {
      add('up', rest);
      if (seg.state === 'degraded') add('degraded', rest);
    } else if (klass === 'down') {
      const party = seg.party ?? 'provider';
      if (options.parties.includes(party)) add('down', rest);
      else {
        add('uncounted', rest);
        excludedByParty[party] = (excludedByParty[party] ?? 0) + rest;
      }
    } else if (klass === 'unknown') add('unknown', rest);
    else add('maintenance', rest);
  }
  const min = (key: string) => (ms[key] ?? 0) / MINUTE_MS;
  const toMinutes = <K extends string>(rec: Partial<Record<K, number>>) =>
    Object.fromEntries(Object.entries(rec).map(([k, v]) => [k, (v as number) / MINUTE_MS])) as Partial<Record<K, number>>;
  return {
    countedMinutes: min('counted'),
    notMonitoredMinutes: min('notMonitored'),
    upMinutes: min('up'),
    degradedMinutes: min('degraded'),
    downMinutes: min('down'),
    unknownMinutes: min('unknown'),
    excludedMinutes: min('maintenance') + min('uncounted') + min('correction'),
    maintenanceMinutes: min('maintenance'),
    correctionMinutes: min('correction'),
    observedMinutes: min('up') + min('down'),
    byState: toMinutes(byState),
    downByParty: toMinutes(downByParty),
    excludedByParty: toMinutes(excludedByParty),
  };
}

/** Empty sums (the neutral element of {@link poolSums}). */
export function emptySums(): MinuteSums {
  return {
    countedMinutes: 0,
    notMonitoredMinutes: 0,
    upMinutes: 0,
    degradedMinutes: 0,
    downMinutes: 0,
    unknownMinutes: 0,
    excludedMinutes: 0,
    maintenanceMinutes: 0,
    correctionMinutes: 0,
    observedMinutes: 0,
    byState: {},
    downByParty: {},
    excludedByParty: {},
  };
}

/** Pools the sums of several series (tenants, journeys) by adding minutes: never an average of percentages. */
export function poolSums(list: readonly MinuteSums[]): MinuteSums {
  const out = emptySums();
  const addRec = <K extends string>(into: Partial<Record<K, number>>, from: Partial<Record<K, number>>) => {
    for (const [k, v] of Object.entries(from) as [K, number][]) into[k] = (into[k] ?? 0) + v;
  };
  for (const s of list) {
    for (const key of Object.keys(out) as (keyof MinuteSums)[]) {
      const v = s[key];
      if (typeof v === 'number') (out[key] as number) += v;
    }
    addRec(out.byState, s.byState);
    addRec(out.downByParty, s.downByParty);
    addRec(out.excludedByParty, s.excludedByParty);
  }
  return out;
}
