import { describe, expect, it } from 'vitest';
import { nextSlot, slotContaining, slotsBetween, type SlotSchedule } from '../slots.js';

/**
 * The three functions must tell one story in any zone, including odd DST rules: Lord Howe (30-min change),
 * Santiago (changes at midnight), New York (F15's thread). Checked over each zone's two 2025 changes.
 */
const zones: [string, string, string][] = [
  ['Europe/Paris', '2025-03-29T12:00:00Z', '2025-10-25T12:00:00Z'],
  ['America/New_York', '2025-03-08T12:00:00Z', '2025-11-01T12:00:00Z'],
  ['Australia/Lord_Howe', '2025-04-05T00:00:00Z', '2025-10-04T00:00:00Z'],
  ['America/Santiago', '2025-04-05T12:00:00Z', '2025-09-06T12:00:00Z'],
];
const patterns: [string, number][] = [
  ['*/15 * * * *', 900],
  ['0 * * * *', 3600],
  ['30 2 * * *', 86_400],
  ['0 0 * * *', 86_400],
  ['15 0,1,2,3 * * *', 3600],
  ['*/20 6-20 * * *', 1200],
];
const WINDOW_MS = 48 * 3600_000;

describe.each(zones)('%s', (timezone, spring, fall) => {
  it.each(patterns)('"%s": slotsBetween = chained nextSlot, slots never overlap, slotContaining agrees', (cron, intervalSeconds) => {
    const s: SlotSchedule = { kind: 'cron', cron, timezone, intervalSeconds };
    for (const around of [spring, fall]) {
      const from = new Date(around);
      const to = new Date(from.getTime() + WINDOW_MS);
      const slots = slotsBetween(s, from, to);
      expect(slots.length).toBeGreaterThan(0);

      const chained: number[] = [];
      for (let t = nextSlot(s, new Date(from.getTime() - 1)); t < to; t = nextSlot(s, t)) chained.push(t.getTime());
      expect(slots.map((x) => x.start.getTime())).toEqual(chained);

      slots.forEach((slot, i) => {
        expect(slot.end.getTime()).toBeGreaterThan(slot.start.getTime());
        if (i + 1 < slots.length) expect(slot.end.getTime()).toBeLessThanOrEqual(slots[i + 1]!.start.getTime());
        expect(slotContaining(s, slot.start)).toEqual(slot);
        expect(slotContaining(s, new Date(slot.end.getTime() - 1))).toEqual(slot);
        const after = slotContaining(s, slot.end);
        if (after) expect(after.start).toEqual(slot.end); // the next slot, or no slot at all
      });
    }
  });
});
