import type { ClauseConfig, ContractConfig } from '../core/config/contract.js';
import { localBuckets } from '../core/calendar/buckets.js';
import { intersect, type Interval } from '../core/calendar/intervals.js';
import { localDate, wallClockToUtc } from '../core/calendar/local-time.js';
import { VigieError } from '../core/errors.js';
import { formatLocalTime } from '../core/text-format.js';
import {
  computeFigures,
  computePenalties,
  computeSeriesReport,
  contractYearOf,
  createCountedCache,
  detectOutageEpisodes,
  finalizeSlotStates,
  poolSeriesReports,
  poolSums,
  resolveWindowOccurrences,
  restrictSlotStates,
  sumMinutes,
  windowApplies,
  type BaseSlotStates,
  type Correction,
  type CountedCache,
  type MinuteSums,
  type OutageEpisode,
  type PenaltyMonth,
  type PenaltyStatement,
  type SeriesReport,
  type WindowOccurrence,
} from '../core/sla/index.js';
import { windowKey, type CorrectionRepository, type ManualIncidentRepository, type StoredCorrection } from '../db/index.js';
import { createLatencyAccumulator, type LatencyAccumulator } from './latency.js';
import { loadSeries, type EngineSources, type Series } from './load-series.js';
import { createDailyAccumulator, type DailyAccumulator } from './daily.js';
import { roundPercentsInPlace, toClauseOutput, type ClauseOutput, type SlaReport } from './output.js';
import { resolvePeriod, type PeriodSpec } from './period.js';
import { findContract, presentDuring, revisionsDuring, type ParsedRevision } from './revisions.js';

/** What the SLA report reads: the series sources, plus corrections and manual incidents. */
export interface SlaSources extends EngineSources {
  corrections: Pick<CorrectionRepository, 'list'>;
  incidents: Pick<ManualIncidentRepository, 'list'>;
}

/** An SLA request (`vigie sla`, `GET /api/v1/sla`). */
export interface SlaRequest {
  contract: string;
  period: PeriodSpec;
  tenant?: string;
  clause?: string;
  /** `tenant`: each clause also gives each establishment's pooled figures (`byTenant`). */
  by?: 'tenant';
  /** Each clause also gives its figures day by day (`daily`, engine/daily.ts): reports' daily table and heat map. */
  daily?: boolean;
}

/** Options of {@link computeSlaReport}. */
export interface SlaReportOptions {
  /** Contracts of a `--config` file, preferred over the stored revisions' (schedules always come from revisions). */
  contracts?: readonly ContractConfig[];
}

const toCorrection = (c: StoredCorrection): Correction => ({ id: String(c.id), start: c.start, end: c.end, reason: c.reason, author: c.author, createdAt: c.createdAt, withdrawnAt: c.withdrawnAt, scope: c.scope });

/** One local month of one clause: pooled corrected sums and the episodes that started in it (penalties). */
interface MonthAccumulator {
  label: string;
  start: number;
  end: number;
  sums: MinuteSums[];
  episodes: OutageEpisode[];
}

/** Everything one clause collects while the series stream by. */
interface ClauseAccumulator {
  clause: ClauseConfig;
  counted: CountedCache;
  priorCounted: CountedCache | null;
  occurrences: WindowOccurrence[];
  /** Occurrences that applied to a series of the period, keyed `id@start` (the output's `maintenanceWindows`). */
  applied: Map<string, WindowOccurrence>;
  series: SeriesReport[];
  months: MonthAccumulator[];
  priorMonths: MonthAccumulator[];
  latency: LatencyAccumulator;
  daily: DailyAccumulator | null;
}

/**
 * Computes the SLA report of a contract over a period (core/sla README "Wiring a month", DESIGN.md §5): the revisions
 * in force, then each series' slot states built once ({@link loadSeries}) and, per clause, its maintenance windows,
 * minute sums raw and corrected, data gaps, outage episodes, latency, and penalties per local month. A clause with a
 * yearly cap needs what was owed earlier in the contract year: the same load covers the year's earlier months, so no
 * month is computed twice.
 * @throws VigieError `VALIDATION` (bad period), `NOT_FOUND` (no revision, unknown contract, clause or tenant),
 *   `CONFIG` (a stored revision that does not parse).
 */
export async function computeSlaReport(sources: SlaSources, req: SlaRequest, now: Date, opts: SlaReportOptions = {}): Promise<SlaReport> {
  // The contract's zone decides the period: read it from the latest revision (or the given contracts) first.
  const latest = await sources.revisions.latest();
  if (!latest && !opts.contracts) throw new VigieError('NOT_FOUND', 'aucune révision de configuration enregistrée / no stored config revision (vigie start or vigie import --config first)');
  const contract0 = findContract(req.contract, latest ? [latest] : [], opts.contracts);
  const period = resolvePeriod(req.period, contract0.timezone);
  const { from, to } = period;
  const nowMs = now.getTime();
  // A period wholly ahead has nothing to report; computed anyway, its effective end (now) came before its start.
  if (from >= nowMs) throw new VigieError('VALIDATION', `la période ${period.label} commence dans le futur / the period ${period.label} starts in the future (${formatLocalTime(from, contract0.timezone)})`);
  const periodRevisions = await sources.revisions.inForce(from, to);
  if (periodRevisions.length === 0) throw new VigieError('NOT_FOUND', `aucune révision de configuration avant / no config revision before ${new Date(to).toISOString()}`);
  const contract = findContract(req.contract, periodRevisions, opts.contracts);
  const clauses = req.clause ? contract.clauses.filter((c) => c.id === req.clause) : contract.clauses;
  if (clauses.length === 0) throw new VigieError('NOT_FOUND', `clause inconnue / unknown clause "${req.clause}" (${contract.clauses.map((c) => c.id).join(', ')})`);
  const zone = contract.timezone;

  // Yearly caps need the contract year's earlier months: load from the year's start (if anything was configured then).
  const priorFrom = clauses.some((c) => c.penalties.yearlyCap !== undefined) ? contractYearStart(contract, from) : null;
  const loadFrom = priorFrom ?? from;
  const loaded = await loadSeries(sources, { from: loadFrom, to, now: nowMs }, { tenant: req.tenant, targets: contract.targets, journeys: [...new Set(clauses.flatMap((c) => c.journeys))] });
  const inPeriod = (s: Series) => presentDuring(s.info, from, to);
  if (req.tenant && !loaded.schedules.some((s) => presentDuring(s, from, to))) throw new VigieError('NOT_FOUND', `aucune planification pour l'établissement / no schedule for tenant ${req.tenant}`);
  const hasPrior = priorFrom !== null && revisionsDuring(loaded.revisions, priorFrom, from).length > 0;

  const [stored, incidents] = await Promise.all([sources.corrections.list({ from: new Date(from), to: new Date(to) }), sources.incidents.list({ from: new Date(from), to: new Date(to) })]);
  const corrections = stored.map(toCorrection);
  const lead = Math.max(0, ...loaded.schedules.map((s) => s.maxSlotMs));
  // A window never stored in a revision (only in a --config file) has no announcement: it counts as announced now.
  const storedAnnouncement = new Map(contract.maintenance.map((w) => [w.id, loaded.firstSeen.windows.get(windowKey(contract.id, w)) ?? null]));
  const announced = contract.maintenance.map((window) => ({ window, announcedAt: storedAnnouncement.get(window.id) ?? nowMs }));
  const months = (a: number, b: number) => localBuckets(a, Math.min(b, nowMs), 'month', zone).map((m) => ({ label: m.label, start: Math.max(a, m.start), end: Math.min(b, m.end), sums: [], episodes: [] }));
  const accumulators: ClauseAccumulator[] = clauses.map((clause) => ({
    clause,
    counted: createCountedCache(clause, zone, from),
    priorCounted: hasPrior ? createCountedCache(clause, zone, loadFrom) : null,
    occurrences: resolveWindowOccurrences(announced, loadFrom - lead, to, zone, clause.noticePeriod),
    applied: new Map(),
    series: [],
    months: months(from, to),
    priorMonths: hasPrior ? months(loadFrom, from) : [],
    latency: createLatencyAccumulator(clause),
    daily: req.daily ? createDailyAccumulator(from, Math.min(to, nowMs), zone, clause.parties) : null,
  }));
  const stepNames = [...new Set(clauses.flatMap((c) => Object.values(c.latency).flatMap((o) => Object.keys(o.steps ?? {}))))];
  const end = Math.min(to, nowMs);
  const scopeOf = new Map(contract.maintenance.map((w) => [w.id, w.scope]));

  for await (const s of loaded.series({ stepNames })) {
    const periodBase = inPeriod(s) ? restrictSlotStates(s.base, from, to) : null;
    const priorBase = hasPrior && presentDuring(s.info, loadFrom, from) ? restrictSlotStates(s.base, loadFrom, from) : null;
    for (const acc of accumulators) {
      if (!acc.clause.journeys.includes(s.info.journey)) continue;
      const windows = acc.occurrences.filter((o) => windowApplies(scopeOf.get(o.windowId) ?? {}, s.info));
      if (periodBase) {
        for (const o of windows) if (o.end > from && o.start < to) acc.applied.set(`${o.windowId}@${o.start}`, o);
        const report = seriesReport(acc, s, periodBase, windows, { from, to: end, counted: acc.counted });
        acc.series.push(report.report);
        addMonths(acc, acc.months, report, from, end);
        acc.latency.add(s, report.report.counted, from, end);
        acc.daily?.add(report.report, report.states.timeline);
      }
      if (priorBase && acc.priorCounted) {
        const report = seriesReport(acc, s, priorBase, windows, { from: loadFrom, to: Math.min(from, nowMs), counted: acc.priorCounted });
        addMonths(acc, acc.priorMonths, report, loadFrom, Math.min(from, nowMs));
      }
    }
  }

  function seriesReport(acc: ClauseAccumulator, s: Series, base: BaseSlotStates, windows: WindowOccurrence[], range: { from: number; to: number; counted: CountedCache }) {
    const states = finalizeSlotStates(base, windows);
    const report = computeSeriesReport(
      { clause: acc.clause, zone, from: range.from, to: range.to, now: nowMs, corrections, counted: range.counted },
      { journey: s.info.journey, target: s.info.target, tenant: s.info.tenant, probed: s.info.probed, calendar: s.calendar, states, locations: s.info.locations },
    );
    return { report, states };
  }

  /** The series' corrected sums and episodes of each month (one month spanning the whole range reuses the report's). */
  function addMonths(acc: ClauseAccumulator, list: MonthAccumulator[], r: ReturnType<typeof seriesReport>, a: number, b: number): void {
    for (const m of list) {
      if (list.length === 1 && m.start <= a && m.end >= b) {
        m.sums.push(r.report.corrected.sums);
        m.episodes.push(...r.report.episodes);
        continue;
      }
      const counted: Interval[] = intersect(r.report.counted, [{ start: m.start, end: m.end }]);
      m.sums.push(sumMinutes(r.states.timeline, counted, { parties: acc.clause.parties, corrections: r.report.corrections }));
      m.episodes.push(...detectOutageEpisodes(r.states.slots, { journey: r.report.journey, counted, parties: acc.clause.parties, severity: acc.clause.severity }).filter((e) => e.start >= m.start && e.start < m.end));
    }
  }

  const clauseOutputs: ClauseOutput[] = accumulators.map((acc) => {
    const report = poolSeriesReports(acc.clause, from, end, acc.series);
    const prior = acc.priorMonths.length > 0 ? penaltiesOf(acc.clause, contract, acc.priorMonths, {}) : null;
    const penalties = penaltiesOf(acc.clause, contract, acc.months, prior?.yearTotals ?? {});
    const windows = [...acc.applied.values()].map((o) => ({ ...o, storedAnnouncedAt: storedAnnouncement.get(o.windowId) ?? null }));
    const output: ClauseOutput = toClauseOutput(acc.clause, contract, report, penalties, acc.latency.figures(), windows, { byTenant: req.by === 'tenant' });
    if (acc.daily) output.daily = roundPercentsInPlace(acc.daily.output(acc.clause.targetPercent));
    // The clause's series reports are in its output now: let them go before the next clause is shaped.
    acc.series = [];
    acc.months = [];
    acc.priorMonths = [];
    return output;
  });
  return {
    contract: { id: contract.id, name: contract.name ?? null, provider: contract.provider ?? null, timezone: zone, currency: contract.currency },
    period: { label: period.label, from: new Date(from).toISOString(), to: new Date(to).toISOString() },
    generatedAt: now.toISOString(),
    revisions: revisionsDuring(loaded.revisions, from, to).map((r) => r.id),
    clauses: clauseOutputs,
    tenants: tenantsOf(loaded.revisions, contract.targets, loaded.firstSeen.tenants, req.tenant),
    corrections: stored,
    incidents,
  };
}

/**
 * The establishments of the contract's targets (all targets when it names none) in the period's revisions (or only `tenant`), in UAI order: name as in
 * the latest revision that lists them, and when they first appeared in any revision ("surveillé depuis").
 */
function tenantsOf(revisions: readonly ParsedRevision[], targets: readonly string[] | undefined, firstSeen: ReadonlyMap<string, number>, only?: string): SlaReport['tenants'] {
  const byUai = new Map<string, { uai: string; name: string; target: string }>();
  for (const r of revisions) for (const t of r.config.tenants) if ((targets === undefined || targets.includes(t.target)) && (only === undefined || t.uai === only)) byUai.set(t.uai, { uai: t.uai, name: t.name, target: t.target });
  return [...byUai.values()]
    .sort((a, b) => a.uai.localeCompare(b.uai))
    .map((t) => {
      const since = firstSeen.get(t.uai);
      return { ...t, monitoredSince: since === undefined ? null : new Date(since).toISOString() };
    });
}

/** Start of the contract year holding `from`, when it lies before `from` (a yearly cap's running total); else null. */
function contractYearStart(contract: ContractConfig, from: number): number | null {
  const year = contractYearOf(localDate(from, contract.timezone).slice(0, 7), contract.startDate);
  if (year < 1) return null;
  const yearStartDate = `${Number(contract.startDate.slice(0, 4)) + year - 1}${contract.startDate.slice(4)}`;
  const start = wallClockToUtc(yearStartDate, '00:00', contract.timezone);
  return start < from ? start : null;
}

/** The penalty statement of a clause over its months (null when the clause has no penalty rule). */
function penaltiesOf(clause: ClauseConfig, contract: ContractConfig, months: readonly MonthAccumulator[], priorYearTotals: Readonly<Record<number, number>>): PenaltyStatement | null {
  const p = clause.penalties;
  if (p.availabilityTiers.length === 0 && p.gtr.length === 0) return null;
  const list: PenaltyMonth[] = months.map((m) => ({ month: m.label, availabilityPercent: computeFigures(poolSums(m.sums)).availabilityPercent, episodes: m.episodes }));
  return computePenalties(p, list, contract.startDate, priorYearTotals);
}
