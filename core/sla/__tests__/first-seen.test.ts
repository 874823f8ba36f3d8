import { describe, expect, it } from 'vitest';
import { computeSlotStates } from '../slot-states.js';
import { sumMinutes } from '../minutes.js';

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
