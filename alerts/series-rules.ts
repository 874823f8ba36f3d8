import { detectFlapping, INITIAL_FLAPPING_STATE, type FlappingRule } from '../core/sla/flapping.js';
import { detectDegradedTransitions, detectIncidentTransitions, INITIAL_INCIDENT_STATE } from '../core/sla/incidents.js';
import type { SlotOutcome } from '../core/sla/index.js';
import type { SeriesAlertState, SeriesEvaluation } from '../db/index.js';

/** The rules one series' new slots go through, and what they decide (issue 10 item 1). */
export interface SeriesRulesOptions {
  k: number;
  notifyDegraded: boolean;
  /** Flapping rule; null: off. */
  flapping: FlappingRule | null;
}

/** Prefix of the key of a series' flapping incidents (`flap:<schedule>`): one flapping incident at a time per series. */
export const FLAP_PREFIX = 'flap:';

/**
 * Runs a series' fresh final slots through the incident rules of DESIGN.md §5 from its stored state: outages (K
 * consecutive down slots; `security` when the confirming slot failed with kind `security`), degraded incidents (told
 * only with `notifyDegraded`), and flapping (`core/sla/flapping.ts`: one `flapping` incident, "instable", instead of
 * a message per outage: an outage opened while the series flaps is recorded for nobody; when the flapping ends with an
 * outage still open and untold, that outage is released to routing and told then).
 */
export function seriesRules(fresh: readonly SlotOutcome[], stored: SeriesAlertState, scheduleId: string, o: SeriesRulesOptions): Pick<SeriesEvaluation, 'state' | 'opened' | 'resolved' | 'release'> {
  const { degraded: previousDegraded, flapping: previousFlap, ...previous } = stored;
  const outage = detectIncidentTransitions(fresh, { k: o.k, state: previous });
  const slow = detectDegradedTransitions(fresh, { k: o.k, state: previousDegraded ?? INITIAL_INCIDENT_STATE });
  const flap = o.flapping ? detectFlapping(fresh, o.flapping, previousFlap ?? INITIAL_FLAPPING_STATE) : null;
  // Flapping turned off while a series flaps: its flapping ends at the first new slot (STABLE), outages are told again.
  const flapOff = !o.flapping && previousFlap?.open === true;
  const flapOpenAt = (t: number) => {
    if (!o.flapping) return false;
    let open = previousFlap?.open ?? false;
    for (const f of flap?.transitions ?? []) if (f.at <= t) open = f.type === 'open';
    return open;
  };
  const kindAt = new Map(fresh.map((slot) => [slot.start, slot.kind]));
  const opened: SeriesEvaluation['opened'] = [
    ...outage.transitions.filter((t) => t.type === 'open').map((t) => ({ outageStart: t.outageStart, openedAt: t.at, severity: kindAt.get(t.at) === 'security' ? ('security' as const) : ('outage' as const), ...(flapOpenAt(t.at) ? { notify: false } : {}) })),
    ...slow.transitions.filter((t) => t.type === 'open').map((t) => ({ outageStart: t.outageStart, openedAt: t.at, severity: 'degraded' as const, ...(o.notifyDegraded ? {} : { notify: false }) })),
    ...(flap?.transitions ?? []).filter((t) => t.type === 'open').map((t) => ({ key: `${FLAP_PREFIX}${scheduleId}`, outageStart: t.since, openedAt: t.at, severity: 'flapping' as const, detail: { changes: t.changes, window: o.flapping!.window } })),
  ];
  const resolved: SeriesEvaluation['resolved'] = [
    ...[...outage.transitions, ...slow.transitions].filter((t) => t.type === 'resolve').map((t) => ({ outageStart: t.outageStart, resolvedAt: t.at })),
    ...(flap?.transitions ?? []).filter((t) => t.type === 'resolve').map((t) => ({ key: `${FLAP_PREFIX}${scheduleId}`, outageStart: t.since, resolvedAt: t.at })),
    ...(flapOff && fresh[0] ? [{ key: `${FLAP_PREFIX}${scheduleId}`, outageStart: previousFlap!.since ?? fresh[0].start, resolvedAt: fresh[0].start }] : []),
  ];
  const release = flapOff || (flap?.transitions ?? []).some((t) => t.type === 'resolve');
  return { state: { ...outage.state, degraded: slow.state, ...(flap ? { flapping: flap.state } : {}) }, opened, resolved, ...(release ? { release: true } : {}) };
}
