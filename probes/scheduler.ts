import type { Logger } from 'pino';
import { runAt, slotContaining, nextSlot, type Slot, type SlotSchedule } from '../core/slots.js';
import type { JobQueue, ScheduledJob } from './queue.js';

/**
 * In-process scheduler (DESIGN.md §4, §5 "Slots"). Every slot start comes from `nextSlot` in core, so every scheduler
 * (this one, and BullMQ job schedulers later) agrees on slot keys. It never enqueues one (schedule, location, slot)
 * twice, runs the current slot at start-up when it has no result yet (F16b: it does not re-run a slot that has one),
 * and never hands a delay above 2^31−1 ms to setTimeout (F21b: Node would fire it at once).
 */

export interface SchedulerEntry {
  scheduleId: string;
  slotSchedule: SlotSchedule;
  locations: readonly string[];
  enabled: boolean;
}

export interface SchedulerDeps {
  entries: readonly SchedulerEntry[];
  queue: JobQueue;
  /** True when the store already holds a result for this slot (a previous process ran it). */
  hasResult(scheduleId: string, location: string, scheduledAt: Date): Promise<boolean>;
  /**
   * The schedules an operator has paused now (DESIGN.md §5 `paused`), read from the store before each batch of due
   * slots: a pause written by any process (`vigie pause`, the API, another host on the same PostgreSQL) stops the
   * probing at the next slot. When the read fails, the slots run (a probe too many is evidence; a silent gap is not);
   * that is logged once per outage (warn), the reads failing after it at debug, and a line (info) when a read
   * succeeds again: a store down for an hour must not fill the log with one warning per tick.
   */
  pausedSchedules?(): Promise<ReadonlySet<string>>;
  /** A run starting later than its `runAt` by more than this is flagged `late` (ms). Default 5 s. */
  lateAfterMs?: number;
  now?: () => Date;
  /** Monotonic clock in ms (default `performance.now`), to tell a wall-clock jump from elapsed time. */
  monotonic?: () => number;
  /**
   * Called when the wall clock moved by more than `clockJumpMs` more (or less) than the monotonic clock between two
   * ticks (NTP step, VM resumed, manual change): `driftMs` > 0 when the wall clock jumped forward. Also logged (warn).
   * Slots are planned on the wall clock, so such a jump shifts or skips slots; issue 8 item 4.
   */
  onClockJump?: (driftMs: number) => void;
  /** Divergence that counts as a jump, ms. Default 2000. */
  clockJumpMs?: number;
  logger: Logger;
}

export interface Scheduler {
  start(): Promise<void>;
  /** Stops scheduling; runs already queued are the queue's business (see JobQueue.close). */
  stop(): void;
}

/** Longest single timer: well below setTimeout's 2^31−1 ms limit; the loop re-arms itself. */
const MAX_TIMER_MS = 60_000;

export function createScheduler(deps: SchedulerDeps): Scheduler {
  const now = deps.now ?? (() => new Date());
  const lateAfterMs = deps.lateAfterMs ?? 5_000;
  /** Next slot to enqueue per (schedule, location). */
  const next = new Map<string, { entry: SchedulerEntry; location: string; slot: Slot; at: Date }>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const monotonic = deps.monotonic ?? (() => performance.now());
  const clockJumpMs = deps.clockJumpMs ?? 2_000;
  /** Both clocks when the timer was last armed. */
  let armedAt: { wall: number; mono: number } | undefined;

  function checkClocks(wall: number): void {
    if (!armedAt) return;
    const driftMs = Math.round(wall - armedAt.wall - (monotonic() - armedAt.mono));
    if (Math.abs(driftMs) <= clockJumpMs) return;
    deps.logger.warn({ driftMs }, "l'horloge système a sauté entre deux passages du planificateur / the wall clock jumped between scheduler ticks");
    deps.onClockJump?.(driftMs);
  }

  const keyOf = (entry: SchedulerEntry, location: string) => `${entry.scheduleId}\u0000${location}`;

  function planAfter(entry: SchedulerEntry, location: string, after: Date): void {
    const start = nextSlot(entry.slotSchedule, after);
    const slot = slotContaining(entry.slotSchedule, start) ?? { start, end: start };
    next.set(keyOf(entry, location), { entry, location, slot, at: runAt(entry.slotSchedule, slot) });
  }

  /** Failed reads of the paused schedules since the last one that worked (0: none failing). */
  let failedPauseReads = 0;

  async function pausedNow(): Promise<ReadonlySet<string>> {
    if (!deps.pausedSchedules) return new Set();
    let paused: ReadonlySet<string>;
    try {
      paused = await deps.pausedSchedules();
    } catch (err) {
      failedPauseReads += 1;
      if (failedPauseReads === 1) {
        deps.logger.warn({ err }, 'planifications en pause illisibles : les créneaux dus sont exécutés (signalé une fois jusqu’au retour) / could not read paused schedules: due slots run (logged once until they can be read)');
      } else {
        deps.logger.debug({ err, failedReads: failedPauseReads }, 'could not read paused schedules (still failing)');
      }
      return new Set();
    }
    if (failedPauseReads > 0) {
      deps.logger.info({ failedReads: failedPauseReads }, 'planifications en pause de nouveau lisibles / paused schedules can be read again');
      failedPauseReads = 0;
    }
    return paused;
  }

  function enqueue(entry: SchedulerEntry, location: string, slot: Slot, at: Date, paused: ReadonlySet<string>): void {
    if (paused.has(entry.scheduleId)) {
      deps.logger.debug({ schedule: entry.scheduleId, slot: slot.start.toISOString() }, 'schedule paused: slot skipped');
      return;
    }
    const late = now().getTime() - at.getTime() > lateAfterMs;
    const job: ScheduledJob = { scheduleId: entry.scheduleId, location, slotStart: slot.start, slotEnd: slot.end, runAt: at, late };
    deps.queue.add(job).catch((err: unknown) => deps.logger.error({ err, schedule: entry.scheduleId }, 'could not enqueue slot'));
  }

  async function tick(): Promise<void> {
    timer = undefined;
    if (stopped) return;
    const t = now();
    checkClocks(t.getTime());
    const due = [...next.values()].filter((item) => item.at.getTime() <= t.getTime());
    // Planned before the pause read, so a slow read can neither lose nor repeat a slot.
    for (const item of due) planAfter(item.entry, item.location, item.slot.start);
    if (due.length > 0) {
      const paused = await pausedNow();
      for (const item of due) {
        if (stopped) return;
        if (now().getTime() < item.slot.end.getTime()) enqueue(item.entry, item.location, item.slot, item.at, paused);
        else deps.logger.warn({ schedule: item.entry.scheduleId, slot: item.slot.start.toISOString() }, 'slot ended before it could start');
      }
    }
    arm();
  }

  function arm(): void {
    if (stopped) return;
    let earliest = Infinity;
    for (const item of next.values()) earliest = Math.min(earliest, item.at.getTime());
    if (earliest === Infinity) return;
    const wall = now().getTime();
    armedAt = { wall, mono: monotonic() };
    const delay = Math.max(0, Math.min(MAX_TIMER_MS, earliest - wall));
    timer = setTimeout(() => void tick().catch((err: unknown) => deps.logger.error({ err }, 'scheduler tick failed')), delay);
  }

  return {
    async start() {
      const t = now();
      const paused = await pausedNow();
      for (const entry of deps.entries) {
        if (!entry.enabled) continue;
        for (const location of entry.locations) {
          const current = slotContaining(entry.slotSchedule, t);
          if (current) {
            const at = runAt(entry.slotSchedule, current);
            if (at.getTime() <= t.getTime()) {
              // The current slot's start time has passed: run it now unless a previous process already did.
              if (!(await deps.hasResult(entry.scheduleId, location, current.start))) enqueue(entry, location, current, at, paused);
              planAfter(entry, location, current.start);
              continue;
            }
            next.set(keyOf(entry, location), { entry, location, slot: current, at });
            continue;
          }
          planAfter(entry, location, t);
        }
      }
      arm();
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
