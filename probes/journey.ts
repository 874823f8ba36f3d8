import type { BrowserContext, Page, Response } from 'playwright-core';
import type { Logger } from 'pino';
import type { FailureKind } from '../core/run-types.js';
import type { EntProfile, PersonaRole } from '../core/profile.js';
import type { JourneySettings } from '../core/config/schema.js';
import type { LeaseManager } from './lease.js';

/**
 * The journey API (DESIGN.md §2; CONVENTIONS.md "Journeys are plain modules"). A journey is a plain value made by
 * {@link journey} and listed in `probes/journeys/index.ts` (built-in) or exported by a user module named in the config
 * (`journeys.<id>.module`); nothing registers itself by import side effect.
 *
 * ```ts
 * export default journey('homework', async (ctx) => {
 *   await loginAs(ctx, ctx.page, ctx.persona);
 *   await ctx.step('open-homework', () => ctx.goto(ctx.page, ctx.url('{ent}/cahier-de-textes')));
 *   await ctx.check('has-entry', async () => { … });
 * });
 * ```
 */

/** A test account with its secrets already resolved by the CLI. */
export interface Persona {
  id: string;
  role: PersonaRole;
  username: string;
  password: string;
  /** For a parent: the followed test pupil id. */
  pupil?: string;
}

/** The classes and pupils a journey may touch (config `tenants[].testData`). */
export interface TestData {
  classes: { id: string; name?: string; pupils: { id: string; name?: string }[] }[];
}

/** Everything a run knows about where and as whom it runs. */
export interface JourneyRunContext {
  profile: EntProfile;
  /** SSO base URL of the target (no trailing slash). */
  ssoUrl: string;
  /** ENT base URL of the tenant (no trailing slash). */
  entUrl: string;
  /** The acting persona. */
  persona: Persona;
  /** Other personas by role name (roll-call: `parent`). */
  personas: Record<string, Persona>;
  testData: TestData;
}

export interface StepOptions {
  /**
   * The step handles secrets (credentials): no screenshot of it is taken on failure, and its error message is
   * reduced to the selector it waited for.
   */
  secret?: boolean;
  /** Threshold override in ms (default: `settings.stepThresholdsMs[name]`). */
  thresholdMs?: number;
}

/** What a journey function receives. Every wait is bounded by `stepTimeoutMs`; the whole run by the journey timeout. */
export interface JourneyContext extends JourneyRunContext {
  /** Page of the attempt's fresh browser context. */
  readonly page: Page;
  readonly browserContext: BrowserContext;
  readonly settings: JourneySettings;
  /** `settings.options`, the journey-specific options. */
  readonly options: Record<string, unknown>;
  /** `settings.stepTimeout` in ms. */
  readonly stepTimeoutMs: number;
  /** Tenant UAI. */
  readonly tenant: string;
  /** Aborted when the run is interrupted (shutdown) or timed out: stop, and only run `cleanup` steps. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  readonly leases: LeaseManager;
  /**
   * A hard step: timed, recorded, and a failure ends the attempt (the error is rethrown, classified). Throw
   * {@link StepSkipped} inside to record the step as skipped. Refuses to start once `signal` is aborted. A main-frame
   * document answering ≥ 500 while it runs fails it at once, kind `http` (step-recorder.ts `failOnServerError`).
   */
  step<T>(name: string, fn: () => Promise<T>, options?: StepOptions): Promise<T>;
  /** A soft step: a failure is recorded (the run ends `down` at the first one) and the journey goes on. Returns passed. */
  check(name: string, fn: () => Promise<void>, options?: StepOptions): Promise<boolean>;
  /** A soft step that runs even after a failure or an interruption (restoring test data in a `finally`). */
  cleanup(name: string, fn: () => Promise<void>, options?: StepOptions): Promise<boolean>;
  /**
   * Ends the running step's time now; the next step starts from this moment. Call it just before the action that
   * sets off what the next step waits for (a click that leaves the page), so that step carries the navigation's whole
   * time, dispatch included (step-recorder.ts `handOff`).
   */
  handOff(): void;
  /** Records a measured value of the run (`propagationMs`). */
  measure(name: string, value: number): void;
  /** Records a flag of the run (`dirtyStart`). */
  flag(name: string): void;
  /** Records cookies as evidence, names and domains only (never values). */
  recordCookies(cookies: readonly { name: string; domain: string }[]): void;
  /** Fills `{ent}`, `{sso}` and `extra` placeholders of a profile URL or selector. */
  url(template: string, extra?: Record<string, string>): string;
  /** Navigates within the step timeout; an HTTP status ≥ 400 fails with kind `http`. */
  goto(page: Page, url: string): Promise<Response | null>;
  /** A fresh browser context (another persona, a cookie replay), closed by the runner on every path. */
  newContext(): Promise<{ context: BrowserContext; page: Page }>;
}

export type JourneyFn = (ctx: JourneyContext) => Promise<void>;

export interface JourneyDefinition {
  readonly id: string;
  readonly description?: string;
  readonly run: JourneyFn;
}

/** Makes a journey definition: `journey(id, fn)` or `journey(id, { run, description })`. */
export function journey(id: string, def: JourneyFn | { run: JourneyFn; description?: string }): JourneyDefinition {
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(id)) throw new TypeError(`invalid journey id "${id}"`);
  const body = typeof def === 'function' ? { run: def } : def;
  return Object.freeze({ id, description: body.description, run: body.run });
}

/** True for a value made by {@link journey} (checked when loading user modules). */
export function isJourneyDefinition(value: unknown): value is JourneyDefinition {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as JourneyDefinition).id === 'string' &&
    typeof (value as JourneyDefinition).run === 'function'
  );
}

/**
 * A classified failure of the monitored ENT raised by journey code: `kind` decides the run's status
 * (core/outcome.ts `statusOfKind`), never the message text.
 */
export class JourneyFailure extends Error {
  readonly kind: FailureKind;
  readonly httpStatus?: number;

  constructor(kind: FailureKind, message: string, options: { httpStatus?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'JourneyFailure';
    this.kind = kind;
    this.httpStatus = options.httpStatus;
  }
}

/** Thrown inside a step to record it as skipped (an optional login stage that did not show). */
export class StepSkipped extends Error {
  constructor(reason = 'skipped') {
    super(reason);
    this.name = 'StepSkipped';
  }
}
