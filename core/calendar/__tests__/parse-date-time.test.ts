import { describe, expect, it } from 'vitest';
import { parseDateTime } from '../parse-date-time.js';

const Z = 'Europe/Paris';

describe('parseDateTime', () => {
  it('reads a date-time without offset as local time of the zone, and honours Z and offsets', () => {
    // 29 November 2026: Paris is UTC+1.
    expect(parseDateTime('2026-11-29T10:00', Z)).toEqual({ ms: Date.parse('2026-11-29T09:00:00Z'), hasOffset: false, dateOnly: false });
    expect(parseDateTime('2026-11-29', Z)!.ms).toBe(Date.parse('2026-11-28T23:00:00Z'));
    expect(parseDateTime('2026-11-29T10:00:00Z', Z)).toEqual({ ms: Date.parse('2026-11-29T10:00:00Z'), hasOffset: true, dateOnly: false });
    expect(parseDateTime('2026-07-01T10:00:30.5+02:00', Z)!.ms).toBe(Date.parse('2026-07-01T08:00:30.500Z'));
  });
  it('refuses impossible dates and times instead of rolling over', () => {
    expect(parseDateTime('2026-02-30T06:00:00Z', Z)).toBeNull();
    expect(parseDateTime('2026-13-01', Z)).toBeNull();
    expect(parseDateTime('2026-01-01T24:30', Z)).toBeNull();
    expect(parseDateTime('tomorrow', Z)).toBeNull();
    expect(parseDateTime('2028-02-29', Z)).not.toBeNull();
  });
});
