import { DateTime } from 'luxon';

/** A reporting bucket: its UTC bounds `[start, end)` and a local label with the offset (`2025-10-26 02:00+01:00`). */
export interface Bucket {
  start: number;
  end: number;
  label: string;
}

/**
 * Local buckets over `[from, to)` (epoch ms) in the contract's time zone (field scenario F13): days and months follow
 * the calendar (a Paris day is 23, 24 or 25 hours), hours follow elapsed time, so the spring-forward day has 23 hourly
 * buckets (no 02:xx) and the fall-back day 25 (02:00+02:00 and 02:00+01:00, 60 minutes each, never one of 120).
 * Buckets are clipped to the period, strictly increasing and never duplicated.
 */
export function localBuckets(from: number, to: number, unit: 'hour' | 'day' | 'month', zone: string): Bucket[] {
  const out: Bucket[] = [];
  let cursor = DateTime.fromMillis(from, { zone }).startOf(unit === 'hour' ? 'hour' : unit);
  while (cursor.toMillis() < to) {
    const next = unit === 'hour' ? cursor.plus({ hours: 1 }) : cursor.plus(unit === 'day' ? { days: 1 } : { months: 1 }).startOf(unit);
    const start = Math.max(cursor.toMillis(), from);
    const end = Math.min(next.toMillis(), to);
    const label = unit === 'hour' ? cursor.toFormat("yyyy-MM-dd HH:mmZZ") : unit === 'day' ? (cursor.toISODate() as string) : cursor.toFormat('yyyy-MM');
    if (end > start) out.push({ start, end, label });
    cursor = next;
  }
  return out;
}
