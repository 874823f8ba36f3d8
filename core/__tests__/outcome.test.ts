import { describe, expect, it } from 'vitest';
import { attemptOutcome, runOutcome, shouldRetry, statusOfKind, type AttemptEnd } from '../outcome.js';
import type { FailureKind, StepResult } from '../run-types.js';

const step = (name: string, status: StepResult['status'], extra: Partial<StepResult> = {}): StepResult => ({
  name,
  index: 0,
  status,
  soft: false,
  startedAt: '2025-11-14T13:00:00.000Z',
  durationMs: 100,
  ...extra,
});
const passed3 = [step('open-ent', 'passed'), step('credentials', 'passed'), step('landing', 'passed')];

describe('F28: runner outcome table', () => {
  const table: { case: string; end: AttemptEnd; kind?: FailureKind; steps: StepResult[]; status: string; probeSuccess: 0 | 1 }[] = [
    { case: 'a. Chromium fails to launch (0 steps)', end: 'launch-failed', steps: [], status: 'error', probeSuccess: 0 },
    {
      case: 'b. navigations HTTP 200, step-2 assertion fails',
      end: 'failed',
      kind: 'assertion',
      steps: [step('open-ent', 'passed'), step('landing', 'failed', { error: { kind: 'assertion', message: 'text "Bienvenue" not visible' } })],
      status: 'down',
      probeSuccess: 0,
    },
    { case: 'c. timedOut', end: 'timed-out', steps: [step('open-ent', 'failed', { error: { kind: 'timeout', message: 'timeout after 60 s' } })], status: 'down', probeSuccess: 0 },
    { case: 'd. interrupted', end: 'interrupted', steps: [step('open-ent', 'passed')], status: 'error', probeSuccess: 0 },
    { case: 'e. all steps pass', end: 'completed', steps: passed3, status: 'up', probeSuccess: 1 },
  ];
  for (const row of table) {
    it(row.case, () => {
      const o = attemptOutcome({ end: row.end, kind: row.kind, steps: row.steps, durationMs: 1000 });
      expect(o.status).toBe(row.status);
      expect(o.status === 'up' || o.status === 'degraded' ? 1 : 0).toBe(row.probeSuccess);
    });
  }

  it('gives 1436/1438 availability for the F28 day (b and c down, a and d unknown)', () => {
    const statuses = [
      ...Array.from({ length: 1436 }, () => attemptOutcome({ end: 'completed', steps: passed3, durationMs: 1 }).status),
      ...table.slice(0, 4).map((r) => attemptOutcome({ end: r.end, kind: r.kind, steps: r.steps, durationMs: 1 }).status),
    ];
    const up = statuses.filter((s) => s === 'up' || s === 'degraded').length;
    const down = statuses.filter((s) => s === 'down').length;
    expect(statuses).toHaveLength(1440);
    expect(((up / (up + down)) * 100).toFixed(4)).toBe('99.8609');
    expect(up + down).toBe(1438);
  });

  it('never reports up for a completed journey that ran no step', () => {
    expect(attemptOutcome({ end: 'completed', steps: [], durationMs: 5 })).toMatchObject({ status: 'error', kind: 'infra' });
    expect(attemptOutcome({ end: 'completed', steps: [step('x', 'skipped')], durationMs: 5 }).status).toBe('error');
  });

  it('makes a completed journey with a failed soft check down at the first failed check, with its kind', () => {
    const steps = [
      step('logout', 'passed'),
      step('ent-session-ended', 'passed', { soft: true }),
      step('sso-session-ended', 'failed', { soft: true, error: { kind: 'security', message: 'live' } }),
      step('sso-cookie-replay', 'failed', { soft: true, error: { kind: 'security', message: 'live' } }),
    ];
    expect(attemptOutcome({ end: 'completed', steps, durationMs: 5 })).toMatchObject({ status: 'down', kind: 'security', failedStep: 'sso-session-ended' });
  });

  it('maps each failure kind to down (target) or error (ours, safety)', () => {
    for (const k of ['assertion', 'http', 'timeout', 'network', 'security', 'propagation'] as const) expect(statusOfKind(k)).toBe('down');
    for (const k of ['safety', 'infra', 'local-network', 'credentials'] as const) expect(statusOfKind(k)).toBe('error');
    expect(attemptOutcome({ end: 'failed', kind: 'safety', steps: [step('check-roster', 'failed')], durationMs: 1 }).status).toBe('error');
    expect(attemptOutcome({ end: 'crashed', steps: [step('a', 'passed')], durationMs: 1 }).status).toBe('error');
  });
});

describe('degraded', () => {
  it('is degraded when a passing step exceeds its own threshold', () => {
    const steps = [step('open-ent', 'passed', { durationMs: 3000, thresholdMs: 2000 }), step('landing', 'passed')];
    const o = attemptOutcome({ end: 'completed', steps, durationMs: 3100 });
    expect(o.status).toBe('degraded');
    expect(o.reason).toContain('open-ent');
  });
  it('is up when every step is within its threshold', () => {
    const steps = [step('open-ent', 'passed', { durationMs: 1999, thresholdMs: 2000 })];
    expect(attemptOutcome({ end: 'completed', steps, durationMs: 1999, journeyThresholdMs: 2000 }).status).toBe('up');
  });
  it('is degraded when the journey exceeds its threshold', () => {
    expect(attemptOutcome({ end: 'completed', steps: passed3, durationMs: 2001, journeyThresholdMs: 2000 }).status).toBe('degraded');
  });
  it('a failure wins over slowness', () => {
    const steps = [step('open-ent', 'passed', { durationMs: 3000, thresholdMs: 2000 }), step('landing', 'failed', { error: { kind: 'http', message: '503' } })];
    expect(attemptOutcome({ end: 'failed', kind: 'http', steps, durationMs: 3000 }).status).toBe('down');
  });
});

describe('shouldRetry (DESIGN.md §5 Attempts)', () => {
  const base = { attempt: 1, retryEnabled: true, now: new Date('2025-11-14T13:00:10Z'), timeoutMs: 60_000, slotEnd: new Date('2025-11-14T13:05:00Z') };
  it('retries a down or crashed first attempt when now + timeout fits in the slot', () => {
    expect(shouldRetry({ ...base, end: 'failed', status: 'down', kind: 'assertion' })).toBe(true);
    expect(shouldRetry({ ...base, end: 'crashed', status: 'error', kind: 'infra' })).toBe(true);
    expect(shouldRetry({ ...base, end: 'launch-failed', status: 'error', kind: 'infra' })).toBe(true);
  });
  it('allows the retry exactly when now + timeout = slot end, not one ms later', () => {
    const slotEnd = new Date(base.now.getTime() + 60_000);
    expect(shouldRetry({ ...base, slotEnd, end: 'failed', status: 'down' })).toBe(true);
    expect(shouldRetry({ ...base, slotEnd: new Date(slotEnd.getTime() - 1), end: 'failed', status: 'down' })).toBe(false);
  });
  it('never retries a timeout, a shutdown, a safety abort, a second attempt or a passing attempt', () => {
    expect(shouldRetry({ ...base, end: 'timed-out', status: 'down', kind: 'timeout' })).toBe(false);
    // A step-level timeout (no page within the step timeout) ends the attempt as `failed`, kind timeout: not retried.
    expect(shouldRetry({ ...base, end: 'failed', status: 'down', kind: 'timeout' })).toBe(false);
    expect(shouldRetry({ ...base, end: 'interrupted', status: 'error', kind: 'infra' })).toBe(false);
    expect(shouldRetry({ ...base, end: 'failed', status: 'error', kind: 'safety' })).toBe(false);
    expect(shouldRetry({ ...base, attempt: 2, end: 'failed', status: 'down' })).toBe(false);
    expect(shouldRetry({ ...base, end: 'completed', status: 'up' })).toBe(false);
    expect(shouldRetry({ ...base, retryEnabled: false, end: 'failed', status: 'down' })).toBe(false);
  });
  it('rejected credentials are error (our test account, unknown for availability), never retried', () => {
    const steps = [step('credentials', 'passed'), step('landing', 'failed', { error: { kind: 'credentials', message: 'refused' } })];
    expect(attemptOutcome({ end: 'failed', kind: 'credentials', steps, durationMs: 900 })).toMatchObject({
      status: 'error',
      kind: 'credentials',
      failedStep: 'landing',
    });
    expect(shouldRetry({ ...base, end: 'failed', status: 'error', kind: 'credentials' })).toBe(false);
    expect(shouldRetry({ ...base, slotEnd: null, end: 'failed', status: 'error', kind: 'credentials' })).toBe(false);
  });
  it('retries a manual run (no slot) once', () => {
    expect(shouldRetry({ ...base, slotEnd: null, end: 'failed', status: 'down' })).toBe(true);
  });
  it('the last attempt decides the run', () => {
    expect(runOutcome([{ status: 'error', kind: 'infra' }, { status: 'up' }]).status).toBe('up');
    expect(runOutcome([{ status: 'error', kind: 'infra' }, { status: 'down', kind: 'http' }])).toMatchObject({ status: 'down', kind: 'http' });
    expect(runOutcome([]).status).toBe('error');
  });
});
