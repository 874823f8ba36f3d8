import type { AttemptResult, RunResult, StepResult } from '../../core/run-types.js';

/** Test data: a run of the `login` journey, shaped like the runner's output. */

let seq = 0;
/** A name unique within the test process, so tests sharing one database never see each other's rows. */
export function unique(prefix: string): string {
  seq += 1;
  return `${prefix}-${process.pid}-${seq}-${Math.random().toString(36).slice(2, 8)}`;
}

export function makeStep(index: number, over: Partial<StepResult> = {}): StepResult {
  return {
    name: ['open-ent', 'wayf', 'credentials', 'landing'][index] ?? `step-${index}`,
    index,
    status: 'passed',
    soft: false,
    startedAt: new Date(Date.UTC(2025, 10, 14, 13, 0, index)).toISOString(),
    durationMs: 100 * (index + 1) + 0.4,
    ...over,
  };
}

export function makeAttempt(attempt: number, over: Partial<AttemptResult> = {}): AttemptResult {
  return {
    attempt,
    location: 'local',
    status: 'up',
    startedAt: new Date(Date.UTC(2025, 10, 14, 13, attempt - 1, 0)).toISOString(),
    durationMs: 1234.6,
    steps: [0, 1, 2, 3].map((i) => makeStep(i)),
    measures: {},
    flags: [],
    ...over,
  };
}

export function makeRun(over: Partial<RunResult> = {}): RunResult {
  return {
    scheduleId: 'login-every-5m',
    journey: 'login',
    target: 'sandbox',
    tenant: '0670001A',
    location: 'local',
    trigger: 'scheduled',
    scheduledAt: '2025-11-14T13:00:00.000Z',
    revisionId: null,
    status: 'up',
    startedAt: '2025-11-14T13:00:00.120Z',
    durationMs: 1234.6,
    late: false,
    attempts: [makeAttempt(1)],
    ...over,
  };
}
