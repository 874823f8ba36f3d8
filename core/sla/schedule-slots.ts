import { slotContaining, slotsBetween, type Slot, type SlotSchedule } from '../slots.js';
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
  const lo = toMs(from);
  const hi = toMs(to);
  const out: Slot[] = [];
  for (const span of [...spans].sort((a, b) => toMs(a.from) - toMs(b.from))) {
    const start = Math.max(lo, toMs(span.from));
    const end = Math.min(hi, span.to == null ? hi : toMs(span.to));
    if (end <= start) continue;
    const running = slotContaining(span.schedule, new Date(start));
    if (running && running.start.getTime() < start && running.start.getTime() >= toMs(span.from)) {
      out.push({ start: running.start, end: new Date(Math.min(running.end.getTime(), end)) });
    }
    for (const slot of slotsBetween(span.schedule, new Date(start), new Date(end))) {
      const s = slot.start.getTime();
      if (s < start || s >= end) continue;
      out.push({ start: slot.start, end: new Date(Math.min(slot.end.getTime(), span.to == null ? Infinity : toMs(span.to))) });
    }
  }
  return out.sort((a, b) => a.start.getTime() - b.start.getTime());
}
