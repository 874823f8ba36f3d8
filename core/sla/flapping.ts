import type { SlotState } from '../run-types.js';
import { minuteClass } from './types.js';

/**
 * Flapping (issue 10 item 1: "N state changes in M slots → one 'instable' notice"), as a pure function of the slots.
 * The last `window` known slots (up or down: unknown and excluded slots skipped, degraded counting as up) are kept;
 * a change is two consecutive known slots of different classes. Flapping starts at the slot that brings the changes in
 * the window to `changes` or more, and ends at the first slot after which they are fewer than half of that (a
 * hysteresis: a series hovering at the threshold does not start and stop at every slot). A series stuck down after
 * flapping ends it too, once the changes slide out of the window. Restartable: the state is plain data.
 */
export interface FlappingState {
  /** The classes of the last known slots, oldest first: `u` up, `d` down (at most `window`). */
  recent: string;
  open: boolean;
  /** Start of the slot that started the open flapping, epoch ms; null when not flapping. */
  since: number | null;
}

export interface FlappingRule {
  /** State changes that make a series flap, ≥ 2. */
  changes: number;
  /** Known slots the changes are counted over, > `changes`. */
  window: number;
}

export const INITIAL_FLAPPING_STATE: FlappingState = { recent: '', open: false, since: null };

/** A flapping transition: `open` at the slot that started it, `resolve` at the slot after which it stopped. */
export interface FlappingTransition {
  type: 'open' | 'resolve';
  at: number;
  /** Start of the flapping (the `open` slot). */
  since: number;
  /** Changes in the window at the transition. */
  changes: number;
}

const changesIn = (recent: string) => {
  let n = 0;
  for (let i = 1; i < recent.length; i++) if (recent[i] !== recent[i - 1]) n += 1;
  return n;
};

export function detectFlapping(
  slots: readonly { start: number; state: SlotState }[],
  rule: FlappingRule,
  previous: FlappingState = INITIAL_FLAPPING_STATE,
): { transitions: FlappingTransition[]; state: FlappingState } {
  const state: FlappingState = { ...previous };
  const transitions: FlappingTransition[] = [];
  for (const slot of slots) {
    const klass = minuteClass(slot.state);
    if (klass !== 'up' && klass !== 'down') continue;
    state.recent = (state.recent + (klass === 'up' ? 'u' : 'd')).slice(-rule.window);
    const changes = changesIn(state.recent);
    if (!state.open && changes >= rule.changes) {
      state.open = true;
      state.since = slot.start;
      transitions.push({ type: 'open', at: slot.start, since: slot.start, changes });
    } else if (state.open && changes < Math.ceil(rule.changes / 2)) {
      transitions.push({ type: 'resolve', at: slot.start, since: state.since ?? slot.start, changes });
      state.open = false;
      state.since = null;
    }
  }
  return { transitions, state };
}
