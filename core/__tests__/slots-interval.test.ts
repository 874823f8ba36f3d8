import { describe, expect, it } from 'vitest';
import { nextSlot, slotContaining, slotsBetween, type SlotSchedule } from '../slots.js';

/** Interval schedules: starts at multiples of the interval since the Unix epoch (DESIGN.md §5), so they tile time. */
const every = (intervalSeconds: number): SlotSchedule => ({ kind: 'interval', intervalSeconds });
const z = (iso: string) => new Date(iso);
const hhmmss = (slots: { start: Date }[]) => slots.map((s) => s.start.toISOString().slice(11, 19));

describe('slotsBetween on common intervals', () => {
  it.each([
    [60, '2025-06-02T10:00:30Z', '2025-06-02T10:05:00Z', ['10:01:00', '10:02:00', '10:03:00', '10:04:00']],
    [300, '2025-06-02T10:00:00Z', '2025-06-02T10:30:00Z', ['10:00:00', '10:05:00', '10:10:00', '10:15:00', '10:20:00', '10:25:00']],
    [600, '2025-06-02T09:55:00Z', '2025-06-02T10:40:00.001Z', ['10:00:00', '10:10:00', '10:20:00', '10:30:00', '10:40:00']],
  ])('every %i s from %s to %s', (interval, from, to, expected) => {
    const slots = slotsBetween(every(interval), z(from), z(to));
    expect(hhmmss(slots)).toEqual(expected);
    for (const s of slots) expect(s.end.getTime() - s.start.getTime()).toBe(interval * 1000);
  });

  it('tiles time: each slot ends where the next one starts', () => {
    const slots = slotsBetween(every(300), z('2025-03-30T00:00:00Z'), z('2025-03-30T04:00:00Z'));
    expect(slots).toHaveLength(48);
    slots.slice(1).forEach((s, i) => expect(s.start).toEqual(slots[i]!.end));
  });

  it('is empty when to <= from', () => {
    expect(slotsBetween(every(60), z('2025-06-02T10:00:00Z'), z('2025-06-02T09:00:00Z'))).toEqual([]);
  });
});

describe('epoch alignment: every process and every restart computes the same starts', () => {
  it('F16 (b): a 10-min probe restarted at 10:03 next runs at 10:10, and [10:00, 11:00) holds 6 slots', () => {
    expect(nextSlot(every(600), z('2025-06-02T10:03:00Z')).toISOString()).toBe('2025-06-02T10:10:00.000Z');
    expect(slotsBetween(every(600), z('2025-06-02T10:00:00Z'), z('2025-06-02T11:00:00Z'))).toHaveLength(6);
  });

  it('F17 (a): a 15-min probe has 8 slots in [10:00, 12:00)', () => {
    expect(hhmmss(slotsBetween(every(900), z('2025-06-02T10:00:00Z'), z('2025-06-02T12:00:00Z')))).toEqual([
      '10:00:00', '10:15:00', '10:30:00', '10:45:00', '11:00:00', '11:15:00', '11:30:00', '11:45:00',
    ]);
  });

  it('a 7-min interval is aligned on the epoch, not on the hour', () => {
    // 2025-06-02T10:00Z = 29 147 640 min since the epoch = 7 × 4 163 948 + 4: the slot began at 09:56Z.
    expect(slotContaining(every(420), z('2025-06-02T10:00:00Z'))).toEqual({ start: z('2025-06-02T09:56:00Z'), end: z('2025-06-02T10:03:00Z') });
  });

  it('nextSlot and slotContaining agree at exact boundaries', () => {
    const s = every(60);
    expect(slotContaining(s, z('2025-06-02T10:01:00.000Z'))).toEqual({ start: z('2025-06-02T10:01:00Z'), end: z('2025-06-02T10:02:00Z') });
    expect(slotContaining(s, z('2025-06-02T10:01:59.999Z'))?.start).toEqual(z('2025-06-02T10:01:00Z'));
    expect(nextSlot(s, z('2025-06-02T10:01:00.000Z')).toISOString()).toBe('2025-06-02T10:02:00.000Z');
    expect(nextSlot(s, z('2025-06-02T10:00:59.999Z')).toISOString()).toBe('2025-06-02T10:01:00.000Z');
  });
});

describe('a 30-day interval', () => {
  const monthly = every(30 * 86_400);
  it('starts on days since the epoch divisible by 30 (2025-01-12 is day 20 100)', () => {
    expect(nextSlot(monthly, z('2025-01-01T00:00:00Z')).toISOString()).toBe('2025-01-12T00:00:00.000Z');
    expect(slotContaining(monthly, z('2025-01-01T00:00:00Z'))).toEqual({ start: z('2024-12-13T00:00:00Z'), end: z('2025-01-12T00:00:00Z') });
  });

  it('has 12 slots starting in 2025, across the year boundary into 2026', () => {
    const slots = slotsBetween(monthly, z('2025-01-01T00:00:00Z'), z('2026-01-01T00:00:00Z'));
    expect(slots.map((s) => s.start.toISOString().slice(0, 10))).toEqual([
      '2025-01-12', '2025-02-11', '2025-03-13', '2025-04-12', '2025-05-12', '2025-06-11',
      '2025-07-11', '2025-08-10', '2025-09-09', '2025-10-09', '2025-11-08', '2025-12-08',
    ]);
    expect(slots.at(-1)!.end.toISOString()).toBe('2026-01-07T00:00:00.000Z');
  });

  it('a schedule created mid-slot gets no extra run in its first day (F21 b)', () => {
    const created = z('2025-06-20T08:00:00Z');
    expect(nextSlot(monthly, created).getTime() - created.getTime()).toBeGreaterThan(24 * 3600_000);
  });
});
