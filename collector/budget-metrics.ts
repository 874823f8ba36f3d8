import { Gauge, type Registry } from 'prom-client';
import type { ClauseBudget } from '../engine/index.js';

/**
 * The error-budget gauges (issue 10 item 7), per contract and clause, from the engine's {@link ClauseBudget}s:
 * `vigie_sla_target_ratio`, month to date `vigie_sla_availability_ratio`, `vigie_sla_coverage_ratio`,
 * `vigie_sla_error_budget_consumed_ratio`, `vigie_sla_error_budget_remaining_ratio`, the burn rate per rolling window
 * `vigie_sla_burn_rate_ratio{window}`, and `vigie_sla_budgets_updated_timestamp_seconds` (the rules' `absent()` and
 * staleness checks). A figure that is null (nothing observed, nothing expected) is removed from its gauge, so no series
 * ever shows NaN or ±Inf (F7): Prometheus sees a gap.
 */
export function createBudgetGauges(registry: Registry) {
  const labels = ['contract', 'clause'] as const;
  const gauge = (name: string, help: string) => new Gauge({ name, help, labelNames: labels, registers: [registry] });
  const figures = {
    target: gauge('vigie_sla_target_ratio', "The clause's availability target (SLO), 0 to 1."),
    availability: gauge('vigie_sla_availability_ratio', 'Availability of the month so far (corrected figures, service hours), 0 to 1.'),
    coverage: gauge('vigie_sla_coverage_ratio', 'Coverage of the month so far (observed minutes over counted minutes), 0 to 1.'),
    consumed: gauge('vigie_sla_error_budget_consumed_ratio', "Share of the month's error budget spent so far (above 1: overspent)."),
    remaining: gauge('vigie_sla_error_budget_remaining_ratio', "Share of the month's error budget left (negative: overspent)."),
  } as const;
  const burn = new Gauge({
    name: 'vigie_sla_burn_rate_ratio',
    help: "Burn rate over a rolling window: down minutes over the window's expected minutes, over the allowed share (1 spends the budget exactly).",
    labelNames: ['contract', 'clause', 'window'] as const,
    registers: [registry],
  });
  const updated = new Gauge({ name: 'vigie_sla_budgets_updated_timestamp_seconds', help: 'When the budget gauges were last computed (Unix time).', registers: [registry] });
  return {
    /** Replaces every budget gauge with `budgets`, computed at `at` (epoch ms). */
    set(budgets: readonly ClauseBudget[], at: number): void {
      for (const g of [...Object.values(figures), burn]) g.reset();
      for (const b of budgets) {
        const l = { contract: b.contract, clause: b.clause };
        for (const key of Object.keys(figures) as (keyof typeof figures)[]) {
          const v = b[key];
          if (v !== null && Number.isFinite(v)) figures[key].set(l, v);
        }
        for (const [window, v] of Object.entries(b.burnRates)) if (Number.isFinite(v)) burn.set({ ...l, window }, v);
      }
      updated.set(at / 1000);
    },
  };
}

/**
 * Keeps the budget gauges fresh in `vigie start`: computes the budgets (in the engine's thread, off the probing event
 * loop) every `everyMs`, the first time `everyMs` after the start (the start's first slots run first; until then the
 * gauges have no series, a gap), and hands them to `set`; a failure (store unreachable) is logged once per outage and
 * leaves the previous figures, whose `vigie_sla_budgets_updated_timestamp_seconds` then ages (the staleness rule).
 */
export function startBudgetRefresh(opts: {
  budgets(): Promise<ClauseBudget[]>;
  set(budgets: readonly ClauseBudget[], at: number): void;
  everyMs: number;
  logger: { warn(obj: object, msg: string): void; info(msg: string): void };
}): { close(): Promise<void> } {
  let failing = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const refresh = async () => {
    try {
      const budgets = await opts.budgets();
      opts.set(budgets, Date.now());
      if (failing) opts.logger.info("budgets d'erreur : de nouveau calculés / error budgets: computed again");
      failing = false;
    } catch (err) {
      if (!failing) opts.logger.warn({ err: err instanceof Error ? err.message : String(err) }, "budgets d'erreur : calcul en échec, nouvel essai plus tard / error budgets: computation failed, trying again later");
      failing = true;
    }
  };
  const loop = () => {
    if (closed) return;
    running = refresh().finally(() => {
      if (closed) return;
      timer = setTimeout(loop, opts.everyMs);
      timer.unref?.();
    });
  };
  timer = setTimeout(loop, opts.everyMs);
  timer.unref?.();
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      await running;
    },
  };
}
