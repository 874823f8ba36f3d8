import { describe, expect, it } from 'vitest';
import { checkDurationBounds, formatDuration, MAX_TIMER_SECONDS, parseDurationSeconds } from '../duration.js';

describe('parseDurationSeconds', () => {
  it.each([
    ['1500ms', 1.5],
    ['250ms', 0.25],
    ['1m30s', 90],
    ['90s', 90],
    ['2h', 7200],
    ['1h30m', 5400],
    ['1h 30m', 5400],
    ['1d', 86400],
    ['1m500ms', 60.5],
    ['45', 45],
    ['0.5', 0.5],
    [' 5m ', 300],
    [20, 20],
    ['0s', 0],
  ])('%j → %d s', (input, seconds) => {
    expect(parseDurationSeconds(input)).toBe(seconds);
  });

  it.each(['5 minutes', '1x', 'ms', '', '5m 10', '1.5h', '-5s', '30s1m', '1h1h', '1500msx', 'abc'])('refuses %j', (input) => {
    expect(() => parseDurationSeconds(input)).toThrow(/expected a duration/);
  });

  it('refuses negative and non-finite numbers', () => {
    expect(() => parseDurationSeconds(-1)).toThrow(/≥ 0/);
    expect(() => parseDurationSeconds(Number.POSITIVE_INFINITY)).toThrow(/≥ 0/);
  });
});

describe('checkDurationBounds', () => {
  const timeout = { min: 1, max: 3600 };
  it('accepts both ends of an inclusive range', () => {
    expect(checkDurationBounds(1, timeout)).toBeNull();
    expect(checkDurationBounds(3600, timeout)).toBeNull();
  });

  it('refuses values outside, naming the bounds in config spelling', () => {
    expect(checkDurationBounds(0.5, timeout)).toBe("durée attendue d'au moins 1s et d'au plus 1h, pas 500ms / expected a duration of at least 1s and at most 1h, got 500ms");
    expect(checkDurationBounds(100000 * 86400, timeout)).toMatch(/at most 1h, got 100000d$/);
  });

  it('an exclusive upper bound refuses the bound itself', () => {
    expect(checkDurationBounds(86399, { min: 1, max: 86400, maxExclusive: true })).toBeNull();
    expect(checkDurationBounds(86400, { min: 1, max: 86400, maxExclusive: true })).toMatch(/less than 1d/);
  });
});

describe('formatDuration', () => {
  it('writes the largest units first and round-trips through the parser', () => {
    for (const s of [0, 0.001, 1.5, 90, 5400, 86400, 93784.5]) expect(parseDurationSeconds(formatDuration(s))).toBe(s);
    expect(formatDuration(93784.5)).toBe('1d2h3m4s500ms');
  });

  it('MAX_TIMER_SECONDS is setTimeout’s 2^31−1 ms', () => {
    expect(MAX_TIMER_SECONDS * 1000).toBe(2147483647);
  });
});
