import type { VigieConfig } from '../core/config/schema.js';
import { toIssues } from '../core/config/validate.js';
import { instantProblem, MAX_FUTURE_MS } from '../core/instant.js';
import { instantSchema, runResultSchema } from '../core/run-schema.js';
import type { RunResult } from '../core/run-types.js';
import { slotContaining, toSlotSchedule, type SlotSchedule } from '../core/slots.js';

/*
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
 *   be a slot start of the schedule. Every instant of a line (`scheduledAt`, `startedAt`, those of attempts and
 *   steps) lies in 2000-01-01 ‥ now + 1 day (core/instant.ts).
 * - Bounds: ids (`scheduleId`, `journey`, `target`, `tenant`, `location`, step names) ≤ 200 characters, texts
 *   (`reason`, error messages) ≤ 2000, durations ≤ 2³¹−1 ms, a line ≤ 1 MB; no string may hold a NUL character or a
 *   lone UTF-16 surrogate (PostgreSQL refuses them); a UTF-8 byte-order mark at the start of the file is skipped.
 * - `status`: `up | degraded | down | error`; `kind` (FailureKind), `reason` optional.
 * - `startedAt` (default `scheduledAt`), `durationMs` (default 0), `late` (default false).
 * - `attempts` (optional): `[{ attempt, status, kind?, reason?, startedAt?, durationMs?, location?, steps?: [{ name,
 *   status: passed|failed|skipped, index?, soft?, startedAt?, durationMs?, thresholdMs?, error?: { message, kind,
 *   httpStatus? } }] }]` (omitted fields default as above).
 * Once the omitted fields are filled, a line is checked by the one run schema (core/run-schema.ts), like every run
 * that enters the store.
 */

/** Longest line read; longer ones are refused before JSON parsing. */
export const MAX_LINE_CHARS = 1_000_000;
/** How far past now an instant may lie (core/instant.ts): a little clock skew, not the year 2099. */
export { MAX_FUTURE_MS };

type Json = Record<string, unknown>;
/** Stands in for a default copied from an invalid instant: that line is refused anyway, at the given field's path. */
const PLACEHOLDER_INSTANT = '2000-01-01T00:00:00Z';
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * A line with the fields it may omit filled in (the schedule's journey, target, tenant and first location; start =
 * slot start; zero durations; no attempts, steps, measures or flags), so that it can be checked by the one run schema
 * (core/run-schema.ts). Fields the line gives are kept as given, for the schema and the agreement checks to judge.
 * `copied` receives the paths whose value was copied from another field (`startedAt` from `scheduledAt`, an
 * attempt's `location` and `startedAt` from the run's, a step's `startedAt` from its attempt's): a problem of such a
 * value is the problem of the field it came from, reported there, never at a field the line does not have.
 */
function withDefaults(line: Json, schedule: { journey: string; tenant: string; target: string; location: string } | null, copied: Set<string>): Json {
  // A default copies a given instant only when that one is valid: a bad `scheduledAt` is reported once, at its path.
  const instantOr = (v: unknown, fallback: unknown) => (instantSchema.safeParse(v).success ? v : fallback);
  if (line.startedAt === undefined) copied.add('startedAt');
  const startedAt = line.startedAt ?? instantOr(line.scheduledAt, PLACEHOLDER_INSTANT);
  const base: Json = { trigger: 'scheduled', revisionId: null, startedAt, durationMs: 0, late: false, attempts: [], ...(schedule ? { journey: schedule.journey, tenant: schedule.tenant, target: schedule.target, location: schedule.location } : {}) };
  const run: Json = { ...base, ...line };
  if (Array.isArray(run.attempts)) {
    run.attempts = run.attempts.map((a: unknown, i: number) => {
      if (!isObject(a)) return a;
      for (const field of ['location', 'startedAt']) if (a[field] === undefined) copied.add(`attempts[${i}].${field}`);
      const attempt: Json = { location: run.location, startedAt: instantOr(run.startedAt, PLACEHOLDER_INSTANT), durationMs: 0, steps: [], measures: {}, flags: [], ...a };
      const stepStart = instantOr(attempt.startedAt, PLACEHOLDER_INSTANT);
      if (Array.isArray(attempt.steps)) {
        attempt.steps = attempt.steps.map((st: unknown, j: number) => {
          if (!isObject(st)) return st;
          if (st.startedAt === undefined) copied.add(`attempts[${i}].steps[${j}].startedAt`);
          return { index: j, soft: false, startedAt: stepStart, durationMs: 0, ...st };
        });
      }
      return attempt;
    });
  }
  return run;
}

/** The instants of a parsed run more than a day after `now` (epoch ms), at their paths. */
function futureIssues(run: RunResult, line: number, now: number): LineIssue[] {
  const out: LineIssue[] = [];
  const check = (iso: string, path: string) => {
    const problem = instantProblem(Date.parse(iso), { now });
    if (problem) out.push({ line, path, message: problem });
  };
  check(run.scheduledAt, 'scheduledAt');
  check(run.startedAt, 'startedAt');
  run.attempts.forEach((a, i) => {
    check(a.startedAt, `attempts[${i}].startedAt`);
    a.steps.forEach((st, j) => check(st.startedAt, `attempts[${i}].steps[${j}].startedAt`));
  });
  return out;
}

/** A problem of one line: 1-based line number, field path (`attempts[0].status`), message. */
export interface LineIssue {
  line: number;
  path: string;
  message: string;
}

/**
 * Turns validated lines into RunResults against a config: one instance per `vigie import`. `now` (epoch ms) bounds
 * future instants (`MAX_FUTURE_MS`). Never throws: any line, however malformed, gives a run or issues naming the
 * line and the field (`(line)` for what is not a JSON object).
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
    if (text.length > MAX_LINE_CHARS) return { issues: [{ line, path: '(line)', message: `ligne de plus de ${MAX_LINE_CHARS} caractères / line longer than ${MAX_LINE_CHARS} characters` }] };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      return { issues: [{ line, path: '(line)', message: `pas du JSON : ${(err as Error).message} / not JSON: ${(err as Error).message}` }] };
    }
    if (!isObject(json)) return { issues: [{ line, path: '(line)', message: 'objet JSON attendu / expected a JSON object' }] };
    const schedule = typeof json.scheduleId === 'string' ? schedules.get(json.scheduleId) : undefined;
    if (typeof json.scheduleId === 'string' && !schedule) return { issues: [{ line, path: 'scheduleId', message: `planification inconnue "${json.scheduleId}" (absente du fichier --config) / unknown schedule "${json.scheduleId}" (not in the --config file)` }] };
    const s = schedule?.config;
    const copied = new Set<string>();
    const filled = withDefaults(json, schedule && s ? { journey: s.journey, tenant: s.tenant, target: schedule.target, location: s.locations[0] ?? 'local' } : null, copied);
    // Issues of copied values are those of their source, reported at the source's path (kept if nothing else is).
    const written = <T extends { path: string }>(found: T[]) => (found.some((i) => !copied.has(i.path)) ? found.filter((i) => !copied.has(i.path)) : found);
    const parsed = runResultSchema.safeParse(filled);
    if (!parsed.success) return { issues: written(toIssues(parsed.error).map((i) => ({ line, path: i.path === '(root)' ? '(line)' : i.path, message: i.message }))) };
    const run = parsed.data;
    if (!schedule || !s) return { issues: [{ line, path: 'scheduleId', message: 'identifiant de planification du fichier --config attendu / expected a schedule id of the --config file' }] };
    const issues: LineIssue[] = [];
    if (run.trigger !== 'scheduled') issues.push({ line, path: 'trigger', message: 'seules les exécutions planifiées sont importées (les exécutions manuelles sont hors des créneaux du SLA) / only scheduled runs are imported (manual runs are outside SLA slots)' });
    const agree = (field: 'journey' | 'tenant' | 'target', expected: string) => {
      if (run[field] !== expected) issues.push({ line, path: field, message: `"${run[field]}" ne correspond pas à la planification ${s.id} (${expected}) / "${run[field]}" does not match schedule ${s.id} (${expected})` });
    };
    agree('journey', s.journey);
    agree('tenant', s.tenant);
    agree('target', schedule.target);
    if (!s.locations.includes(run.location)) issues.push({ line, path: 'location', message: `"${run.location}" n'est pas un lieu de la planification ${s.id} (${s.locations.join(', ')}) / "${run.location}" is not a location of schedule ${s.id} (${s.locations.join(', ')})` });
    const at = new Date(run.scheduledAt);
    const slot = slotContaining(schedule.slot, at);
    if (!slot || slot.start.getTime() !== at.getTime()) {
      const containing = slot ? slot.start.toISOString() : undefined;
      issues.push({
        line,
        path: 'scheduledAt',
        message:
          `pas un début de créneau de la planification ${s.id}${containing ? ` (le créneau qui le contient commence à ${containing})` : ''} / ` +
          `not a slot start of schedule ${s.id}${containing ? ` (the slot containing it starts at ${containing})` : ''}`,
      });
    }
    issues.push(...futureIssues(run, line, now()));
    if (issues.length > 0) return { issues: written(issues) };
    return { run: { ...run, revisionId: null } };
  };
}
