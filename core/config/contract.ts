import { z } from 'zod';
import { durationIn, id, strictObject, timeZone } from './primitives.js';

/**
 * SLA contracts in `vigie.yml` (DESIGN.md §5, issue 4 "Contract config"). A contract binds a provider to clauses; each
 * clause says which journeys and which parties it counts, in which service hours, against which target, and what an
 * overrun costs. Maintenance windows belong to the contract (the provider announces them under it). Every calendar
 * notion is evaluated in the contract's IANA time zone. Durations are written `30m`, `4h`, `2d` and parsed to seconds.
 */


/**
 * Bounds of the contract's durations, in seconds. None feeds a timer; they keep typos (`4d` for `4h`, `100000d`) out
 * of the SLA figures. A GTR limit or a window of a minute is the finest a one-minute probe can tell apart.
 */
const GTR_LIMIT = { min: 60, max: 31 * 86400 };
const NOTICE_PERIOD = { min: 0, max: 90 * 86400 };
const WINDOW_DURATION = { min: 60, max: 31 * 86400 };

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'date attendue, par exemple 2026-09-01 / expected a date such as 2026-09-01')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "date qui n'existe pas au calendrier / not a calendar date");

/** `HH:mm`, 00:00 to 24:00 (24:00 = the end of the local day). */
const hhmm = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'heure locale attendue, par exemple 07:00 (24:00 pour la fin de la journée) / expected a local time such as 07:00 (24:00 for the end of the day)');

/** Local wall-clock date and time `yyyy-MM-ddTHH:mm` (no offset: it is read in the contract's time zone). */
const localDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/, "date et heure locales attendues, par exemple 2025-07-15T23:00 (sans décalage : le fuseau horaire du contrat s'applique) / expected a local date-time such as 2025-07-15T23:00 (no offset: the contract time zone applies)");

const percent = z.number().min(0, 'nombre entre 0 et 100 attendu / expected a number between 0 and 100').max(100, 'nombre entre 0 et 100 attendu / expected a number between 0 and 100');
const amount = z.number().min(0, 'montant ≥ 0 attendu / expected an amount ≥ 0');

/** Days of the week, ISO order. */
export const weekdaySchema = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof weekdaySchema>;

/**
 * Who a failure is attributed to (DESIGN.md §5 "Attribution"): the ENT provider, the national identity provider
 * (ÉduConnect), the académie identity provider, the establishment's network, or Vigie itself.
 */
export const partySchema = z.enum(['provider', 'educonnect', 'academie-idp', 'establishment-network', 'vigie']);
export type Party = z.infer<typeof partySchema>;

/** Outage severity, from the clause (e.g. login and roll call `bloquant`, parent view `majeur`). */
export const severitySchema = z.enum(['bloquant', 'majeur', 'mineur']);
export type Severity = z.infer<typeof severitySchema>;

/** One weekly range of service hours in local time, e.g. Mon–Fri 07:00–19:00. `to` after `from`; 24:00 allowed. */
export const weeklyHoursSchema = strictObject({
    /** Days the range applies to. */
    days: z.array(weekdaySchema).min(1),
    /** Local start time `HH:mm`. */
    from: hhmm,
    /** Local end time `HH:mm` (exclusive; `24:00` = end of day). */
    to: hhmm,
  })
  .refine((r) => r.to > r.from, { message: '"to" doit être après "from" (coupez en deux une plage qui passe minuit) / "to" must be after "from" (split ranges that cross midnight)', path: ['to'] });

export type WeeklyHours = z.infer<typeof weeklyHoursSchema>;

/** Service hours: `24/7` (every minute counts) or weekly local ranges. */
export const serviceHoursSchema = z.union([
  z.literal('24/7'),
  strictObject({
    /** Weekly ranges; overlapping ranges count once. */
    weekly: z.array(weeklyHoursSchema).min(1),
  }),
]);
export type ServiceHours = z.infer<typeof serviceHoursSchema>;

/** A dated exception to the service hours: a day (or range of days) closed, or opened with given hours. */
export const calendarExceptionSchema = strictObject({
    /** First local day `yyyy-MM-dd`. */
    date: isoDate,
    /** Last local day, inclusive (default: `date`). */
    until: isoDate.optional(),
    /** `closed` removes service hours; `open` adds them (even on a holiday). */
    kind: z.enum(['closed', 'open']),
    /** Local hours the exception covers (default: the whole day for `closed`, the weekly hours for `open`). */
    from: hhmm.optional(),
    /** End of those local hours (exclusive). */
    to: hhmm.optional(),
    /** Why (shown in reports). */
    reason: z.string().min(1),
  })
  .superRefine((e, ctx) => {
    if ((e.from === undefined) !== (e.to === undefined)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'donnez "from" et "to" ensemble, ou aucun des deux / give both "from" and "to", or neither' });
    if (e.from !== undefined && e.to !== undefined && e.to <= e.from) ctx.addIssue({ code: 'custom', path: ['to'], message: '"to" doit être après "from" / "to" must be after "from"' });
    if (e.until !== undefined && e.until < e.date) ctx.addIssue({ code: 'custom', path: ['until'], message: '"until" ne doit pas être avant "date" / "until" must not be before "date"' });
  });
export type CalendarException = z.infer<typeof calendarExceptionSchema>;

/** How a clause uses calendars (DESIGN.md §5 "Service hours"). A 24/7 clause subtracts nothing. */
export const calendarUseSchema = strictObject({
  /** Subtract the school holidays of each tenant's zone (pupils' lines), as whole local days `[start, end)`. */
  schoolHolidays: z.boolean().default(false),
  /** Subtract French public holidays, with Alsace-Moselle's Good Friday and 26 December for départements 57, 67, 68. */
  publicHolidays: z.boolean().default(false),
  /** Dated exceptions, applied last. */
  exceptions: z.array(calendarExceptionSchema).default([]),
});
export type CalendarUse = z.infer<typeof calendarUseSchema>;

/** Latency objective of one journey: the share of runs whose duration is under the threshold (DESIGN.md §5). */
export const latencyObjectiveSchema = strictObject({
  /** Journey duration threshold, ms. */
  thresholdMs: z.number().int().positive(),
  /** Share of runs that must be under the threshold, percent. */
  targetPercent: percent,
  /** Per-step thresholds, ms (attainment reported per step). */
  steps: z.record(z.string(), z.number().int().positive()).default({}),
});

/** A penalty tier: when the month's availability is strictly below `below` percent, `amount` is owed. */
export const availabilityTierSchema = strictObject({
  /** Threshold, percent: the tier applies when availability < below. */
  below: percent,
  /** Amount owed for the month (currency of the contract). Only the lowest tier that applies is charged. */
  amount,
});

/** Time to restore (GTR) limit for one severity, and what an overrun costs. */
export const gtrLimitSchema = strictObject({
  /** Severity the limit applies to. */
  severity: severitySchema,
  /** Longest allowed time to restore, counted in service hours (e.g. `4h`). Seconds after parsing; 1 min … 31 d. */
  limit: durationIn(GTR_LIMIT),
  /** Flat amount per episode over the limit. */
  amount: amount.default(0),
  /** Amount per started hour beyond the limit. */
  amountPerStartedHour: amount.default(0),
});

/** Penalties of a clause, computed line by line (DESIGN.md §5 "Penalties"). */
export const penaltiesSchema = strictObject({
  /** Availability tiers; only the lowest applicable tier is charged per month. */
  availabilityTiers: z.array(availabilityTierSchema).default([]),
  /** GTR limits per severity; each episode over its limit is one line. */
  gtr: z.array(gtrLimitSchema).default([]),
  /** Cap on this clause's penalties in one local calendar month. */
  monthlyCap: amount.optional(),
  /** Cap on this clause's penalties in one contract year (from the contract's `startDate`). */
  yearlyCap: amount.optional(),
});
export type PenaltiesConfig = z.infer<typeof penaltiesSchema>;

/** One clause of a contract. */
export const clauseSchema = strictObject({
    /** Clause id, unique in the contract (`disponibilite-scolaire`). */
    id,
    /** Title shown in reports ("Disponibilité en heures scolaires"). */
    name: z.string().min(1),
    /**
     * Journeys counted, each built-in or a user journey (`journeys.<id>.module`); `logout` belongs in a "déconnexion
     * effective" clause, not in availability clauses.
     */
    journeys: z.array(id).min(1),
    /** Parties whose down minutes this clause counts; down minutes of other parties are excluded and listed. */
    parties: z.array(partySchema).min(1).default(['provider']),
    /** Availability target, percent (also the SLO of the error budget). */
    targetPercent: percent,
    /** Minutes the clause counts. */
    serviceHours: serviceHoursSchema.default('24/7'),
    /** Holidays subtracted and dated exceptions. */
    calendar: calendarUseSchema.default({ schoolHolidays: false, publicHolidays: false, exceptions: [] }),
    /** Least notice for a maintenance window to be excluded; a later announcement is not excluded. Seconds; 0 … 90 d. */
    noticePeriod: durationIn(NOTICE_PERIOD).default(172_800),
    /** Consecutive down slots (skipping unknown and excluded) that open an incident. */
    incidentAfterSlots: z.number().int().min(1).default(2),
    /** Severity of an outage of each journey; journeys not listed are `majeur`. */
    severity: z.record(z.string(), severitySchema).default({}),
    /** Latency objectives per journey (known journeys; their `steps` keys are checked like `stepThresholdsMs`). */
    latency: z.record(z.string(), latencyObjectiveSchema).default({}),
    /** Penalty tiers, GTR limits and caps (none by default). */
    penalties: penaltiesSchema.default({ availabilityTiers: [], gtr: [] }),
  })
  .superRefine((c, ctx) => {
    if (c.serviceHours === '24/7' && (c.calendar.schoolHolidays || c.calendar.publicHolidays)) {
      ctx.addIssue({ code: 'custom', path: ['calendar'], message: 'une clause 24/7 ne retire rien : supprimez schoolHolidays/publicHolidays ou donnez des heures de service hebdomadaires (weekly) / a 24/7 clause subtracts nothing: drop schoolHolidays/publicHolidays or give weekly service hours' });
    }
    for (const j of Object.keys(c.severity)) {
      if (!c.journeys.includes(j)) ctx.addIssue({ code: 'custom', path: ['severity', j], message: `parcours "${j}" absent des journeys de cette clause / journey "${j}" is not in this clause's journeys` });
    }
  });
export type ClauseConfig = z.infer<typeof clauseSchema>;

/** Which runs a window applies to; an empty or absent list means all. Each id must name a target, tenant or journey. */
export const windowScopeSchema = strictObject({
  /** Target (ENT platform) ids. */
  targets: z.array(id).optional(),
  /** Tenant UAIs. */
  tenants: z.array(z.string()).optional(),
  /** Journey ids. */
  journeys: z.array(id).optional(),
});
export type WindowScope = z.infer<typeof windowScopeSchema>;

const windowCommon = {
  /** Window id, unique in the contract. */
  id,
  /** `exclude`: probing goes on and the minutes leave the denominator; `pause`: probing stops. */
  mode: z.enum(['exclude', 'pause']).default('exclude'),
  /** Runs the window applies to (default: all of the contract). */
  scope: windowScopeSchema.default({}),
  /** Why (shown in reports). */
  reason: z.string().optional(),
  /** Elapsed duration (`30m`): the window lasts exactly that, across any clock change. Give this or `end`. 1 min … 31 d. */
  duration: durationIn(WINDOW_DURATION).optional(),
};

/**
 * A one-off window in local wall-clock time. With `end`, each end is converted through the time zone; with
 * `duration`, it lasts that elapsed time from the start (DESIGN.md §5 "Maintenance windows").
 */
export const oneOffWindowSchema = strictObject({
  /** A single occurrence. */
  kind: z.literal('one-off'),
  ...windowCommon,
  /** Local start `yyyy-MM-ddTHH:mm`. */
  start: localDateTime,
  /** Local end `yyyy-MM-ddTHH:mm`. */
  end: localDateTime.optional(),
});

/** A recurring window: every day, or on given weekdays, at a local time, within optional first/last days. */
export const recurringWindowSchema = strictObject({
  /** Occurs every day or on given weekdays. */
  kind: z.literal('recurring'),
  ...windowCommon,
  /** Weekdays it occurs on (default: every day). */
  days: z.array(weekdaySchema).min(1).optional(),
  /** Local start time `HH:mm`. */
  start: hhmm,
  /** Local end time `HH:mm`; an end at or before the start is on the next day (23:00–01:00). */
  end: hhmm.optional(),
  /** First local day it occurs (default: always). */
  from: isoDate.optional(),
  /** Last local day it occurs, inclusive (default: forever). */
  until: isoDate.optional(),
});

export const maintenanceWindowSchema = z
  .discriminatedUnion('kind', [oneOffWindowSchema, recurringWindowSchema])
  .superRefine((w, ctx) => {
    if ((w.end === undefined) === (w.duration === undefined)) ctx.addIssue({ code: 'custom', path: ['end'], message: 'donnez un seul des deux champs "end" et "duration" / give exactly one of "end" or "duration"' });
    if (w.kind === 'one-off' && w.end !== undefined && w.end <= w.start) ctx.addIssue({ code: 'custom', path: ['end'], message: '"end" doit être après "start" / "end" must be after "start"' });
  });
export type MaintenanceWindowConfig = z.infer<typeof maintenanceWindowSchema>;

/** An SLA contract with one provider. */
export const contractSchema = strictObject({
    /** Contract id (`vigie sla --contract <id>`), unique among the contracts. */
    id,
    /** Title shown in reports. */
    name: z.string().min(1).optional(),
    /** The provider bound by the contract. */
    provider: z.string().min(1).optional(),
    /** IANA time zone of every calendar notion of the contract. */
    timezone: timeZone.default('Europe/Paris'),
    /** First day of the contract, `yyyy-MM-dd`: contract years (yearly caps) start on this day each year. */
    startDate: isoDate,
    /** Currency of the penalty amounts (`EUR`); not empty (input-checks.ts). */
    currency: z.string().default('EUR'),
    /** Targets (ENT platforms) the contract covers (default: all); each one of `targets[].id`. */
    targets: z.array(id).optional(),
    /** The clauses, each computed on its own. */
    clauses: z.array(clauseSchema).min(1),
    /** Announced maintenance windows; their announcement time is when a revision first contained them. */
    maintenance: z.array(maintenanceWindowSchema).default([]),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.clauses.forEach((cl, i) => {
      if (seen.has(cl.id)) ctx.addIssue({ code: 'custom', path: ['clauses', i, 'id'], message: `identifiant de clause "${cl.id}" en double / duplicate clause id "${cl.id}"` });
      seen.add(cl.id);
    });
    const windows = new Set<string>();
    c.maintenance.forEach((w, i) => {
      if (windows.has(w.id)) ctx.addIssue({ code: 'custom', path: ['maintenance', i, 'id'], message: `identifiant de fenêtre de maintenance "${w.id}" en double / duplicate window id "${w.id}"` });
      windows.add(w.id);
    });
  });
export type ContractConfig = z.infer<typeof contractSchema>;
export type ContractInput = z.input<typeof contractSchema>;
