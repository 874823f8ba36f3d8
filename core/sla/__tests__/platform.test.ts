import { describe, expect, it } from 'vitest';
import { isPlatformOutage, routingReady } from '../platform.js';

const rule = { share: 0.5, minTenants: 2 };

describe('platform incidents (DESIGN.md §5)', () => {
  it('needs strictly more than the share of establishments, and at least minTenants', () => {
    expect(isPlatformOutage(2, 2, rule)).toBe(true);
    expect(isPlatformOutage(1, 2, rule)).toBe(false);
    expect(isPlatformOutage(2, 4, rule)).toBe(false);
    expect(isPlatformOutage(3, 4, rule)).toBe(true);
    expect(isPlatformOutage(1, 1, rule)).toBe(false);
    expect(isPlatformOutage(3, 3, { share: 0.5, minTenants: 4 })).toBe(false);
    expect(isPlatformOutage(0, 0, rule)).toBe(false);
  });

  it('decides once every series of the group has the slot, or when the group wait is over', () => {
    const slot = 600_000;
    expect(routingReady(slot, slot + 75_000, [slot + 60_000, slot + 60_000], slot + 61_000)).toBe(true);
    expect(routingReady(slot, slot + 75_000, [slot + 60_000, slot], slot + 61_000)).toBe(false);
    expect(routingReady(slot, slot + 75_000, [slot + 60_000, slot], slot + 75_000)).toBe(true);
  });
});
