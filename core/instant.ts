import { parseDateTime } from './calendar/parse-date-time.js';
import { VigieError } from './errors.js';

/**
 * The one bound on the instants Vigie accepts from outside (issue 8 item 3, DESIGN.md §5 "Time"): run instants of an
 * import or a worker, revision dates, SLA periods, corrections and incidents. Before 2000 nothing of Vigie existed
 * (and `0099-10-05` once became 1999 through `Date.UTC`'s two-digit years, a revision of `0000-01-01` became 1900);
 * a recorded fact more than a day after now is a clock or a typing error (`2099`), not history. Core has no clock:
 * callers pass `now` (epoch ms) where the future bound applies; without it only the lower bound is checked (a query
 * period may end in the future: the report stops at now).
 */

/** Earliest instant accepted: 2000-01-01T00:00:00Z (epoch ms). */
export const MIN_INSTANT_MS = Date.UTC(2000, 0, 1);
/** How far past now a recorded instant may lie: a little clock skew between hosts, not a typo. */
export const MAX_FUTURE_MS = 24 * 3_600_000;

/** Options of {@link instantProblem} and {@link readInstant}. */
export interface InstantBounds {
  /** Now, epoch ms: when given, instants after `now + MAX_FUTURE_MS` are refused (recorded facts, not queries). */
  now?: number;
}

/**
 * What is wrong with an instant (epoch ms) under the bounds, as a message for `<field>: <message>`; null when it is
 * fine. Refuses NaN and non-finite values, instants before {@link MIN_INSTANT_MS} and, with `now`, instants after
 * `now + MAX_FUTURE_MS`.
 */
export function instantProblem(ms: number, bounds: InstantBounds = {}): string | null {
  if (!Number.isFinite(ms)) return 'instant invalide / not a valid instant';
  if (ms < MIN_INSTANT_MS) {
    const at = new Date(ms).toISOString();
    return `${at} est avant 2000-01-01T00:00:00Z (les années avant 2000 sont refusées) / ${at} is before 2000-01-01T00:00:00Z (years before 2000 are refused)`;
  }
  if (bounds.now !== undefined && ms > bounds.now + MAX_FUTURE_MS) {
    const [at, limit] = [new Date(ms).toISOString(), new Date(bounds.now + MAX_FUTURE_MS).toISOString()];
    return `${at} est à plus d'un jour dans le futur (après ${limit}) / ${at} is more than a day in the future (after ${limit})`;
  }
  return null;
}

/** Result of {@link readInstant}: the instant (epoch ms), or the problem to report at the field. */
export type InstantRead = { ms: number; problem?: undefined } | { ms?: undefined; problem: string };

/** The accepted forms, for messages, in each language. */
const INSTANT_FORMS = {
  fr: 'instant ISO-8601 attendu avec Z ou un décalage, par exemple 2026-10-05T06:00:00Z (une date réelle ; une heure sans décalage est ambiguë)',
  en: 'expected an ISO-8601 instant with Z or an offset, such as 2026-10-05T06:00:00Z (a real date; a time without offset is ambiguous)',
};
/** The accepted forms when a local time is allowed, in each language. */
const LOCAL_INSTANT_FORMS = {
  fr: 'date ou instant attendu : 2026-10-05, 2026-10-05T08:00 (heure locale du fuseau de la configuration) ou un instant avec décalage 2026-10-05T08:00:00Z / +02:00',
  en: 'expected 2026-10-05, 2026-10-05T08:00 (local time of the config zone) or an instant with an offset 2026-10-05T08:00:00Z / +02:00',
};
/** The accepted forms, for messages, French then English. */
export const INSTANT_HINT = `${INSTANT_FORMS.fr} / ${INSTANT_FORMS.en}`;
/** The accepted forms when a local time is allowed, French then English. */
export const LOCAL_INSTANT_HINT = `${LOCAL_INSTANT_FORMS.fr} / ${LOCAL_INSTANT_FORMS.en}`;

/**
 * Reads a date-time from outside through the one strict reader (core/calendar/parse-date-time.ts) and checks it
 * against the bounds. `zone`: where a date-time without offset is local; `requireOffset`: refuse such a text (run
 * instants are absolute). Never throws.
 * @returns `{ ms }` (epoch ms) or `{ problem }` (the message for `<field>: …`): not such a date-time, an impossible
 *   date, a local time that does not exist in `zone` (skipped by a spring-forward DST change: it would otherwise be
 *   moved to the jump, and `--from 02:00 --to 02:30` read as an empty period), a year before 2000, or (with `now`)
 *   more than a day in the future.
 */
export function readInstant(text: unknown, opts: InstantBounds & { zone?: string; requireOffset?: boolean } = {}): InstantRead {
  const hint = opts.requireOffset ? INSTANT_HINT : LOCAL_INSTANT_HINT;
  if (typeof text !== 'string' || text.length > 40) return { problem: hint };
  const parsed = parseDateTime(text, opts.zone ?? 'UTC');
  if (!parsed || (opts.requireOffset && !parsed.hasOffset)) {
    const forms = opts.requireOffset ? INSTANT_FORMS : LOCAL_INSTANT_FORMS;
    return { problem: `${forms.fr}, pas ${JSON.stringify(text)} / ${forms.en}, got ${JSON.stringify(text)}` };
  }
  if (parsed.gap) return { problem: gapProblem(text.trim(), opts.zone ?? 'UTC', parsed.gap) };
  const problem = instantProblem(parsed.ms, opts);
  return problem ? { problem } : { ms: parsed.ms };
}

/** The message for a local time in a DST gap, where the clocks jump from `gap.from` to `gap.to`. */
function gapProblem(text: string, zone: string, gap: { from: string; to: string }): string {
  const shown = JSON.stringify(text);
  return (
    `l'heure locale ${shown} n'existe pas dans le fuseau ${zone} (changement d'heure : les horloges passent de ${gap.from} à ${gap.to}) ; donnez une heure qui existe ou un instant avec décalage / ` +
    `local time ${shown} does not exist in ${zone} (DST change: clocks jump from ${gap.from} to ${gap.to}); give a time that exists or an instant with an offset`
  );
}

/**
 * {@link readInstant} for a command or route input.
 * @throws VigieError `VALIDATION` `<field>: <problem>` with the issue in `issues`.
 */
export function parseInstantInput(text: unknown, field: string, opts: InstantBounds & { zone?: string; requireOffset?: boolean } = {}): Date {
  const r = readInstant(text, opts);
  if (r.problem !== undefined) throw new VigieError('VALIDATION', `${field}: ${r.problem}`, { issues: [{ path: field, message: r.problem }] });
  return new Date(r.ms);
}

/**
 * {@link instantProblem} for an instant already parsed (a `Date` from a driver, a revision date).
 * @throws VigieError `VALIDATION` `<field>: <problem>`.
 */
export function assertInstant(at: Date, field: string, bounds: InstantBounds = {}): void {
  const problem = instantProblem(at.getTime(), bounds);
  if (problem) throw new VigieError('VALIDATION', `${field}: ${problem}`, { issues: [{ path: field, message: problem }] });
}
