import type { FailureKind, SlotState } from '../run-types.js';
import { availabilityClass } from '../run-types.js';
import type { Party } from '../config/contract.js';

/**
 * The state of a minute: a slot state, or `unscheduled` ("non planifié") for counted minutes that fall in no slot of
 * the schedule (a daytime-only schedule at night, DESIGN.md §5 "Slots"). Unscheduled minutes are unknown.
 */
export type MinuteState = SlotState | 'unscheduled';

/** Availability class of a minute state (DESIGN.md §5 table; `unscheduled` is unknown). */
export function minuteClass(state: MinuteState): 'up' | 'down' | 'unknown' | 'excluded' | 'outside' {
  return state === 'unscheduled' ? 'unknown' : availabilityClass(state);
}

/** A stretch of time `[start, end)` (epoch ms) in one state, for one series (journey × target × tenant). */
export interface TimelineSegment {
  start: number;
  end: number;
  state: MinuteState;
  /** Party a `down` stretch is attributed to. */
  party?: Party;
  kind?: FailureKind;
}

/** Instants accepted at the edges of the engine: a Date, an ISO string or epoch ms. */
export type Instant = Date | string | number;

/** The default party of a failure when the run does not name one: the establishment's network for `local-network`. */
export function defaultParty(kind: FailureKind | undefined): Party {
  if (kind === 'local-network') return 'establishment-network';
  // Our side: infrastructure, safety aborts, and test accounts the identity provider refuses.
  if (kind === 'infra' || kind === 'safety' || kind === 'credentials') return 'vigie';
  return 'provider';
}
