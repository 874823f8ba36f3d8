import type { Interval } from '../calendar/intervals.js';
import { formatLocalPeriod } from '../calendar/local-time.js';
import { clipToCounted } from './timeline.js';
import { minuteClass, type MinuteState, type TimelineSegment } from './types.js';

/** A stretch of counted minutes with no observation (DESIGN.md §5; field scenario F3). */
export interface DataGap {
  start: number;
  end: number;
  minutes: number;
  /** Unknown states inside: `missed`, `error`, `paused`, `unscheduled`. */
  states: MinuteState[];
  /** `data gap 2025-11-08 01:00–06:00` in the contract's local time. */
  label: string;
}

/**
 * The data gaps of a series: maximal stretches of counted minutes whose state is unknown, adjacent unknown states
 * merged, labelled in local time. Stretches separated only by minutes outside service hours stay apart.
 */
export function listDataGaps(timeline: readonly TimelineSegment[], counted: readonly Interval[], zone: string): DataGap[] {
  const gaps: { start: number; end: number; states: Set<MinuteState> }[] = [];
  for (const seg of clipToCounted(timeline, counted)) {
    if (minuteClass(seg.state) !== 'unknown') continue;
    const last = gaps[gaps.length - 1];
    if (last && last.end === seg.start) {
      last.end = seg.end;
      last.states.add(seg.state);
    } else gaps.push({ start: seg.start, end: seg.end, states: new Set([seg.state]) });
  }
  return gaps.map((g) => ({
    start: g.start,
    end: g.end,
    minutes: (g.end - g.start) / 60_000,
    states: [...g.states],
    label: `data gap ${formatLocalPeriod(g.start, g.end, zone)}`,
  }));
}
