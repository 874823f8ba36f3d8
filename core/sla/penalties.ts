import type { PenaltiesConfig, Severity } from '../config/contract.js';
import { formatNumber, formatPercent } from '../text-format.js';

/** One line of the penalty statement. */
export interface PenaltyLine {
  /** Local month `yyyy-MM`. */
  month: string;
  /** Contract year, from 1 (year 1 starts on the contract's start date). */
  contractYear: number;
  kind: 'availability-tier' | 'gtr-overrun' | 'monthly-cap' | 'yearly-cap';
  /** French label shown in reports. */
  label: string;
  /** The same label in English (English numbers). */
  labelEn: string;
  /** Amount; cap lines are negative (they take back what exceeds the cap). */
  amount: number;
}

/** The inputs of one month of one clause. */
export interface PenaltyMonth {
  month: string;
  /** The month's (corrected) availability; null = no data, no tier applies (said in a line-free note by the caller). */
  availabilityPercent: number | null;
  episodes: readonly { start: number; severity: Severity; gtrMinutes: number; journey: string }[];
}

export interface PenaltyStatement {
  lines: PenaltyLine[];
  /** Total per month after caps. */
  monthTotals: Record<string, number>;
  /** Total per contract year after caps. */
  yearTotals: Record<number, number>;
  total: number;
}

/**
 * Penalties of one clause, line by line (DESIGN.md §5 "Penalties"):
 * - availability: the lowest tier whose `below` exceeds the month's availability is owed (tiers do not add up);
 * - GTR: each episode whose time to restore exceeds the limit of its severity owes the flat amount plus the amount
 *   per started hour beyond the limit;
 * - the month's total is capped at `monthlyCap`, then the contract year's running total at `yearlyCap` (contract
 *   years start on `contractStart` each year; a month belongs to the year containing its first day).
 * `priorYearTotals` carries amounts already owed earlier in a contract year (months before the statement).
 */
export function computePenalties(
  config: PenaltiesConfig,
  months: readonly PenaltyMonth[],
  contractStart: string,
  priorYearTotals: Readonly<Record<number, number>> = {},
): PenaltyStatement {
  const lines: PenaltyLine[] = [];
  const monthTotals: Record<string, number> = {};
  const yearTotals: Record<number, number> = { ...priorYearTotals };
  const tiers = [...config.availabilityTiers].sort((a, b) => a.below - b.below);
  for (const m of [...months].sort((a, b) => a.month.localeCompare(b.month))) {
    const year = contractYearOf(m.month, contractStart);
    const monthLines: PenaltyLine[] = [];
    if (m.availabilityPercent !== null) {
      const tier = tiers.find((t) => m.availabilityPercent! < t.below);
      if (tier && tier.amount > 0) {
        monthLines.push({ month: m.month, contractYear: year, kind: 'availability-tier', label: `Disponibilité ${formatPercent(m.availabilityPercent, 'fr', 2)} < ${formatNumber(tier.below, 'fr', 4)} %`, labelEn: `Availability ${formatPercent(m.availabilityPercent, 'en', 2)} < ${formatNumber(tier.below, 'en', 4)}%`, amount: tier.amount });
      }
    }
    for (const e of [...m.episodes].sort((a, b) => a.start - b.start)) {
      const limit = config.gtr.find((g) => g.severity === e.severity);
      if (!limit) continue;
      const overrunMinutes = e.gtrMinutes - limit.limit / 60;
      if (overrunMinutes <= 0) continue;
      const hours = Math.ceil(overrunMinutes / 60);
      const amount = limit.amount + hours * limit.amountPerStartedHour;
      if (amount <= 0) continue;
      monthLines.push({
        month: m.month,
        contractYear: year,
        kind: 'gtr-overrun',
        label: `GTR ${e.journey} (${e.severity}) ${formatMinutes(e.gtrMinutes)} > ${formatMinutes(limit.limit / 60)} : ${hours} h entamée(s) au-delà`,
        labelEn: `GTR ${e.journey} (${e.severity}) ${formatMinutes(e.gtrMinutes)} > ${formatMinutes(limit.limit / 60)}: ${hours} started hour(s) over`,
        amount,
      });
    }
    let monthTotal = monthLines.reduce((s, l) => s + l.amount, 0);
    if (config.monthlyCap !== undefined && monthTotal > config.monthlyCap) {
      monthLines.push({ month: m.month, contractYear: year, kind: 'monthly-cap', label: `Plafond mensuel ${formatNumber(config.monthlyCap, 'fr')}`, labelEn: `Monthly cap ${formatNumber(config.monthlyCap, 'en')}`, amount: config.monthlyCap - monthTotal });
      monthTotal = config.monthlyCap;
    }
    const before = yearTotals[year] ?? 0;
    if (config.yearlyCap !== undefined && before + monthTotal > config.yearlyCap) {
      const allowed = Math.max(0, config.yearlyCap - before);
      monthLines.push({ month: m.month, contractYear: year, kind: 'yearly-cap', label: `Plafond annuel ${formatNumber(config.yearlyCap, 'fr')} (année contractuelle ${year})`, labelEn: `Yearly cap ${formatNumber(config.yearlyCap, 'en')} (contract year ${year})`, amount: allowed - monthTotal });
      monthTotal = allowed;
    }
    yearTotals[year] = before + monthTotal;
    monthTotals[m.month] = monthTotal;
    lines.push(...monthLines);
  }
  const total = Object.values(monthTotals).reduce((s, v) => s + v, 0);
  return { lines, monthTotals, yearTotals, total };
}

/** Contract year (from 1) of a local month `yyyy-MM`, for a contract starting on `yyyy-MM-dd`. */
export function contractYearOf(month: string, contractStart: string): number {
  const firstDay = `${month}-01`;
  const startYear = Number(contractStart.slice(0, 4));
  const anniversary = (y: number) => `${y}${contractStart.slice(4)}`;
  let y = Number(month.slice(0, 4));
  if (firstDay < anniversary(y)) y--;
  return y - startYear + 1;
}

function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes - h * 60);
  return `${h} h ${String(m).padStart(2, '0')}`;
}
