import { normalize, subtract, type Interval } from '../calendar/intervals.js';
import type { TimelineSegment } from './types.js';

/**
 * Replaces the parts of `segments` covered by `intervals` with `patch(segment)`, cutting segments at the interval
 * edges (minute-exact clipping without walking minutes). `segments` must be sorted and non-overlapping; so is the
 * result. Parts of `intervals` that no segment covers are left alone.
 */
export function overlay(
  segments: readonly TimelineSegment[],
  intervals: readonly Interval[],
  patch: (s: TimelineSegment) => Partial<TimelineSegment>,
): TimelineSegment[] {
  const cuts = normalize(intervals);
  if (cuts.length === 0) return segments.slice();
  const out: TimelineSegment[] = [];
  let j = 0;
  for (const seg of segments) {
    while (j < cuts.length && cuts[j]!.end <= seg.start) j++;
    let cursor = seg.start;
    // k < cuts.length is checked before each cuts[k] access.
    for (let k = j; k < cuts.length && cuts[k]!.start < seg.end; k++) {
      const c = cuts[k]!;
      if (c.start > cursor) out.push({ ...seg, start: cursor, end: c.start });
      const s = Math.max(cursor, c.start);
      const e = Math.min(seg.end, c.end);
      if (e > s) {
        const replaced: TimelineSegment = { ...seg, ...patch(seg), start: s, end: e };
        if (replaced.state !== 'down') delete replaced.party;
        out.push(replaced);
      }
      cursor = Math.max(cursor, e);
    }
    if (cursor < seg.end) out.push({ ...seg, start: cursor, end: seg.end });
  }
  return out;
}

/**
 * The timeline restricted to counted minutes, completed: counted minutes that no segment covers fall in no slot and
 * are `unscheduled` ("non planifié", unknown). Sorted, non-overlapping.
 */
export function clipToCounted(segments: readonly TimelineSegment[], counted: readonly Interval[]): TimelineSegment[] {
  const c = normalize(counted);
  const out: TimelineSegment[] = [];
  const sorted = isSorted(segments) ? segments : [...segments].sort((a, b) => a.start - b.start);
  let j = 0;
  for (const seg of sorted) {
    while (j < c.length && c[j]!.end <= seg.start) j++;
    // k < c.length is checked before each c[k] access.
    for (let k = j; k < c.length && c[k]!.start < seg.end; k++) {
      const ck = c[k]!;
      const s = Math.max(seg.start, ck.start);
      const e = Math.min(seg.end, ck.end);
      if (e > s) out.push({ ...seg, start: s, end: e });
    }
  }
  const uncovered = subtract(c, out);
  if (uncovered.length === 0) return out;
  for (const u of uncovered) out.push({ start: u.start, end: u.end, state: 'unscheduled' });
  return out.sort((a, b) => a.start - b.start);
}

/** Whether segments are in start order already (they nearly always are: sorting a copy each time was the cost). */
export function isSorted(list: readonly { start: number }[]): boolean {
  for (let k = 1; k < list.length; k++) if (list[k]!.start < list[k - 1]!.start) return false;
  return true;
}
