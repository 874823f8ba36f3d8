import type { SlotState } from '../run-types.js';
import { minuteClass } from './types.js';

/** Incident state of one series, carried between evaluations (the alerts shell stores it). */
export interface IncidentState {
  open: boolean;
  /** Consecutive down slots seen (unknown and excluded skipped) while no incident is open. */
  consecutiveDown: number;
  /** Start of the first down slot of the current streak or open incident, epoch ms. */
  firstDownAt: number | null;
}

/** A transition: `open` at the start of the K-th consecutive down slot, `resolve` at the first up slot. */
export interface IncidentTransition {
  type: 'open' | 'resolve';
  /** Start of the slot that caused the transition, epoch ms (F4: open 14:01, resolve 14:05). */
  at: number;
  /** Start of the first down slot of the outage, epoch ms. */
  outageStart: number;
}

export const INITIAL_INCIDENT_STATE: IncidentState = { open: false, consecutiveDown: 0, firstDownAt: null };

/**
 * Incident transitions of one series as a pure function (DESIGN.md §5 "Outage episodes and incidents"): an incident
 * opens after `k` consecutive `down` slots (default 2; unknown and excluded slots are skipped, neither breaking nor
 * counting) and resolves at the first `up` or `degraded` slot. At most one incident is open. Slots must be in time
 * order and may continue a previous evaluation through `state`.
 */
export function detectIncidentTransitions(
  slots: readonly { start: number; state: SlotState }[],
  options: { k?: number; state?: IncidentState } = {},
): { transitions: IncidentTransition[]; state: IncidentState } {
  const k = options.k ?? 2;
  const state: IncidentState = { ...(options.state ?? INITIAL_INCIDENT_STATE) };
  const transitions: IncidentTransition[] = [];
  for (const slot of slots) {
    const klass = minuteClass(slot.state);
    if (klass === 'down') {
      if (state.open) continue;
      state.consecutiveDown++;
      state.firstDownAt ??= slot.start;
      if (state.consecutiveDown >= k) {
        state.open = true;
        transitions.push({ type: 'open', at: slot.start, outageStart: state.firstDownAt });
      }
    } else if (klass === 'up') {
      if (state.open) transitions.push({ type: 'resolve', at: slot.start, outageStart: state.firstDownAt ?? slot.start });
      state.open = false;
      state.consecutiveDown = 0;
      state.firstDownAt = null;
    }
  }
  return { transitions, state };
}

/**
 * Transitions of the *degraded* incidents of one series (DESIGN.md §5: recorded, not notified by default): the same
 * rule as {@link detectIncidentTransitions} with `degraded` slots in the role of `down` ones — opens after `k`
 * consecutive degraded slots, resolves at the first slot that is no longer degraded and not unknown (an `up` slot, or a
 * `down` one: the outage incident takes over). Unknown and excluded slots are skipped.
 */
export function detectDegradedTransitions(
  slots: readonly { start: number; state: SlotState }[],
  options: { k?: number; state?: IncidentState } = {},
): { transitions: IncidentTransition[]; state: IncidentState } {
  const mapped = slots.map((s) => ({ start: s.start, state: (s.state === 'degraded' ? 'down' : s.state === 'down' ? 'up' : s.state) as SlotState }));
  return detectIncidentTransitions(mapped, options);
}
