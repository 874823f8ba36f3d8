import { describe, expect, it } from 'vitest';
import type { StatusRow } from '../../engine/index.js';
import { freshnessConditions, LOCATION_WAIT_CAP_MS } from '../watchdog.js';

const MIN = 60_000;
const T = Date.parse('2025-06-02T10:00:00Z');
const iso = (m: number | null) => (m === null ? null : new Date(T + m * MIN).toISOString());
function row(schedule: string, location: string, f: { stale: boolean; since: number | null; last: number | null; due: number | null }, grace = 5): StatusRow {
  return {
    journey: 'login', tenant: '0510100G', target: 'ent', schedule, state: f.stale ? 'stale' : 'up', since: null, lastSlotStart: null, availability24hPercent: null, coverage24hPercent: null,
    locations: [{ location, stale: f.stale, since: iso(f.since), lastResultSlot: iso(f.last), lastDueSlot: iso(f.due) }],
    graceSeconds: grace * 60,
  };
}

describe('freshnessConditions', () => {
  it('a stale schedule alone at its location is told as stale, with its schedule and last result', () => {
    const out = freshnessConditions([row('a', 'local', { stale: true, since: 5, last: -5, due: 0 })], T + 5 * MIN);
    expect(out).toEqual([{ key: 'stale:a@local', kind: 'stale', since: T + 5 * MIN, target: 'ent', tenant: '0510100G', location: 'local', detail: { scheduleId: 'a', journey: 'login', lastResultSlot: iso(-5) } }]);
  });

  it('waits while another schedule of the location has not been due since the silence began, then tells the location once', () => {
    // a (5 min) silent from its 0 slot; b (15 min) last due and last result at -15: it may be silent too.
    const waiting = [row('a', 'PAR', { stale: true, since: 5, last: -5, due: 0 }), row('b', 'PAR', { stale: false, since: null, last: -15, due: -15 }, 15)];
    expect(freshnessConditions(waiting, T + 5 * MIN)).toEqual([]);
    const both = [row('a', 'PAR', { stale: true, since: 5, last: -5, due: 10 }), row('b', 'PAR', { stale: true, since: 15, last: -15, due: 0 }, 15)];
    expect(freshnessConditions(both, T + 15 * MIN)).toEqual([{ key: 'location:PAR', kind: 'location', since: T + 15 * MIN, location: 'PAR', detail: { schedules: ['a', 'b'] } }]);
    // b reported after a went quiet: only a is told, at once.
    const alive = [row('a', 'PAR', { stale: true, since: 5, last: -5, due: 0 }), row('b', 'PAR', { stale: false, since: null, last: 0, due: 0 }, 15)];
    expect(freshnessConditions(alive, T + 5 * MIN).map((c) => c.key)).toEqual(['stale:a@PAR']);
  });

  it('the wait for the location is capped', () => {
    const waiting = [row('a', 'PAR', { stale: true, since: 5, last: -5, due: 0 }), row('b', 'PAR', { stale: false, since: null, last: -1440, due: -1440 }, 60)];
    expect(freshnessConditions(waiting, T + 5 * MIN + LOCATION_WAIT_CAP_MS).map((c) => c.key)).toEqual(['stale:a@PAR']);
  });
});
