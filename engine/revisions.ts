import type { ContractConfig } from '../core/config/contract.js';
import { parseRevisionSnapshot } from '../core/config/revision.js';
import type { VigieConfig } from '../core/config/schema.js';
import { VigieError } from '../core/errors.js';
import { toSlotSchedule, type SlotSchedule } from '../core/slots.js';
import { defaultFreshnessGraceMs, type LocationRef, type ScheduleRevisionSpan } from '../core/sla/index.js';
import type { ConfigRevision, RevisionRepository } from '../db/index.js';

/** A stored revision read back through its schema (core/config/revision.ts): never a cast of the jsonb. */
export interface ParsedRevision {
  id: number;
  /** Epoch ms. */
  createdAt: number;
  config: VigieConfig;
}

/** Reads revisions through their schema, each parsed once (revisions are immutable: the cache is keyed by id). */
export interface RevisionReader {
  /** The revisions in force during `[from, to)`, oldest first ({@link RevisionRepository.listInForce}). */
  inForce(from: number, to: number): Promise<ParsedRevision[]>;
  /** The latest revision, or null. */
  latest(): Promise<ParsedRevision | null>;
}

/** Largest number of parsed revisions kept (a long-running `vigie start` stores one per start or reload). */
const CACHE_SIZE = 64;

/**
 * A {@link RevisionReader} over the revision repository.
 * @throws (from its methods) VigieError `CONFIG` naming a revision whose snapshot does not parse.
 */
export function createRevisionReader(repo: Pick<RevisionRepository, 'listInForce' | 'latest'>): RevisionReader {
  const cache = new Map<number, VigieConfig>();
  const parse = (r: ConfigRevision): ParsedRevision => {
    let config = cache.get(r.id);
    if (!config) {
      config = parseRevisionSnapshot(r.snapshot, { id: r.id, createdAt: r.createdAt });
      cache.set(r.id, config);
      if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as number);
    }
    return { id: r.id, createdAt: Date.parse(r.createdAt), config };
  };
  return {
    inForce: async (from, to) => (await repo.listInForce(new Date(from), new Date(to))).map(parse),
    latest: async () => {
      const r = await repo.latest();
      return r ? parse(r) : null;
    },
  };
}

/** One schedule as the engine sees it over a period: the series it feeds and when each revision's version applied. */
export interface SeriesInfo {
  scheduleId: string;
  journey: string;
  tenant: string;
  target: string;
  departement: string;
  zone: string;
  probed: boolean;
  locations: LocationRef[];
  /**
   * When the schedule's slots applied: one span per run of consecutive revisions in force that had it enabled with
   * the same slots (a new revision that leaves its slots unchanged extends the span; a change starts a new one).
   */
  spans: ScheduleRevisionSpan[];
  /** When revisions holding the schedule (enabled or not) were in force, epoch ms (`to` null: still in force). */
  presence: { from: number; to: number | null }[];
  /** Longest slot, ms: runs are read from `from − this`, so the slot running at the period's start is found. */
  maxSlotMs: number;
  /** Freshness grace of the latest revision's schedule, ms (`grace`, or core's `defaultFreshnessGraceMs`). */
  graceMs: number;
}

function slotLengthMs(s: SlotSchedule): number {
  // A cron slot of a day or more is a calendar duration: up to an hour longer on the autumn DST night.
  return s.intervalSeconds * 1000 + (s.kind === 'cron' ? 3_600_000 : 0);
}

/** Whether two slot schedules give the same slots (same kind, interval or cron pattern, zone and offset). */
export function sameSchedule(a: SlotSchedule, b: SlotSchedule): boolean {
  const x = a as Readonly<Record<string, unknown>>;
  const y = b as Readonly<Record<string, unknown>>;
  for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) if (x[k] !== y[k]) return false;
  return true;
}

/** The freshness grace of a schedule, ms: its `grace`, else the default from its slot, offset and journey timeout. */
function graceOf(s: VigieConfig['schedules'][number], config: VigieConfig): number {
  if (s.grace !== undefined) return s.grace * 1000;
  const timeout = config.journeys[s.journey]?.timeout ?? 60;
  return defaultFreshnessGraceMs((s.every ?? s.interval ?? 60) * 1000, (s.offset ?? 0) * 1000, timeout * 1000);
}

/**
 * The schedules of the revisions in force, in the order they first appear, each with its spans (when each revision's
 * version of it was in force). The latest revision's version describes the series (journey, tenant, locations).
 */
export function schedulesOf(revisions: readonly ParsedRevision[]): SeriesInfo[] {
  const out = new Map<string, SeriesInfo>();
  revisions.forEach((rev, i) => {
    const config = rev.config;
    const next = revisions[i + 1];
    const to = next ? next.createdAt : null;
    const tenants = new Map(config.tenants.map((t) => [t.uai, t]));
    const locs = new Map(config.locations.map((l) => [l.id, l.kind]));
    for (const s of config.schedules) {
      const tenant = tenants.get(s.tenant);
      if (!tenant) continue;
      const prev = out.get(s.id);
      const info: SeriesInfo = {
        scheduleId: s.id,
        journey: s.journey,
        tenant: s.tenant,
        target: tenant.target,
        departement: tenant.departement,
        zone: tenant.zone,
        probed: tenant.probed,
        locations: s.locations.map((id) => ({ id, kind: locs.get(id) ?? 'reference' })),
        spans: prev?.spans ?? [],
        presence: prev?.presence ?? [],
        maxSlotMs: prev?.maxSlotMs ?? 0,
        graceMs: graceOf(s, config),
      };
      info.presence.push({ from: rev.createdAt, to });
      if (s.enabled !== false) {
        const schedule = toSlotSchedule(s, config.timezone);
        const last = info.spans.at(-1);
        // The same slots in the next revision (a restart, a change elsewhere in the config): one span, so the slot
        // running at the restart is neither cut nor left unexpected (it was "non planifié" after each restart).
        if (last && last.to === rev.createdAt && sameSchedule(last.schedule, schedule)) last.to = to;
        else info.spans.push({ schedule, from: rev.createdAt, to });
        info.maxSlotMs = Math.max(info.maxSlotMs, slotLengthMs(schedule));
      }
      // Re-inserting would move it to the end: keep first-appearance order.
      if (prev) Object.assign(prev, info);
      else out.set(s.id, info);
    }
  });
  return [...out.values()];
}

/**
 * The contract `id`: from `given` (a `--config` file) first, else the latest revision that has it.
 * @throws VigieError `NOT_FOUND` listing the known contracts (or saying there is none).
 */
export function findContract(id: string, revisions: readonly ParsedRevision[], given?: readonly ContractConfig[]): ContractConfig {
  const fromGiven = given?.find((c) => c.id === id);
  if (fromGiven) return fromGiven;
  for (const rev of [...revisions].reverse()) {
    const c = rev.config.contracts.find((x) => x.id === id);
    if (c) return c;
  }
  const known = new Set([...(given ?? []).map((c) => c.id), ...revisions.flatMap((r) => r.config.contracts.map((c) => c.id))]);
  const list = known.size ? `connus / known: ${[...known].join(', ')}` : 'aucun contrat dans la configuration / no contract in the config (contracts:)';
  throw new VigieError('NOT_FOUND', `contrat inconnu / unknown contract "${id}" (${list})`);
}

/** Whether a schedule was in a revision in force at some point of `[from, to)`. */
export function presentDuring(info: Pick<SeriesInfo, 'presence'>, from: number, to: number): boolean {
  return info.presence.some((p) => p.from < to && (p.to === null || p.to > from));
}

/** The revisions in force at some point of `[from, to)` (a list from `inForce` over a longer period). */
export function revisionsDuring(revisions: readonly ParsedRevision[], from: number, to: number): ParsedRevision[] {
  return revisions.filter((r, i) => {
    const next = revisions[i + 1];
    return r.createdAt < to && (!next || next.createdAt > from);
  });
}
