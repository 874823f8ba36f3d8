import { DateTime } from 'luxon';
import type { ContractConfig } from '../core/config/contract.js';
import type { FigureOutput } from './output.js';
import { computeSlaReport, type SlaSources } from './sla-report.js';

/**
 * Rolling windows of the burn rates, with their lengths in ms. The pairs 5m/1h and 30m/6h are the short and long
 * windows of the multiwindow burn-rate alerts of Google's SRE workbook ("Alerting on SLOs", table 5-8); 1d, 3d and
 * 30d give the slow burns and the month's pace.
 */
export const BURN_WINDOWS = { '5m': 5 * 60_000, '30m': 30 * 60_000, '1h': 3_600_000, '6h': 6 * 3_600_000, '1d': 86_400_000, '3d': 3 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type BurnWindow = keyof typeof BURN_WINDOWS;

/** One clause's budget figures (`vigie_sla_*` gauges, issue 10 item 7); every null figure is left out, never NaN. */
export interface ClauseBudget {
  contract: string;
  clause: string;
  /** The clause's target, 0…1. */
  target: number;
  /** Month to date, in the contract's zone (corrected figures), 0…1; null when nothing was observed. */
  availability: number | null;
  coverage: number | null;
  /** Error budget of the month so far: down ÷ (eligible × allowed share); > 1 when overspent. */
  consumed: number | null;
  /** 1 − consumed; negative when overspent. */
  remaining: number | null;
  /**
   * Burn rate per rolling window ending now: down minutes ÷ the window's *expected* minutes (counted − excluded −
   * paused: missed and error minutes stay in, so a few early data points never page) ÷ the allowed share. Null when
   * the window expects nothing (outside service hours, all paused): left out, not 0/0 (F7).
   */
  burnRates: Partial<Record<BurnWindow, number>>;
}

/** The allowed share of a target, as computeErrorBudget rounds it (99.9 → exactly 0.001). */
const allowedShare = (targetPercent: number) => Math.round((100 - targetPercent) * 1e12) / 1e14;

/** Burn rate of one clause's corrected figures over a window; null when the window expects nothing. */
export function windowBurnRate(f: FigureOutput, targetPercent: number): number | null {
  const s = f.sums;
  const expected = s.countedMinutes - s.excludedMinutes - (s.byState.paused ?? 0);
  const allowed = allowedShare(targetPercent);
  if (expected <= 0 || allowed <= 0) return null;
  return s.downMinutes / expected / allowed;
}

/**
 * The budgets of every clause of `contracts` at `now`: the month-to-date SLA report (the month of `now` in the
 * contract's zone, or `opts.month` — a closed month, `yyyy-MM`) and one report per {@link BURN_WINDOWS} window. A contract
 * without data yet (no revision before the window) gives what it can; errors other than "nothing to report" propagate.
 */
export async function computeBudgets(sources: SlaSources, contracts: readonly ContractConfig[], now: Date, opts0: { month?: string } = {}): Promise<ClauseBudget[]> {
  const out: ClauseBudget[] = [];
  const opts = { contracts };
  const report = (contract: string, period: { month: string } | { from: string; to: string }) =>
    computeSlaReport(sources, { contract, period }, now, opts).catch((err: unknown) => {
      if ((err as { code?: unknown }).code === 'NOT_FOUND' || (err as { code?: unknown }).code === 'VALIDATION') return null;
      throw err;
    });
  for (const c of contracts) {
    const month = opts0.month ?? DateTime.fromMillis(now.getTime(), { zone: c.timezone }).toFormat('yyyy-MM');
    const mtd = await report(c.id, { month });
    const rows = new Map<string, ClauseBudget>(
      c.clauses.map((cl) => {
        const got = mtd?.clauses.find((x) => x.id === cl.id);
        const f = got?.corrected;
        const pct = (v: number | null | undefined) => (v === null || v === undefined ? null : v / 100);
        return [cl.id, { contract: c.id, clause: cl.id, target: cl.targetPercent / 100, availability: pct(f?.figures.availabilityPercent), coverage: pct(f?.figures.coveragePercent), consumed: pct(f?.errorBudget?.consumedPercent), remaining: pct(f?.errorBudget?.remainingPercent), burnRates: {} }];
      }),
    );
    for (const [name, ms] of Object.entries(BURN_WINDOWS) as [BurnWindow, number][]) {
      const w = await report(c.id, { from: new Date(now.getTime() - ms).toISOString(), to: now.toISOString() });
      for (const cl of w?.clauses ?? []) {
        const rate = windowBurnRate(cl.corrected, cl.targetPercent);
        const row = rows.get(cl.id);
        if (row && rate !== null) row.burnRates[name] = rate;
      }
    }
    out.push(...rows.values());
  }
  return out;
}
