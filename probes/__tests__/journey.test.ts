import { performance } from 'node:perf_hooks';
import { errors } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { classifyStepError, cleanMessage, stripQuery } from '../classify.js';
import { JourneyFailure, StepSkipped, isJourneyDefinition, journey } from '../journey.js';
import { StepFailed, StepInterrupted, StepRecorder, elapsedMs, type PageObserver } from '../step-recorder.js';
import type { ServerError, StepObservation } from '../classify.js';

function recorder(options: { thresholds?: Record<string, number>; seen?: StepObservation; signal?: AbortSignal; onFirstFailure?: (s: string) => Promise<void> } = {}) {
  const observer: PageObserver = { mark: () => 0, since: () => options.seen ?? {} };
  return new StepRecorder({
    stepThresholdsMs: options.thresholds ?? {},
    secrets: ['s3cr3t-pass'],
    signal: options.signal ?? new AbortController().signal,
    observer,
    onFirstFailure: options.onFirstFailure,
  });
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('journey()', () => {
  it('accepts a function or an object and gives a frozen definition', () => {
    const fn = async () => undefined;
    const a = journey('my-journey', fn);
    const b = journey('other', { run: fn, description: 'desc' });
    expect(a).toMatchObject({ id: 'my-journey', run: fn });
    expect(b.description).toBe('desc');
    expect(Object.isFrozen(a)).toBe(true);
    expect(isJourneyDefinition(a)).toBe(true);
    expect(isJourneyDefinition({ id: 'x' })).toBe(false);
    expect(() => journey('bad id!', fn)).toThrow(TypeError);
  });
});

describe('StepRecorder', () => {
  it('times steps on the monotonic clock and applies step thresholds', async () => {
    const r = recorder({ thresholds: { slow: 10 } });
    const v = await r.step('slow', async () => {
      await sleep(30);
      return 42;
    });
    expect(v).toBe(42);
    expect(r.steps[0]).toMatchObject({ name: 'slow', index: 0, status: 'passed', soft: false, thresholdMs: 10 });
    expect(r.steps[0]!.durationMs).toBeGreaterThanOrEqual(25);
    expect(Number.isInteger(r.steps[0]!.durationMs)).toBe(true);
  });

  it('records whole milliseconds, also for failed and stopped steps', async () => {
    const r = recorder();
    await r.check('failed', async () => {
      await sleep(3);
      throw new JourneyFailure('assertion', 'no');
    });
    const stopped = r.step('stopped', () => sleep(50));
    await sleep(7);
    r.stopRunning('timeout', 'timeout after 1 s');
    await stopped.catch(() => undefined);
    expect(r.steps.map((s) => s.status)).toEqual(['failed', 'failed']);
    for (const s of r.steps) expect(Number.isInteger(s.durationMs)).toBe(true);
    expect(elapsedMs(performance.now() - 12.3456)).toBeGreaterThanOrEqual(12);
    expect(Number.isInteger(elapsedMs(performance.now() - 12.3456))).toBe(true);
  });

  it('knows whether a secret step is running (no screenshot of a credentials page at the timeout)', async () => {
    const r = recorder();
    const secret = r.step('credentials', () => sleep(30), { secret: true });
    expect(r.secretRunning()).toBe(true);
    await secret;
    expect(r.secretRunning()).toBe(false);
    const plain = r.step('landing', () => sleep(30));
    expect(r.secretRunning()).toBe(false);
    await plain;
  });

  it('a hard step failure is recorded, classified and rethrown as StepFailed', async () => {
    const r = recorder();
    await expect(r.step('landing', async () => { throw new JourneyFailure('assertion', 'text "Bienvenue" not visible'); })).rejects.toBeInstanceOf(StepFailed);
    expect(r.steps[0]).toMatchObject({ status: 'failed', error: { kind: 'assertion', message: 'text "Bienvenue" not visible' } });
    expect(r.firstHardFailure).toMatchObject({ step: 'landing', kind: 'assertion' });
  });

  it('a soft check failure is recorded and the next step runs', async () => {
    const r = recorder();
    const ok1 = await r.check('a', async () => { throw new JourneyFailure('security', 'session alive'); });
    const ok2 = await r.check('b', async () => undefined);
    expect([ok1, ok2]).toEqual([false, true]);
    expect(r.steps.map((s) => [s.name, s.status, s.soft])).toEqual([['a', 'failed', true], ['b', 'passed', true]]);
    expect(r.failures).toEqual([{ step: 'a', message: 'session alive', kind: 'security' }]);
    expect(r.firstHardFailure).toBeUndefined();
  });

  it('records a skipped step', async () => {
    const r = recorder();
    await r.step('consent', async () => { throw new StepSkipped(); });
    expect(r.steps[0]!.status).toBe('skipped');
    expect(r.failures).toHaveLength(0);
  });

  it('refuses steps once the signal aborts, but still runs cleanup steps', async () => {
    const ac = new AbortController();
    const r = recorder({ signal: ac.signal });
    ac.abort();
    await expect(r.step('mark-absent', async () => undefined)).rejects.toBeInstanceOf(StepInterrupted);
    expect(await r.cleanup('restore', async () => undefined)).toBe(true);
    expect(r.steps.map((s) => s.name)).toEqual(['restore']);
  });

  it('stopRunning ends the running step as failed with the given kind; its late settlement is ignored', async () => {
    const r = recorder();
    const p = r.step('hang', () => sleep(50));
    await sleep(10);
    r.stopRunning('timeout', 'timeout after 3 s');
    await expect(p).rejects.toBeInstanceOf(StepInterrupted);
    expect(r.steps[0]).toMatchObject({ status: 'failed', error: { kind: 'timeout', message: 'timeout after 3 s' } });
    expect(r.firstHardFailure?.kind).toBe('timeout');
  });

  it('takes one screenshot at the first failure of a non-secret step', async () => {
    const shots: string[] = [];
    const r = recorder({ onFirstFailure: async (s) => void shots.push(s) });
    await r.check('credentials', async () => { throw new Error('x'); }, { secret: true });
    await r.check('a', async () => { throw new Error('x'); });
    await r.check('b', async () => { throw new Error('x'); });
    expect(shots).toEqual(['a']);
  });

  it('measures, flags and cookies (names and domains only)', () => {
    const r = recorder();
    r.measure('propagationMs', 1234);
    r.flag('dirtyStart');
    r.flag('dirtyStart');
    r.recordCookies([{ name: 'CASTGC', domain: 'sso.localhost', value: 'TGT-secret' } as { name: string; domain: string }]);
    expect(r.measures).toEqual({ propagationMs: 1234 });
    expect(r.flags).toEqual(['dirtyStart']);
    expect(r.cookies).toEqual([{ name: 'CASTGC', domain: 'sso.localhost' }]);
    expect(() => r.measure('x', Number.NaN)).toThrow(TypeError);
  });

  it('a crash is blamed for the last failed step, not the ENT', async () => {
    const r = recorder();
    await r.check('a', async () => { throw new Error('Target page, context or browser has been closed'); });
    r.attributeLastFailureTo('infra', 'browser or renderer crashed');
    expect(r.steps[0]!.error).toEqual({ kind: 'infra', message: 'browser or renderer crashed' });
    expect(r.failures[0]!.kind).toBe('infra');
  });

  it('handOff: the step ends there and the next step starts there, carrying the delay in between', async () => {
    const r = recorder();
    await r.step('click', async () => {
      await sleep(20);
      r.handOff();
      await sleep(150); // the click's dispatch held by a loaded machine: the next page's time
    });
    await r.step('next-page', () => sleep(30));
    const [click, next] = r.steps;
    expect(click!.durationMs).toBeLessThan(100);
    expect(next!.durationMs).toBeGreaterThanOrEqual(175);
    expect(Math.abs(Date.parse(next!.startedAt) - (Date.parse(click!.startedAt) + click!.durationMs))).toBeLessThanOrEqual(3);
  });

  it('handOff is ignored when the step fails afterwards, and not taken by a step nested in the handing one', async () => {
    const r = recorder();
    await r.check('fails', async () => {
      r.handOff();
      await sleep(60);
      throw new JourneyFailure('assertion', 'gone');
    });
    await r.step('after', () => sleep(5));
    expect(r.steps[0]!.durationMs).toBeGreaterThanOrEqual(55);
    expect(r.steps[1]!.durationMs).toBeLessThan(50);
    await r.step('outer', async () => {
      r.handOff();
      await sleep(60);
      await r.step('inner', () => sleep(5));
    });
    expect(r.steps.find((s) => s.name === 'inner')!.durationMs).toBeLessThan(50);
    expect(r.steps.find((s) => s.name === 'outer')!.durationMs).toBeLessThan(50);
  });

  it('sealed: no more steps are recorded', async () => {
    const r = recorder();
    r.seal();
    await expect(r.cleanup('restore', async () => undefined)).rejects.toBeInstanceOf(StepInterrupted);
    expect(r.steps).toHaveLength(0);
  });
});

describe('StepRecorder: a main-frame document answering ≥ 500 fails the running hard step at once', () => {
  /** A recorder whose observer emits server errors on demand, numbered like the real one. */
  function withServerErrors() {
    const listeners = new Set<(e: ServerError) => void>();
    let seq = 0;
    const observer: PageObserver = {
      mark: () => seq,
      since: () => ({}),
      onServerError: (l) => (listeners.add(l), () => void listeners.delete(l)),
    };
    const r = new StepRecorder({ stepThresholdsMs: {}, secrets: [], signal: new AbortController().signal, observer });
    const serve = (status: number) => {
      const e = { status, url: 'http://ent.localhost/', seq: ++seq };
      for (const l of [...listeners]) l(e);
    };
    return { r, serve, listeners, numberOnly: () => ++seq };
  }

  it('fails with kind http and the status, without waiting for the step\'s own wait', async () => {
    const { r, serve, listeners } = withServerErrors();
    const t0 = performance.now();
    const p = r.step('landing', () => sleep(5_000));
    await sleep(10);
    serve(502);
    await expect(p).rejects.toBeInstanceOf(StepFailed);
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(r.steps[0]).toMatchObject({ status: 'failed', error: { kind: 'http', httpStatus: 502, message: 'HTTP 502 on http://ent.localhost/' } });
    expect(r.firstHardFailure).toMatchObject({ step: 'landing', kind: 'http', httpStatus: 502 });
    expect(listeners.size).toBe(0);
  });

  it('leaves soft checks, passed steps and responses counted before the step alone', async () => {
    const { r, serve, listeners, numberOnly } = withServerErrors();
    const check = r.check('grades', async () => void (await sleep(30)));
    serve(500);
    expect(await check).toBe(true);
    await r.step('open-ent', async () => undefined);
    expect(listeners.size).toBe(0);
    // A response numbered before the step started but announced during it (its page still loading) is not the step's.
    const earlier = numberOnly();
    const step = r.step('wayf', () => sleep(30));
    for (const l of [...listeners]) l({ status: 503, url: 'http://sso.localhost/login', seq: earlier });
    await step;
    expect(r.steps.map((s) => [s.name, s.status])).toEqual([['grades', 'passed'], ['open-ent', 'passed'], ['wayf', 'passed']]);
  });

  it('fails only the innermost running hard step; the outer one fails through it', async () => {
    const { r, serve } = withServerErrors();
    const outer = r.step('login', () => r.step('landing', () => sleep(5_000)));
    await sleep(10);
    serve(500);
    await expect(outer).rejects.toBeInstanceOf(StepFailed);
    expect(r.steps.map((s) => [s.name, s.status, s.error?.kind])).toEqual([['login', 'failed', 'http'], ['landing', 'failed', 'http']]);
    expect(r.failures.map((f) => f.step)).toEqual(['landing']);
  });
});

describe('classifyStepError (typed signals, never message text)', () => {
  it('uses the kind of a JourneyFailure', () => {
    expect(classifyStepError(new JourneyFailure('propagation', 'late'), {}, []).kind).toBe('propagation');
    expect(classifyStepError(new JourneyFailure('http', 'HTTP 503', { httpStatus: 503 }), {}, [])).toMatchObject({ kind: 'http', httpStatus: 503 });
  });
  it('an HTTP error seen on the main frame during the step makes a Playwright timeout an http failure', () => {
    const err = new errors.TimeoutError('locator.waitFor: Timeout 8000ms exceeded.');
    expect(classifyStepError(err, { httpErrorStatus: 503 }, [])).toMatchObject({ kind: 'http', httpStatus: 503 });
    expect(classifyStepError(err, { navigationFailed: true }, []).kind).toBe('network');
    expect(classifyStepError(err, {}, []).kind).toBe('assertion');
  });
  it('the same message classifies differently by type: the text is not the signal', () => {
    const msg = 'HTTP 503 network timeout security';
    expect(classifyStepError(new Error(msg), {}, []).kind).toBe('assertion');
    expect(classifyStepError(new TypeError(msg), {}, []).kind).toBe('infra');
  });
  it('removes secrets and call logs from messages; strips query strings from URLs', () => {
    expect(cleanMessage(new Error('fill("s3cr3t-pass") failed\n  call log:\n  - waiting'), ['s3cr3t-pass'])).toBe('fill("***") failed');
    expect(stripQuery('http://ent.localhost/?ticket=ST-1#x')).toBe('http://ent.localhost/');
  });
});
