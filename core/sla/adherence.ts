import type { Interval } from '../calendar/intervals.js';
import type { LocationRef, SlotOutcome } from './slot-states.js';

/** What happened at one probe location over a clause's slots (counts of location-slots, DESIGN.md §5 "Locations"). */
export interface LocationSlotCounts {
  id: string;
  kind: LocationRef['kind'];
  /** Location-slots whose run passed, was slow, failed, or could not measure (`error`, `local-network` included). */
  up: number;
  degraded: number;
  down: number;
  error: number;
  /** Failures seen only at this in-school location while a reference passed (`local-network`, the school's network). */
  localNetwork: number;
  /** Expected location-slots with no run (`missed`: the probe did not run or its result never arrived). */
  missed: number;
  /** Location-slots under an operator pause (not expected). */
  paused: number;
  /** Location-slots of slots excluded by an on-time maintenance window (not in reachability; runs still executed). */
  maintenance: number;
}

/**
 * Schedule adherence and reachability of a scope for one clause: location-slots (one slot × one location) whose
 * slot overlaps the clause's counted minutes, never before first-seen (`not_monitored`).
 * - expected: every such location-slot, less those paused by an operator and those of an on-time maintenance window
 *   that had no run (a pause-mode window stops probing on purpose); executed: expected ones with a stored run, any
 *   status; missed = expected − executed.
 * - reachability (per location, and pooled over reference locations): (up + degraded) / (up + degraded + down +
 *   localNetwork) location-slots outside maintenance: how often each location reached the ENT, where the contract state only says
 *   whether one of them did.
 */
export interface SlotCounts {
  expected: number;
  executed: number;
  missed: number;
  paused: number;
  /** Per location id, in the order first met. */
  byLocation: Record<string, LocationSlotCounts>;
}

/** Executed / expected × 100; null when nothing was expected (a whole month paused, or no service hours). */
export function adherencePercent(c: Pick<SlotCounts, 'expected' | 'executed'>): number | null {
  return c.expected > 0 ? (c.executed / c.expected) * 100 : null;
}

/**
 * (up + degraded) / (up + degraded + down + localNetwork) × 100 over the given location counts: the share of
 * location-slots that reached the ENT; null with no definite result (`error` and `missed` are not results).
 */
export function reachabilityPercent(list: readonly Pick<LocationSlotCounts, 'up' | 'degraded' | 'down' | 'localNetwork'>[]): number | null {
  let ok = 0;
  let all = 0;
  for (const l of list) {
    ok += l.up + l.degraded;
    all += l.up + l.degraded + l.down + l.localNetwork;
  }
  return all > 0 ? (ok / all) * 100 : null;
}

/** Empty counts. */
export function emptySlotCounts(): SlotCounts {
  return { expected: 0, executed: 0, missed: 0, paused: 0, byLocation: {} };
}

/**
 * Counts the location-slots of `slots` (finalized: windows applied) that start before `end` and overlap `counted`
 * (normalized, sorted), see {@link SlotCounts}. `locations` gives each location's kind (a location missing from it
 * counts as `reference`). Adds into `into` when given (pooling), else into fresh counts. O(slots + counted).
 */
export function countSlots(slots: readonly SlotOutcome[], counted: readonly Interval[], end: number, locations: readonly LocationRef[], into: SlotCounts = emptySlotCounts()): SlotCounts {
  const kinds = new Map(locations.map((l) => [l.id, l.kind]));
  let k = 0;
  for (const slot of slots) {
    if (slot.start >= end) break;
    if (slot.state === 'not_monitored') continue;
    while (k < counted.length && counted[k]!.end <= slot.start) k++;
    if (k >= counted.length) break;
    if (counted[k]!.start >= slot.end) continue;
    const excluded = slot.state === 'maintenance';
    for (const id in slot.byLocation) {
      const l = slot.byLocation[id]!;
      const c = (into.byLocation[id] ??= { id, kind: kinds.get(id) ?? 'reference', up: 0, degraded: 0, down: 0, error: 0, localNetwork: 0, missed: 0, paused: 0, maintenance: 0 });
      const ran = l.state !== 'missed' && l.state !== 'paused';
      if (l.state === 'paused') {
        c.paused++;
        into.paused++;
        continue;
      }
      if (excluded) c.maintenance++;
      if (excluded && !ran) continue;
      into.expected++;
      if (!ran) {
        c.missed++;
        into.missed++;
        continue;
      }
      into.executed++;
      if (excluded) continue;
      if (l.state === 'up') c.up++;
      else if (l.state === 'degraded') c.degraded++;
      else if (l.state === 'down') c.down++;
      else if (l.kind === 'local-network') c.localNetwork++;
      else c.error++;
    }
  }
  return into;
}

/** Pools counts (location-slots added). */
export function poolSlotCounts(list: readonly SlotCounts[]): SlotCounts {
  const out = emptySlotCounts();
  for (const c of list) {
    out.expected += c.expected;
    out.executed += c.executed;
    out.missed += c.missed;
    out.paused += c.paused;
    for (const [id, l] of Object.entries(c.byLocation)) {
      const o = (out.byLocation[id] ??= { ...l, up: 0, degraded: 0, down: 0, error: 0, localNetwork: 0, missed: 0, paused: 0, maintenance: 0 });
      o.up += l.up;
      o.degraded += l.degraded;
      o.down += l.down;
      o.error += l.error;
      o.localNetwork += l.localNetwork;
      o.missed += l.missed;
      o.paused += l.paused;
      o.maintenance += l.maintenance;
    }
  }
  return out;
}
