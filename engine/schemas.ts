import { z } from 'zod';
import { parseDateTime } from '../core/calendar/parse-date-time.js';
import { readInstant } from '../core/instant.js';
import { MAX_ID_CHARS } from '../core/run-schema.js';

/**
 * Input schemas shared by the SLA HTTP routes (`/api/v1/sla`, `/corrections`, `/incidents`, `/audit`), the admin API
 * and the CLI, so every door refuses the same bad input with the same field names.
 */

/**
 * Longest period an SLA request may cover, in days: a school year (365/366 days) or a contract year fits; longer
 * ranges are refused because the engine works minute by minute (a 130-year range ran `vigie start` out of memory).
 */
export const MAX_PERIOD_DAYS = 400;

/**
 * A date-time as every door takes it (core/instant.ts `readInstant`): `2026-10-05`, `2026-10-05T08:00` (local time
 * of the config zone, converted by the backend) or an instant with `Z`/offset. Impossible dates and years before 2000
 * are refused here; the backend checks the future bound of recorded periods (corrections, incidents) with its clock.
 */
const dateTime = z
  .string()
  .max(40)
  .superRefine((s, ctx) => {
    const problem = readInstant(s).problem;
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });
const instant = dateTime;
const localOrInstant = dateTime;
/** Rough span of two date-times in days (offsets ignored: ±1 day), for refusing over-long ranges before any work. */
const roughDays = (from: string, to: string) => ((parseDateTime(to, 'UTC')?.ms ?? NaN) - (parseDateTime(from, 'UTC')?.ms ?? NaN)) / 86_400_000;

/**
 * Most entries of a scope list (tenants, journeys, targets, clauses): far above any config (a region has a few hundred
 * establishments), far below what would make one correction a megabyte to store and check. Each entry is an id of
 * at most `MAX_ID_CHARS` (200) characters, as everywhere else.
 */
export const MAX_SCOPE_ITEMS = 1000;
const tooMany = `${MAX_SCOPE_ITEMS} entrées au plus / at most ${MAX_SCOPE_ITEMS} entries`;
/** An id of a scope list, a query or a filter: at most `MAX_ID_CHARS` characters. */
const shortId = z.string().max(MAX_ID_CHARS, `${MAX_ID_CHARS} caractères au plus / at most ${MAX_ID_CHARS} characters`);
/**
 * A list given as an array or a comma-separated string (`a,b`), trimmed, empty entries dropped; at most
 * {@link MAX_SCOPE_ITEMS} entries of at most `MAX_ID_CHARS` characters, each refused at its path (`scope.tenants[3]`).
 */
const list = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => {
    // A string is cut after MAX_SCOPE_ITEMS + 1 entries, enough to refuse it: never split megabytes of commas, and
    // never drop the empty entries of a cut one (`,,,…,x` must not become the empty scope, which means everything).
    const items = Array.isArray(v) ? v : v.split(',', MAX_SCOPE_ITEMS + 1);
    return items.length > MAX_SCOPE_ITEMS ? items : items.map((x) => x.trim()).filter(Boolean);
  })
  .pipe(z.array(shortId).max(MAX_SCOPE_ITEMS, tooMany));

/** `GET /api/v1/sla?contract=&month=|from=&to=|schoolYear=&tenant=&clause=&by=tenant`. */
export const slaQuerySchema = z
  .object({
    contract: shortId.min(1),
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'mois attendu au format yyyy-MM, par exemple 2026-10 / expected yyyy-MM such as 2026-10').optional(),
    schoolYear: z.string().regex(/^\d{4}-\d{4}$/, 'année scolaire attendue au format yyyy-yyyy, par exemple 2026-2027 / expected yyyy-yyyy such as 2026-2027').optional(),
    from: localOrInstant.optional(),
    to: localOrInstant.optional(),
    tenant: shortId.min(1).optional(),
    clause: shortId.min(1).optional(),
    /** `tenant`: each clause also gives the figures of each establishment (`byTenant`), pooled over its journeys. */
    by: z.enum(['tenant']).optional(),
    /** `true` (or `"true"` in a query string): each clause also gives its figures day by day (`daily`). */
    daily: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    const given = [q.month !== undefined, q.schoolYear !== undefined, q.from !== undefined || q.to !== undefined].filter(Boolean).length;
    if (given !== 1) ctx.addIssue({ code: 'custom', path: ['month'], message: 'donnez une seule période : month, schoolYear, ou from et to / give exactly one period: month, schoolYear, or from and to' });
    if ((q.from === undefined) !== (q.to === undefined)) ctx.addIssue({ code: 'custom', path: [q.from === undefined ? 'from' : 'to'], message: 'from et to vont ensemble / from and to go together' });
    if (q.from !== undefined && q.to !== undefined && roughDays(q.from, q.to) > MAX_PERIOD_DAYS + 1) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `la période du ${q.from} au ${q.to} dépasse ${MAX_PERIOD_DAYS} jours (une année scolaire ou une année de contrat y tient) : découpez-la / period from ${q.from} to ${q.to} is longer than ${MAX_PERIOD_DAYS} days (a school or contract year fits): split it` });
    }
  });
export type SlaQuery = z.infer<typeof slaQuerySchema>;

/** Scope of a correction or a manual incident: lists (or comma-separated strings); absent = everything. */
export const scopeSchema = z
  .object({ clauses: list.optional(), targets: list.optional(), tenants: list.optional(), journeys: list.optional() })
  .strict()
  .default({});

const author = z.string().trim().min(1, 'auteur requis / author is required').max(200);

/** `POST /api/v1/corrections`. */
export const correctionBodySchema = z
  .object({ from: instant, to: instant, scope: scopeSchema, reason: z.string().trim().min(1, 'motif requis / reason is required').max(2000), author })
  .strict()
  .refine((b) => !(roughDays(b.from, b.to) <= -1), { path: ['to'], message: 'to doit être après from / to must be after from' });
export type CorrectionBody = z.infer<typeof correctionBodySchema>;

/** `POST /api/v1/corrections/:id/withdraw`. */
export const withdrawBodySchema = z.object({ author, reason: z.string().max(2000).optional() }).strict();
export type WithdrawBody = z.infer<typeof withdrawBodySchema>;

/** `POST /api/v1/incidents` (`to` absent: still going on). */
export const incidentBodySchema = z
  .object({ from: instant, to: instant.optional(), scope: scopeSchema, description: z.string().trim().min(1, 'description requise / description is required').max(2000), author })
  .strict()
  .refine((b) => b.to === undefined || !(roughDays(b.from, b.to) <= -1), { path: ['to'], message: 'to doit être après from / to must be after from' });
export type IncidentBody = z.infer<typeof incidentBodySchema>;

/** `GET /api/v1/corrections|incidents?from=&to=`. */
export const periodQuerySchema = z.object({ from: instant.optional(), to: instant.optional() }).strict();
export type PeriodQuery = z.infer<typeof periodQuerySchema>;

/** `GET /api/v1/audit?from=&to=&actor=&action=&limit=`. */
export const auditQuerySchema = z
  .object({ from: instant.optional(), to: instant.optional(), actor: shortId.min(1).optional(), action: shortId.min(1).optional(), limit: z.coerce.number().int().min(1).max(1000).optional() })
  .strict();
export type AuditQuery = z.infer<typeof auditQuerySchema>;
