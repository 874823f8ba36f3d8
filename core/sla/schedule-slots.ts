import { slotContaining, slotRangesBetween, type Slot, type SlotSchedule } from '../slots.js';
import type { Interval } from '../calendar/intervals.js';
import { toMs } from '../calendar/intervals.js';
import type { Instant } from './types.js';

/** The schedule of one revision and the span it was in force. */
export interface ScheduleRevisionSpan {
  schedule: SlotSchedule;
  /** When the revision came into force. */
  from: Instant;
  /** When the next revision replaced it (null: still in force). */
  to: Instant | null;
}

/**
 * The expected slots of a schedule over `[from, to)` from the revisions in force (DESIGN.md §5: `missed` is derived
 * from the revision's schedule). Each revision contributes the slots starting while it was in force; a slot cut by
 * the next revision ends where that revision starts, so slots still tile time. The slot running at `from` (started
 * before it, e.g. a 7-minute or daily slot at a month's start) is included: callers fetch runs with `scheduledAt` from
 * `from − slot length` so that its result is found.
 */
export function expectedSlots(spans: readonly ScheduleRevisionSpan[], from: Instant, to: Instant): Slot[] {
  return expectedSlotRanges(spans, from, to).map((r) => ({ start: new Date(r.start), end: new Date(r.end) }));
}

/** {@link expectedSlots} in epoch ms (what the engine computes on: no Date objects per slot). */
export function expectedSlotRanges(spans: readonly ScheduleRevisionSpan[], from: Instant, to: Instant): Interval[] {
  const lo = toMs(from);
  const hi = toMs(to);
  const out: Interval[] = [];
  const ordered = spans.length > 1 ? [...spans].sort((a, b) => toMs(a.from) - toMs(b.from)) : spans;
  let previousTo: number | null = null;
  for (const span of ordered) {
    const spanFrom = toMs(span.from);
    const spanTo = span.to == null ? Infinity : toMs(span.to);
    // The first span of a schedule (not one following a change of its slots) also owns the slot running when it came
    // into force: `vigie start` runs that slot at once (late), under its slot start; its minutes before the
    // schedule's first-seen stay `not_monitored` (slot-states.ts). Without it, a first start counted the rest of
    // that slot "non planifié" although its run was up (found by a new user).
    const ownsRunning = previousTo === null || previousTo < spanFrom;
    previousTo = spanTo;
    const start = Math.max(lo, spanFrom);
    const end = Math.min(hi, spanTo);
    if (end <= start) continue;
    const running = slotContaining(span.schedule, new Date(start));
    if (running && running.start.getTime() < start && (running.start.getTime() >= spanFrom || (ownsRunning && start === spanFrom))) {
      out.push({ start: running.start.getTime(), end: Math.min(running.end.getTime(), end) });
    }
    for (const slot of slotRangesBetween(span.schedule, start, end)) {
      if (slot.start < start || slot.start >= end) continue;
      // A slot cut by the next revision ends where that revision starts (slots still tile time).
      if (slot.end > spanTo) slot.end = spanTo;
      out.push(slot);
    }
  }
  // Spans are disjoint and in order, so the slots are too; sort only if a caller gave overlapping spans.
  for (let k = 1; k < out.length; k++) {
    if (out[k]!.start < out[k - 1]!.start) return out.sort((a, b) => a.start - b.start);
  }
  return out;
}
