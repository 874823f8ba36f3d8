import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../sandbox/index.js';
import type { RunResult } from '../../core/run-types.js';
import { createRunner } from '../runner.js';
import { journey } from '../journey.js';
import { loginJourney } from '../journeys/login.js';
import { rollCallJourney } from '../journeys/roll-call.js';
import { CHROMIUM, sandboxRequest, settings, silentLogger } from './helpers/sandbox-run.js';

/**
 * Runner + built-in journeys against the real sandbox ENT and real Chromium (issue 2 acceptance, fault API).
 * One browser for the whole file.
 */

let sb: SandboxHandle;
const runner = createRunner({ chromiumPath: CHROMIUM, headless: true, recycleAfterRuns: 100, logger: silentLogger });

beforeAll(async () => {
  sb = await startSandbox({ port: 0, adminPort: 0 });
});
afterEach(() => {
  sb.faults.reset();
  sb.roster.reset();
});
afterAll(async () => {
  await runner.close();
  await sb?.close();
});

const est = () => sb.fixtures.establishments[0]!;
const absentOnSheet = () => sb.state.sheets().filter((s) => s.uai === est().uai && s.classId === est().testClass.id).flatMap((s) => s.absent);

/** No password of any persona anywhere in a result (reasons, steps, evidence). */
function expectNoSecrets(r: RunResult) {
  const json = JSON.stringify(r, (k, v) => (k === 'screenshotPng' ? undefined : v));
  for (const e of sb.fixtures.establishments) for (const a of Object.values(e.accounts)) expect(json).not.toContain(a.password);
}

describe('login', () => {
  it('is up with every profile stage as a timed step, and the stages of the role only', async () => {
    const r = await runner.run(sandboxRequest(sb, loginJourney));
    expect(r.status).toBe('up');
    expect(r.attempts).toHaveLength(1);
    expect(r.attempts[0]!.steps.map((s) => s.name)).toEqual(['open-ent', 'wayf', 'credentials', 'landing']);
    for (const s of r.attempts[0]!.steps) expect(s.durationMs).toBeGreaterThan(0);
    // Whole milliseconds, no float noise (`4516.5355690000015`), at every level of the result.
    for (const d of [r.durationMs, r.attempts[0]!.durationMs, ...r.attempts[0]!.steps.map((s) => s.durationMs)]) expect(Number.isInteger(d)).toBe(true);
    const parent = await runner.run(sandboxRequest(sb, loginJourney, { role: 'parent' }));
    expect(parent.status).toBe('up');
    expect(parent.attempts[0]!.steps.map((s) => s.name)).toEqual(['open-ent', 'wayf', 'idp-profile', 'credentials', 'landing']);
    expect(runner.stats()).toMatchObject({ openContexts: 0, openPages: 0, inFlight: 0 });
  });

  it('3 s latency on the ENT home with a 2 s threshold on the landing step → degraded; without it → up', async () => {
    const s = settings({ stepThresholdsMs: { landing: 2000 } });
    const fast = await runner.run(sandboxRequest(sb, loginJourney, { settings: s }));
    expect(fast.status).toBe('up');
    sb.faults.set({ latency: [{ host: est().entHost, path: '/', ms: 3000 }] });
    const slow = await runner.run(sandboxRequest(sb, loginJourney, { settings: s }));
    expect(slow.status).toBe('degraded');
    const landing = slow.attempts[0]!.steps.find((x) => x.name === 'landing')!;
    expect(landing).toMatchObject({ status: 'passed', thresholdMs: 2000 });
    expect(landing.durationMs).toBeGreaterThanOrEqual(3000);
    expect(slow.reason).toContain('landing');
  });

  it('outage of the ENT → down (kind http, 503) at open-ent, with a screenshot, retried once within the slot', async () => {
    sb.faults.set({ outages: [{ host: est().entHost }] });
    const r = await runner.run(sandboxRequest(sb, loginJourney));
    expect(r).toMatchObject({ status: 'down', kind: 'http' });
    expect(r.attempts).toHaveLength(2);
    const a = r.attempts[0]!;
    expect(a.steps[0]).toMatchObject({ name: 'open-ent', status: 'failed', error: { kind: 'http', httpStatus: 503 } });
    expect(a.evidence?.step).toBe('open-ent');
    expect(Buffer.from(a.evidence!.screenshotPng!).subarray(1, 4).toString()).toBe('PNG');
  });

  it('a page brought by a click answering 500 → down, kind http, at once (not after the 15 s step timeout)', async () => {
    // The credentials post answers 500: the landing check would wait its whole step timeout for the ENT home.
    sb.faults.set({ errors: [{ host: 'idp-agents', path: '/login', method: 'POST', status: 500 }] });
    const r = await runner.run(sandboxRequest(sb, loginJourney, { settings: settings({ retry: false, stepTimeout: 15 }) }));
    expect(r).toMatchObject({ status: 'down', kind: 'http' });
    const failed = r.attempts[0]!.steps.filter((s) => s.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error).toMatchObject({ kind: 'http', httpStatus: 500, message: `HTTP 500 on ${sb.urls.idpAgents}/login` });
    expect(r.reason).toContain('HTTP 500');
    // Well before the 15 s step timeout the landing check would have waited for (same bound as a refused login).
    expect(r.durationMs).toBeLessThan(7_000);
  });

  it('a step timeout (no page within stepTimeout) → down, kind timeout, at that step, not retried', async () => {
    sb.faults.set({ latency: [{ host: est().entHost, path: '/', ms: 4000 }] });
    const r = await runner.run(sandboxRequest(sb, loginJourney, { settings: settings({ stepTimeout: 2 }) }));
    expect(r).toMatchObject({ status: 'down', kind: 'timeout' });
    expect(r.attempts).toHaveLength(1);
    expect(r.attempts[0]!.steps[0]).toMatchObject({ name: 'open-ent', status: 'failed', error: { kind: 'timeout' } });
  });

  it('a waiting-queue page → down, with the reason naming it', async () => {
    sb.faults.set({ waitingQueue: { host: est().entHost } });
    const r = await runner.run(sandboxRequest(sb, loginJourney, { settings: settings({ retry: false, stepTimeout: 2 }) }));
    expect(r).toMatchObject({ status: 'down', kind: 'assertion' });
    expect(r.reason).toContain('waiting-queue page');
  });

  it('connection reset by the ENT → down, kind network', async () => {
    sb.faults.set({ outages: [{ host: est().entHost, mode: 'reset' }] });
    const r = await runner.run(sandboxRequest(sb, loginJourney, { settings: settings({ retry: false }) }));
    expect(r).toMatchObject({ status: 'down', kind: 'network' });
  });

  it('a hung journey gives one down result at the timeout (F27 scaled: 3 s), not retried, context closed', async () => {
    const hang = journey('hang', async (ctx) => {
      await ctx.step('open-ent', () => ctx.goto(ctx.page, ctx.entUrl + '/'));
      await ctx.step('wait-forever', () => ctx.page.locator('#never-there').waitFor({ timeout: 0 }));
    });
    const runs = [];
    for (let i = 0; i < 2; i++) runs.push(await runner.run(sandboxRequest(sb, hang, { settings: settings({ timeout: 3 }) })));
    for (const r of runs) {
      expect(r).toMatchObject({ status: 'down', kind: 'timeout', reason: 'timeout after 3 s' });
      expect(r.attempts).toHaveLength(1);
      expect(r.durationMs).toBeGreaterThanOrEqual(2900);
      expect(r.durationMs).toBeLessThan(6000);
      expect(r.attempts[0]!.durationMs).toBeGreaterThanOrEqual(2900);
      expect(r.attempts[0]!.durationMs).toBeLessThan(4500); // generous: the machine may be loaded
      expect(r.attempts[0]!.steps.at(-1)).toMatchObject({ name: 'wait-forever', status: 'failed', error: { kind: 'timeout' } });
      // F27: the timeout keeps its evidence, a screenshot of the hung page taken before the context is closed.
      expect(r.attempts[0]!.evidence?.step).toBe('wait-forever');
      expect(Buffer.from(r.attempts[0]!.evidence!.screenshotPng!).subarray(1, 4).toString()).toBe('PNG');
    }
    expect(runner.stats()).toMatchObject({ openContexts: 0, openPages: 0 });
  });

  it('an ENT that never answers (navigation pending at the timeout) still leaves a screenshot, taken within its bound', async () => {
    sb.faults.set({ latency: [{ host: est().entHost, path: '/', ms: 60_000 }] });
    const r = await runner.run(sandboxRequest(sb, loginJourney, { settings: settings({ timeout: 3 }) }));
    expect(r).toMatchObject({ status: 'down', kind: 'timeout', reason: 'timeout after 3 s' });
    const a = r.attempts[0]!;
    expect(a.steps).toMatchObject([{ name: 'open-ent', status: 'failed', error: { kind: 'timeout' } }]);
    expect(a.evidence?.step).toBe('open-ent');
    expect(Buffer.from(a.evidence!.screenshotPng!).subarray(1, 4).toString()).toBe('PNG');
    // Timeout (3 s) + screenshot bound (1.5 s) + context close; generous for a loaded machine.
    expect(r.durationMs).toBeLessThan(6_500);
  });

  it('a timeout while the credentials step runs stores no screenshot (the login form is never captured)', async () => {
    const hang = journey('hang-in-credentials', async (ctx) => {
      await ctx.step('open-ent', () => ctx.goto(ctx.page, ctx.entUrl + '/'));
      await ctx.step('credentials', () => ctx.page.locator('#never-there').waitFor({ timeout: 0 }), { secret: true });
    });
    const r = await runner.run(sandboxRequest(sb, hang, { settings: settings({ timeout: 2 }) }));
    expect(r).toMatchObject({ status: 'down', kind: 'timeout' });
    expect(r.attempts[0]!.steps.at(-1)).toMatchObject({ name: 'credentials', status: 'failed', error: { kind: 'timeout' } });
    expect(r.attempts[0]!.evidence).toBeDefined();
    expect(r.attempts[0]!.evidence!.screenshotPng).toBeUndefined();
  });

  it('a wrong test password → error, kind credentials, at once, one attempt (not an outage of the provider)', async () => {
    const req = sandboxRequest(sb, loginJourney, { settings: settings({ stepTimeout: 15 }) });
    req.context.persona = { ...req.context.persona, password: 'not-the-password-0' };
    const r = await runner.run(req);
    expect(r).toMatchObject({ status: 'error', kind: 'credentials' });
    expect(r.reason).toContain("identifiants refusés par le fournisseur d'identité / credentials rejected");
    expect(r.reason).not.toContain('not-the-password-0');
    expect(r.attempts).toHaveLength(1);
    expect(r.attempts[0]!.steps.map((s) => [s.name, s.status])).toEqual([['open-ent', 'passed'], ['wayf', 'passed'], ['credentials', 'passed'], ['landing', 'failed']]);
    expect(r.attempts[0]!.steps.at(-1)!.error).toMatchObject({ kind: 'credentials' });
    // Well before the 15 s step timeout the landing check would have waited for.
    expect(r.durationMs).toBeLessThan(7_000);
    expect(JSON.stringify(r, (k, v) => (k === 'screenshotPng' ? undefined : v))).not.toContain('not-the-password-0');
  });

  it('an unknown test account is refused the same way', async () => {
    const req = sandboxRequest(sb, loginJourney, { role: 'parent', settings: settings({ stepTimeout: 15 }) });
    req.context.persona = { ...req.context.persona, username: 'compte.inconnu' };
    const r = await runner.run(req);
    expect(r).toMatchObject({ status: 'error', kind: 'credentials' });
    expect(r.attempts).toHaveLength(1);
    expect(r.durationMs).toBeLessThan(7_000);
  });
});

describe('roll-call', () => {
  it('is up: absence marked, saved, verified, seen by the parent, then restored', async () => {
    const r = await runner.run(sandboxRequest(sb, rollCallJourney));
    expect(r.status).toBe('up');
    const names = r.attempts[0]!.steps.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['open-timetable', 'open-lesson', 'check-roster', 'mark-absent', 'validate', 'verify-saved', 'parent:absence', 'restore']));
    expect(names).not.toContain('repair-sheet');
    expect(r.attempts[0]!.flags).toEqual([]);
    expect(r.attempts[0]!.measures.propagationMs).toBeGreaterThanOrEqual(0);
    expect(absentOnSheet()).toEqual([]);
    expectNoSecrets(r);
  });

  it('roll-call save lost → down at the verification step; the sheet stays clean', async () => {
    sb.faults.set({ rollCallLost: true });
    const r = await runner.run(sandboxRequest(sb, rollCallJourney, { settings: settings({ retry: false }) }));
    expect(r).toMatchObject({ status: 'down', kind: 'assertion' });
    const a = r.attempts[0]!;
    expect(a.steps.find((s) => s.status === 'failed')?.name).toBe('verify-saved');
    expect(a.evidence?.step).toBe('verify-saved');
    expect(a.evidence?.screenshotPng?.length).toBeGreaterThan(100);
    expect(a.steps.at(-1)).toMatchObject({ name: 'restore', soft: true });
    sb.faults.reset();
    expect(absentOnSheet()).toEqual([]);
    expectNoSecrets(r);
  });

  it('a roster holding a non-test pupil → error, kind safety, nothing changed, not retried', async () => {
    sb.roster.add(est().uai, est().testClass.id, { id: 'REEL-01', name: 'Élève Réel' });
    const savesBefore = sb.state.sheets().reduce((n, s) => n + s.saves, 0);
    const r = await runner.run(sandboxRequest(sb, rollCallJourney));
    expect(r).toMatchObject({ status: 'error', kind: 'safety' });
    expect(r.attempts).toHaveLength(1);
    expect(r.reason).not.toContain('REEL-01');
    expect(r.attempts[0]!.steps.map((s) => s.name)).not.toContain('mark-absent');
    expect(sb.state.sheets().reduce((n, s) => n + s.saves, 0)).toBe(savesBefore);
  });

  it('a dirty sheet is repaired and flagged dirtyStart, and the run is up', async () => {
    const dirty = journey('leave-dirty', async (ctx) => {
      // Marks the test pupil absent and validates, without restoring: what a killed run leaves behind.
      const rc = ctx.profile.rollCall;
      const cls = ctx.testData.classes[0]!;
      await loginJourney.run(ctx);
      await ctx.step('open-timetable', () => ctx.goto(ctx.page, ctx.url(rc.timetableUrl)));
      await ctx.step('open-lesson', () => ctx.page.locator(ctx.url(rc.currentLessonSelector, { class: cls.id })).click());
      await ctx.step('mark', () => ctx.page.locator(ctx.url(rc.absentSelector, { pupil: cls.pupils[0]!.id })).check());
      await ctx.step('validate', () => ctx.page.locator(rc.validateSelector).click());
      await ctx.step('saved', () => ctx.page.locator(rc.savedSelector).waitFor());
    });
    expect((await runner.run(sandboxRequest(sb, dirty))).status).toBe('up');
    expect(absentOnSheet()).toEqual([est().testClass.pupils[0]!.id]);
    const r = await runner.run(sandboxRequest(sb, rollCallJourney));
    expect(r.status).toBe('up');
    expect(r.attempts[0]!.flags).toEqual(['dirtyStart']);
    expect(r.attempts[0]!.steps.map((s) => s.name)).toContain('repair-sheet');
    expect(absentOnSheet()).toEqual([]);
  });
});

