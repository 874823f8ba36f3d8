import { z } from 'zod';
import { parseDateTime } from './calendar/parse-date-time.js';
import { toIssues } from './config/validate.js';
import { VigieError } from './errors.js';
import { FAILURE_KINDS, type RunResult } from './run-types.js';

/**
 * The one definition of a {@link RunResult} on the wire and on its way into the store (DESIGN.md §4 "run + attempts +
 * steps (ingest; spooled)"): the run writer, `vigie import` and the ingest route of remote workers all parse with it,
 * so that every door refuses the same bad result with the same field names. `z.infer` of it is checked against
 * `RunResult` below, so the TypeScript type and the schema cannot drift apart.
 *
 * Bounds (a 5 MB `reason` was once stored as is): identifiers ≤ {@link MAX_ID_CHARS} characters, free texts ≤
 * {@link MAX_TEXT_CHARS}, a URL ≤ {@link MAX_URL_CHARS}; at most 20 attempts, 500 steps an attempt. Instants are
 * ISO-8601 **with `Z` or an offset** (a time without offset is ambiguous; an impossible date such as 2026-02-30 is
 * refused, not rolled over) and come out normalized to UTC (`2026-10-05T06:00:00.000Z`). Durations are finite
 * milliseconds ≥ 0.
 */

/** Longest identifier (schedule, journey, target, tenant, location, step, flag, measure names). */
export const MAX_ID_CHARS = 200;
/** Longest free text (reasons, error messages, evidence messages). */
export const MAX_TEXT_CHARS = 2000;
/** Longest evidence URL (query strings are stripped before, so this is a path). */
export const MAX_URL_CHARS = 4000;

/** An instant with an explicit offset, strictly parsed (core/calendar/parse-date-time.ts), normalized to ISO UTC. */
export const instantSchema = z
  .string()
  .max(40)
  .refine((s) => parseDateTime(s, 'UTC')?.hasOffset === true, 'expected an ISO-8601 instant with Z or an offset, such as 2026-10-05T06:00:00Z (a real date; a time without offset is ambiguous)')
  .transform((s) => new Date(parseDateTime(s, 'UTC')!.ms).toISOString());

const idText = z.string().min(1).max(MAX_ID_CHARS);
const text = z.string().max(MAX_TEXT_CHARS);
const failureKind = z.enum(FAILURE_KINDS);
/** A run's or attempt's final status. */
export const runStatusSchema = z.enum(['up', 'degraded', 'down', 'error']);
const durationMs = z.number().finite().min(0, 'expected a duration ≥ 0 ms');

/** One timed step (core/run-types.ts `StepResult`). */
export const stepResultSchema = z.object({
  name: idText,
  index: z.number().int().min(0).max(10_000),
  status: z.enum(['passed', 'failed', 'skipped']),
  soft: z.boolean(),
  startedAt: instantSchema,
  durationMs,
  thresholdMs: durationMs.optional(),
  error: z.object({ message: text, kind: failureKind, httpStatus: z.number().int().min(100).max(999).optional() }).optional(),
});

/** Evidence of a failed attempt; the screenshot as bytes (an HTTP ingest decodes it first). */
export const evidenceSchema = z.object({
  step: idText.optional(),
  screenshotPng: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected PNG bytes').optional(),
  url: z.string().max(MAX_URL_CHARS).optional(),
  cookies: z.array(z.object({ name: z.string().max(MAX_ID_CHARS), domain: z.string().max(MAX_ID_CHARS) })).max(500).optional(),
  failures: z.array(z.object({ step: idText, message: text, kind: failureKind })).max(500).optional(),
});

/** One attempt with its steps, measures, flags and evidence. */
export const attemptResultSchema = z.object({
  attempt: z.number().int().min(1).max(100),
  location: idText,
  status: runStatusSchema,
  kind: failureKind.optional(),
  reason: text.optional(),
  startedAt: instantSchema,
  durationMs,
  steps: z.array(stepResultSchema).max(500),
  measures: z.record(idText, z.number().finite()),
  flags: z.array(idText).max(100),
  evidence: evidenceSchema.optional(),
});

/** A run: one slot of one schedule at one location (or one manual run), with its attempts. */
export const runResultSchema = z.object({
  scheduleId: idText,
  journey: idText,
  target: idText,
  tenant: idText,
  location: idText,
  trigger: z.enum(['scheduled', 'manual']),
  scheduledAt: instantSchema,
  revisionId: z.number().int().positive().nullable(),
  status: runStatusSchema,
  kind: failureKind.optional(),
  reason: text.optional(),
  startedAt: instantSchema,
  durationMs,
  late: z.boolean(),
  attempts: z.array(attemptResultSchema).max(20),
});

// The schema's output type is RunResult: a field added to one and not the other fails to compile here.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape: Exact<z.output<typeof runResultSchema>, RunResult> = true;
void sameShape;

/**
 * Parses a run from outside (a remote worker's batch, an import line, the runner's own result before it is stored).
 * @param path prefix of the issue paths, e.g. `runs[3]`.
 * @throws VigieError `VALIDATION` naming every bad field (`runs[3].attempts[0].steps[1].durationMs: …`).
 */
export function parseRunResult(input: unknown, path = ''): RunResult {
  const result = runResultSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = toIssues(result.error).map((i) => ({ ...i, path: path ? (i.path === '(root)' ? path : `${path}.${i.path}`) : i.path }));
  throw new VigieError('VALIDATION', `invalid run: ${issues.slice(0, 10).map((i) => `${i.path}: ${i.message}`).join('; ')}${issues.length > 10 ? ` (+${issues.length - 10})` : ''}`, { issues });
}
