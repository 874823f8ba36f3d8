import type { Party } from '../config/contract.js';
import type { FailureKind, RunStatus, SlotState } from '../run-types.js';
import { subtract, toMs } from '../calendar/intervals.js';
import type { WindowOccurrence } from './maintenance.js';
import { defaultParty, type Instant, type TimelineSegment } from './types.js';
import { overlay } from './timeline.js';

/** A probe location as configured: `reference` locations decide the contract state (DESIGN.md §5 "Locations"). */
export interface LocationRef {
  id: string;
  kind: 'reference' | 'in-school';
}

/** The part of a stored run the engine needs. */
export interface SlotRun {
  location: string;
  /** Slot start (the run's key). */
  scheduledAt: Instant;
  /** Final status as stored: thresholds are those of the revision the run ran under, so old runs keep their state. */
  status: RunStatus;
  kind?: FailureKind;
  /** Party a failure is attributed to; default from `kind` ({@link defaultParty}). */
  party?: Party;
}

/** An operator pause of the schedule; `end` null while still paused. */
export interface PauseInterval {
  start: Instant;
  end: Instant | null;
}

export interface SlotStatesInput {
  /** Slots of the revision's schedule over the period (from `slotsBetween`), tiling time, in order. */
  slots: readonly { start: Instant; end: Instant }[];
  /** Locations the schedule runs from. */
  locations: readonly LocationRef[];
  /** Scheduled runs of this schedule (manual runs excluded by the caller). */
  runs: readonly SlotRun[];
  pauses?: readonly PauseInterval[];
  /** When the tenant or schedule first appeared in a revision (the later of both): before it, `not_monitored`. */
  firstSeen?: Instant | null;
  /** Window occurrences that apply to this series ({@link resolveWindowOccurrences}, {@link windowApplies}). */
  windows?: readonly WindowOccurrence[];
  from: Instant;
  to: Instant;
  /** The evaluation instant: slots still open with no result are pending (left out); nothing after it counts. */
  now: Instant;
}

/** The state of one slot at one location. */
export interface LocationSlotState {
  state: SlotState;
  kind?: FailureKind;
  party?: Party;
}

/** One slot of one series: the contract state and the evidence per location. */
export interface SlotOutcome {
  start: number;
  end: number;
  /** Contract state (from reference locations), after windows. */
  state: SlotState;
  party?: Party;
  kind?: FailureKind;
  byLocation: Record<string, LocationSlotState>;
  /** Set when a late-announced pause window stopped probing: the slot counts as down. */
  lateWindow?: string;
}

export interface SlotStates {
  slots: SlotOutcome[];
  /** Minute-exact segments (windows and first-seen cut inside slots); uncovered time is "non planifié". */
  timeline: TimelineSegment[];
  /** Start of the first pending slot (open, no result yet), or null. */
  pendingFrom: number | null;
}

/**
 * The state of every slot of one series (journey × target × tenant) and its minute timeline (DESIGN.md §5 "Slot
 * states", "Locations", "Maintenance windows"):
 * - per location: the run's status, else `paused` when an operator pause covers the slot start, else `missed`
 *   (derived here, never stored);
 * - contract state from reference locations whose run ended up, degraded or down: `up`/`degraded` if one passed,
 *   `down` if all of them failed, otherwise unknown (`error`, `paused` or `missed`);
 * - a failure seen only in-school while a reference passed becomes `error` kind `local-network` at that location
 *   (party `establishment-network`), never counted against the provider;
 * - on-time windows make their minutes `maintenance` (exclude mode keeps the runs as evidence; pause mode had none);
 *   a late window is not excluded, and in pause mode its slots without a run count as `down`;
 * - before `firstSeen`: `not_monitored` (outside the period).
 */
export function computeSlotStates(input: SlotStatesInput): SlotStates {
  return finalizeSlotStates(computeBaseSlotStates(input), input.windows ?? []);
}

/**
 * The window-independent part of {@link computeSlotStates}: slot states from runs, pauses, locations and first-seen,
 * and the measured timeline (one segment per slot, before any overlay). A series' base is computed once; each clause
 * then applies its own maintenance windows with {@link finalizeSlotStates} (whether a window was announced in time
 * depends on the clause's notice period), and a sub-period is cut out with {@link restrictSlotStates}.
 * Slot objects are shared by the views built from a base: treat them as read-only.
 */
export interface BaseSlotStates {
  from: number;
  /** min(to, now): nothing after it counts. */
  end: number;
  /** When the tenant or schedule first appeared (-Infinity when unknown). */
  firstSeen: number;
  pendingFrom: number | null;
  /** Slot states before windows (`not_monitored` already applied to slots ending before first-seen). */
  slots: SlotOutcome[];
  /** Whether each slot (same index) had a run at one of the series' locations (late pause windows need it). */
  measured: boolean[];
  /** One segment per slot, clipped to `[from, end)`, with the measured contract state. */
  measuredTimeline: TimelineSegment[];
}

/** The slots, runs, pauses and first-seen part of {@link computeSlotStates} (no windows). */
export function computeBaseSlotStates(input: Omit<SlotStatesInput, 'windows'>): BaseSlotStates {
  const from = toMs(input.from);
  const now = toMs(input.now);
  const end = Math.min(toMs(input.to), now);
  const firstSeen = input.firstSeen == null ? -Infinity : toMs(input.firstSeen);
  const pauses = (input.pauses ?? []).map((p) => ({ start: toMs(p.start), end: p.end == null ? Infinity : toMs(p.end) }));
  const locations = input.locations;
  // location → slot start → run (the last one given wins; the store's unique key makes duplicates impossible).
  // One map per location: the common single-location series costs one lookup per slot, no map per slot.
  const runsAt = locations.map(() => new Map<number, SlotRun>());
  const locIndex = new Map(locations.map((l, i) => [l.id, i]));
  for (const run of input.runs) {
    const i = locIndex.get(run.location);
    if (i !== undefined) runsAt[i]!.set(toMs(run.scheduledAt), run);
  }
  const isRef = locations.map((l) => l.kind === 'reference');
  const single = locations.length === 1 ? locations[0]!.id : null;
  const singleRecords = new Map<LocationSlotState, Record<string, LocationSlotState>>(single ? SHARED_STATES.map((l) => [l, Object.freeze({ [single]: l })]) : []);
  const hasInSchool = locations.some((l) => l.kind === 'in-school');
  const hasPauses = pauses.length > 0;

  const slots: SlotOutcome[] = [];
  const measured: boolean[] = [];
  const timeline: TimelineSegment[] = [];
  let pendingFrom: number | null = null;
  const found: (SlotRun | undefined)[] = new Array(locations.length);
  for (const raw of input.slots) {
    const start = toMs(raw.start);
    const slotEnd = toMs(raw.end);
    if (slotEnd <= from || start >= end) continue;
    let hasRun = false;
    for (let i = 0; i < locations.length; i++) {
      const run = runsAt[i]!.get(start);
      found[i] = run;
      if (run) hasRun = true;
    }
    if (!hasRun && slotEnd > now) {
      pendingFrom ??= start;
      continue;
    }
    const paused = hasPauses && pauses.some((p) => p.start <= start && start < p.end);
    let byLocation: Record<string, LocationSlotState> = {};
    // Contract state from the reference locations (DESIGN.md §5 "Locations"): up if one passed, down if all that
    // ended so failed, else unknown (error, then paused or missed).
    let up = false;
    let degraded = false;
    let down: LocationSlotState | undefined;
    let error: LocationSlotState | undefined;
    for (let i = 0; i < locations.length; i++) {
      const run = found[i];
      let l: LocationSlotState;
      if (!run) l = paused ? PAUSED : MISSED;
      else if (run.status === 'down') l = run.kind ? { state: 'down', kind: run.kind, party: run.party ?? defaultParty(run.kind) } : { state: 'down', party: run.party ?? defaultParty(run.kind) };
      else l = run.kind ? { state: run.status, kind: run.kind } : STATE_OF[run.status];
      byLocation[locations[i]!.id] = l;
      if (!isRef[i]) continue;
      if (l.state === 'up') up = true;
      else if (l.state === 'degraded') degraded = true;
      else if (l.state === 'down') down ??= l;
      else if (l.state === 'error') error ??= l;
    }
    // One location in a shared state (up, missed…): share its read-only record too (most slots of most series).
    if (single) {
      const shared = singleRecords.get(byLocation[single]!);
      if (shared) byLocation = shared;
    }
    // Built without undefined members (a `delete` afterwards turns the object into a slow dictionary).
    const outcome: SlotOutcome = up
      ? { start, end: slotEnd, state: 'up', byLocation }
      : degraded
        ? { start, end: slotEnd, state: 'degraded', byLocation }
        : down
          ? down.kind
            ? { start, end: slotEnd, state: 'down', party: down.party ?? 'provider', kind: down.kind, byLocation }
            : { start, end: slotEnd, state: 'down', party: down.party ?? 'provider', byLocation }
          : error
            ? error.kind
              ? { start, end: slotEnd, state: 'error', kind: error.kind, byLocation }
              : { start, end: slotEnd, state: 'error', byLocation }
            : { start, end: slotEnd, state: paused ? 'paused' : 'missed', byLocation };
    if (hasInSchool && (up || degraded)) {
      // A failure seen only in-school while a reference passed is the establishment's network.
      locations.forEach((loc, i) => {
        if (loc.kind === 'in-school' && found[i]?.status === 'down') byLocation[loc.id] = { state: 'error', kind: 'local-network', party: 'establishment-network' };
      });
    }
    // The timeline keeps the measured state for the whole slot; windows and first-seen are cut in minute-exact later.
    pushMerged(timeline, Math.max(start, from), Math.min(slotEnd, end), outcome.state, outcome.party, outcome.kind);
    if (slotEnd <= firstSeen) {
      outcome.state = 'not_monitored';
      delete outcome.party;
      delete outcome.kind;
    }
    slots.push(outcome);
    measured.push(hasRun);
  }
  return { from, end, firstSeen, pendingFrom, slots, measured, measuredTimeline: timeline };
}

// Shared, read-only location states for the common cases (one object per slot would be most of the garbage).
const MISSED: LocationSlotState = Object.freeze({ state: 'missed' });
const PAUSED: LocationSlotState = Object.freeze({ state: 'paused' });
const STATE_OF: Record<'up' | 'degraded' | 'error', LocationSlotState> = {
  up: Object.freeze({ state: 'up' }),
  degraded: Object.freeze({ state: 'degraded' }),
  error: Object.freeze({ state: 'error' }),
};
const SHARED_STATES: readonly LocationSlotState[] = [MISSED, PAUSED, STATE_OF.up, STATE_OF.degraded, STATE_OF.error];

/**
 * Appends `[start, end)` to a timeline, extending the last segment instead when it ends there in the same state,
 * party and kind: a month of healthy 5-minute slots is one segment, not 8,928 (sums and gaps are unchanged).
 */
function pushMerged(timeline: TimelineSegment[], start: number, end: number, state: TimelineSegment['state'], party: TimelineSegment['party'], kind: TimelineSegment['kind']): void {
  if (end <= start) return;
  const last = timeline[timeline.length - 1];
  if (last && last.end === start && last.state === state && last.party === party && last.kind === kind) {
    last.end = end;
    return;
  }
  const seg: TimelineSegment = { start, end, state };
  if (party) seg.party = party;
  if (kind) seg.kind = kind;
  timeline.push(seg);
}

/** A timeline with adjacent segments of the same state, party and kind merged (a new array; segments copied). */
function mergeTimeline(segments: readonly TimelineSegment[]): TimelineSegment[] {
  const out: TimelineSegment[] = [];
  for (const seg of segments) pushMerged(out, seg.start, seg.end, seg.state, seg.party, seg.kind);
  return out;
}

/**
 * Applies maintenance windows to a base (the windows part of {@link computeSlotStates}): a late pause-mode window
 * makes its slots without a run `down` (provider, `lateWindow` set); an on-time window makes the slots whose start it
 * covers `maintenance`, and its minutes (cut minute-exact inside slots) `maintenance`; then the minutes before
 * first-seen are `not_monitored`. With no window, the base's slots are returned as they are (shared).
 */
export function finalizeSlotStates(base: BaseSlotStates, windows: readonly WindowOccurrence[]): SlotStates {
  const { from, end, firstSeen } = base;
  let slots = base.slots;
  let timeline = base.measuredTimeline;
  if (windows.length > 0) {
    const latePauses = windows.filter((w) => w.late && w.mode === 'pause');
    const onTime = windows.filter((w) => !w.late);
    const downed: { start: number; end: number }[] = [];
    slots = base.slots.map((slot, i) => {
      if (slot.state === 'not_monitored') return slot;
      const covers = (w: WindowOccurrence) => w.start <= slot.start && slot.start < w.end;
      const latePause = base.measured[i] ? undefined : latePauses.find(covers);
      const maintenance = onTime.find(covers);
      if (!latePause && !maintenance) return slot;
      const out: SlotOutcome = { ...slot };
      if (latePause) {
        out.state = 'down';
        out.party = 'provider';
        out.lateWindow = latePause.windowId;
        downed.push({ start: Math.max(slot.start, from), end: Math.min(slot.end, end) });
      }
      if (maintenance) {
        out.state = 'maintenance';
        delete out.party;
        delete out.kind;
        delete out.lateWindow;
      }
      return out;
    });
    // A late pause slot counted as down keeps that state minute by minute (no kind: nothing ran).
    if (downed.length > 0) timeline = overlay(timeline, downed, () => ({ state: 'down', party: 'provider' }));
    timeline = overlay(timeline, onTime, () => ({ state: 'maintenance' }));
  }
  const overlaid = timeline !== base.measuredTimeline;
  // Nothing before first-seen is in the period.
  if (firstSeen > from && end > from) {
    const before = { start: from, end: Math.min(firstSeen, end) };
    timeline = overlay(timeline, [before], () => ({ state: 'not_monitored' }));
    // Before first-seen there may be no slot at all (the first revision holding the schedule came later): those
    // minutes are not monitored too, never "non planifié".
    const uncovered = subtract([before], timeline);
    if (uncovered.length > 0) timeline = [...timeline, ...uncovered.map((u): TimelineSegment => ({ start: u.start, end: u.end, state: 'not_monitored' }))].sort((a, b) => a.start - b.start);
  }
  // Overlays cut segments at window and first-seen edges: merge what became adjacent and alike again.
  return { slots, timeline: overlaid || timeline !== base.measuredTimeline ? mergeTimeline(timeline) : timeline, pendingFrom: base.pendingFrom };
}

/**
 * The part of a base within `[from, to)`: what {@link computeBaseSlotStates} gives over that sub-period from the same
 * inputs (slots overlapping it, the timeline clipped to it, the pending slot if it lies before its end). Lets one
 * load of a contract year serve both the yearly cap's earlier months and the period itself.
 */
export function restrictSlotStates(base: BaseSlotStates, from: number, to: number): BaseSlotStates {
  const end = Math.min(to, base.end);
  const lo = Math.max(from, base.from);
  const slots: SlotOutcome[] = [];
  const measured: boolean[] = [];
  base.slots.forEach((slot, i) => {
    if (slot.end > lo && slot.start < end) {
      slots.push(slot);
      measured.push(base.measured[i] ?? false);
    }
  });
  const measuredTimeline: TimelineSegment[] = [];
  for (const seg of base.measuredTimeline) {
    const s = Math.max(seg.start, lo);
    const e = Math.min(seg.end, end);
    if (e > s) measuredTimeline.push(s === seg.start && e === seg.end ? seg : { ...seg, start: s, end: e });
  }
  // A pending slot straddles `now` (no result yet): pending in the sub-period when it starts before its end.
  const pendingFrom = base.pendingFrom !== null && base.pendingFrom < end ? base.pendingFrom : null;
  return { from: lo, end, firstSeen: base.firstSeen, pendingFrom, slots, measured, measuredTimeline };
}

