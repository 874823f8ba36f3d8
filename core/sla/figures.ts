import { VigieError } from '../errors.js';
import type { MinuteSums } from './minutes.js';

/** Availability and coverage of a scope over a period (DESIGN.md §5 "Availability"). */
export interface AvailabilityFigures {
  /** (up + degraded) / (counted − excluded − unknown) × 100; null when nothing was observed ("no data"). */
  availabilityPercent: number | null;
  /** observed / (counted − excluded) × 100; null when every counted minute was excluded (or none counted). */
  coveragePercent: number | null;
  /** degraded / (counted − excluded) × 100, reported apart (degraded counts as up). */
  degradedPercent: number | null;
  /** Pessimistic availability: unknown minutes counted as down, up / (counted − excluded) × 100 (F3); null as coverage. */
  pessimisticPercent: number | null;
  /** Nothing observed: print "no data", never 0 % or 100 %. */
  noData: boolean;
  /** Coverage below {@link LOW_COVERAGE_PERCENT}: the availability rests on too little observation; reports flag it. */
  lowCoverage: boolean;
}

/**
 * Coverage under which a figure is flagged (F1: 24.38 % is flagged). 90 %: below it, more than one counted minute in
 * ten was not observed, enough to hide a whole school morning's outage in a month.
 */
export const LOW_COVERAGE_PERCENT = 90;

/**
 * Availability, coverage and degraded share from pooled minute sums. Never NaN or infinite: a zero denominator
 * gives null. Availability and coverage are asserted (not clamped) to lie in [0, 100]: a value outside is a bug, and
 * throws VigieError `INTERNAL`.
 */
export function computeFigures(sums: MinuteSums): AvailabilityFigures {
  const eligible = sums.countedMinutes - sums.excludedMinutes - sums.unknownMinutes;
  const base = sums.countedMinutes - sums.excludedMinutes;
  const availabilityPercent = eligible > 0 && sums.observedMinutes > 0 ? assertPercent('availability', (sums.upMinutes / eligible) * 100) : null;
  const coveragePercent = base > 0 ? assertPercent('coverage', (sums.observedMinutes / base) * 100) : null;
  const degradedPercent = base > 0 ? assertPercent('degraded share', (sums.degradedMinutes / base) * 100) : null;
  const pessimisticPercent = base > 0 ? assertPercent('pessimistic availability', (sums.upMinutes / base) * 100) : null;
  return {
    availabilityPercent,
    coveragePercent,
    degradedPercent,
    pessimisticPercent,
    noData: availabilityPercent === null,
    lowCoverage: coveragePercent !== null && coveragePercent < LOW_COVERAGE_PERCENT,
  };
}

/** Throws when a percentage is not a finite number in [0, 100] (with a rounding tolerance of 1e-9). */
export function assertPercent(name: string, value: number): number {
  if (!Number.isFinite(value) || value < -1e-9 || value > 100 + 1e-9) {
    throw new VigieError('INTERNAL', `${name} out of range: ${value} (minute sums are inconsistent)`);
  }
  return value;
}

/** Error budget of an SLO over a period (field scenario F7). */
export interface ErrorBudget {
  /** SLO, percent (the clause's target). */
  targetPercent: number;
  /** Eligible minutes = up + down (counted − excluded − unknown). */
  eligibleMinutes: number;
  /** Allowed down minutes = eligible × (100 − target) / 100. */
  budgetMinutes: number;
  /** down / budget × 100; may exceed 100 (overspent); null when the budget is zero and something failed. */
  consumedPercent: number | null;
  /** 100 − consumed; negative when overspent; null with consumed. */
  remainingPercent: number | null;
  /** (down / eligible) / ((100 − target) / 100): 1 spends the budget exactly over the period. */
  burnRate: number | null;
  overspent: boolean;
}

/**
 * Error budget, consumption and burn rate from minute sums; null when nothing was observed (no data: no NaN, no
 * Infinity, field scenario F7). The allowed share `(100 − target) / 100` is rounded to 1e-12 so that 99.9 gives
 * exactly 0.001.
 */
export function computeErrorBudget(sums: MinuteSums, targetPercent: number): ErrorBudget | null {
  const eligible = sums.upMinutes + sums.downMinutes;
  if (eligible <= 0) return null;
  const allowed = Math.round((100 - targetPercent) * 1e12) / 1e14;
  const budgetMinutes = eligible * allowed;
  const down = sums.downMinutes;
  if (budgetMinutes === 0) {
    return { targetPercent, eligibleMinutes: eligible, budgetMinutes, consumedPercent: down === 0 ? 0 : null, remainingPercent: down === 0 ? 100 : null, burnRate: down === 0 ? 0 : null, overspent: down > 0 };
  }
  const consumedPercent = (down / budgetMinutes) * 100;
  return {
    targetPercent,
    eligibleMinutes: eligible,
    budgetMinutes,
    consumedPercent,
    remainingPercent: 100 - consumedPercent,
    burnRate: down / eligible / allowed,
    overspent: consumedPercent > 100,
  };
}
