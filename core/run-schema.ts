import { z } from 'zod';
import { toIssues } from './config/validate.js';
import { VigieError } from './errors.js';
import { readInstant } from './instant.js';
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
 * refused, not rolled over), not before 2000 (core/instant.ts), and come out normalized to UTC
 * (`2026-10-05T06:00:00.000Z`); the future bound needs a clock, so the doors that have one check it
 * (cli/import-line.ts). Durations are finite milliseconds in 0 ‥ 2³¹−1 (the `integer` columns). Every string is
 * one PostgreSQL stores: no NUL character (text and jsonb refuse U+0000) and no lone UTF-16 surrogate (not UTF-8),
 * so a bad line is refused at its field instead of failing its whole batch in the database.
 */

/** Longest identifier (schedule, journey, target, tenant, location, step, flag, measure names). */
export const MAX_ID_CHARS = 200;
/** Longest free text (reasons, error messages, evidence messages). */
export const MAX_TEXT_CHARS = 2000;
/** Longest evidence URL (query strings are stripped before, so this is a path). */
export const MAX_URL_CHARS = 4000;

/**
 * An instant with an explicit offset, strictly parsed and bounded by core/instant.ts (`readInstant`: a real date,
 * not before 2000), normalized to ISO UTC. The message says which of these failed.
 */
export const instantSchema = z.string().transform((s, ctx) => {
  const r = readInstant(s, { requireOffset: true });
  if (r.problem === undefined) return new Date(r.ms).toISOString();
  ctx.addIssue({ code: 'custom', message: r.problem });
  return z.NEVER;
});

// A lone surrogate (a high one not followed by a low one, or a low one not preceded by a high one).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why PostgreSQL would refuse a string in a text or jsonb column, or null: a NUL character (U+0000) or a lone UTF-16
 * surrogate (no UTF-8 form). Every other Unicode string is stored as given.
 */
export function storableTextProblem(s: string): string | null {
  const nul = s.indexOf('\u0000');
  if (nul >= 0) return `contient un caractère NUL (U+0000) à la position ${nul} : impossible à enregistrer / contains a NUL character (U+0000) at position ${nul}: not storable`;
  const lone = LONE_SURROGATE.exec(s);
  const code = lone?.[0].charCodeAt(0).toString(16).toUpperCase();
  if (lone) return `contient une demi-paire UTF-16 isolée (U+${code}) à la position ${lone.index} : Unicode invalide / contains a lone UTF-16 surrogate (U+${code}) at position ${lone.index}: not valid Unicode`;
  return null;
}

/** A string of at most `max` characters that PostgreSQL stores ({@link storableTextProblem}). */
const storable = (schema: z.ZodString) =>
  schema.superRefine((s, ctx) => {
    const problem = storableTextProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const idText = storable(z.string().min(1).max(MAX_ID_CHARS));
const text = storable(z.string().max(MAX_TEXT_CHARS));
const failureKind = z.enum(FAILURE_KINDS);
/** A run's or attempt's final status. */
export const runStatusSchema = z.enum(['up', 'degraded', 'down', 'error']);
/** Largest duration stored: the `integer` columns (`duration_ms`, `threshold_ms`) hold 2³¹−1 ms, about 24.8 days. */
export const MAX_DURATION_MS = 2_147_483_647;
const durationMs = z.number().finite().min(0, 'durée ≥ 0 ms attendue / expected a duration ≥ 0 ms').max(MAX_DURATION_MS, `durée ≤ ${MAX_DURATION_MS} ms attendue (environ 24,8 jours) / expected a duration ≤ ${MAX_DURATION_MS} ms (about 24.8 days)`);

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
  screenshotPng: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'octets PNG attendus / expected PNG bytes').optional(),
  url: storable(z.string().max(MAX_URL_CHARS)).optional(),
  cookies: z.array(z.object({ name: storable(z.string().max(MAX_ID_CHARS)), domain: storable(z.string().max(MAX_ID_CHARS)) })).max(500).optional(),
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
  throw new VigieError('VALIDATION', `exécution invalide / invalid run: ${issues.slice(0, 10).map((i) => `${i.path}: ${i.message}`).join('; ')}${issues.length > 10 ? ` (+${issues.length - 10})` : ''}`, { issues });
}
