import type { SlotState } from '../run-types.js';
import { minuteClass } from './types.js';

/** The current state of a series for a status view (`/api/v1/status`). */
export interface CurrentState {
  /** State of the last slot with a final state; null when there is none. */
  state: SlotState | null;
  /** Start of the stretch of slots in the same availability class (up, down, unknown, excluded), epoch ms. */
  since: number | null;
  /** Start of the last slot considered, epoch ms. */
  lastSlotStart: number | null;
}

/**
 * The current state of a series from its slots in time order (pending slots are already left out by
 * `computeSlotStates`): the last slot's state, and since when the series has been in that availability class (a run
 * of `up` and `degraded` slots is one stretch; `not_monitored` slots are ignored).
 */
export function currentState(slots: readonly { start: number; state: SlotState }[]): CurrentState {
  const list = slots.filter((s) => s.state !== 'not_monitored');
  const last = list[list.length - 1];
  if (!last) return { state: null, since: null, lastSlotStart: null };
  const klass = minuteClass(last.state);
  let since = last.start;
  // 0 <= i <= list.length - 2: both list[i] accesses are in range.
  for (let i = list.length - 2; i >= 0 && minuteClass(list[i]!.state) === klass; i--) since = list[i]!.start;
  return { state: last.state, since, lastSlotStart: last.start };
}
