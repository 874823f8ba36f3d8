import { toMs } from '../calendar/intervals.js';
import type { LocationSlotState, PauseInterval, SlotOutcome } from './slot-states.js';

/**
 * Freshness of a series (issue 10 item 6, field scenario F21): whether a schedule, or one of its locations, has gone
 * quiet. Pure: the slots and `now` are given, so a restart of whatever evaluates it can never move the deadline (F21 a:
 * the deadline is the slot start plus the grace, not a timer armed at start).
 */

/** Default grace of a schedule: the slot length (at most 1 h), and never less than a run can last plus 30 s. */
export const FRESHNESS_GRACE_CAP_MS = 3_600_000;

/**
 * The grace after a slot's start past which a slot without a result makes its series `stale`, ms:
 * `max(min(interval, 1 h), offset + timeout + 30 s)`. A 5-minute schedule is stale 5 minutes after the start of a
 * slot that has no result (F21 c: an agent killed at 12:00 shows stale by 12:10); a daily probe an hour after its
 * slot start unless configured otherwise (F21 a). A run that may legitimately still be going (its offset plus its
 * timeout) never makes it stale.
 * @param intervalMs the nominal slot length, ms (> 0)
 * @param offsetMs the run's offset inside its slot, ms
 * @param timeoutMs the journey's timeout, ms
 */
export function defaultFreshnessGraceMs(intervalMs: number, offsetMs: number, timeoutMs: number): number {
  return Math.max(Math.min(intervalMs, FRESHNESS_GRACE_CAP_MS), offsetMs + timeoutMs + 30_000);
}

/** Freshness of one location of a series at `now`. */
export interface LocationFreshness {
  location: string;
  /** Whether its latest slot due a result (start + grace ≤ now) has none, and no later slot has one either. */
  stale: boolean;
  /**
   * When it became stale, epoch ms: the start of the first slot of its trailing run of slots without a result, plus
   * the grace. Null when not stale.
   */
  since: number | null;
  /** Start of its latest slot that has a result, epoch ms; null when none in the slots given. */
  lastResultSlot: number | null;
  /** Start of its latest slot due a result by now (start + grace ≤ now), epoch ms; null when none. */
  lastDueSlot: number | null;
}

/** The slots of a series as {@link computeBaseSlotStates} gives them, plus the pending one. */
export interface FreshnessInput {
  /** Final slots, oldest first (a slot's `byLocation` says which locations ran it). */
  slots: readonly Pick<SlotOutcome, 'start' | 'byLocation'>[];
  /** Start of the slot still open without any result (`pendingFrom`), or null. */
  pendingFrom: number | null;
  /** The series' locations. */
  locations: readonly string[];
  /** Epoch ms. */
  now: number;
  /** See {@link defaultFreshnessGraceMs}, ms. */
  graceMs: number;
  /** Operator pauses of the schedule (`end` null: still paused), epoch ms: a paused pending slot is not silence. */
  pauses?: readonly PauseInterval[];
}

const NO_RESULT: ReadonlySet<LocationSlotState['state']> = new Set(['missed']);

/**
 * Freshness per location: walking back from the latest slot, the slots with no result at that location (`missed`,
 * or the pending slot) form its trailing silence; a paused slot ends the walk (an operator pause is not silence) as
 * does a slot with a result. The location is stale when a slot of that silence is due (start + grace ≤ now).
 */
export function seriesFreshness(input: FreshnessInput): LocationFreshness[] {
  const { slots, now, graceMs } = input;
  // The latest slot due a result, whatever the location: slots are in order, the pending one is the latest.
  let lastDueSlot: number | null = null;
  if (input.pendingFrom !== null && input.pendingFrom + graceMs <= now) lastDueSlot = input.pendingFrom;
  for (let i = slots.length - 1; lastDueSlot === null && i >= 0; i--) if (slots[i]!.start + graceMs <= now) lastDueSlot = slots[i]!.start;
  return input.locations.map((location) => {
    const pending = input.pendingFrom;
    const pendingPaused = pending !== null && (input.pauses ?? []).some((p) => toMs(p.start) <= pending && (p.end === null || pending < toMs(p.end)));
    let firstSilent: number | null = pendingPaused ? null : pending;
    let lastResultSlot: number | null = null;
    for (let i = pendingPaused ? -1 : slots.length - 1; i >= 0; i--) {
      const slot = slots[i]!;
      const state = slot.byLocation[location]?.state ?? 'missed';
      if (!NO_RESULT.has(state)) {
        // A pause ends the walk too (the slots it covers were never asked for), without being a result.
        if (state !== 'paused') lastResultSlot = slot.start;
        break;
      }
      firstSilent = slot.start;
    }
    const stale = firstSilent !== null && firstSilent + graceMs <= now;
    return { location, stale, since: stale ? firstSilent! + graceMs : null, lastResultSlot, lastDueSlot };
  });
}

/** One location's view over all its series, for {@link silentLocations}. */
export interface LocationSeriesFreshness {
  location: string;
  scheduleId: string;
  stale: boolean;
  since: number | null;
}

/**
 * Locations that stopped reporting (F21 c): a location running at least two schedules, every one of them stale. It is
 * told once as a location (not once per schedule); `since` is the latest of its schedules' stale times (when the last
 * one went quiet, i.e. when the whole location was silent).
 */
export function silentLocations(rows: readonly LocationSeriesFreshness[]): { location: string; since: number; schedules: string[] }[] {
  const by = new Map<string, LocationSeriesFreshness[]>();
  for (const r of rows) {
    const list = by.get(r.location);
    if (list) list.push(r);
    else by.set(r.location, [r]);
  }
  const out: { location: string; since: number; schedules: string[] }[] = [];
  for (const [location, list] of by) {
    if (list.length < 2 || !list.every((r) => r.stale)) continue;
    out.push({ location, since: Math.max(...list.map((r) => r.since!)), schedules: list.map((r) => r.scheduleId) });
  }
  return out;
}
