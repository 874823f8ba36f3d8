import type { Party } from '../config/contract.js';
import { intersect, type Interval } from '../calendar/intervals.js';
import type { Bucket } from '../calendar/buckets.js';
import { computeFigures, type AvailabilityFigures } from './figures.js';
import { poolSums, sumMinutes, type MinuteSums } from './minutes.js';
import type { TimelineSegment } from './types.js';

/** Figures of one reporting bucket (hour, day or month). */
export interface BucketFigures {
  bucket: Bucket;
  sums: MinuteSums;
  /** Availability is null for a bucket with nothing observed: shown as a gap, never 0/0 (field scenario F7). */
  figures: AvailabilityFigures;
}

/**
 * Per-bucket figures of one or several series (pooled per bucket) over their counted minutes. Buckets come from
 * {@link localBuckets}, so day buckets are 23, 24 or 25 hours long in the contract's zone (F13).
 */
export function computeBucketFigures(
  series: readonly { timeline: readonly TimelineSegment[]; counted: readonly Interval[] }[],
  buckets: readonly Bucket[],
  options: { parties: readonly Party[]; corrections?: readonly Interval[] },
): BucketFigures[] {
  const sorted = series.map((s) => ({ timeline: [...s.timeline].sort((a, b) => a.start - b.start), counted: s.counted }));
  return buckets.map((bucket) => {
    const sums = poolSums(sorted.map((s) => sumMinutes(slice(s.timeline, bucket), intersect(s.counted, [bucket]), options)));
    return { bucket, sums, figures: computeFigures(sums) };
  });
}

/** Segments overlapping `[b.start, b.end)`, found by bisection (segments are sorted and do not overlap). */
function slice(timeline: readonly TimelineSegment[], b: Interval): readonly TimelineSegment[] {
  let lo = 0;
  let hi = timeline.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (timeline[mid]!.end <= b.start) lo = mid + 1; // lo <= mid < hi <= timeline.length
    else hi = mid;
  }
  let end = lo;
  while (end < timeline.length && timeline[end]!.start < b.end) end++;
  return timeline.slice(lo, end);
}
