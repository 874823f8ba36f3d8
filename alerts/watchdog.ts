import { silentLocations } from '../core/sla/freshness.js';
import type { InternalCondition, InternalKind, InternalSummary, Recipient } from '../db/index.js';
import type { StatusReport, StatusRow } from '../engine/index.js';

/** Longest a stale schedule waits for the other schedules of its location to be due before being told alone, ms. */
export const LOCATION_WAIT_CAP_MS = 3_600_000;

/** Browser crash-rate rule: over the last hour, at least `minAttempts` attempts and a crashed share ≥ `threshold`. */
export interface CrashRule {
  /** Share of attempts, 0…1 (default 0.2). */
  threshold: number;
  /** Attempts needed before a rate means anything (default 5: a few early data points never page). */
  minAttempts: number;
}

/** What the watchdog reads and where it writes (ports). */
export interface WatchdogDeps {
  /** The engine's current status (its rows carry per-location freshness, engine/status.ts). */
  status(): Promise<StatusReport>;
  /** Attempts and those that lost their browser (crash or disconnect) in `[from, to)`, epoch ms. */
  crashes?(from: number, to: number): Promise<{ attempts: number; crashed: number }>;
  repo: { syncInternal(input: { now: number; conditions: readonly InternalCondition[]; managed: readonly InternalKind[]; operators: readonly Recipient[]; domain: string }): Promise<InternalSummary> };
  operators: readonly Recipient[];
  domain: string;
  crashRule?: CrashRule;
}

/**
 * The freshness watchdog (issue 10 item 6), one pass per alert tick, the same in the embedded and distributed modes
 * (it reads the status the engine computes from the stored slots and runs, not a timer of this process, so a restart
 * never re-arms a deadline: F21 a). Raises, to the operators only and never as ENT downtime:
 * - `stale`: a schedule's location without a result past its grace (status `stale`);
 * - `location`: a location running two schedules or more, all of them stale — one message for the location (F21 c);
 *   a stale schedule waits (up to {@link LOCATION_WAIT_CAP_MS}) until every other schedule of its location was due
 *   after its silence began, so that a silent location is never told schedule by schedule;
 * - `browser`: the crash rate of the last hour over its threshold ({@link CrashRule}).
 * Nothing is held after a start: a restart following a stop longer than a grace reports the silence the stop made
 * (true, and resolved by the first result), since any hold tied to the start would let a crash loop postpone the
 * deadline forever (F21). The store condition is raised by the result path (store-alert.ts).
 */
export function createWatchdog(deps: WatchdogDeps) {
  const rule = deps.crashRule ?? { threshold: 0.2, minAttempts: 5 };
  return {
    async evaluate(): Promise<InternalSummary & { stale: number }> {
      const status = await deps.status();
      const now = Date.parse(status.generatedAt);
      const conditions = freshnessConditions(status.rows, now);
      const managed: InternalKind[] = ['stale', 'location'];
      if (deps.crashes) {
        managed.push('browser');
        const { attempts, crashed } = await deps.crashes(now - 3_600_000, now);
        if (attempts >= rule.minAttempts && crashed / attempts >= rule.threshold) {
          conditions.push({ key: 'browser', kind: 'browser', since: now, detail: { attempts, crashed, threshold: rule.threshold } });
        }
      }
      const summary = await deps.repo.syncInternal({ now, conditions, managed, operators: deps.operators, domain: deps.domain });
      return { ...summary, stale: conditions.filter((c) => c.kind === 'stale').length };
    },
  };
}

/** The stale and silent-location conditions of the status rows at `now` (see {@link createWatchdog}). */
export function freshnessConditions(rows: readonly StatusRow[], now: number): InternalCondition[] {
  type Entry = { row: StatusRow; f: StatusRow['locations'][number] };
  const byLocation = new Map<string, Entry[]>();
  for (const row of rows) {
    for (const f of row.locations) {
      const list = byLocation.get(f.location);
      if (list) list.push({ row, f });
      else byLocation.set(f.location, [{ row, f }]);
    }
  }
  const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso));
  const out: InternalCondition[] = [];
  for (const [location, entries] of byLocation) {
    const silent = silentLocations(entries.map(({ row, f }) => ({ location, scheduleId: row.schedule, stale: f.stale, since: ms(f.since) })));
    if (silent.length > 0) {
      const s = silent[0]!;
      out.push({ key: `location:${location}`, kind: 'location', since: s.since, location, detail: { schedules: s.schedules } });
      continue;
    }
    // The least advanced of the location's fresh schedules (its latest result or due slot): a stale schedule whose
    // silence began after it waits for it to be due again (computed once, not per stale schedule).
    const laggard = Math.min(...entries.filter((o) => !o.f.stale).map((o) => Math.max(ms(o.f.lastResultSlot) ?? -Infinity, ms(o.f.lastDueSlot) ?? -Infinity)));
    for (const e of entries) {
      if (!e.f.stale) continue;
      const silenceStart = ms(e.f.since)! - e.row.graceSeconds * 1000;
      // Wait for the other schedules of the location to be due after this silence began (capped): if they all go
      // quiet too, the location is told once instead.
      const undecided = laggard < silenceStart;
      if (undecided && now - ms(e.f.since)! < LOCATION_WAIT_CAP_MS) continue;
      out.push({
        key: `stale:${e.row.schedule}@${location}`,
        kind: 'stale',
        since: ms(e.f.since)!,
        target: e.row.target,
        tenant: e.row.tenant,
        location,
        detail: { scheduleId: e.row.schedule, journey: e.row.journey, lastResultSlot: e.f.lastResultSlot },
      });
    }
  }
  return out;
}
