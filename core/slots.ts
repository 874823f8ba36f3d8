import { VigieError } from './errors.js';
import type { ScheduleConfig } from './config/schema.js';
import { parseCronCached } from './cron-pattern.js';
import { nextStart, plusCalendar, previousStart, startsBetween, zoneOf } from './cron-zone.js';

export { checkCron } from './cron-pattern.js';

/**
 * Slot arithmetic shared by every scheduler, the SLA engine and the reports (DESIGN.md §5 "Slots").
 *
 * - Interval schedules: slot starts are the multiples of the interval since the Unix epoch (UTC), so every process
 *   computes the same starts without coordination, whatever time it boots (F16).
 * - Cron schedules: starts are the pattern's local times in its IANA zone, with cron(8)'s DST policy (see
 *   `cron-zone.ts`); the declared interval I is the nominal slot length, a calendar duration from one day up
 *   (a daily slot lasts 23 h or 25 h on DST days), elapsed time below.
 * - A slot is `[start, min(start ⊕ I, next start))`: slots never overlap, and a cron active only by day leaves minutes
 *   in no slot ("non planifié").
 *
 * Pure: no clock, no I/O. Every search is bounded by days, never by minutes, so no DST change can stall it (F15).
 */

export type SlotSchedule =
  | { kind: 'interval'; intervalSeconds: number; offsetSeconds?: number }
  | { kind: 'cron'; cron: string; timezone: string; intervalSeconds: number; offsetSeconds?: number };

/** A slot, `[start, end)`. `start` is the slot key (`scheduledAt`). */
export interface Slot {
  start: Date;
  end: Date;
}

function intervalMs(schedule: SlotSchedule): number {
  const ms = Math.round(schedule.intervalSeconds * 1000);
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new VigieError('VALIDATION', `l'intervalle d'une planification doit être un nombre de secondes positif, pas ${schedule.intervalSeconds} / a schedule interval must be a positive number of seconds, got ${schedule.intervalSeconds}`);
  }
  return ms;
}

function timeOf(date: Date, name: string): number {
  const t = date.getTime();
  if (!Number.isFinite(t)) throw new VigieError('VALIDATION', `${name} : date invalide / ${name} is not a valid date`);
  return t;
}

/** End of the slot starting at `start` (cron only): min(start ⊕ I, next start). */
function cronEnd(schedule: Extract<SlotSchedule, { kind: 'cron' }>, start: number): number {
  const pattern = parseCronCached(schedule.cron);
  const zone = zoneOf(schedule.timezone);
  return Math.min(plusCalendar(zone, start, schedule.intervalSeconds), nextStart(pattern, zone, start));
}

function cronParts(schedule: Extract<SlotSchedule, { kind: 'cron' }>) {
  intervalMs(schedule);
  try {
    return { pattern: parseCronCached(schedule.cron), zone: zoneOf(schedule.timezone) };
  } catch (err) {
    if (err instanceof VigieError) throw err;
    throw new VigieError('VALIDATION', `motif cron invalide / invalid cron "${schedule.cron}" : ${(err as Error).message}`, { cause: err });
  }
}

/**
 * First slot start strictly after `after`.
 * @throws VigieError VALIDATION for a bad interval, cron pattern or time zone.
 */
export function nextSlot(schedule: SlotSchedule, after: Date): Date {
  const t = timeOf(after, 'after');
  if (schedule.kind === 'interval') {
    const i = intervalMs(schedule);
    return new Date((Math.floor(t / i) + 1) * i);
  }
  const { pattern, zone } = cronParts(schedule);
  return new Date(nextStart(pattern, zone, t));
}

/** The slot containing t (start <= t < end), or null when t falls in no slot ("non planifié"). */
export function slotContaining(schedule: SlotSchedule, t: Date): Slot | null {
  const at = timeOf(t, 't');
  if (schedule.kind === 'interval') {
    const i = intervalMs(schedule);
    const start = Math.floor(at / i) * i;
    return { start: new Date(start), end: new Date(start + i) };
  }
  const { pattern, zone } = cronParts(schedule);
  const start = previousStart(pattern, zone, at);
  if (start === undefined) return null;
  const end = cronEnd(schedule, start);
  return at < end ? { start: new Date(start), end: new Date(end) } : null;
}

/** Every slot whose start lies in [from, to), in order. Empty when `to <= from`. */
export function slotsBetween(schedule: SlotSchedule, from: Date, to: Date): Slot[] {
  return slotRangesBetween(schedule, timeOf(from, 'from'), timeOf(to, 'to')).map((r) => ({ start: new Date(r.start), end: new Date(r.end) }));
}

/**
 * {@link slotsBetween} in epoch ms: `{ start, end }` numbers, the form the SLA engine works on (a month of 5-minute
 * slots for a thousand tenants is 35 million slots: two Date objects each would be most of the work).
 */
export function slotRangesBetween(schedule: SlotSchedule, from: number, to: number): { start: number; end: number }[] {
  if (!Number.isFinite(from)) throw new VigieError('VALIDATION', 'from : date invalide / from is not a valid date');
  if (!Number.isFinite(to)) throw new VigieError('VALIDATION', 'to : date invalide / to is not a valid date');
  const slots: { start: number; end: number }[] = [];
  if (schedule.kind === 'interval') {
    const i = intervalMs(schedule);
    for (let s = Math.ceil(from / i) * i; s < to; s += i) slots.push({ start: s, end: s + i });
    return slots;
  }
  const { pattern, zone } = cronParts(schedule);
  const starts = startsBetween(pattern, zone, from, to);
  starts.forEach((s, k) => {
    const next = k + 1 < starts.length ? starts[k + 1]! : nextStart(pattern, zone, s);
    slots.push({ start: s, end: Math.min(plusCalendar(zone, s, schedule.intervalSeconds), next) });
  });
  return slots;
}

/**
 * When the run of a slot should start: start + offset. An offset that would leave the slot (a slot cut short by the
 * next start) is dropped and the run starts with the slot, so a run always belongs to the slot it is keyed on.
 */
export function runAt(schedule: SlotSchedule, slot: Slot): Date {
  const offsetMs = Math.round((schedule.offsetSeconds ?? 0) * 1000);
  const at = slot.start.getTime() + offsetMs;
  return new Date(offsetMs > 0 && at < slot.end.getTime() ? at : slot.start.getTime());
}

/**
 * Converts a validated config schedule (`every`, or `cron` + `interval`, optional `offset` and `timezone`) to a
 * SlotSchedule; the config's `timezone` is the default zone of cron patterns.
 * @throws VigieError CONFIG when the schedule has neither form or its cron pattern is invalid.
 */
export function toSlotSchedule(s: ScheduleConfig, defaultTimezone: string): SlotSchedule {
  const offset = s.offset === undefined ? {} : { offsetSeconds: s.offset };
  if (s.every !== undefined) return { kind: 'interval', intervalSeconds: s.every, ...offset };
  if (s.cron !== undefined && s.interval !== undefined) {
    const schedule: SlotSchedule = { kind: 'cron', cron: s.cron, timezone: s.timezone ?? defaultTimezone, intervalSeconds: s.interval, ...offset };
    try {
      cronParts(schedule);
    } catch (err) {
      throw new VigieError('CONFIG', `planification / schedule "${s.id}" : ${(err as Error).message}`, { cause: err });
    }
    return schedule;
  }
  throw new VigieError('CONFIG', `la planification "${s.id}" doit donner "every", ou "cron" avec "interval" / schedule "${s.id}" needs "every", or "cron" with "interval"`);
}
