import type { ClauseConfig, ContractConfig } from '../core/config/contract.js';
import { adherencePercent, poolByTenant, reachabilityPercent, type ClauseReport, type FigureSet, type LatencyFigures, type LocationSlotCounts, type PenaltyStatement, type SlotCounts, type WindowOccurrence } from '../core/sla/index.js';
import type { ManualIncident, StoredCorrection } from '../db/index.js';
import type { DayOutput } from './daily.js';

const iso = (t: number) => new Date(t).toISOString();

/** A percentage as published: 4 decimals (99.99999999999999 → 100). The engine checks [0, 100] on the exact value. */
export const round4 = (v: number): number => Math.round(v * 1e4) / 1e4;

/**
 * Rounds, in place, every number under a key ending in `Percent` (availabilityPercent, consumedPercent, …) by
 * {@link round4}; minutes and other numbers are untouched. In place: a report of a thousand tenants holds hundreds of
 * thousands of objects, and a rounded copy doubled its memory. Returns `value`.
 */
export function roundPercentsInPlace<T>(value: T): T {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && typeof x === 'object') stack.push(x);
    } else if (v !== null && typeof v === 'object') {
      const rec = v as Record<string, unknown>;
      for (const k of Object.keys(rec)) {
        const x = rec[k];
        if (typeof x === 'number') {
          if (k.endsWith('Percent') && Number.isFinite(x)) rec[k] = round4(x);
        } else if (x !== null && typeof x === 'object') stack.push(x);
      }
    }
  }
  return value;
}

/**
 * A copy with every number under a key ending in `Percent` (availabilityPercent, consumedPercent, …) rounded by
 * {@link round4}; minutes and other numbers are untouched.
 */
export function roundPercents<T>(value: T): T {
  if (Array.isArray(value)) return value.map(roundPercents) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, typeof v === 'number' && /Percent$/.test(k) && Number.isFinite(v) ? round4(v) : roundPercents(v)]),
  ) as T;
}

/** Figures of a scope, raw (as measured) or corrected: sums in minutes, percents, error budget. */
export type FigureOutput = FigureSet;

/** One clause of the SLA report (JSON). */
export interface ClauseOutput {
  id: string;
  name: string;
  journeys: string[];
  parties: string[];
  targetPercent: number;
  from: string;
  /** Effective end: min(period end, now, first pending slot). */
  to: string;
  raw: FigureOutput;
  corrected: FigureOutput;
  dataGaps: { journey: string; tenant: string; start: string; end: string; minutes: number; states: string[]; label: string }[];
  episodes: { journey: string; tenant: string; start: string; end: string; downSlots: number; gtrMinutes: number; elapsedMinutes: number; severity: string; parties: string[]; kinds: string[]; gtrLimitMinutes: number | null; overLimit: boolean }[];
  penalties: (PenaltyStatement & { currency: string }) | null;
  /** Latency objectives per journey: attainment and p50/p95/p99 of the journey and of each step with a threshold. */
  latency: Record<string, { journey: LatencyFigures; steps: Record<string, LatencyFigures> }>;
  tenants: { probed: string[]; covered: string[] };
  /** "calendrier manquant" labels (days with service hours but no school calendar: not counted). */
  calendarMissing: string[];
  calendarIncomplete: boolean;
  series: { journey: string; target: string; tenant: string; probed: boolean; raw: FigureOutput; corrected: FigureOutput; schedule: ScheduleOutput }[];
  /** Schedule adherence over the clause's counted minutes: location-slots expected, executed, missed (see SlotCounts). */
  schedule: ScheduleOutput;
  /** What each probe location saw (location-slots by result) and its reachability, in configuration order. */
  locations: (LocationSlotCounts & { reachabilityPercent: number | null })[];
  /**
   * Share of reference location-slots that reached the ENT (pooled over reference locations); with one location it
   * equals that location's. The contract state of a slot is up when one reference passed: this says how often each did.
   */
  reachabilityPercent: number | null;
  /** With `by: 'tenant'` only: each establishment's figures, its journeys pooled, in UAI order. */
  byTenant?: { tenant: string; probed: boolean; raw: FigureOutput; corrected: FigureOutput; schedule: ScheduleOutput }[];
  /** The maintenance windows applied to a series of the clause in the period, by start: see {@link WindowOutput}. */
  maintenanceWindows: WindowOutput[];
  /** With `daily` only: the figures of each local day of the period (engine/daily.ts), days in order. */
  daily?: DayOutput[];
}

/**
 * Schedule adherence (DESIGN.md §5 "Slots"): slots × locations expected to run over the counted minutes (operator
 * pauses and pause-mode maintenance left out), how many have a stored run, and executed / expected.
 */
export interface ScheduleOutput {
  expectedSlots: number;
  executedSlots: number;
  missedSlots: number;
  pausedSlots: number;
  /** executedSlots / expectedSlots × 100; null when nothing was expected. */
  adherencePercent: number | null;
}

/** The {@link ScheduleOutput} of counts. */
export function scheduleOutput(c: SlotCounts): ScheduleOutput {
  return { expectedSlots: c.expected, executedSlots: c.executed, missedSlots: c.missed, pausedSlots: c.paused, adherencePercent: adherencePercent(c) };
}

/**
 * One occurrence of a maintenance window applied in a clause (DESIGN.md §5 "Maintenance windows"): when it was
 * announced and what that made of its minutes. Announced at least the clause's notice period before its start: its
 * minutes are excluded (`maintenance`); later: `late`, its minutes count as measured (a pause window's as down).
 */
export interface WindowOutput {
  id: string;
  mode: 'exclude' | 'pause';
  start: string;
  end: string;
  /**
   * When a stored config revision first held the window (for a revision of `vigie import`, the import's time, not
   * its first slot); null when no revision ever did (a window only in a `--config` file): it counts as announced at
   * the report's time, so late.
   */
  announcedAt: string | null;
  /** The clause's notice period, minutes. */
  noticeMinutes: number;
  late: boolean;
  /** `!late`: its minutes are left out of the counted minutes. */
  excluded: boolean;
}

/** Shapes an engine report for output: instants ISO, series tagged on their gaps and episodes. */
export function toClauseOutput(
  clause: ClauseConfig,
  contract: ContractConfig,
  report: ClauseReport,
  penalties: PenaltyStatement | null,
  latency: ClauseOutput['latency'],
  windows: readonly (WindowOccurrence & { storedAnnouncedAt: number | null })[] = [],
  opts: { byTenant?: boolean } = {},
): ClauseOutput {
  const limits = new Map(clause.penalties.gtr.map((g) => [g.severity, g.limit / 60]));
  const tenants = new Map<string, boolean>();
  for (const s of report.series) tenants.set(s.tenant, (tenants.get(s.tenant) ?? false) || s.probed);
  // Freshly built objects, rounded in place (the figure objects of `report` are not read again after this).
  return roundPercentsInPlace({
    id: clause.id,
    name: clause.name,
    journeys: clause.journeys,
    parties: clause.parties,
    targetPercent: clause.targetPercent,
    from: iso(report.from),
    to: iso(report.to),
    raw: report.raw,
    corrected: report.corrected,
    dataGaps: report.series.flatMap((s) => s.dataGaps.map((g) => ({ journey: s.journey, tenant: s.tenant, start: iso(g.start), end: iso(g.end), minutes: g.minutes, states: g.states, label: g.label }))),
    episodes: report.series
      .flatMap((s) =>
        s.episodes.map((e) => {
          const limit = limits.get(e.severity) ?? null;
          return { journey: s.journey, tenant: s.tenant, start: iso(e.start), end: iso(e.end), downSlots: e.downSlots, gtrMinutes: e.gtrMinutes, elapsedMinutes: e.elapsedMinutes, severity: e.severity, parties: e.parties, kinds: e.kinds, gtrLimitMinutes: limit, overLimit: limit !== null && e.gtrMinutes > limit };
        }),
      )
      .sort((a, b) => a.start.localeCompare(b.start)),
    penalties: penalties ? { ...penalties, currency: contract.currency } : null,
    latency,
    tenants: { probed: [...tenants].filter(([, p]) => p).map(([t]) => t).sort(), covered: [...tenants].filter(([, p]) => !p).map(([t]) => t).sort() },
    calendarMissing: [...new Set(report.series.flatMap((s) => s.calendarMissingLabels))],
    calendarIncomplete: report.calendarIncomplete,
    series: report.series.map((s) => ({ journey: s.journey, target: s.target, tenant: s.tenant, probed: s.probed, raw: s.raw, corrected: s.corrected, schedule: scheduleOutput(s.slots) })),
    schedule: scheduleOutput(report.slots),
    locations: Object.values(report.slots.byLocation).map((l) => ({ ...l, reachabilityPercent: reachabilityPercent([l]) })),
    reachabilityPercent: reachabilityPercent(Object.values(report.slots.byLocation).filter((l) => l.kind === 'reference')),
    ...(opts.byTenant ? { byTenant: poolByTenant(report.series, clause.targetPercent).map((t) => ({ tenant: t.tenant, probed: t.probed, raw: t.raw, corrected: t.corrected, schedule: scheduleOutput(t.slots) })) } : {}),
    maintenanceWindows: [...windows]
      .sort((a, b) => a.start - b.start || a.windowId.localeCompare(b.windowId))
      .map((o) => ({ id: o.windowId, mode: o.mode, start: iso(o.start), end: iso(o.end), announcedAt: o.storedAnnouncedAt === null ? null : iso(o.storedAnnouncedAt), noticeMinutes: clause.noticePeriod / 60, late: o.late, excluded: !o.late })),
  });
}

/** The SLA report: the JSON of `vigie sla --format json` and of `GET /api/v1/sla`. Instants ISO, minutes numbers. */
export interface SlaReport {
  contract: { id: string; name: string | null; provider: string | null; timezone: string; currency: string };
  period: { label: string; from: string; to: string };
  generatedAt: string;
  /** Revisions read (ids), oldest first. */
  revisions: number[];
  clauses: ClauseOutput[];
  /**
   * The establishments of the contract's targets in the period's revisions (only the requested one with `tenant`), in
   * UAI order: their name, target, and when they first appeared in a stored revision (ISO; null if never stored).
   */
  tenants: { uai: string; name: string; target: string; monitoredSince: string | null }[];
  corrections: StoredCorrection[];
  /** Declared by hand: shown in the chronology, never in the figures. */
  incidents: ManualIncident[];
}
