import { describe, expect, it } from 'vitest';
import { checkCron } from '../slots.js';
import { parseCron } from '../cron-pattern.js';

describe('checkCron', () => {
  it.each(['*/15 * * * *', '0 6 * * MON', '0 6 * * 1-5', '30 2 * * *', '*/5 7-18 * * 1-5', '0 0 29 2 *', '0 0 1 jan *', '0 12 ? * SUN', '0 8-18/2 * * *', '5/20 * * * *', '0 0 * * 7', '@daily', '@hourly'])(
    'accepts "%s"',
    (pattern) => expect(checkCron(pattern)).toBeNull(),
  );

  it.each([
    ['', /expected 5 fields/],
    ['* * * *', /expected 5 fields .* got 4/],
    ['0 0 * * * *', /seconds are not supported/],
    ['60 * * * *', /minute 60 is out of range 0-59/],
    ['0 24 * * *', /hour 24 is out of range 0-23/],
    ['0 0 0 * *', /day-of-month 0 is out of range/],
    ['0 0 * 13 *', /month 13 is out of range/],
    ['0 0 * * 8', /day-of-week 8 is out of range/],
    ['5-3 * * * *', /range 5-3 is reversed/],
    ['*/0 * * * *', /step must be at least 1/],
    ['0 0 * foo *', /month "foo" is not a number or a name/],
    ['0 0 30 2 *', /never matches/],
    ['0 0 31 4,6,9,11 *', /never matches/],
    ['0 ? * * *', /only allowed in the day fields/],
    ['@reboot', /unknown macro/],
    ['0 0 * * 1,', /cannot read/],
  ])('refuses "%s" with a message naming the problem', (pattern, message) => {
    expect(checkCron(pattern)).toMatch(message);
  });
});

describe('parseCron classification behind the DST policy', () => {
  it.each([
    ['30 2 * * *', true],
    ['0 6 * * MON', true],
    ['0 2,3 * * *', true],
    ['*/15 * * * *', false],
    ['0,30 2 * * *', false],
    ['15 1-3 * * *', false],
    ['0 */2 * * *', false],
    ['* 2 * * *', false],
  ])('"%s" fixed-time: %s', (pattern, fixed) => {
    expect(parseCron(pattern).fixedTime).toBe(fixed);
  });

  it('reads names, 7 as Sunday and steps', () => {
    const p = parseCron('0 8-18/5 * jan-mar 7');
    expect(p.hours).toEqual([8, 13, 18]);
    expect([...p.months]).toEqual([1, 2, 3]);
    expect([...p.daysOfWeek]).toEqual([0]);
  });
});
