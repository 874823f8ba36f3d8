import { computeFigures, currentState, finalizeSlotStates, minuteClass, seriesFreshness, sumMinutes, type CurrentState } from '../core/sla/index.js';
import type { Party } from '../core/config/contract.js';
import type { SlaRun } from '../db/index.js';
import { loadSeries, type EngineSources } from './load-series.js';
import { round4 } from './output.js';

/** One row of `GET /api/v1/status`. */
export interface StatusRow {
  journey: string;
  tenant: string;
  target: string;
  schedule: string;
  state: string | null;
  /** Since when the series has been in the current state's availability class (up/degraded, down, unknown…). */
  since: string | null;
  lastSlotStart: string | null;
  /** Last 24 hours, every minute counted (24/7), every party: the measured picture, not a contract figure. */
  availability24hPercent: number | null;
  coverage24hPercent: number | null;
  /**
   * Freshness per location (issue 10 item 6, F21): whether each location's latest due slot has a result. When every
   * reference location is stale, `state` is `stale` and `since` is when the last of them went quiet.
   */
  locations: { location: string; stale: boolean; since: string | null; lastResultSlot: string | null; lastDueSlot: string | null }[];
  /** The schedule's freshness grace, seconds (its `grace`, or the default of core/sla/freshness.ts). */
  graceSeconds: number;
}

/** The status document. */
export interface StatusReport {
  generatedAt: string;
  rows: StatusRow[];
}

/** Every party: the status is the measured picture, whoever failed. */
const ALL_PARTIES: readonly Party[] = ['provider', 'educonnect', 'academie-idp', 'establishment-network', 'vigie'];

/** How far back the status looks: its availability and coverage are those of the last 24 hours. */
export const STATUS_WINDOW_MS = 24 * 3_600_000;

/**
 * Current state and last-24-hours availability per tenant × journey (schedules of the revisions in force over the
 * last 24 hours), from the same series the SLA report uses ({@link loadSeries}), 24/7, every party.
 */
export async function computeStatus(sources: EngineSources, now: Date): Promise<StatusReport> {
  const to = now.getTime();
  const from = to - STATUS_WINDOW_MS;
  const loaded = await loadSeries(sources, { from, to, now: to });
  const rows: StatusRow[] = [];
  for await (const s of loaded.series()) {
    const states = finalizeSlotStates(s.base, []);
    const end = states.pendingFrom ?? to;
    const figures = computeFigures(sumMinutes(states.timeline, [{ start: from, end }], { parties: ALL_PARTIES }));
    let current: CurrentState = currentState(states.slots);
    // A run whose slot is not an expected slot yet (the slot running when the first revision was stored, e.g. the
    // first 5-minute slot of a fresh `vigie start`) still tells the current state: without it such rows said null.
    const latest = s.runs.filter((r) => r.scheduledAt >= from && r.scheduledAt <= to).reduce<SlaRun | null>((a, r) => (!a || r.scheduledAt > a.scheduledAt ? r : a), null);
    if (latest && (current.lastSlotStart === null || latest.scheduledAt > current.lastSlotStart)) {
      // `since` spans an availability class (up and degraded are one stretch), as currentState counts it.
      const sameClass = current.state !== null && minuteClass(current.state) === minuteClass(latest.status);
      current = { state: latest.status, since: sameClass ? current.since : latest.scheduledAt, lastSlotStart: latest.scheduledAt };
    }
    const freshness = seriesFreshness({ slots: s.base.slots, pendingFrom: s.base.pendingFrom, locations: s.info.locations.map((l) => l.id), now: to, graceMs: s.info.graceMs, pauses: s.pauses });
    const refs = new Set(s.info.locations.filter((l) => l.kind === 'reference').map((l) => l.id));
    const judged = freshness.filter((f) => refs.size === 0 || refs.has(f.location));
    const stale = judged.length > 0 && judged.every((f) => f.stale);
    const state: string | null = stale ? 'stale' : current.state;
    const since = stale ? Math.max(...judged.map((f) => f.since!)) : current.since;
    const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
    const pct = (v: number | null) => (v === null ? null : round4(v));
    rows.push({
      journey: s.info.journey,
      tenant: s.info.tenant,
      target: s.info.target,
      schedule: s.info.scheduleId,
      state,
      since: iso(since),
      lastSlotStart: iso(current.lastSlotStart),
      availability24hPercent: pct(figures.availabilityPercent),
      coverage24hPercent: pct(figures.coveragePercent),
      locations: freshness.map((f) => ({ location: f.location, stale: f.stale, since: iso(f.since), lastResultSlot: iso(f.lastResultSlot), lastDueSlot: iso(f.lastDueSlot) })),
      graceSeconds: s.info.graceMs / 1000,
    });
  }
  return { generatedAt: now.toISOString(), rows: rows.sort((a, b) => a.tenant.localeCompare(b.tenant) || a.journey.localeCompare(b.journey)) };
}
