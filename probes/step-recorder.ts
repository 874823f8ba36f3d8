import { performance } from 'node:perf_hooks';
import type { FailureKind, StepResult } from '../core/run-types.js';
import { classifyStepError, type Classification, type StepObservation } from './classify.js';
import { JourneyFailure, StepSkipped, type StepOptions } from './journey.js';
import type { ServerError } from './classify.js';

/**
 * Records the steps of one attempt: timing on the monotonic clock (`performance.now()`), soft and hard steps, measures,
 * flags and the failure list. The runner builds one per attempt and exposes its methods on the journey context.
 */

/**
 * Milliseconds elapsed since `startMs` (a `performance.now()` reading), rounded to a whole millisecond: results are
 * stored as integers (db `duration_ms integer`) and sub-millisecond float noise (`4516.5355690000015`) means nothing.
 */
export function elapsedMs(startMs: number): number {
  return Math.round(performance.now() - startMs);
}

/** Thrown out of a failed hard step so the journey stops; carries the classification made at the failure. */
export class StepFailed extends Error {
  readonly step: string;
  readonly classification: Classification;

  constructor(step: string, classification: Classification, cause: unknown) {
    super(`step "${step}" failed: ${classification.message}`, { cause });
    this.name = 'StepFailed';
    this.step = step;
    this.classification = classification;
  }
}

/** Thrown by a step that may not start because the run is stopping (shutdown, timeout, crash). Not recorded. */
export class StepInterrupted extends Error {
  constructor(step: string) {
    super(`step "${step}" not started: the run is stopping`);
    this.name = 'StepInterrupted';
  }
}

/** Tells which main-frame events happened since a mark (see classify.ts). */
export interface PageObserver {
  mark(): number;
  since(mark: number): StepObservation;
  /**
   * Calls `listener` for each main-frame document of the attempt's pages answered with a status ≥ 500, once that
   * error page has loaded (or a short bound passed); returns the unsubscribe function. Optional: without it, a hard
   * step only fails when its own wait does.
   */
  onServerError?(listener: (e: ServerError) => void): () => void;
}

export interface StepRecorderOptions {
  stepThresholdsMs: Record<string, number>;
  /** Secret values to redact from messages. */
  secrets: readonly string[];
  /** Aborted when the run is stopping: hard and soft steps refuse to start, cleanup steps still run. */
  signal: AbortSignal;
  observer: PageObserver;
  /**
   * Gives a better failure for a vague one (not a JourneyFailure, or an `assertion`), from what the page shows (a waiting-queue
   * page instead of the expected element). Must not throw.
   */
  explain?: (err: unknown) => Promise<JourneyFailure | undefined>;
  /** Called once, at the first failure of a non-secret step, while its page is still open (screenshot). */
  onFirstFailure?: (step: string) => Promise<void>;
}

type Mode = 'hard' | 'soft' | 'cleanup';

interface Running {
  rec: StepResult;
  startMs: number;
  /** Set by {@link StepRecorder.handOff}: the step's time ends here if it succeeds. */
  endMs?: number;
  stopped: boolean;
  /** The step handles secrets (credentials): its page is never captured. */
  secret: boolean;
}

export class StepRecorder {
  readonly steps: StepResult[] = [];
  readonly measures: Record<string, number> = {};
  readonly flags: string[] = [];
  readonly failures: { step: string; message: string; kind: FailureKind }[] = [];
  cookies?: { name: string; domain: string }[];
  /** The first failure that ended the attempt (hard step or journey code), if any. */
  firstHardFailure?: Classification & { step?: string };
  private readonly running = new Set<Running>();
  private screenshotDone = false;
  private sealed = false;
  /** The moment a step handed its time on (see {@link handOff}), until the next step takes it. */
  private handoff?: { from: Running; atMs: number; wallMs: number; seq: number };

  constructor(private readonly opts: StepRecorderOptions) {}

  step<T>(name: string, fn: () => Promise<T>, options: StepOptions = {}): Promise<T> {
    return this.exec(name, fn, 'hard', options) as Promise<T>;
  }

  async check(name: string, fn: () => Promise<void>, options: StepOptions = {}): Promise<boolean> {
    return (await this.exec(name, fn, 'soft', options)) !== FAILED;
  }

  async cleanup(name: string, fn: () => Promise<void>, options: StepOptions = {}): Promise<boolean> {
    return (await this.exec(name, fn, 'cleanup', options)) !== FAILED;
  }

  measure(name: string, value: number): void {
    if (this.sealed) return;
    if (!Number.isFinite(value)) throw new TypeError(`measure "${name}" must be a finite number`);
    this.measures[name] = value;
  }

  flag(name: string): void {
    if (!this.flags.includes(name)) this.flags.push(name);
  }

  recordCookies(cookies: readonly { name: string; domain: string }[]): void {
    // Copy names and domains only: a Playwright cookie object also holds the value.
    this.cookies = cookies.map((c) => ({ name: c.name, domain: c.domain }));
  }

  /** Records a failure raised by journey code outside any step (kind already classified). */
  recordJourneyFailure(c: Classification): void {
    this.failures.push({ step: '(journey)', message: c.message, kind: c.kind });
    this.firstHardFailure ??= c;
  }

  /**
   * The browser crashed: the step that failed last failed because of it, not because of the ENT. Its error (and its
   * entry in the failure list) become kind `infra` with `message`.
   */
  attributeLastFailureTo(kind: FailureKind, message: string): void {
    const step = [...this.steps].reverse().find((s) => s.status === 'failed');
    if (!step) return;
    step.error = { kind, message };
    const entry = [...this.failures].reverse().find((f) => f.step === step.name);
    if (entry) Object.assign(entry, { kind, message });
  }

  /**
   * The innermost running step's time ends now; the next step to start takes over from this moment (its start time and
   * the page events it answers for). Called just before an action that sets off what the next step waits for: the
   * click that leaves the page. The dispatch of that click, and any delay of this process before the next step starts
   * (a loaded probe machine, a busy CDP connection), then belong to the step that waits for the page the click brings,
   * as the page's own time does (issue 8: "a step's duration must be the time of what that step waits for"). Ignored
   * when the step fails afterwards (a failed step's time runs to its failure). No running step: does nothing.
   */
  handOff(): void {
    const r = [...this.running].at(-1);
    if (!r || this.sealed) return;
    r.endMs = performance.now();
    this.handoff = { from: r, atMs: r.endMs, wallMs: Date.now(), seq: this.opts.observer.mark() };
  }

  /** The attempt's result is taken: later steps (a journey still unwinding against closed pages) are not recorded. */
  seal(): void {
    this.sealed = true;
  }

  /** True while a step marked `secret` runs: the page shows a credentials form, so no screenshot may be taken. */
  secretRunning(): boolean {
    return [...this.running].some((r) => r.secret);
  }

  /**
   * Ends every running step now as failed with `kind` (the journey timeout, a crash): their durations stop here and
   * their later settlement is ignored.
   */
  stopRunning(kind: FailureKind, message: string): void {
    for (const r of this.running) {
      r.stopped = true;
      r.rec.status = 'failed';
      r.rec.durationMs = elapsedMs(r.startMs);
      r.rec.error = { kind, message };
      this.failures.push({ step: r.rec.name, message, kind });
      if (!r.rec.soft) this.firstHardFailure ??= { kind, message, step: r.rec.name };
    }
    this.running.clear();
  }

  private async exec(name: string, fn: () => Promise<unknown>, mode: Mode, options: StepOptions): Promise<unknown> {
    if (this.sealed || (mode !== 'cleanup' && this.opts.signal.aborted)) throw new StepInterrupted(name);
    const thresholdMs = options.thresholdMs ?? this.opts.stepThresholdsMs[name];
    // A step handed on by one that has ended: this step starts where that one stopped (see handOff).
    const taken = this.handoff !== undefined && !this.running.has(this.handoff.from) ? this.handoff : undefined;
    if (taken) this.handoff = undefined;
    const rec: StepResult = {
      name,
      index: this.steps.length,
      status: 'passed',
      soft: mode !== 'hard',
      startedAt: new Date(taken?.wallMs ?? Date.now()).toISOString(),
      durationMs: 0,
      ...(thresholdMs === undefined ? {} : { thresholdMs }),
    };
    this.steps.push(rec);
    const mark = taken?.seq ?? this.opts.observer.mark();
    const r: Running = { rec, startMs: taken?.atMs ?? performance.now(), stopped: false, secret: options.secret === true };
    this.running.add(r);
    try {
      const value = mode === 'hard' ? await this.failOnServerError(fn(), r, mark) : await fn();
      if (r.stopped) throw new StepInterrupted(name);
      rec.durationMs = r.endMs === undefined ? elapsedMs(r.startMs) : Math.round(r.endMs - r.startMs);
      return value;
    } catch (err) {
      if (this.handoff?.from === r) this.handoff = undefined;
      if (r.stopped) throw err instanceof StepInterrupted ? err : new StepInterrupted(name);
      rec.durationMs = elapsedMs(r.startMs);
      if (err instanceof StepSkipped) {
        rec.status = 'skipped';
        return undefined;
      }
      if (err instanceof StepInterrupted || err instanceof StepFailed) {
        // A nested step already recorded this failure; this outer step fails with the same cause.
        rec.status = 'failed';
        if (err instanceof StepFailed) rec.error = { kind: err.classification.kind, message: err.classification.message };
        throw err;
      }
      // An "element not there" may have a better explanation on the page (a waiting-queue page instead of the ENT).
      const vague = !(err instanceof JourneyFailure) || err.kind === 'assertion';
      const explained = vague ? await this.opts.explain?.(err) : undefined;
      const c = classifyStepError(explained ?? err, this.opts.observer.since(mark), this.opts.secrets);
      rec.status = 'failed';
      rec.error = { kind: c.kind, message: c.message, ...(c.httpStatus === undefined ? {} : { httpStatus: c.httpStatus }) };
      this.failures.push({ step: name, message: c.message, kind: c.kind });
      if (!this.screenshotDone && !options.secret && this.opts.onFirstFailure) {
        this.screenshotDone = true;
        await this.opts.onFirstFailure(name);
      }
      if (mode === 'hard') {
        this.firstHardFailure ??= { ...c, step: name };
        throw new StepFailed(name, c, err);
      }
      return FAILED;
    } finally {
      this.running.delete(r);
    }
  }

  /**
   * Runs `work` (a hard step's function) until it settles or a main-frame document counted after `mark` (the step's
   * start) answers ≥ 500, whichever comes first; in the latter case the step fails at once with kind `http`
   * (DESIGN.md §5: an HTTP error is `down`) instead of waiting its whole step timeout for an element the error page
   * will never show. Only the innermost running hard step is failed (an outer step fails through it). Hard steps only:
   * the attempt ends at their failure, so the work left to settle in the background meets nothing but the journey's
   * cleanup, as after a journey timeout; a soft check still waiting on its page could act on the next check's page.
   */
  private async failOnServerError<T>(work: Promise<T>, r: Running, mark: number): Promise<T> {
    const subscribe = this.opts.observer.onServerError?.bind(this.opts.observer);
    if (!subscribe) return work;
    work.catch(() => undefined); // when the error page wins, the step's own wait settles later and no longer matters
    let unsubscribe = () => {};
    const failed = new Promise<never>((_, reject) => {
      unsubscribe = subscribe((e) => {
        // A response from before this step (a failed check's page loading late) is not this step's.
        const innermost = [...this.running].filter((x) => !x.rec.soft).at(-1);
        if (e.seq > mark && innermost === r) reject(new JourneyFailure('http', `HTTP ${e.status} on ${e.url}`, { httpStatus: e.status }));
      });
    });
    try {
      return await Promise.race([work, failed]);
    } finally {
      unsubscribe();
    }
  }
}

const FAILED = Symbol('failed');
