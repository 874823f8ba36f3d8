import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../../run-types.js';
import { adherencePercent, countSlots, poolSlotCounts, reachabilityPercent } from '../adherence.js';
import { computeSlotStates, type LocationRef, type SlotRun } from '../slot-states.js';
import type { WindowOccurrence } from '../maintenance.js';
import { MIN, paris, slots } from './helpers.js';

/**
 * Issue 8 item 4: schedule adherence (executed / expected location-slots) and per-location reachability, so that a
 * report says how much of the schedule really ran and how often each location reached the ENT, not only the contract
 * state (up when one reference passed).
 */
const LOCS: LocationRef[] = [
  { id: 'paris', kind: 'reference' },
  { id: 'lyon', kind: 'reference' },
  { id: 'lycee', kind: 'in-school' },
];
const from = paris('2025-11-14 10:00');
const list = slots(from, from + 12 * 5 * MIN, 5); // 12 slots of 5 minutes
const at = (i: number) => from + i * 5 * MIN;

/** Runs: per slot index, a status per location (absent: no run). */
function runsOf(plan: Record<number, Partial<Record<string, RunStatus>>>): SlotRun[] {
  return Object.entries(plan).flatMap(([i, byLoc]) =>
    Object.entries(byLoc).map(([location, status]) => ({ location, scheduledAt: at(Number(i)), status: status!, ...(status === 'down' ? { kind: 'http' as const } : {}) })),
  );
}

describe('schedule adherence and reachability', () => {
  const plan: Record<number, Partial<Record<string, RunStatus>>> = {};
  for (let i = 0; i < 12; i++) plan[i] = { paris: 'up', lyon: 'up', lycee: 'up' };
  plan[1] = { paris: 'up', lyon: 'down', lycee: 'up' }; // lyon cannot reach the ENT: the contract slot is still up
  plan[2] = { paris: 'up', lyon: 'up', lycee: 'down' }; // only the school fails: its network (local-network)
  plan[3] = { paris: 'down', lyon: 'down', lycee: 'down' }; // everyone fails: down
  plan[4] = { paris: 'up' }; // lyon and the school never ran: missed
  plan[5] = { paris: 'error', lyon: 'degraded', lycee: 'up' };
  delete plan[8]; // slot 8 paused by the operator (no run anywhere)
  delete plan[10]; // slot 10 in a pause-mode maintenance window announced in time: nothing expected
  const pauses = [{ start: at(8), end: at(9) }];
  const windows: WindowOccurrence[] = [{ windowId: 'w', start: at(10), end: at(11), mode: 'pause', late: false, announcedAt: at(0) - 86_400_000 }];
  const states = computeSlotStates({ slots: list, locations: LOCS, runs: runsOf(plan), pauses, windows, from, to: at(12), now: at(13) });

  it('counts expected, executed and missed location-slots, leaving out operator pauses and on-time pause windows', () => {
    const c = countSlots(states.slots, [{ start: from, end: at(12) }], at(12), LOCS);
    // 12 slots × 3 locations = 36; slot 8 paused (3), slot 10 under a pause window with no run (3): 30 expected.
    expect(c).toMatchObject({ expected: 30, executed: 28, missed: 2, paused: 3 });
    expect(adherencePercent(c)).toBeCloseTo((28 / 30) * 100, 10);
    expect(c.byLocation.lyon).toMatchObject({ kind: 'reference', up: 6, degraded: 1, down: 2, missed: 1, paused: 1, maintenance: 1 });
    expect(c.byLocation.paris).toMatchObject({ up: 8, down: 1, error: 1, missed: 0 });
    expect(c.byLocation.lycee).toMatchObject({ kind: 'in-school', up: 7, localNetwork: 1, down: 1, missed: 1 });
    // Each location's share of location-slots that reached the ENT; the school's network failure is not "up".
    expect(reachabilityPercent([c.byLocation.lyon!])).toBeCloseTo((7 / 9) * 100, 10);
    expect(reachabilityPercent([c.byLocation.paris!])).toBeCloseTo((8 / 9) * 100, 10);
    expect(reachabilityPercent([c.byLocation.lycee!])).toBeCloseTo((7 / 9) * 100, 10);
    // Pooled over the references: 15 of 18 definite results, while the contract state was up in 9 of 10 slots.
    expect(reachabilityPercent([c.byLocation.paris!, c.byLocation.lyon!])).toBeCloseTo((15 / 18) * 100, 10);
  });

  it('counts only slots overlapping the counted minutes and starting before the end, never before first-seen', () => {
    // Counted: partly inside slots 2 and 5 (a slot partly inside counts); the end cuts slot 5 off.
    const c = countSlots(states.slots, [{ start: at(2) + MIN, end: at(6) - MIN }], at(5), LOCS);
    expect(c).toMatchObject({ expected: 9, executed: 7, missed: 2 }); // slots 2, 3 and 4 (lyon and the school missed 4)
    const late = computeSlotStates({ slots: list, locations: LOCS, runs: runsOf(plan), pauses, firstSeen: at(6), from, to: at(12), now: at(13) });
    const afterFirstSeen = countSlots(late.slots, [{ start: from, end: at(12) }], at(12), LOCS);
    // Slots 0–5 are not monitored: 6 slots left, slot 8 paused, slot 10 (no window here) missed at 3 locations.
    expect(afterFirstSeen).toMatchObject({ expected: 15, executed: 12, missed: 3, paused: 3 });
  });

  it('pools series by adding location-slots, and gives null (never NaN) when nothing was expected', () => {
    const c = countSlots(states.slots, [{ start: from, end: at(12) }], at(12), LOCS);
    const pooled = poolSlotCounts([c, c]);
    expect(pooled).toMatchObject({ expected: 60, executed: 56, missed: 4 });
    expect(pooled.byLocation.lyon!.down).toBe(4);
    expect(c.byLocation.lyon!.down).toBe(2); // the inputs are not changed
    const none = countSlots(states.slots, [], at(12), LOCS);
    expect(none.expected).toBe(0);
    expect(adherencePercent(none)).toBeNull();
    expect(reachabilityPercent([])).toBeNull();
  });
});
