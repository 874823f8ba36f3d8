import { toMs, type Interval } from '../calendar/intervals.js';
import type { Instant } from './types.js';

/**
 * A period excluded after the fact by an operator, with a reason and an author (DESIGN.md §5 "Corrections and
 * observations"). Nothing is deleted: a withdrawn correction keeps its row and stops applying from `withdrawnAt`.
 */
export interface Correction {
  id: string;
  start: Instant;
  end: Instant;
  reason: string;
  author: string;
  /** When it was recorded; figures computed "as of" an earlier instant do not apply it. */
  createdAt: Instant;
  withdrawnAt?: Instant | null;
  /** What it applies to; absent or empty lists match everything. */
  scope?: { clauses?: string[]; targets?: string[]; tenants?: string[]; journeys?: string[] };
}

/** The intervals excluded by corrections in force at `now` for one series of one clause. */
export function correctionIntervals(
  corrections: readonly Correction[],
  series: { clause: string; target: string; tenant: string; journey: string },
  now: Instant,
): Interval[] {
  const at = toMs(now);
  const ok = (list: string[] | undefined, v: string) => !list || list.length === 0 || list.includes(v);
  return corrections
    .filter((c) => toMs(c.createdAt) <= at && (c.withdrawnAt == null || toMs(c.withdrawnAt) > at))
    .filter((c) => ok(c.scope?.clauses, series.clause) && ok(c.scope?.targets, series.target) && ok(c.scope?.tenants, series.tenant) && ok(c.scope?.journeys, series.journey))
    .map((c) => ({ start: toMs(c.start), end: toMs(c.end) }));
}
