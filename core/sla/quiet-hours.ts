import type { WeeklyHours } from '../config/contract.js';
import { weeklyServiceIntervals } from '../calendar/service-hours.js';

/**
 * Quiet hours of a recipient (issue 10 item 4): outside its `awake` weekly hours (local time in `zone`), notices wait.
 * Returns the end of the quiet period containing `t` (the next awake start, epoch ms), or null when `t` is awake.
 * Looks up to 8 days ahead (a weekly range always comes back within a week); null beyond, i.e. never held forever.
 */
export function quietUntil(t: number, awake: readonly WeeklyHours[], zone: string): number | null {
  const intervals = weeklyServiceIntervals({ weekly: [...awake] }, t - 86_400_000, t + 8 * 86_400_000, zone);
  if (intervals.some((i) => i.start <= t && t < i.end)) return null;
  const next = intervals.find((i) => i.start > t);
  return next ? next.start : null;
}
