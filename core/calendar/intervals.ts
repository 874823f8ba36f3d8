/**
 * Half-open time intervals `[start, end)` in epoch milliseconds, and the set operations the SLA engine needs.
 * Figures are sums of interval lengths: computing them by intervals gives the same result as walking minute by
 * minute (every boundary the engine meets is a slot start, a window end or a local wall-clock time, so whole
 * minutes), without building 44 640 minute objects per month.
 */
export interface Interval {
  /** Inclusive start, epoch ms (UTC). */
  start: number;
  /** Exclusive end, epoch ms (UTC). */
  end: number;
}

export const MINUTE_MS = 60_000;

/** Sorts, drops empty intervals and merges overlapping or touching ones. */
export function normalize(list: readonly Interval[]): Interval[] {
  const sorted = list.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ start: i.start, end: i.end });
  }
  return out;
}

/** Union of interval lists (normalized). */
export function union(...lists: readonly (readonly Interval[])[]): Interval[] {
  return normalize(lists.flat());
}

/** Intersection of two lists (normalized). */
export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const x = normalize(a);
  const y = normalize(b);
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    // Both indices are in range: the loop condition checks them.
    const xi = x[i]!;
    const yj = y[j]!;
    const start = Math.max(xi.start, yj.start);
    const end = Math.min(xi.end, yj.end);
    if (end > start) out.push({ start, end });
    if (xi.end < yj.end) i++;
    else j++;
  }
  return out;
}

/** `a` minus `b` (normalized). */
export function subtract(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const y = normalize(b);
  const out: Interval[] = [];
  let first = 0;
  for (const piece of normalize(a)) {
    let cursor = piece.start;
    // Cuts ending before this piece can never touch a later piece either (both lists are sorted).
    while (first < y.length && y[first]!.end <= cursor) first++;
    for (let k = first; k < y.length; k++) {
      const cut = y[k]!;
      if (cut.end <= cursor) continue;
      if (cut.start >= piece.end) break;
      if (cut.start > cursor) out.push({ start: cursor, end: cut.start });
      cursor = Math.max(cursor, cut.end);
      if (cursor >= piece.end) break;
    }
    if (cursor < piece.end) out.push({ start: cursor, end: piece.end });
  }
  return out;
}

/** Total length in ms of a list (overlaps counted once). */
export function totalMs(list: readonly Interval[]): number {
  return normalize(list).reduce((sum, i) => sum + (i.end - i.start), 0);
}

/** Total length in minutes (may be fractional for sub-minute slots). */
export function totalMinutes(list: readonly Interval[]): number {
  return totalMs(list) / MINUTE_MS;
}

/** Length in ms of the overlap of one interval with a normalized list. */
export function overlapMs(i: Interval, normalized: readonly Interval[]): number {
  let sum = 0;
  for (const c of normalized) {
    if (c.start >= i.end) break;
    const start = Math.max(i.start, c.start);
    const end = Math.min(i.end, c.end);
    if (end > start) sum += end - start;
  }
  return sum;
}

/** Builds an interval from two Dates or ISO strings. */
export function interval(start: Date | string | number, end: Date | string | number): Interval {
  return { start: toMs(start), end: toMs(end) };
}

/** Epoch ms of a Date, an ISO string or a number. */
export function toMs(t: Date | string | number): number {
  if (typeof t === 'number') return t;
  const ms = typeof t === 'string' ? Date.parse(t) : t.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`invalid instant: ${String(t)}`);
  return ms;
}
