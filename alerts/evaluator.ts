import type { FlappingRule } from '../core/sla/flapping.js';
import { INITIAL_INCIDENT_STATE } from '../core/sla/incidents.js';
import { seriesRules } from './series-rules.js';
import type { PlatformRule } from '../core/sla/platform.js';
import type { AlertRepository, Recipient, RoutedSeries, RoutingSummary, SeriesAlertState } from '../db/index.js';
import type { SeriesSlots, SlotStreamRequest } from '../engine/index.js';

/** Who is told what (issue 10 item 4; alerts/routing.ts builds it from the config's `alerts.contacts`). */
export interface AlertRouting {
  /** Recipients of an establishment's incidents (its contacts, or its académie mailbox); empty: nobody. */
  recipientsOf(tenant: string): readonly Recipient[];
  /** The region's operators, told of platform incidents. */
  operators: readonly Recipient[];
  /** The security contacts (RSSI, DPO), told of `security` incidents besides the others (default: nobody). */
  security?: readonly Recipient[];
  /** The platform rule (DESIGN.md §5); default: more than half of a target's establishments, at least 2. */
  platform?: PlatformRule;
}

/** What the evaluator needs (ports): the engine's slot stream, the alert store and the routing. */
export interface AlertEvaluatorDeps {
  /** Final slots per series in `[from, to)` (engine `slots`, DESIGN.md §4). */
  slots(req: Omit<SlotStreamRequest, 'now'>): Promise<SeriesSlots[]>;
  repo: Pick<AlertRepository, 'states' | 'applyEvaluation' | 'route'>;
  routing: AlertRouting;
  /** Consecutive down slots that open an incident (DESIGN.md §5, default 2). */
  k?: number;
  /** How long an incident waits for its group's results of the slot before its routing is decided, ms (default 15 s). */
  groupWaitMs?: number;
  /**
   * How far back a series never evaluated before is read, ms (default 1 h): a fresh start reports an outage in
   * progress, not every outage of the stored history.
   */
  lookbackMs?: number;
  /**
   * How far back a series whose evaluation stopped is caught up, ms (default 24 h): after a long stop, older slots
   * are not read (their outages are in the SLA reports, not news to send).
   */
  maxCatchUpMs?: number;
  /** Domain of the notices' Message-IDs (`vigie.localhost` by default). */
  messageDomain?: string;
  /** Tell degraded incidents (K consecutive degraded slots) to the establishment; default false: recorded only. */
  notifyDegraded?: boolean;
  /** Flapping rule ("instable" instead of a message per outage); absent or null: off. */
  flapping?: FlappingRule | null;
}

/** What one evaluation did (for logs and tests). */
export interface EvaluationSummary extends RoutingSummary {
  series: number;
  opened: number;
  resolved: number;
}

/**
 * The alert evaluator (issue 10 items 1–2, 4): reads each series' final slots since where it stopped (stored), runs
 * the incident rules of DESIGN.md §5 (`detectIncidentTransitions`: open at the K-th consecutive down slot, unknown
 * and excluded slots skipped — so an on-time maintenance window suppresses notices —, resolve at the first up or
 * degraded slot; start and end taken from the slots), and stores, per series and in one transaction, the new state
 * and the incidents opened or resolved. Then routing (db/alert-routing.ts) decides, once the group's results of the
 * slot are in or the group wait is over, whether each new incident is its establishment's own or part of a platform
 * incident, and creates the notices. Restartable at any moment: everything it knows is in the store, so a restart
 * neither repeats a transition (F23 a, c) nor misses one that happened while it was down (F23 b: the recovery is
 * dated from the slots).
 */
export function createAlertEvaluator(deps: AlertEvaluatorDeps) {
  const k = deps.k ?? 2;
  const lookback = deps.lookbackMs ?? 3_600_000;
  const catchUp = deps.maxCatchUpMs ?? 86_400_000;
  const groupWaitMs = deps.groupWaitMs ?? 15_000;
  const domain = deps.messageDomain ?? 'vigie.localhost';
  const platform = deps.routing.platform ?? { share: 0.5, minTenants: 2 };
  return {
    /** Evaluates every series up to `now` (epoch ms), then routes the incidents that can be decided. */
    async evaluate(now: number): Promise<EvaluationSummary> {
      const states = await deps.repo.states();
      const since = (id: string) => Math.max(states.get(id)?.evaluatedUntil ?? now - lookback, now - catchUp);
      const from = Math.min(now - lookback, ...[...states.keys()].map(since));
      const series = await deps.slots({ from, to: now });
      const evaluated: RoutedSeries[] = [];
      const counts = { series: series.length, opened: 0, resolved: 0 };
      for (const s of series) {
        const start = since(s.scheduleId);
        const fresh = s.slots.filter((slot) => slot.start >= start);
        const info = { scheduleId: s.scheduleId, target: s.target, journey: s.journey, tenant: s.tenant };
        if (fresh.length === 0) {
          evaluated.push({ ...info, evaluatedUntil: states.get(s.scheduleId)?.evaluatedUntil ?? start });
          continue;
        }
        const stored: SeriesAlertState = states.get(s.scheduleId)?.state ?? INITIAL_INCIDENT_STATE;
        const decided = seriesRules(fresh, stored, s.scheduleId, { k, notifyDegraded: deps.notifyDegraded === true, flapping: deps.flapping ?? null });
        const { opened, resolved } = decided;
        const evaluatedUntil = fresh[fresh.length - 1]!.end;
        await deps.repo.applyEvaluation({ series: info, evaluatedUntil, ...decided, now, groupWaitMs }, domain);
        evaluated.push({ ...info, evaluatedUntil });
        counts.opened += opened.length;
        counts.resolved += resolved.length;
      }
      const routed = await deps.repo.route({ now, series: evaluated, recipientsOf: deps.routing.recipientsOf, operators: deps.routing.operators, security: deps.routing.security ?? [], platform, domain });
      return { ...counts, ...routed };
    },
  };
}

export type AlertEvaluator = ReturnType<typeof createAlertEvaluator>;
