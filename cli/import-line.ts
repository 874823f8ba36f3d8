import { z } from 'zod';
import { parseDateTime } from '../core/calendar/parse-date-time.js';
import type { VigieConfig } from '../core/config/schema.js';
import { toIssues } from '../core/config/validate.js';
import type { RunResult } from '../core/run-types.js';
import { slotContaining, toSlotSchedule, type SlotSchedule } from '../core/slots.js';
import { FAILURE_KINDS } from '../core/run-types.js';

/**
 * One line of `vigie import <runs.jsonl>`: a RunResult-like JSON object (core/run-types.ts) for one scheduled slot at
 * one location. Only `scheduleId`, `scheduledAt` and `status` are required; historical runs may carry no attempts.
 *
 * ```json
 * {"scheduleId":"login-0510001A","scheduledAt":"2026-10-05T06:00:00Z","status":"down","kind":"timeout",
 *  "attempts":[{"attempt":1,"status":"down","kind":"timeout","steps":[{"name":"credentials","status":"failed",
 *  "durationMs":60000,"error":{"message":"timeout after 60 s","kind":"timeout"}}]}]}
 * ```
 *
 * - `scheduleId`: a schedule of the `--config` file; `journey`, `target`, `tenant` default to the schedule's (when
 *   given they must agree); `location` defaults to the schedule's first location and must be one of its locations.
 * - `scheduledAt`: the slot start, an ISO-8601 instant **with `Z` or an offset** (`2026-10-05T08:00:00+02:00`): a
 *   time without offset is refused as ambiguous, an impossible date (2026-02-30) is refused, not rolled over; it must
 *   be a slot start of the schedule and not later than now + 1 day.
 * - Bounds: ids (`scheduleId`, `journey`, `target`, `tenant`, `location`, step names) ≤ 200 characters, texts
 *   (`reason`, error messages) ≤ 2000, a line ≤ 1 MB; a UTF-8 byte-order mark at the start of the file is skipped.
 * - `status`: `up | degraded | down | error`; `kind` (FailureKind), `reason` optional.
 * - `startedAt` (default `scheduledAt`), `durationMs` (default 0), `late` (default false).
 * - `attempts` (optional): `[{ attempt, status, kind?, reason?, startedAt?, durationMs?, location?, steps?: [{ name,
 *   status: passed|failed|skipped, index?, soft?, startedAt?, durationMs?, thresholdMs?, error?: { message, kind,
 *   httpStatus? } }] }]` (omitted fields default as above).
 */
/** An instant with an explicit offset, strictly parsed (core/calendar/parse-date-time.ts), normalized to ISO UTC. */
const instant = z
  .string()
  .max(40)
  .refine((s) => parseDateTime(s, 'UTC')?.hasOffset === true, 'expected an ISO-8601 instant with Z or an offset, such as 2026-10-05T06:00:00Z (a real date; a time without offset is ambiguous)')
  .transform((s) => new Date(parseDateTime(s, 'UTC')!.ms).toISOString());
/** Longest identifier and longest free text of a line (a 5 MB `reason` was stored as is). */
export const MAX_ID_CHARS = 200;
export const MAX_TEXT_CHARS = 2000;
/** Longest line read; longer ones are refused before JSON parsing. */
export const MAX_LINE_CHARS = 1_000_000;
/** How far past now a slot may lie: a little clock skew, not the year 2099. */
export const MAX_FUTURE_MS = 24 * 3_600_000;
const idText = z.string().min(1).max(MAX_ID_CHARS);
const text = z.string().max(MAX_TEXT_CHARS);
const failureKind = z.enum(FAILURE_KINDS);
const status = z.enum(['up', 'degraded', 'down', 'error']);
const ms = z.number().finite().min(0);

const stepLine = z.object({
  name: idText,
  index: z.number().int().min(0).max(10_000).optional(),
  status: z.enum(['passed', 'failed', 'skipped']),
  soft: z.boolean().default(false),
  startedAt: instant.optional(),
  durationMs: ms.default(0),
  thresholdMs: ms.optional(),
  error: z.object({ message: text, kind: failureKind, httpStatus: z.number().int().optional() }).optional(),
});

const attemptLine = z.object({
  attempt: z.number().int().min(1).max(100),
  location: idText.optional(),
  status,
  kind: failureKind.optional(),
  reason: text.optional(),
  startedAt: instant.optional(),
  durationMs: ms.default(0),
  steps: z.array(stepLine).max(500).default([]),
  measures: z.record(idText, z.number()).default({}),
  flags: z.array(idText).max(100).default([]),
});

export const importLineSchema = z.object({
  scheduleId: idText,
  scheduledAt: instant,
  status,
  kind: failureKind.optional(),
  reason: text.optional(),
  journey: idText.optional(),
  target: idText.optional(),
  tenant: idText.optional(),
  location: idText.optional(),
  trigger: z.literal('scheduled').optional(),
  startedAt: instant.optional(),
  durationMs: ms.default(0),
  late: z.boolean().default(false),
  attempts: z.array(attemptLine).max(20).default([]),
});
export type ImportLine = z.infer<typeof importLineSchema>;

/** A problem of one line: 1-based line number, field path (`attempts[0].status`), message. */
export interface LineIssue {
  line: number;
  path: string;
  message: string;
}

/**
 * Turns validated lines into RunResults against a config: one instance per `vigie import`. `now` (epoch ms) bounds
 * future slots (`MAX_FUTURE_MS`).
 */
export function createLineReader(config: VigieConfig, now: () => number = Date.now) {
  const schedules = new Map<string, { config: VigieConfig['schedules'][number]; slot: SlotSchedule; target: string }>();
  for (const s of config.schedules) {
    const tenant = config.tenants.find((t) => t.uai === s.tenant);
    schedules.set(s.id, { config: s, slot: toSlotSchedule(s, config.timezone), target: tenant?.target ?? '' });
  }
  /**
   * Parses and checks one line. Returns the run (with `revisionId` to fill) or the line's issues.
   */
  return function readLine(text: string, line: number): { run: RunResult; issues?: undefined } | { run?: undefined; issues: LineIssue[] } {
    if (text.length > MAX_LINE_CHARS) return { issues: [{ line, path: '(line)', message: `line longer than ${MAX_LINE_CHARS} characters` }] };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      return { issues: [{ line, path: '(line)', message: `not JSON: ${(err as Error).message}` }] };
    }
    const parsed = importLineSchema.safeParse(json);
    if (!parsed.success) return { issues: toIssues(parsed.error).map((i) => ({ line, path: i.path || '(line)', message: i.message })) };
    const l = parsed.data;
    const schedule = schedules.get(l.scheduleId);
    if (!schedule) return { issues: [{ line, path: 'scheduleId', message: `unknown schedule "${l.scheduleId}" (not in the --config file)` }] };
    const s = schedule.config;
    const issues: LineIssue[] = [];
    const agree = (field: 'journey' | 'tenant' | 'target', expected: string) => {
      if (l[field] !== undefined && l[field] !== expected) issues.push({ line, path: field, message: `"${l[field]}" does not match schedule ${s.id} (${expected})` });
    };
    agree('journey', s.journey);
    agree('tenant', s.tenant);
    agree('target', schedule.target);
    const location = l.location ?? s.locations[0];
    if (!s.locations.includes(location)) issues.push({ line, path: 'location', message: `"${location}" is not a location of schedule ${s.id} (${s.locations.join(', ')})` });
    const at = new Date(l.scheduledAt);
    const slot = slotContaining(schedule.slot, at);
    if (!slot || slot.start.getTime() !== at.getTime()) {
      issues.push({ line, path: 'scheduledAt', message: `not a slot start of schedule ${s.id}${slot ? ` (the slot containing it starts at ${slot.start.toISOString()})` : ''}` });
    }
    if (at.getTime() > now() + MAX_FUTURE_MS) issues.push({ line, path: 'scheduledAt', message: `${l.scheduledAt} is in the future (slots after now + 1 day are refused)` });
    if (issues.length > 0) return { issues };
    const scheduledAt = at.toISOString();
    const startedAt = l.startedAt ?? scheduledAt;
    return {
      run: {
        scheduleId: s.id,
        journey: s.journey,
        target: schedule.target,
        tenant: s.tenant,
        location,
        trigger: 'scheduled',
        scheduledAt,
        revisionId: null,
        status: l.status,
        ...(l.kind ? { kind: l.kind } : {}),
        ...(l.reason ? { reason: l.reason } : {}),
        startedAt,
        durationMs: l.durationMs,
        late: l.late,
        attempts: l.attempts.map((a) => ({
          attempt: a.attempt,
          location: a.location ?? location,
          status: a.status,
          ...(a.kind ? { kind: a.kind } : {}),
          ...(a.reason ? { reason: a.reason } : {}),
          startedAt: a.startedAt ?? startedAt,
          durationMs: a.durationMs,
          measures: a.measures,
          flags: a.flags,
          steps: a.steps.map((st, i) => ({
            name: st.name,
            index: st.index ?? i,
            status: st.status,
            soft: st.soft,
            startedAt: st.startedAt ?? a.startedAt ?? startedAt,
            durationMs: st.durationMs,
            ...(st.thresholdMs !== undefined ? { thresholdMs: st.thresholdMs } : {}),
            ...(st.error ? { error: st.error } : {}),
          })),
        })),
      },
    };
  };
}
