import type { ContractConfig } from '../core/config/contract.js';
import { finalizeSlotStates, resolveWindowOccurrences, windowApplies, type LocationRef, type SlotOutcome } from '../core/sla/index.js';
import { windowKey } from '../db/index.js';
import { loadSeries, type EngineSources, type SeriesFilter } from './load-series.js';

/** The final slots of one series, in time order. */
export interface SeriesSlots {
  scheduleId: string;
  journey: string;
  target: string;
  tenant: string;
  locations: LocationRef[];
  /** Slots starting in `[from, to)` whose state is final (a slot still running with no result is left out). */
  slots: SlotOutcome[];
}

/** A request of the slot stream: slots starting in `[from, to)` as known at `now` (epoch ms). */
export interface SlotStreamRequest {
  from: number;
  to: number;
  now: number;
  filter?: SeriesFilter;
}

/**
 * The slot stream that alert evaluation reads (DESIGN.md §4, §5 "Outage episodes and incidents"): for each series,
 * its final slot states — the same ones the SLA report and the status use ({@link loadSeries}) — with the maintenance
 * windows of the contracts covering its target applied. For alerting a window counts when it was announced before the
 * occurrence starts (no notice period: a notice period decides what a contract excludes, not whether the
 * establishment is woken up): its slots are `maintenance`, which suppresses notices. Series come one at a time.
 */
export async function* streamSlots(sources: EngineSources, req: SlotStreamRequest): AsyncGenerator<SeriesSlots> {
  const loaded = await loadSeries(sources, { from: req.from, to: req.to, now: req.now }, req.filter);
  const latest = loaded.revisions.at(-1);
  const contracts: readonly ContractConfig[] = latest?.config.contracts ?? [];
  const lead = Math.max(0, ...loaded.schedules.map((s) => s.maxSlotMs));
  const windows = contracts.flatMap((c) => {
    const announced = c.maintenance.map((window) => ({ window, announcedAt: loaded.firstSeen.windows.get(windowKey(c.id, window)) ?? req.now }));
    const scopes = new Map(c.maintenance.map((w) => [w.id, w.scope]));
    return resolveWindowOccurrences(announced, req.from - lead, req.to, c.timezone, 0).map((o) => ({ occurrence: o, contract: c, scope: scopes.get(o.windowId) ?? {} }));
  });
  for await (const s of loaded.series()) {
    const mine = windows.filter((w) => (!w.contract.targets || w.contract.targets.includes(s.info.target)) && windowApplies(w.scope, s.info)).map((w) => w.occurrence);
    const states = finalizeSlotStates(s.base, mine);
    yield {
      scheduleId: s.info.scheduleId,
      journey: s.info.journey,
      target: s.info.target,
      tenant: s.info.tenant,
      locations: s.info.locations,
      slots: states.slots.filter((slot) => slot.start >= req.from),
    };
  }
}
