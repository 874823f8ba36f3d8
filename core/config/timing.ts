import type { Issue } from '../errors.js';
import { formatDuration } from '../duration.js';
import { parseCronCached } from '../cron-pattern.js';
import { isIanaZone, nextStart, plusCalendar, startsBetween, zoneOf } from '../cron-zone.js';
import { toSlotSchedule, type SlotSchedule } from '../slots.js';
import { journeySettingsSchema, scheduleSchema } from './schema.js';
import { indexed, obj, str, type Raw } from './raw.js';

/**
 * Journey timeout against slot length (DESIGN.md §5 "Slots", "Attempts"; issue 8 item 2). A run starts at
 * `slot start + offset` and may last the journey timeout; if that can reach the slot's end, the run of one slot
 * overlaps the next one's and a late result lands after its slot closed. So `timeout + offset` must be shorter
 * than every slot of the schedule. An interval schedule's slots all last `every`. A cron schedule's slot is
 * `[t, min(t ⊕ interval, next start))`, so a slot is cut short where two starts are close (`0,5 * * * *`: a 5-minute
 * slot at :00) or by a DST change (a fixed-time job moved to the instant after the jump). Its slot lengths are
 * computed with core's own slot functions over one whole year, 2028 (a leap year, both DST changes of every zone):
 * a fixed year keeps core free of the clock and the answer the same on every machine.
 */

/** The year whose cron slots are measured: [2028-01-01, 2029-01-01) UTC. */
const SCAN_FROM = Date.UTC(2028, 0, 1);
const SCAN_TO = Date.UTC(2029, 0, 1);
/** A month at a time, so that `* * * * *` (half a million starts a year) never holds more than 45,000 at once. */
const CHUNK_MS = 31 * 86_400_000;
/** Cron slot lengths by pattern, zone and interval: at most this many, then the cache starts over. */
const CACHE_LIMIT = 256;

/** One slot length of a schedule (seconds) and the start (epoch ms) of the first slot with that length. */
export interface SlotLength {
  seconds: number;
  firstStart: number;
}

const cache = new Map<string, SlotLength[]>();

/**
 * Every distinct slot length of a schedule, shortest first: `every` for an interval schedule; for a cron schedule,
 * the lengths of its slots starting in 2028 (module header), or of its first slot after 2028-01-01 when it has none
 * that year (`0 6 29 2 1`). Pure; cron results are cached.
 * @throws VigieError VALIDATION for a cron pattern that never matches or a bad time zone (core/slots.ts).
 */
export function slotLengths(schedule: SlotSchedule): SlotLength[] {
  if (schedule.kind === 'interval') return [{ seconds: schedule.intervalSeconds, firstStart: 0 }];
  const key = `${schedule.cron}|${schedule.timezone}|${schedule.intervalSeconds}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const pattern = parseCronCached(schedule.cron);
  const zone = zoneOf(schedule.timezone);
  const lengths = new Map<number, number>();
  const record = (start: number, next: number) => {
    const ms = Math.min(plusCalendar(zone, start, schedule.intervalSeconds), next) - start;
    if (!lengths.has(ms)) lengths.set(ms, start);
  };
  let previous: number | undefined;
  for (let from = SCAN_FROM; from < SCAN_TO; from += CHUNK_MS) {
    for (const start of startsBetween(pattern, zone, from, Math.min(from + CHUNK_MS, SCAN_TO))) {
      if (previous !== undefined) record(previous, start);
      previous = start;
    }
  }
  const last = previous ?? nextStart(pattern, zone, SCAN_FROM);
  record(last, nextStart(pattern, zone, last));
  const result = [...lengths].map(([ms, firstStart]) => ({ seconds: ms / 1000, firstStart })).sort((a, b) => a.seconds - b.seconds);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, result);
  return result;
}

/**
 * For each schedule whose fields are valid (the schema reports the others): the journey's `timeout` (explicit or
 * default) plus the schedule's `offset` must be shorter than each of its slots. The offset counts only in slots it
 * fits in, as `runAt` (core/slots.ts) drops an offset that would leave a slot cut short. The issue is on the
 * schedule's `offset` when it counts, else on `every`, `interval` or `cron` (whichever makes the slot short), and
 * names both fields and the slot, French then English. A `grace` must cover the offset plus the timeout (issue on
 * `grace`).
 */
export function timingIssues(raw: unknown): Issue[] {
  if (!raw || typeof raw !== 'object') return [];
  const cfg = raw as Raw;
  const issues: Issue[] = [];
  const journeys = obj(cfg.journeys);
  const defaultZone = cfg.timezone === undefined ? 'Europe/Paris' : str(cfg.timezone);
  for (const [s, i] of indexed(cfg.schedules)) {
    const parsed = scheduleSchema.safeParse(s);
    if (!parsed.success) continue;
    const schedule = parsed.data;
    const rawSettings = journeys[schedule.journey];
    const settings = journeySettingsSchema.safeParse(rawSettings ?? {});
    const zone = schedule.timezone ?? defaultZone;
    if (!settings.success || zone === undefined || !isIanaZone(zone)) continue;
    let lengths: SlotLength[];
    try {
      lengths = slotLengths(toSlotSchedule(schedule, zone));
    } catch {
      continue; // a cron pattern the schema let through but the slot functions refuse: reported there at start
    }
    const timeout = settings.data.timeout;
    const offset = schedule.offset ?? 0;
    const nominal = schedule.every ?? schedule.interval ?? 0;
    // A grace shorter than a run may last would call the schedule stale while its run is still going, at every slot.
    if (schedule.grace !== undefined && schedule.grace < offset + timeout) {
      issues.push({
        path: `schedules[${i}].grace`,
        message:
          `grace (${formatDuration(schedule.grace)}) doit couvrir l'offset et le timeout du parcours (${formatDuration(offset + timeout)}) : sinon la planification serait « sans nouvelles » pendant que son exécution dure encore / ` +
          `grace (${formatDuration(schedule.grace)}) must cover the offset and the journey's timeout (${formatDuration(offset + timeout)}): otherwise the schedule would be stale while its run is still going`,
      });
    }
    const tooShort = lengths.find((l) => timeout + (offset > 0 && offset < l.seconds ? offset : 0) >= l.seconds);
    if (!tooShort) continue;
    const offsetCounts = offset > 0 && offset < tooShort.seconds;
    const cut = schedule.cron !== undefined && tooShort.seconds < nominal;
    const field = offsetCounts ? 'offset' : cut ? 'cron' : schedule.every !== undefined ? 'every' : 'interval';
    const timeoutName = `journeys.${schedule.journey}.timeout (${formatDuration(timeout)}${obj(rawSettings).timeout === undefined ? ', défaut / default' : ''})`;
    const offsetName = offsetCounts ? ` + schedules[${i}].offset (${formatDuration(offset)})` : '';
    const slot = formatDuration(tooShort.seconds);
    const where = cut ? `, ${new Date(tooShort.firstStart).toISOString().slice(0, 16)}Z` : '';
    issues.push({
      path: `schedules[${i}].${field}`,
      message:
        `${timeoutName}${offsetName} doit être plus court que le créneau (${slot}${where}) / ` +
        `must be shorter than the slot (${slot}${cut ? `, the shortest of this cron${where}` : ''}): a run could outlast its slot`,
    });
  }
  return issues;
}
