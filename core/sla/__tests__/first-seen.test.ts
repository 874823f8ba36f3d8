import { describe, expect, it } from 'vitest';
import { computeSlotStates } from '../slot-states.js';
import { sumMinutes } from '../minutes.js';
import { expectedSlotRanges } from '../schedule-slots.js';

// Found wiring `vigie sla` to stored revisions: when the first revision holding a schedule came mid-period, there are
// no slots before it, and those minutes were summed as "non planifié" (unknown) instead of not monitored.
describe('first-seen with no slots before it', () => {
  const h = (hour: number) => Date.UTC(2026, 8, 30, hour);
  const slots = [0, 1, 2, 3].map((i) => ({ start: h(12) + i * 3_600_000, end: h(13) + i * 3_600_000 }));
  const runs = slots.map((s) => ({ location: 'local', scheduledAt: s.start, status: 'up' as const }));

  it('counts the minutes before first-seen as not monitored, not unscheduled', () => {
    const states = computeSlotStates({ slots, locations: [{ id: 'local', kind: 'reference' }], runs, firstSeen: h(12), from: h(0), to: h(16), now: h(20) });
    expect(states.timeline[0]).toEqual({ start: h(0), end: h(12), state: 'not_monitored' });
    const sums = sumMinutes(states.timeline, [{ start: h(0), end: h(16) }], { parties: ['provider'] });
    expect(sums).toMatchObject({ notMonitoredMinutes: 720, unknownMinutes: 0, upMinutes: 240, countedMinutes: 240 });
  });

  it('leaves minutes with no slot after first-seen unscheduled', () => {
    const states = computeSlotStates({ slots: slots.slice(1), locations: [{ id: 'local', kind: 'reference' }], runs, firstSeen: h(6), from: h(0), to: h(16), now: h(20) });
    const sums = sumMinutes(states.timeline, [{ start: h(0), end: h(16) }], { parties: ['provider'] });
    expect(sums).toMatchObject({ notMonitoredMinutes: 360, unknownMinutes: 420, upMinutes: 180 });
    expect(sums.byState.unscheduled).toBe(420);
  });
});

// Found by a new user: `vigie start` began at 06:02:30 with 5-minute slots; it ran the 06:00 slot at once (up), but
// that slot was not expected (it started before the first revision), so 06:02:30–06:05 was "non planifié" and a fresh
// install showed 63 % coverage with every run up.
describe('the slot running when the first revision came into force', () => {
  const at = (h: number, m: number, s = 0) => Date.UTC(2026, 11, 2, h, m, s);
  const span = { schedule: { kind: 'interval' as const, intervalSeconds: 300 }, from: at(6, 2, 30), to: null };

  it('is expected, its run counts from first-seen, and nothing is unscheduled', () => {
    const slots = expectedSlotRanges([span], at(6, 0), at(6, 10));
    expect(slots.map((s) => [s.start, s.end])).toEqual([[at(6, 0), at(6, 5)], [at(6, 5), at(6, 10)]]);
    const runs = slots.map((s) => ({ location: 'local', scheduledAt: s.start, status: 'up' as const }));
    const states = computeSlotStates({ slots, locations: [{ id: 'local', kind: 'reference' }], runs, firstSeen: at(6, 2, 30), from: at(6, 0), to: at(6, 10), now: at(6, 10) });
    const sums = sumMinutes(states.timeline, [{ start: at(6, 0), end: at(6, 10) }], { parties: ['provider'] });
    expect(sums).toMatchObject({ notMonitoredMinutes: 2.5, upMinutes: 7.5, unknownMinutes: 0 });
  });

  it('is not given to a later span that changed the slots (the old slot already covers it, cut at the change)', () => {
    const before = { schedule: { kind: 'interval' as const, intervalSeconds: 600 }, from: at(5, 0), to: at(6, 2, 30) };
    const slots = expectedSlotRanges([before, span], at(6, 0), at(6, 10));
    expect(slots.map((s) => [s.start, s.end])).toEqual([[at(6, 0), at(6, 2, 30)], [at(6, 5), at(6, 10)]]);
  });
});
