import type { TenantCalendar } from '../core/calendar/clause-calendar.js';
import { computeBaseSlotStates, expectedSlotRanges, type BaseSlotStates, type PauseInterval } from '../core/sla/index.js';
import { normalizeCalendarLocation, type FirstSeenTimes, type PauseRepository, type RevisionRepository, type RunRepository, type SlaRun, type SlaStep } from '../db/index.js';
import type { CalendarSource } from './calendars.js';
import { schedulesOf, type ParsedRevision, type RevisionReader, type SeriesInfo } from './revisions.js';

/**
 * What the engine reads, and the caches it keeps between requests (parsed revisions, parsed calendars). Built once
 * per process by `createEngine` (engine.ts); every computation goes through {@link loadSeries}.
 */
export interface EngineSources {
  revisions: RevisionReader;
  firstSeenTimes: RevisionRepository['firstSeenTimes'];
  runs: Pick<RunRepository, 'listScheduled' | 'listPassingSteps'>;
  pauses: Pick<PauseRepository, 'list'>;
  calendars: CalendarSource;
}

/** The period a computation reads, epoch ms: `[from, to)`, evaluated at `now` (nothing after it counts). */
export interface SeriesPeriod {
  from: number;
  to: number;
  now: number;
}

/** Which series to load; absent fields match everything. */
export interface SeriesFilter {
  tenant?: string;
  /** A contract's targets. */
  targets?: readonly string[];
  /** The journeys of the clauses asked for. */
  journeys?: readonly string[];
}

/** One series (a schedule: journey × target × tenant) with its slot states over the period, computed once. */
export interface Series {
  info: SeriesInfo;
  /** When the tenant or the schedule first appeared in a revision (the later of both), epoch ms; null if never. */
  firstSeen: number | null;
  calendar: TenantCalendar;
  /** Slot states before maintenance windows (each clause applies its own: `finalizeSlotStates`). */
  base: BaseSlotStates;
  /** The schedule's scheduled runs with a slot in `[from − longest slot, to)`, in slot order. */
  runs: readonly SlaRun[];
  /** Steps of passing runs with a slot in `[from, to)` named in `stepNames` (latency per step); empty otherwise. */
  steps: readonly SlaStep[];
  /** The schedule's operator pauses overlapping the period (freshness: a paused slot is not silence). */
  pauses: readonly PauseInterval[];
}

/** The result of {@link loadSeries}: what every series shares, and the series themselves, streamed. */
export interface LoadedSeries {
  period: SeriesPeriod;
  /** Revisions in force during the period, oldest first (empty: nothing was configured then). */
  revisions: ParsedRevision[];
  /** The series selected, in the order their schedules first appear in the revisions. */
  schedules: SeriesInfo[];
  firstSeen: FirstSeenTimes;
  /**
   * The series one at a time, in `schedules` order. Runs are read a chunk of schedules at a time (the next chunk is
   * fetched while the current one is computed), so memory stays bounded by a chunk, whatever the number of tenants.
   */
  series(opts?: { stepNames?: readonly string[] }): AsyncGenerator<Series>;
}

/**
 * Slots read per chunk: 200,000 slots are ~25 MB of runs in memory, and one query of that size keeps both the
 * database and the engine busy without either waiting long for the other.
 */
const CHUNK_SLOTS = 200_000;

/**
 * Builds each series' slot states once (DESIGN.md §4 `engine/`): the schedules of the revisions in force, their runs,
 * the operator pauses, first-seen times and calendars. Used by the SLA report, the current status and the slot
 * stream alike, so that they cannot disagree on a slot.
 */
export async function loadSeries(sources: EngineSources, period: SeriesPeriod, filter: SeriesFilter = {}): Promise<LoadedSeries> {
  const { from, to, now } = period;
  const revisions = await sources.revisions.inForce(from, to);
  const schedules = schedulesOf(revisions).filter(
    (s) => (!filter.tenant || s.tenant === filter.tenant) && (!filter.targets || filter.targets.includes(s.target)) && (!filter.journeys || filter.journeys.includes(s.journey)),
  );
  const lead = Math.max(0, ...schedules.map((s) => s.maxSlotMs));
  const [firstSeen, pauseList, calendars] = await Promise.all([
    sources.firstSeenTimes(),
    schedules.length > 0 ? sources.pauses.list({ from: new Date(from - lead), to: new Date(to) }) : Promise.resolve([]),
    schedules.length > 0 ? sources.calendars.byLocation() : Promise.resolve(new Map()),
  ]);
  const pausesBySchedule = new Map<string, PauseInterval[]>();
  for (const p of pauseList) {
    const list = pausesBySchedule.get(p.scheduleId) ?? [];
    list.push({ start: p.pausedAt, end: p.resumedAt });
    pausesBySchedule.set(p.scheduleId, list);
  }

  async function* series(opts: { stepNames?: readonly string[] } = {}): AsyncGenerator<Series> {
    const chunks = chunkSchedules(schedules, from - lead, to);
    const fetch = (chunk: SeriesInfo[]) => {
      const ids = chunk.map((s) => s.scheduleId);
      return Promise.all([
        sources.runs.listScheduled(ids, new Date(from - lead), new Date(to)),
        opts.stepNames && opts.stepNames.length > 0 && to > from ? sources.runs.listPassingSteps(ids, opts.stepNames, new Date(from), new Date(to)) : Promise.resolve([] as SlaStep[]),
      ]);
    };
    let next = chunks.length > 0 ? fetch(chunks[0]!) : null;
    try {
      for (let c = 0; c < chunks.length; c++) {
        const [runs, steps] = await next!;
        // Prefetch: the database reads the next chunk while this one is computed.
        next = c + 1 < chunks.length ? fetch(chunks[c + 1]!) : null;
        const runsBy = groupBy(runs, (r) => r.scheduleId);
        const stepsBy = groupBy(steps, (s) => s.scheduleId);
        for (const info of chunks[c]!) {
          const seen = Math.max(firstSeen.tenants.get(info.tenant) ?? -Infinity, firstSeen.schedules.get(info.scheduleId) ?? -Infinity);
          const mine = runsBy.get(info.scheduleId) ?? [];
          // Slots that end before first-seen are all `not_monitored`: leave them out (the minutes before first-seen are
          // not monitored whether a slot covers them or not: finalizeSlotStates fills them). A school year asked for
          // in December of a first year is then three months of slots, not twelve.
          // Nor are slots starting after `now` of any use (nothing after it counts): a school year of 10-second
          // slots asked for in December made 3 million future slots per series.
          const slots = expectedSlotRanges(info.spans, Number.isFinite(seen) ? Math.max(from, seen - info.maxSlotMs) : from, Math.min(to, now)).filter((sl) => !Number.isFinite(seen) || sl.end > seen);
          const base = computeBaseSlotStates({
            slots,
            locations: info.locations,
            runs: mine,
            pauses: pausesBySchedule.get(info.scheduleId) ?? [],
            firstSeen: Number.isFinite(seen) ? seen : null,
            from,
            to,
            now,
          });
          yield {
            info,
            firstSeen: Number.isFinite(seen) ? seen : null,
            calendar: { departement: info.departement, schoolCalendar: calendars.get(normalizeCalendarLocation(info.zone)) ?? null },
            base,
            runs: mine,
            steps: stepsBy.get(info.scheduleId) ?? [],
            pauses: pausesBySchedule.get(info.scheduleId) ?? [],
          };
        }
      }
    } finally {
      // A consumer that stops early (an error in a clause) leaves a prefetch in flight: its failure is not news.
      next?.catch(() => undefined);
    }
  }

  return { period, revisions, schedules, firstSeen, series };
}

/** Schedules cut into chunks of about {@link CHUNK_SLOTS} expected slots (interval × span × locations). */
export function chunkSchedules(schedules: readonly SeriesInfo[], from: number, to: number): SeriesInfo[][] {
  const out: SeriesInfo[][] = [];
  let current: SeriesInfo[] = [];
  let slots = 0;
  for (const s of schedules) {
    const interval = Math.min(...s.spans.map((sp) => sp.schedule.intervalSeconds * 1000), Infinity);
    const estimate = Number.isFinite(interval) ? ((to - from) / interval) * Math.max(1, s.locations.length) : 1;
    if (current.length > 0 && slots + estimate > CHUNK_SLOTS) {
      out.push(current);
      current = [];
      slots = 0;
    }
    current.push(s);
    slots += estimate;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Items grouped by a key, in their order. */
export function groupBy<T>(list: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of list) {
    const k = key(item);
    const arr = out.get(k);
    if (arr) arr.push(item);
    else out.set(k, [item]);
  }
  return out;
}
