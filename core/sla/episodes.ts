import type { Party, Severity } from '../config/contract.js';
import { intersect, totalMs, type Interval } from '../calendar/intervals.js';
import type { FailureKind } from '../run-types.js';
import type { SlotOutcome } from './slot-states.js';
import { minuteClass } from './types.js';
import { isSorted } from './timeline.js';

/** An outage episode: a maximal run of down slots of a series (DESIGN.md §5 "Outage episodes"). */
export interface OutageEpisode {
  journey: string;
  /** Start of the first down slot, epoch ms. */
  start: number;
  /** End of the last down slot, epoch ms. */
  end: number;
  downSlots: number;
  /** Time to restore: service-hours minutes from `start` to `end` (the GTR a contract limits). */
  gtrMinutes: number;
  /** Elapsed minutes from `start` to `end`, for the chronology. */
  elapsedMinutes: number;
  severity: Severity;
  /** Parties of the down slots, in order of first appearance. */
  parties: Party[];
  /** Failure kinds of the down slots (timeout, http, security…), in order of first appearance: the chronology's "error". */
  kinds: FailureKind[];
}

/**
 * Outage episodes of one series from its slots in time order: a maximal run of `down` slots, where unknown and
 * excluded slots (and down slots of parties the clause does not count) neither break nor extend it, and an `up` or
 * `degraded` slot ends it. GTR = service-hours minutes of `[first down start, last down end)`; severity from the
 * clause (`severity[journey]`, default `majeur`). Down slots wholly outside the counted minutes (service hours,
 * holidays) neither start nor extend an episode: a Sunday outage is not an episode of a school-hours clause (the table
 * showed it next to "no data"); GTR and the 18:00 → 08:00 example are unchanged.
 */
export function detectOutageEpisodes(
  slots: readonly SlotOutcome[],
  options: { journey: string; counted: readonly Interval[]; parties: readonly Party[]; severity: Readonly<Record<string, Severity>> },
): OutageEpisode[] {
  const out: OutageEpisode[] = [];
  let current: { start: number; end: number; count: number; parties: Party[]; kinds: FailureKind[] } | null = null;
  const close = () => {
    if (!current) return;
    out.push({
      journey: options.journey,
      start: current.start,
      end: current.end,
      downSlots: current.count,
      gtrMinutes: totalMs(intersect([{ start: current.start, end: current.end }], options.counted)) / 60_000,
      elapsedMinutes: (current.end - current.start) / 60_000,
      severity: options.severity[options.journey] ?? 'majeur',
      parties: current.parties,
      kinds: current.kinds,
    });
    current = null;
  };
  const counted = [...options.counted].sort((a, b) => a.start - b.start);
  const cursor = { i: 0 };
  for (const slot of isSorted(slots) ? slots : [...slots].sort((a, b) => a.start - b.start)) {
    const klass = minuteClass(slot.state);
    if (klass === 'up') close();
    else if (klass === 'down') {
      if (!overlapsCounted(slot, counted, cursor)) continue;
      const party = slot.party ?? 'provider';
      if (!options.parties.includes(party)) continue;
      if (current) {
        current.end = slot.end;
        current.count++;
        if (!current.parties.includes(party)) current.parties.push(party);
        if (slot.kind && !current.kinds.includes(slot.kind)) current.kinds.push(slot.kind);
      } else current = { start: slot.start, end: slot.end, count: 1, parties: [party], kinds: slot.kind ? [slot.kind] : [] };
    }
  }
  close();
  return out;
}

/** Whether a slot overlaps the counted intervals; `cursor` advances monotonically (slots in time order). */
function overlapsCounted(slot: { start: number; end: number }, counted: readonly Interval[], cursor: { i: number }): boolean {
  while (cursor.i < counted.length && counted[cursor.i]!.end <= slot.start) cursor.i++;
  return cursor.i < counted.length && counted[cursor.i]!.start < slot.end;
}
