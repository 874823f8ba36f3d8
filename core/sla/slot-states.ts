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
  const from = toMs(input.from);
  const now = toMs(input.now);
  const end = Math.min(toMs(input.to), now);
  const firstSeen = input.firstSeen == null ? -Infinity : toMs(input.firstSeen);
  const windows = input.windows ?? [];
  const pauses = (input.pauses ?? []).map((p) => ({ start: toMs(p.start), end: p.end == null ? Infinity : toMs(p.end) }));
  const references = new Set(input.locations.filter((l) => l.kind === 'reference').map((l) => l.id));
  // slot start → location → run (the last one given wins; the store's unique key makes duplicates impossible).
  const runsBySlot = new Map<number, Map<string, SlotRun>>();
  for (const run of input.runs) {
    const key = toMs(run.scheduledAt);
    const byLoc = runsBySlot.get(key);
    if (byLoc) byLoc.set(run.location, run);
    else runsBySlot.set(key, new Map([[run.location, run]]));
  }
  const hasPauses = pauses.length > 0;
  const hasWindows = windows.length > 0;

  const slots: SlotOutcome[] = [];
  const timeline: TimelineSegment[] = [];
  let pendingFrom: number | null = null;
  for (const raw of input.slots) {
    const start = toMs(raw.start);
    const slotEnd = toMs(raw.end);
    if (slotEnd <= from || start >= end) continue;
    const runs = runsBySlot.get(start);
    const hasRun = runs !== undefined && input.locations.some((l) => runs.has(l.id));
    if (!hasRun && slotEnd > now) {
      pendingFrom ??= start;
      continue;
    }
    const paused = hasPauses && pauses.some((p) => p.start <= start && start < p.end);
    const byLocation: Record<string, LocationSlotState> = {};
    for (const loc of input.locations) {
      const run = runs?.get(loc.id);
      if (!run) byLocation[loc.id] = { state: paused ? 'paused' : 'missed' };
      else if (run.status === 'down') byLocation[loc.id] = { state: 'down', kind: run.kind, party: run.party ?? defaultParty(run.kind) };
      else byLocation[loc.id] = run.kind ? { state: run.status, kind: run.kind } : { state: run.status };
    }
    const outcome: SlotOutcome = { start, end: slotEnd, ...contractState(byLocation, references, paused), byLocation };
    for (const loc of input.locations) {
      const l = byLocation[loc.id]!; // set for every location by the loop just above
      if (loc.kind === 'in-school' && l.state === 'down' && (outcome.state === 'up' || outcome.state === 'degraded')) {
        byLocation[loc.id] = { state: 'error', kind: 'local-network', party: 'establishment-network' };
      }
    }
    const latePause = hasWindows && !hasRun ? windows.find((w) => w.late && w.mode === 'pause' && w.start <= start && start < w.end) : undefined;
    if (latePause) {
      outcome.state = 'down';
      outcome.party = 'provider';
      outcome.lateWindow = latePause.windowId;
    }
    // The timeline keeps the measured state for the whole slot; windows and first-seen are cut in minute-exact below.
    timeline.push({
      start: Math.max(start, from),
      end: Math.min(slotEnd, end),
      state: outcome.state,
      ...(outcome.party ? { party: outcome.party } : {}),
      ...(outcome.kind ? { kind: outcome.kind } : {}),
    });
    // The slot as a whole (incidents, episodes): maintenance when an on-time window covers its start.
    const onTime = hasWindows ? windows.find((w) => !w.late && w.start <= start && start < w.end) : undefined;
    if (slotEnd <= firstSeen || onTime) {
      outcome.state = slotEnd <= firstSeen ? 'not_monitored' : 'maintenance';
      delete outcome.party;
      delete outcome.kind;
      delete outcome.lateWindow;
    }
    slots.push(outcome);
  }
  // Minute-exact overlays: on-time windows cut inside slots; nothing before first-seen is in the period.
  let cut = overlay(timeline, windows.filter((w) => !w.late), () => ({ state: 'maintenance' }));
  if (firstSeen > from && end > from) {
    const before = { start: from, end: Math.min(firstSeen, end) };
    cut = overlay(cut, [before], () => ({ state: 'not_monitored' }));
    // Before first-seen there may be no slot at all (the first revision holding the schedule came later): those
    // minutes are not monitored too, never "non planifié".
    const uncovered = subtract([before], cut);
    if (uncovered.length > 0) cut = [...cut, ...uncovered.map((u): TimelineSegment => ({ start: u.start, end: u.end, state: 'not_monitored' }))].sort((a, b) => a.start - b.start);
  }
  return { slots, timeline: cut, pendingFrom };
}

/** Contract state of a slot from the reference locations' states. */
function contractState(byLocation: Record<string, LocationSlotState>, references: Set<string>, paused: boolean): Pick<SlotOutcome, 'state' | 'party' | 'kind'> {
  const refs = [...references].map((id) => byLocation[id]).filter((l): l is LocationSlotState => l !== undefined);
  if (refs.some((l) => l.state === 'up')) return { state: 'up' };
  if (refs.some((l) => l.state === 'degraded')) return { state: 'degraded' };
  const failed = refs.find((l) => l.state === 'down');
  if (failed) return { state: 'down', party: failed.party, kind: failed.kind };
  if (refs.some((l) => l.state === 'error')) return { state: 'error', kind: refs.find((l) => l.state === 'error')?.kind };
  return { state: paused ? 'paused' : 'missed' };
}
