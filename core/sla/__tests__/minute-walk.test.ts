import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { countedIntervals } from '../../calendar/clause-calendar.js';
import { computeSlotStates, type SlotRun } from '../slot-states.js';
import { sumMinutes } from '../minutes.js';
import type { WindowOccurrence } from '../maintenance.js';
import type { RunStatus } from '../../run-types.js';
import { clause, LOCAL, MIN, paris, slots, ZONE } from './helpers.js';

/** Small deterministic PRNG (mulberry32) so that a failure is reproducible from its seed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATUSES: (RunStatus | null)[] = ['up', 'up', 'up', 'degraded', 'down', 'down', 'error', null];

/**
 * Cross-check of the interval arithmetic against the definition, minute by minute: for random days (DST days
 * included), random runs, windows, pauses and first-seen times, the engine's sums equal a naive walk over every
 * minute that classifies each one from the rules of DESIGN.md §5 directly.
 */
describe('interval sums equal a minute-by-minute walk', () => {
  it.each([
    ['2025-10-26', 1, 5],
    ['2025-03-30', 2, 5],
    ['2025-11-14', 3, 5],
    ['2024-02-29', 4, 5],
    ['2025-07-15', 5, 5],
    ['2025-10-26', 6, 7],
    ['2025-03-30', 7, 1],
    ['2025-12-31', 8, 7],
  ])('%s (seed %d, %d-minute slots)', (date, seed, every) => {
    const random = rng(seed);
    const from = paris(`${date} 00:00`);
    const to = DateTime.fromMillis(from, { zone: ZONE }).plus({ days: 1 }).toMillis();
    const list = slots(from, to, every);
    const runs: SlotRun[] = [];
    const statusOf = new Map<number, RunStatus | null>();
    for (const s of list) {
      // random() is in [0, 1), so the index is in range; the cast keeps `null` (a `!` would drop it).
      const status = STATUSES[Math.floor(random() * STATUSES.length)] as RunStatus | null;
      statusOf.set(s.start, status);
      if (status) runs.push({ location: 'local', scheduledAt: s.start, status, ...(status === 'down' && random() < 0.3 ? { party: 'educonnect' as const } : {}) });
    }
    const partyOf = new Map(runs.map((r) => [r.scheduledAt as number, r.party ?? 'provider']));
    const minuteAt = (m: number) => from + m * MIN;
    const totalMinutes = (to - from) / MIN;
    const pick = () => Math.floor(random() * totalMinutes);
    const windows: WindowOccurrence[] = Array.from({ length: 3 }, (_, i) => {
      const a = pick();
      const length = 1 + Math.floor(random() * 120);
      return { windowId: `w${i}`, start: minuteAt(a), end: minuteAt(Math.min(totalMinutes, a + length)), mode: 'exclude' as const, late: i === 2, announcedAt: 0 };
    });
    const pauseStart = minuteAt(pick());
    const pauses = [{ start: pauseStart, end: pauseStart + 90 * MIN }];
    const firstSeen = minuteAt(Math.floor(random() * 300));
    const c = clause({ serviceHours: { weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '06:30', to: '20:15' }] } });
    const counted = countedIntervals(c, { departement: '51', schoolCalendar: null }, from, to, ZONE).counted;

    const states = computeSlotStates({ slots: list, locations: LOCAL, runs, pauses, windows, firstSeen, from, to, now: to });
    const sums = sumMinutes(states.timeline, counted, { parties: ['provider'] });

    // The definition, walked minute by minute.
    const walk = { counted: 0, outside: 0, up: 0, down: 0, unknown: 0, excluded: 0, degraded: 0 };
    for (let m = 0; m < totalMinutes; m++) {
      const t = minuteAt(m);
      const local = DateTime.fromMillis(t, { zone: ZONE });
      const hm = local.hour * 60 + local.minute;
      if (hm < 6 * 60 + 30 || hm >= 20 * 60 + 15) continue; // outside service hours
      if (t < firstSeen) {
        walk.outside++;
        continue;
      }
      walk.counted++;
      if (windows.some((w) => !w.late && w.start <= t && t < w.end)) {
        walk.excluded++;
        continue;
      }
      const slotStart = Math.floor(t / (every * MIN)) * every * MIN;
      const status = statusOf.get(slotStart) ?? null;
      if (status === 'up' || status === 'degraded') {
        walk.up++;
        if (status === 'degraded') walk.degraded++;
      } else if (status === 'down') {
        if (partyOf.get(slotStart) === 'provider') walk.down++;
        else walk.excluded++;
      } else walk.unknown++; // error, paused or missed
    }
    expect({
      counted: sums.countedMinutes,
      outside: sums.notMonitoredMinutes,
      up: sums.upMinutes,
      down: sums.downMinutes,
      unknown: sums.unknownMinutes,
      excluded: sums.excludedMinutes,
      degraded: sums.degradedMinutes,
    }).toEqual(walk);
  });
});
