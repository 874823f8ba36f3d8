import { describe, expect, it } from 'vitest';
import { defaultFreshnessGraceMs, seriesFreshness, silentLocations } from '../freshness.js';

const MIN = 60_000;
const T = Date.parse('2025-06-02T10:00:00Z');
const slot = (m: number, state: string) => ({ start: T + m * MIN, byLocation: { local: { state } } as never });

describe('seriesFreshness (F21)', () => {
  it('is stale one grace after the first slot of the trailing silence, not before', () => {
    const slots = [slot(0, 'up'), slot(5, 'missed'), slot(10, 'missed')];
    const at = (m: number) => seriesFreshness({ slots, pendingFrom: T + 15 * MIN, locations: ['local'], now: T + m * MIN, graceMs: 5 * MIN })[0]!;
    expect(at(9.99)).toMatchObject({ stale: false, since: null });
    expect(at(10)).toMatchObject({ stale: true, since: T + 10 * MIN, lastResultSlot: T, lastDueSlot: T + 5 * MIN });
    // Later slots do not move the deadline: still the first silent slot's start plus the grace.
    expect(at(16)).toMatchObject({ stale: true, since: T + 10 * MIN, lastDueSlot: T + 10 * MIN });
  });

  it('a pending slot past its grace is silence; a result ends it; a pause is not silence', () => {
    const base = { locations: ['local'], graceMs: 5 * MIN, now: T + 6 * MIN };
    expect(seriesFreshness({ ...base, slots: [slot(-5, 'up')], pendingFrom: T })[0]).toMatchObject({ stale: true, since: T + 5 * MIN });
    expect(seriesFreshness({ ...base, slots: [slot(-5, 'paused')], pendingFrom: T, pauses: [{ start: T - 5 * MIN, end: null }] })[0]!.stale).toBe(false);
    expect(seriesFreshness({ ...base, slots: [slot(-10, 'missed'), slot(-5, 'paused')], pendingFrom: null })[0]!.stale).toBe(false);
    expect(seriesFreshness({ ...base, slots: [slot(-10, 'missed'), slot(-5, 'down')], pendingFrom: null })[0]).toMatchObject({ stale: false, lastResultSlot: T - 5 * MIN });
  });

  it('each location on its own', () => {
    const slots = [{ start: T, byLocation: { a: { state: 'up' }, b: { state: 'missed' } } as never }];
    const [a, b] = seriesFreshness({ slots, pendingFrom: null, locations: ['a', 'b'], now: T + 5 * MIN, graceMs: 5 * MIN });
    expect([a!.stale, b!.stale]).toEqual([false, true]);
  });

  it('default grace: the slot (at most 1 h), never under offset + timeout + 30 s', () => {
    expect(defaultFreshnessGraceMs(5 * MIN, 0, 60_000)).toBe(5 * MIN);
    expect(defaultFreshnessGraceMs(86_400_000, 0, 60_000)).toBe(3_600_000);
    expect(defaultFreshnessGraceMs(MIN, 20_000, 30_000)).toBe(80_000);
  });
});

describe('silentLocations (F21 c)', () => {
  it('a location is silent when it runs two schedules or more, all stale; since is when the last went quiet', () => {
    const rows = [
      { location: 'PAR', scheduleId: 'a', stale: true, since: 10 },
      { location: 'PAR', scheduleId: 'b', stale: true, since: 20 },
      { location: 'local', scheduleId: 'c', stale: true, since: 5 },
      { location: 'LYS', scheduleId: 'd', stale: true, since: 5 },
      { location: 'LYS', scheduleId: 'e', stale: false, since: null },
    ];
    expect(silentLocations(rows)).toEqual([{ location: 'PAR', since: 20, schedules: ['a', 'b'] }]);
  });
});
