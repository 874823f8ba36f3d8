import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { formatLocal, formatLocalPeriod } from '../local-time.js';

/** The quarter-hour offset cache of the labels agrees with luxon (the zone rules) everywhere, DST nights included. */
describe('local labels', () => {
  const zones = ['Europe/Paris', 'Indian/Reunion', 'America/Cayenne', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham'];
  it.each(zones)('formats instants in %s as luxon does, minute by minute over DST changes', (zone) => {
    const starts = [Date.UTC(2026, 2, 28, 12), Date.UTC(2026, 9, 24, 12), Date.UTC(2026, 3, 4, 0), Date.UTC(2026, 8, 26, 0)];
    for (const start of starts) {
      for (let t = start; t < start + 2 * 86_400_000; t += 60_000 * 7) {
        expect(formatLocal(t, zone)).toBe(DateTime.fromMillis(t, { zone }).toFormat('yyyy-MM-dd HH:mm'));
      }
    }
  });

  it('labels a period on one day, one ending at local midnight, and one across days', () => {
    const z = 'Europe/Paris';
    expect(formatLocalPeriod(Date.UTC(2025, 10, 8, 0), Date.UTC(2025, 10, 8, 5), z)).toBe('2025-11-08 01:00–06:00');
    expect(formatLocalPeriod(Date.UTC(2025, 10, 8, 18), Date.UTC(2025, 10, 8, 23), z)).toBe('2025-11-08 19:00–24:00');
    expect(formatLocalPeriod(Date.UTC(2025, 10, 8, 22), Date.UTC(2025, 10, 9, 1), z)).toBe('2025-11-08 23:00 – 2025-11-09 02:00');
    // The fall-back night: 02:30 happens twice; each instant is labelled with its own offset.
    expect(formatLocalPeriod(Date.UTC(2026, 9, 25, 0, 30), Date.UTC(2026, 9, 25, 1, 30), z)).toBe('2026-10-25 02:30–02:30');
  });
});
