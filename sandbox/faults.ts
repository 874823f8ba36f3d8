import { z } from 'zod';

/**
 * Fault injection of the sandbox ENT (DESIGN.md §3). The same state is driven in-process (`handle.faults`) and over
 * the loopback admin API (`/faults`). Every fault is off by default; `until` (ISO instant) ends a fault by itself,
 * measured on the sandbox's base clock.
 *
 * Host filters accept a host name (`lycee-sandbox.localhost`) or its first label (`lycee-sandbox`, `sso`, `idp`,
 * `idp-agents`); absent or `*` = every host. Path patterns are globs on the path without query string: `*` matches
 * any run of characters (`/appel/*`); absent = every path.
 */

const isoInstant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 instant');

const routeMatch = {
  /** Host name or its first label; absent or `*` = every host. */
  host: z.string().min(1).optional(),
  /** Glob on the path (`*` = anything); absent = every path. */
  path: z.string().min(1).optional(),
  /** HTTP method (GET, POST…); absent = every method. */
  method: z.string().min(1).optional(),
  /** The fault ends by itself at this instant. */
  until: isoInstant.optional(),
};

export const latencyFault = z.object({ ...routeMatch, ms: z.number().int().min(0).max(600_000) }).strict();
export const errorFault = z
  .object({
    ...routeMatch,
    status: z.number().int().min(400).max(599),
    /** Answer with the error this many times, then stop (absent = until removed). */
    times: z.number().int().positive().optional(),
  })
  .strict();
export const outageFault = z
  .object({
    host: routeMatch.host,
    until: routeMatch.until,
    /** `status`: 503 page; `reset`: the connection is destroyed without an answer. */
    mode: z.enum(['status', 'reset']).default('status'),
  })
  .strict();

export const parentPage = z.enum(['absences', 'notes', 'cahier-de-textes']);
export type ParentPage = z.infer<typeof parentPage>;

export const faultStateSchema = z
  .object({
    /** Added delay before answering matching requests, in ms. */
    latency: z.array(latencyFault).default([]),
    /** Matching requests answer this HTTP status instead of their page. */
    errors: z.array(errorFault).default([]),
    /** Full outage of every host or of one host. */
    outages: z.array(outageFault).default([]),
    /** The ENT hosts (or one) show a waiting-queue page ("File d'attente") instead of every page. */
    waitingQueue: z.object({ host: routeMatch.host, until: routeMatch.until }).strict().nullable().default(null),
    /** "Valider l'appel" shows "Appel enregistré" but nothing is stored. */
    rollCallLost: z.boolean().default(false),
    /**
     * Broken single logout: the SSO's `/logout` clears the browser's cookie but keeps the ticket-granting ticket alive
     * server-side (a replayed `CASTGC` still works) and tells neither the identity providers nor the other ENT
     * sessions. Only the ENT session the user logged out of ends.
     */
    brokenLogout: z.boolean().default(false),
    /** Absences reach the parent page `delaySeconds` after the save, or never (`lost`). */
    propagation: z
      .union([z.object({ delaySeconds: z.number().min(0) }).strict(), z.object({ lost: z.literal(true) }).strict()])
      .nullable()
      .default(null),
    /** Parent pages show another child's data (absent `pages` = all three pages). */
    wrongData: z.object({ pages: z.array(parentPage).optional() }).strict().nullable().default(null),
    /** The SSO refuses service URLs (of one ENT host, or every one) as unregistered. */
    refuseService: z.object({ host: routeMatch.host }).strict().nullable().default(null),
    /** An identity provider answers 503 on every page. */
    idpDown: z
      .object({ idp: z.enum(['idp', 'idp-agents', 'all']).default('all'), until: routeMatch.until })
      .strict()
      .nullable()
      .default(null),
  })
  .strict();

/** The whole fault state (JSON of `GET /faults`). */
export type FaultState = z.infer<typeof faultStateSchema>;
/** Input accepted by `set` / `replace` (defaults filled in). */
export type FaultInput = z.input<typeof faultStateSchema>;

/** In-process fault controller; the admin API is a thin JSON shell over it. */
export interface FaultController {
  /** A copy of the current state. */
  get(): FaultState;
  /** Replaces the keys given, keeps the others. Throws a ZodError on bad input. */
  set(patch: FaultInput): FaultState;
  /** Replaces the whole state (keys not given go back to their default). Throws a ZodError on bad input. */
  replace(state: FaultInput): FaultState;
  /** Every fault off. */
  reset(): FaultState;
}

/** Creates the controller; `now` is the sandbox's base clock (for `until`). */
export function createFaultController(now: () => Date): FaultController & FaultMatcher {
  let state = faultStateSchema.parse({});
  const copy = (): FaultState => structuredClone(state);
  const active = (f: { until?: string }): boolean => f.until === undefined || Date.parse(f.until) > now().getTime();
  return {
    get: copy,
    set(patch) {
      const keys = Object.keys(patch ?? {});
      const parsed = faultStateSchema.parse(patch);
      const next = { ...state } as Record<string, unknown>;
      for (const key of keys) next[key] = (parsed as Record<string, unknown>)[key];
      state = next as FaultState;
      return copy();
    },
    replace(input) {
      state = faultStateSchema.parse(input);
      return copy();
    },
    reset() {
      state = faultStateSchema.parse({});
      return copy();
    },
    current: () => state,
    outageFor(host) {
      return state.outages.find((o) => active(o) && hostMatches(o.host, host));
    },
    latencyMsFor(host, method, path) {
      return state.latency
        .filter((f) => active(f) && routeMatches(f, host, method, path))
        .reduce((sum, f) => sum + f.ms, 0);
    },
    takeErrorFor(host, method, path) {
      const fault = state.errors.find((f) => active(f) && routeMatches(f, host, method, path));
      if (!fault) return undefined;
      if (fault.times !== undefined) {
        fault.times -= 1;
        if (fault.times <= 0) state = { ...state, errors: state.errors.filter((f) => f !== fault) };
      }
      return fault.status;
    },
    waitingQueueFor(host) {
      const q = state.waitingQueue;
      return q !== null && active(q) && hostMatches(q.host, host);
    },
    idpDownFor(idp) {
      const d = state.idpDown;
      return d !== null && active(d) && (d.idp === 'all' || d.idp === idp);
    },
    refusesService(serviceHost) {
      const r = state.refuseService;
      return r !== null && hostMatches(r.host, serviceHost);
    },
    wrongDataOn(page) {
      const w = state.wrongData;
      return w !== null && (w.pages === undefined || w.pages.includes(page));
    },
  };
}

/** What the request pipeline asks the controller (internal to the sandbox). */
export interface FaultMatcher {
  current(): FaultState;
  outageFor(host: string): FaultState['outages'][number] | undefined;
  latencyMsFor(host: string, method: string, path: string): number;
  /** The status to answer, counting down `times`. */
  takeErrorFor(host: string, method: string, path: string): number | undefined;
  waitingQueueFor(host: string): boolean;
  idpDownFor(idp: 'idp' | 'idp-agents'): boolean;
  refusesService(serviceHost: string): boolean;
  wrongDataOn(page: ParentPage): boolean;
}

/** True when a host filter (name, first label, `*` or absent) matches a host name. */
export function hostMatches(filter: string | undefined, host: string): boolean {
  if (filter === undefined || filter === '*') return true;
  const f = filter.toLowerCase();
  return f === host || `${f}.localhost` === host;
}

function routeMatches(
  f: { host?: string; path?: string; method?: string },
  host: string,
  method: string,
  path: string,
): boolean {
  if (!hostMatches(f.host, host)) return false;
  if (f.method !== undefined && f.method.toUpperCase() !== method) return false;
  if (f.path !== undefined && !globToRegExp(f.path).test(path)) return false;
  return true;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}
