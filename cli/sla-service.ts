import { contractSchema, type ClauseConfig, type ContractConfig } from '../core/config/contract.js';
import type { VigieConfig } from '../core/config/schema.js';
import { localBuckets } from '../core/calendar/buckets.js';
import { localDate, wallClockToUtc } from '../core/calendar/local-time.js';
import type { SchoolCalendar } from '../core/calendar/school-calendar.js';
import { isVigieError, VigieError } from '../core/errors.js';
import { toSlotSchedule, type SlotSchedule } from '../core/slots.js';
import {
  computeClauseReport,
  computeLatency,
  computePenalties,
  contractYearOf,
  computeSlotStates,
  currentState,
  expectedSlots,
  resolveWindowOccurrences,
  windowApplies,
  type ClauseSeriesInput,
  type Correction,
  type LocationRef,
  type ScheduleRevisionSpan,
  type SlotStates,
} from '../core/sla/index.js';
import { computeFigures, sumMinutes } from '../core/sla/index.js';
import { normalizeCalendarLocation, windowKey, type ConfigRevision, type ManualIncident, type SlaRun, type Store, type StoredCorrection } from '../db/index.js';
import { calendarsByLocation, SHIPPED_CALENDAR_DIR } from './sla-calendars.js';
import { resolvePeriod, type PeriodSpec } from './sla-period.js';
import { round4, toClauseOutput, type ClauseOutput } from './sla-output.js';

/** What the SLA service reads from the store. */
export type SlaStore = Pick<
  Store,
  'listRevisionsInForce' | 'latestRevision' | 'firstSeenTimes' | 'listScheduledRuns' | 'listPassingRunSteps' | 'listPauses' | 'listSchoolCalendars' | 'listCorrections' | 'listIncidents'
>;

/** An SLA request (`vigie sla`, `GET /api/v1/sla`). */
export interface SlaRequest {
  contract: string;
  period: PeriodSpec;
  tenant?: string;
  clause?: string;
}

/** The SLA report: the JSON of `vigie sla --format json` and of `GET /api/v1/sla`. Instants ISO, minutes numbers. */
export interface SlaReport {
  contract: { id: string; name: string | null; provider: string | null; timezone: string; currency: string };
  period: { label: string; from: string; to: string };
  generatedAt: string;
  /** Revisions read (ids), oldest first. */
  revisions: number[];
  clauses: ClauseOutput[];
  corrections: StoredCorrection[];
  /** Declared by hand: shown in the chronology, never in the figures. */
  incidents: ManualIncident[];
}

export interface SlaServiceOptions {
  /** Contracts of a `--config` file, preferred over the stored revisions' (schedules always come from revisions). */
  contracts?: readonly ContractConfig[];
  /** Folder of shipped calendars (default `data/calendrier-scolaire`); null to use imported ones only. */
  calendarDir?: string | null;
  /** Internal: do not compute the earlier months of the contract year (the yearly cap's running total). */
  skipPriorYear?: boolean;
}

interface ScheduleInfo {
  id: string;
  journey: string;
  tenant: string;
  target: string;
  departement: string;
  zone: string;
  probed: boolean;
  locations: LocationRef[];
  spans: ScheduleRevisionSpan[];
  /** Longest slot, ms: runs are fetched from `from − this`. */
  maxSlotMs: number;
}

function slotLengthMs(s: SlotSchedule): number {
  // A cron slot of a day or more is a calendar duration: up to an hour longer on the autumn DST night.
  return s.intervalSeconds * 1000 + (s.kind === 'cron' ? 3_600_000 : 0);
}

/** The schedules of the revisions in force, each with its spans (when each revision's version of it was in force). */
function schedulesOf(revisions: readonly ConfigRevision[]): Map<string, ScheduleInfo> {
  const out = new Map<string, ScheduleInfo>();
  revisions.forEach((rev, i) => {
    const config = rev.snapshot as VigieConfig;
    const from = Date.parse(rev.createdAt);
    const to = i + 1 < revisions.length ? Date.parse(revisions[i + 1].createdAt) : null;
    for (const s of config.schedules ?? []) {
      const tenant = config.tenants.find((t) => t.uai === s.tenant);
      if (!tenant) continue;
      const info: ScheduleInfo = out.get(s.id) ?? { id: s.id, journey: s.journey, tenant: s.tenant, target: tenant.target, departement: tenant.departement, zone: tenant.zone, probed: tenant.probed, locations: [], spans: [], maxSlotMs: 0 };
      // The latest revision's version describes the series; each revision contributes its slots.
      Object.assign(info, { journey: s.journey, tenant: s.tenant, target: tenant.target, departement: tenant.departement, zone: tenant.zone, probed: tenant.probed });
      const locs = config.locations ?? [{ id: 'local', kind: 'reference' }];
      info.locations = s.locations.map((id) => ({ id, kind: locs.find((l) => l.id === id)?.kind ?? 'reference' }));
      if (s.enabled !== false) {
        const schedule = toSlotSchedule(s, config.timezone);
        info.spans.push({ schedule, from, to });
        info.maxSlotMs = Math.max(info.maxSlotMs, slotLengthMs(schedule));
      }
      out.set(s.id, info);
    }
  });
  return out;
}

function findContract(id: string, revisions: readonly ConfigRevision[], given?: readonly ContractConfig[]): ContractConfig {
  const fromGiven = given?.find((c) => c.id === id);
  if (fromGiven) return fromGiven;
  for (const rev of [...revisions].reverse()) {
    const c = ((rev.snapshot as VigieConfig).contracts ?? []).find((x) => x.id === id);
    if (c) return contractSchema.parse(c);
  }
  const known = new Set([...(given ?? []).map((c) => c.id), ...revisions.flatMap((r) => ((r.snapshot as VigieConfig).contracts ?? []).map((c) => c.id))]);
  const list = known.size ? `connus / known: ${[...known].join(', ')}` : 'aucun contrat dans la configuration / no contract in the config (contracts:)';
  throw new VigieError('NOT_FOUND', `contrat inconnu / unknown contract "${id}" (${list})`);
}

const toCorrection = (c: StoredCorrection): Correction => ({ id: String(c.id), start: c.start, end: c.end, reason: c.reason, author: c.author, createdAt: c.createdAt, withdrawnAt: c.withdrawnAt, scope: c.scope });

/**
 * Computes the SLA report of a contract over a period (core/sla README "Wiring a month"): revisions in force, runs,
 * pauses, school calendars (imported, else shipped), corrections; then per clause the engine's report, and penalties
 * per local month from the corrected availability and the month's outage episodes.
 * @throws VigieError `VALIDATION` (bad period), `NOT_FOUND` (no revision, unknown contract, clause or tenant).
 */
export async function computeSlaReport(store: SlaStore, req: SlaRequest, now: Date, opts: SlaServiceOptions = {}): Promise<SlaReport> {
  // The contract's zone decides the period: read it from the latest revision (or the given contracts) first.
  const latest = await store.latestRevision();
  if (!latest && !opts.contracts) throw new VigieError('NOT_FOUND', 'aucune révision de configuration enregistrée / no stored config revision (vigie start or vigie import --config first)');
  const contract0 = findContract(req.contract, latest ? [latest] : [], opts.contracts);
  const period = resolvePeriod(req.period, contract0.timezone);
  const revisions = await store.listRevisionsInForce(new Date(period.from), new Date(period.to));
  if (revisions.length === 0) throw new VigieError('NOT_FOUND', `aucune révision de configuration avant / no config revision before ${new Date(period.to).toISOString()}`);
  const contract = findContract(req.contract, revisions, opts.contracts);
  const clauses = req.clause ? contract.clauses.filter((c) => c.id === req.clause) : contract.clauses;
  if (clauses.length === 0) throw new VigieError('NOT_FOUND', `clause inconnue / unknown clause "${req.clause}" (${contract.clauses.map((c) => c.id).join(', ')})`);
  const zone = contract.timezone;
  const { from, to } = period;
  const nowMs = now.getTime();

  const schedules = [...schedulesOf(revisions).values()].filter(
    (s) => (!req.tenant || s.tenant === req.tenant) && (!contract.targets || contract.targets.includes(s.target)) && clauses.some((c) => c.journeys.includes(s.journey)),
  );
  if (req.tenant && schedules.length === 0) throw new VigieError('NOT_FOUND', `aucune planification pour l'établissement / no schedule for tenant ${req.tenant}`);
  const lead = Math.max(0, ...schedules.map((s) => s.maxSlotMs));
  const [runs, pauses, seen, stored, corrections, incidents] = await Promise.all([
    store.listScheduledRuns(schedules.map((s) => s.id), new Date(from - lead), new Date(to)),
    store.listPauses({ from: new Date(from - lead), to: new Date(to) }),
    store.firstSeenTimes(),
    store.listSchoolCalendars(),
    store.listCorrections({ from: new Date(from), to: new Date(to) }),
    store.listIncidents({ from: new Date(from), to: new Date(to) }),
  ]);
  const calendars = calendarsByLocation(stored, opts.calendarDir === undefined ? SHIPPED_CALENDAR_DIR : opts.calendarDir);
  const runsBySchedule = groupBy(runs, (r) => r.scheduleId);
  const slotsBySchedule = new Map(schedules.map((s) => [s.id, expectedSlots(s.spans, from, to)]));
  const announced = contract.maintenance.map((window) => ({ window, announcedAt: seen.windows.get(windowKey(contract.id, window)) ?? nowMs }));

  // Yearly caps need what was owed earlier in the contract year: compute the statement from the year's start.
  let prior: SlaReport | null = null;
  if (!opts.skipPriorYear && clauses.some((c) => c.penalties.yearlyCap !== undefined)) {
    const year = contractYearOf(localDate(from, zone).slice(0, 7), contract.startDate);
    const yearStartDate = `${Number(contract.startDate.slice(0, 4)) + year - 1}${contract.startDate.slice(4)}`;
    if (year >= 1 && wallClockToUtc(yearStartDate, '00:00', zone) < from) {
      // No revision yet at the year's start: nothing was measured, nothing owed.
      prior = await computeSlaReport(store, { ...req, period: { from: yearStartDate, to: new Date(from).toISOString() } }, now, { ...opts, skipPriorYear: true }).catch((err: unknown) => {
        if (isVigieError(err, 'NOT_FOUND')) return null;
        throw err;
      });
    }
  }

  const clauseOutputs: ClauseOutput[] = [];
  for (const clause of clauses) {
    const occurrences = resolveWindowOccurrences(announced, from - lead, to, zone, clause.noticePeriod);
    const series: ClauseSeriesInput[] = [];
    for (const s of schedules.filter((x) => clause.journeys.includes(x.journey))) {
      const firstSeen = Math.max(seen.tenants.get(s.tenant) ?? -Infinity, seen.schedules.get(s.id) ?? -Infinity);
      const states = computeSlotStates({
        slots: slotsBySchedule.get(s.id)!,
        locations: s.locations,
        runs: runsBySchedule.get(s.id) ?? [],
        pauses: pauses.filter((p) => p.scheduleId === s.id).map((p) => ({ start: p.pausedAt, end: p.resumedAt })),
        firstSeen: Number.isFinite(firstSeen) ? firstSeen : null,
        windows: occurrences.filter((o) => windowApplies(contract.maintenance.find((w) => w.id === o.windowId)!.scope, s)),
        from,
        to,
        now: nowMs,
      });
      const schoolCalendar: SchoolCalendar | null = calendars.get(normalizeCalendarLocation(s.zone)) ?? null;
      series.push({ journey: s.journey, target: s.target, tenant: s.tenant, probed: s.probed, calendar: { departement: s.departement, schoolCalendar }, states });
    }
    const input = { clause, zone, now: nowMs, series, corrections: corrections.map(toCorrection) };
    const report = computeClauseReport({ ...input, from, to });
    // Latency over the clause's service hours only: a Sunday run is no sample of a school-hours objective.
    const countedBySeries = new Map(report.series.map((r) => [`${r.journey}|${r.target}|${r.tenant}`, r.counted]));
    const latency = await latencyOf(store, clause, schedules, runsBySchedule, from, Math.min(to, nowMs), (s) => countedBySeries.get(`${s.journey}|${s.target}|${s.tenant}`) ?? []);
    const priorTotals = prior?.clauses.find((c) => c.id === clause.id)?.penalties?.yearTotals ?? {};
    clauseOutputs.push(toClauseOutput(clause, contract, report, penaltiesOf(clause, contract, input, from, to, priorTotals), latency));
  }
  return {
    contract: { id: contract.id, name: contract.name ?? null, provider: contract.provider ?? null, timezone: zone, currency: contract.currency },
    period: { label: period.label, from: new Date(from).toISOString(), to: new Date(to).toISOString() },
    generatedAt: now.toISOString(),
    revisions: revisions.map((r) => r.id),
    clauses: clauseOutputs,
    corrections,
    incidents,
  };
}

/**
 * Penalties per local month of the period (a month cut by the period is computed on its part in the period), with
 * the yearly cap applied to the running total of the contract year (`priorYearTotals`: months before the period).
 */
function penaltiesOf(
  clause: ClauseConfig,
  contract: ContractConfig,
  input: Omit<Parameters<typeof computeClauseReport>[0], 'from' | 'to'>,
  from: number,
  to: number,
  priorYearTotals: Readonly<Record<number, number>>,
) {
  const p = clause.penalties;
  if (p.availabilityTiers.length === 0 && p.gtr.length === 0) return null;
  const months = localBuckets(from, Math.min(to, Number(input.now)), 'month', contract.timezone).map((b) => {
    const start = Math.max(from, b.start);
    const end = Math.min(to, b.end);
    const r = computeClauseReport({ ...input, from: start, to: end });
    return {
      month: b.label,
      availabilityPercent: r.corrected.figures.availabilityPercent,
      episodes: r.episodes.filter((e) => e.start >= start && e.start < end),
    };
  });
  return computePenalties(p, months, contract.startDate, priorYearTotals);
}

/** Whether `t` falls in one of the sorted, disjoint intervals (binary search: runs × intervals would be slow). */
function inIntervals(list: readonly { start: number; end: number }[], t: number): boolean {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].end <= t) lo = mid + 1;
    else if (list[mid].start > t) hi = mid - 1;
    else return true;
  }
  return false;
}

function groupBy<T>(list: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of list) {
    const k = key(item);
    const arr = out.get(k);
    if (arr) arr.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/**
 * Latency objectives of a clause (DESIGN.md §5 "Latency objective"): per journey with an objective, passing runs of
 * the scope's schedules with a slot in `[from, to)` (every location), and the passed steps of their last attempt.
 */
async function latencyOf(
  store: SlaStore,
  clause: ClauseConfig,
  schedules: readonly ScheduleInfo[],
  runsBySchedule: Map<string, SlaRun[]>,
  from: number,
  to: number,
  countedOf: (s: ScheduleInfo) => readonly { start: number; end: number }[],
) {
  const out: Record<string, ReturnType<typeof computeLatency>> = {};
  for (const [journey, objective] of Object.entries(clause.latency)) {
    if (!clause.journeys.includes(journey)) continue;
    const mine = schedules.filter((s) => s.journey === journey);
    const ids = mine.map((s) => s.id);
    const inHours = new Map(mine.map((s) => [s.id, countedOf(s)]));
    const counted = (id: string, t: number) => inIntervals(inHours.get(id) ?? [], t);
    const names = Object.keys(objective.steps ?? {});
    const steps = names.length > 0 && to > from ? await store.listPassingRunSteps(ids, names, new Date(from), new Date(to)) : [];
    const stepsByRun = groupBy(steps, (s) => `${s.scheduleId}|${s.location}|${s.scheduledAt}`);
    const samples = ids.flatMap((id) =>
      (runsBySchedule.get(id) ?? [])
        .filter((r) => r.scheduledAt >= from && r.scheduledAt < to && counted(id, r.scheduledAt))
        .map((r) => ({ status: r.status, durationMs: r.durationMs, steps: stepsByRun.get(`${id}|${r.location}|${r.scheduledAt}`) ?? [] })),
    );
    out[journey] = computeLatency(samples, objective);
  }
  return out;
}

/** One row of `GET /api/v1/status`. */
export interface StatusRow {
  journey: string;
  tenant: string;
  target: string;
  schedule: string;
  state: string | null;
  since: string | null;
  lastSlotStart: string | null;
  /** Last 24 hours, every minute counted (24/7), every party: the measured picture, not a contract figure. */
  availability24hPercent: number | null;
  coverage24hPercent: number | null;
}

/** Current state and last-24-hours availability per tenant × journey (schedules of the latest revision). */
export async function computeStatus(store: SlaStore, now: Date): Promise<{ generatedAt: string; rows: StatusRow[] }> {
  const to = now.getTime();
  const from = to - 24 * 3_600_000;
  const revisions = await store.listRevisionsInForce(new Date(from), new Date(to));
  if (revisions.length === 0) return { generatedAt: now.toISOString(), rows: [] };
  const schedules = [...schedulesOf(revisions).values()];
  const lead = Math.max(0, ...schedules.map((s) => s.maxSlotMs));
  const [runs, pauses, seen] = await Promise.all([
    store.listScheduledRuns(schedules.map((s) => s.id), new Date(from - lead), new Date(to)),
    store.listPauses({ from: new Date(from - lead), to: new Date(to) }),
    store.firstSeenTimes(),
  ]);
  const runsBySchedule = groupBy<SlaRun>(runs, (r) => r.scheduleId);
  const rows = schedules.map((s): StatusRow => {
    const firstSeen = Math.max(seen.tenants.get(s.tenant) ?? -Infinity, seen.schedules.get(s.id) ?? -Infinity);
    const states: SlotStates = computeSlotStates({
      slots: expectedSlots(s.spans, from, to),
      locations: s.locations,
      runs: runsBySchedule.get(s.id) ?? [],
      pauses: pauses.filter((p) => p.scheduleId === s.id).map((p) => ({ start: p.pausedAt, end: p.resumedAt })),
      firstSeen: Number.isFinite(firstSeen) ? firstSeen : null,
      from,
      to,
      now: to,
    });
    const end = states.pendingFrom ?? to;
    const sums = sumMinutes(states.timeline, [{ start: from, end }], { parties: ['provider', 'educonnect', 'academie-idp', 'establishment-network', 'vigie'] });
    const figures = computeFigures(sums);
    let current: { state: string | null; since: number | null; lastSlotStart: number | null } = currentState(states.slots);
    // A run whose slot is not an expected slot yet (the slot running when the first revision was stored, e.g. the
    // first 5-minute slot of a fresh `vigie start`) still tells the current state: without it such rows said null.
    const latest = (runsBySchedule.get(s.id) ?? []).filter((r) => r.scheduledAt >= from && r.scheduledAt <= to).reduce<SlaRun | null>((a, r) => (!a || r.scheduledAt > a.scheduledAt ? r : a), null);
    if (latest && (current.lastSlotStart === null || latest.scheduledAt > current.lastSlotStart)) {
      current = { state: latest.status, since: current.state === latest.status ? current.since : latest.scheduledAt, lastSlotStart: latest.scheduledAt };
    }
    const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
    const pct = (v: number | null) => (v === null ? null : round4(v));
    return { journey: s.journey, tenant: s.tenant, target: s.target, schedule: s.id, state: current.state, since: iso(current.since), lastSlotStart: iso(current.lastSlotStart), availability24hPercent: pct(figures.availabilityPercent), coverage24hPercent: pct(figures.coveragePercent) };
  });
  return { generatedAt: now.toISOString(), rows: rows.sort((a, b) => a.tenant.localeCompare(b.tenant) || a.journey.localeCompare(b.journey)) };
}
