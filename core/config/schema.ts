import { z } from 'zod';
import { durationIn, id, strictObject, timeZone } from './primitives.js';
import { entProfile, personaRole } from '../profile.js';
import { uaiProblem } from '../uai.js';
import { contractSchema } from './contract.js';
import { checkCron } from '../cron-pattern.js';
import { alertsSchema } from './alerts.js';
import { secretRef } from './secret.js';

export { secretRef, type SecretRef } from './secret.js';

/**
 * The `vigie.yml` schema (README "Configuration"). Defaults live here. Cross-references (a schedule naming an unknown
 * tenant, …) and the checks added after revisions were first stored (an empty path, NUL in a string, timeout against
 * slot, …) run beside it on the raw value (`validateConfig` in validate.ts: references.ts, journey-references.ts,
 * input-checks.ts, timing.ts), so that every problem is reported at once with its path while stored revisions, which
 * are read with this schema alone, stay readable. No string anywhere may hold NUL or a lone UTF-16 surrogate.
 */

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'URL http(s) attendue / expected an http(s) URL')
  .transform((u) => u.replace(/\/+$/, ''));


/**
 * Bounds of the duration fields, in seconds. Durations that feed a timer (timeouts, shutdown grace) stay far below
 * setTimeout's 2^31−1 ms limit (`MAX_TIMER_SECONDS` in core/duration.ts); a longer one fires at once and fails every run.
 */
const JOURNEY_TIMEOUT = { min: 1, max: 3600 };
const STEP_TIMEOUT = { min: 1, max: 600 };
/** `every`: under a day (intervals of a day or more are calendar durations, 23 h and 25 h days: DESIGN.md §5). */
const EVERY = { min: 1, max: 86400, maxExclusive: true };
const CRON_INTERVAL = { min: 1, max: 31 * 86400 };
/** Also checked against the slot length in {@link scheduleSchema}'s refinement. */
const OFFSET = { min: 0, max: 31 * 86400, maxExclusive: true };
const SHUTDOWN_GRACE = { min: 0, max: 600 };

/** Where probes run: `reference` locations decide the contract state; `in-school` ones run inside an establishment. */
export const locationSchema = strictObject({
    id,
    kind: z.enum(['reference', 'in-school']).default('reference'),
    /** UAI of the establishment hosting an in-school location: one of `tenants[].uai`. */
    uai: z.string().optional(),
    name: z.string().optional(),
  })
  .superRefine((loc, ctx) => {
    if (loc.kind === 'in-school' && !loc.uai) ctx.addIssue({ code: 'custom', path: ['uai'], message: "un lieu in-school doit donner l'UAI de son établissement / an in-school location needs the UAI of its establishment" });
  });

/** An ENT instance (one provider platform): its SSO and the profile describing its markup. */
export const targetSchema = strictObject({
  id,
  name: z.string().min(1),
  /** Built-in profile id (`sandbox`, from probes/profiles/index.ts; another id is refused) or an inline profile. */
  profile: z.union([z.string().min(1), entProfile]),
  /** Base URL of the SSO (CAS server), e.g. `https://sso.example.fr/cas`. */
  ssoUrl: httpUrl,
});

/** Pupils and classes that journeys may touch: the only data a journey writes. */
export const testDataSchema = strictObject({
  classes: z
    .array(
      strictObject({
        id: z.string().min(1),
        name: z.string().optional(),
        /** Every pupil of the test class. A roster holding anyone else aborts the roll call (kind `safety`). */
        pupils: z.array(strictObject({ id: z.string().min(1), name: z.string().optional() })).min(1),
      }),
    )
    .default([]),
});

/** An establishment (tenant), identified by its UAI. */
export const tenantSchema = strictObject({
  uai: z.string().superRefine((uai, ctx) => {
    const problem = uaiProblem(uai);
    if (problem) ctx.addIssue({ code: 'custom', message: `UAI "${uai}" invalide : ${problem.fr} / invalid UAI "${uai}": ${problem.en}` });
  }),
  name: z.string().min(1),
  /** Target (ENT platform) serving this establishment. */
  target: id,
  /** Base URL of this establishment's ENT. */
  entUrl: httpUrl,
  academie: z.string().min(1),
  /** Département code: `51`, `2A`, `971`. Decides Alsace-Moselle public holidays (57, 67, 68). */
  departement: z.string().regex(/^(\d{2}|2[AB]|97\d)$/, 'code de département attendu, par exemple 51, 2A ou 974 / expected a département code such as 51, 2A or 974'),
  /**
   * School-holiday zone (`A`, `B`, `C`) or another calendar location of the ministry's calendar (`Corse`, `Réunion`,
   * …: `CALENDAR_LOCATIONS` in input-checks.ts; `Zone ` prefix, accents and case optional). Anything else is refused.
   */
  zone: z.string().min(1),
  kind: z.enum(['lycee', 'college', 'ecole', 'autre']).default('lycee'),
  /** Probed tenants have their own probes; covered tenants take their figures from a platform probe. */
  probed: z.boolean().default(true),
  testData: testDataSchema.default({ classes: [] }),
});

/** A test account. */
export const personaSchema = strictObject({
  id,
  role: personaRole,
  /** Establishment of the account (UAI). When given, schedules of other establishments may not act as this persona. */
  tenant: z.string().optional(),
  username: z.union([z.string().min(1), secretRef]),
  password: secretRef,
  /** For a parent: the test pupil whose absences they follow; must be in the test data of the parent's tenant. */
  pupil: z.string().optional(),
});

/** Per-journey settings. Built-in journeys: login, logout, roll-call, parent-view. */
export const journeySettingsSchema = strictObject({
  /**
   * Path of a user journey module (same `journey`/`step` API); absent for built-in journeys. Not empty. A
   * `journeys.<id>` entry without it must name a built-in journey.
   */
  module: z.string().optional(),
  /**
   * Hard timeout of one attempt: the run ends `down` (kind `timeout`) at this time whatever the page does. 1 s … 1 h.
   * With each schedule's `offset`, shorter than every slot of the schedule (timing.ts). It does not lengthen the
   * waits of a step: those stop at `stepTimeout`.
   */
  timeout: durationIn(JOURNEY_TIMEOUT).default(60),
  /**
   * Timeout of each wait of a step (navigation, selector), 1 s … 10 min, default 15 s, whatever `timeout` says: a
   * journey given a `timeout` longer than 15 s without a `stepTimeout` gets a check-config warning (warnings.ts),
   * since each of its waits still stops at 15 s; write `stepTimeout` (even `15s`) to say that is meant.
   */
  stepTimeout: durationIn(STEP_TIMEOUT).default(15),
  /** A run whose total duration exceeds this is `degraded` (ms). */
  thresholdMs: z.number().int().positive().optional(),
  /**
   * Per-step thresholds in ms: a passing step over its threshold makes the run `degraded`. For a built-in journey, the
   * keys must be steps it records (builtin-journeys.ts; login steps are `open-ent` and the profile's stage names).
   */
  stepThresholdsMs: z.record(z.string(), z.number().int().positive()).default({}),
  /** Retry a failed attempt once within the slot (DESIGN.md §5 "Attempts"). */
  retry: z.boolean().default(true),
  /** Journey-specific options (roll-call: `propagationDeadline`, `pollInterval`). */
  options: z.record(z.string(), z.unknown()).default({}),
});

/** A schedule runs one journey for one tenant as one persona, on interval or cron slots (DESIGN.md §5 "Slots"). */
export const scheduleSchema = strictObject({
    id,
    journey: id,
    /** Tenant UAI. */
    tenant: z.string(),
    /** The acting persona (teacher for roll-call); of this schedule's tenant when the persona names one. */
    persona: id,
    /**
     * Other personas by role name (roll-call: `{ parent: … }`): a key that is a role (`parent`, `teacher`, …) needs a
     * persona of that role, of this schedule's tenant when it names one. A roll call without `parent` warns.
     */
    personas: z.record(z.string(), id).default({}),
    /**
     * Interval schedule: slots every `every` from the Unix epoch (so every process agrees). 1 s … less than 1 d
     * (DESIGN.md §5: a day or more is a calendar duration, written as a cron pattern).
     */
    every: durationIn(EVERY, "un intervalle d'un jour ou plus s'écrit en motif cron dans le fuseau horaire, par exemple cron: \"0 6 * * *\" avec interval: 1d / an interval of a day or more must be a cron pattern in the time zone, e.g. cron: \"0 6 * * *\" with interval: 1d").optional(),
    /** Cron schedule (5 fields, in `timezone`); needs `interval`, the nominal slot length. */
    cron: z.string().optional(),
    /** Nominal slot length of a cron schedule, 1 s … 31 d. */
    interval: durationIn(CRON_INTERVAL).optional(),
    /** Time zone of the cron pattern (defaults to the config's `timezone`). */
    timezone: timeZone.optional(),
    /**
     * Fixed offset inside each slot, spreading load on the SSO; does not change the slot key. 0 … less than the slot,
     * and the journey's `timeout` plus the offset must be shorter than every slot (timing.ts).
     */
    offset: durationIn(OFFSET).optional(),
    /**
     * How long after a slot's start a slot still without a result makes the schedule `stale` and raises the
     * watchdog's internal alert to the operators (issue 10 item 6, field scenario F21). Default: the slot length (at
     * most 1 h), never less than the offset plus the journey's timeout plus 30 s (core/sla/freshness.ts). 1 s … 31 d.
     */
    grace: durationIn(CRON_INTERVAL).optional(),
    /** Locations this schedule runs from. */
    locations: z.array(id).default(['local']),
    enabled: z.boolean().default(true),
  })
  .superRefine((s, ctx) => {
    if (!s.every === !s.cron) ctx.addIssue({ code: 'custom', path: ['every'], message: 'donnez un seul des deux champs "every" et "cron" / give exactly one of "every" or "cron"' });
    const cronProblem = s.cron ? checkCron(s.cron) : null;
    if (cronProblem) ctx.addIssue({ code: 'custom', path: ['cron'], message: cronProblem });
    if (s.cron && !s.interval) ctx.addIssue({ code: 'custom', path: ['interval'], message: 'une planification cron doit donner son "interval" nominal / a cron schedule needs its nominal "interval"' });
    const slot = s.every ?? s.interval;
    if (s.offset !== undefined && slot !== undefined && s.offset >= slot) {
      ctx.addIssue({ code: 'custom', path: ['offset'], message: `offset doit être plus court que le créneau (${slot} s) / offset must be shorter than the slot (${slot} s)` });
    }
  });

export const runnerSchema = strictObject({
    /** Runs executed at once in this process. */
    concurrency: z.number().int().min(1).max(32).default(2),
    /** Chromium executable; `playwright` uses Playwright's own downloaded browser. Default: /usr/bin/chromium. Not empty. */
    chromiumPath: z.string().default('/usr/bin/chromium'),
    headless: z.boolean().default(true),
    /** Relaunch the browser after this many runs (memory hygiene, F30). */
    recycleAfterRuns: z.number().int().min(1).default(50),
    /** Grace to finish or restore on shutdown, in seconds. 0 … 10 min. */
    shutdownGrace: durationIn(SHUTDOWN_GRACE).default(20),
  })
  .default({ concurrency: 2, chromiumPath: '/usr/bin/chromium', headless: true, recycleAfterRuns: 50, shutdownGrace: 20 });

export const serverSchema = strictObject({
    /**
     * Listen address of the collector: a host name or an IPv4/IPv6 address (no scheme, port or brackets), not empty
     * (input-checks.ts). Default loopback; any other address warns, since the API has no access control or TLS of its
     * own: put a reverse proxy with both in front.
     */
    host: z.string().default('127.0.0.1'),
    /** TCP port; 0 picks a free one. */
    port: z.number().int().min(0).max(65535).default(8080),
  })
  .default({ host: '127.0.0.1', port: 8080 });

export const storageSchema = strictObject({
    /** Folder of the embedded PGlite store (ignored when DATABASE_URL is set). Not empty. */
    dataDir: z.string().default('.vigie/data'),
  })
  .default({ dataDir: '.vigie/data' });

export const configSchema = strictObject({
    /** IANA time zone of every calendar notion. Source: DESIGN.md §5. */
    timezone: timeZone.default('Europe/Paris'),
    locations: z.array(locationSchema).default([{ id: 'local', kind: 'reference' }]),
    targets: z.array(targetSchema).min(1),
    tenants: z.array(tenantSchema).min(1),
    personas: z.array(personaSchema).default([]),
    journeys: z.record(z.string(), journeySettingsSchema).default({}),
    schedules: z.array(scheduleSchema).default([]),
    contracts: z.array(contractSchema).default([]),
    runner: runnerSchema,
    server: serverSchema,
    storage: storageSchema,
    /** Incident notices (issue 10; alerts/README.md). Absent: incidents are neither recorded nor sent. */
    alerts: alertsSchema.optional(),
  });
// Cross-references (unknown tenant, duplicate ids, …) are checked by `referenceIssues` in ./references.ts on the raw
// input, so that they are reported together with field errors (zod skips object refinements once a field failed).

/** The validated config (input shape before defaults: {@link ConfigInput}). */
export type VigieConfig = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type ScheduleConfig = VigieConfig['schedules'][number];
export type TenantConfig = VigieConfig['tenants'][number];
export type PersonaConfig = VigieConfig['personas'][number];
export type TargetConfig = VigieConfig['targets'][number];
export type JourneySettings = z.infer<typeof journeySettingsSchema>;
export type LocationConfig = VigieConfig['locations'][number];
