import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../sandbox/index.js';
import { createRunner, type Runner } from '../runner.js';
import { journey } from '../journey.js';
import { loginJourney } from '../journeys/login.js';
import { rollCallJourney } from '../journeys/roll-call.js';
import { CHROMIUM, sandboxRequest, settings, silentLogger } from './helpers/sandbox-run.js';
import { chromiumDescendants, waitUntil } from './helpers/processes.js';

/**
 * Browser kills, hung pages and process leaks (issue 2 acceptance; F27's "Chromium tree killed"). Serial: these tests
 * kill processes and count them.
 */

let sb: SandboxHandle;
let runner: Runner;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, adminPort: 0 });
  runner = createRunner({ chromiumPath: CHROMIUM, headless: true, recycleAfterRuns: 100, logger: silentLogger });
});
afterAll(async () => {
  await runner.close();
  await sb?.close();
});

const est = () => sb.fixtures.establishments[0]!;
const absentOnSheet = () => sb.state.sheets().filter((s) => s.uai === est().uai).flatMap((s) => s.absent);

function killBrowser() {
  const pid = runner.stats().browserPid;
  if (!pid) throw new Error('no browser');
  process.kill(pid, 'SIGKILL');
}

/** Logs in, then kills the browser on the attempts listed (1-based), so the attempt crashes mid-run. */
function killingJourney(killOn: number[]) {
  let calls = 0;
  return journey('kill', async (ctx) => {
    calls += 1;
    await loginJourney.run(ctx);
    if (killOn.includes(calls)) {
      await ctx.step('killed', async () => {
        killBrowser();
        await ctx.page.reload();
      });
    }
  });
}

describe('browser crashes', () => {
  it('browser killed on both attempts → error (infra), two attempts, relaunched each time', async () => {
    const launches = runner.stats().launches;
    const r = await runner.run(sandboxRequest(sb, killingJourney([1, 2])));
    expect(r).toMatchObject({ status: 'error', kind: 'infra' });
    expect(r.attempts.map((a) => a.status)).toEqual(['error', 'error']);
    // The step that was running when the browser died is blamed on the crash, not on the ENT.
    expect(r.attempts[0]!.steps.at(-1)).toMatchObject({ name: 'killed', status: 'failed', error: { kind: 'infra' } });
    expect(runner.stats().launches - launches).toBeGreaterThanOrEqual(2);
    expect(runner.stats()).toMatchObject({ openContexts: 0, openPages: 0 });
  });

  it('browser killed on the first attempt only → an error attempt, then an up slot on a fresh browser', async () => {
    const r = await runner.run(sandboxRequest(sb, killingJourney([1])));
    expect(r.status).toBe('up');
    expect(r.attempts.map((a) => a.status)).toEqual(['error', 'up']);
    expect(r.attempts[0]!.kind).toBe('infra');
  });

  it('a sheet left dirty by a killed roll-call run → the next run repairs it: up with dirtyStart', async () => {
    const pupil = est().testClass.pupils[0]!.id;
    // Kill the browser as soon as the sandbox stored the absence (between "validate" and "restore").
    const req = sandboxRequest(sb, rollCallJourney, { settings: settings({ retry: false }) });
    const running = runner.run(req);
    expect(await waitUntil(() => absentOnSheet().includes(pupil), 30_000)).toBe(true);
    killBrowser();
    const killed = await running;
    expect(killed).toMatchObject({ status: 'error', kind: 'infra' });
    expect(absentOnSheet()).toContain(pupil);
    const next = await runner.run(sandboxRequest(sb, rollCallJourney));
    expect(next.status).toBe('up');
    expect(next.attempts).toHaveLength(1);
    expect(next.attempts[0]!.flags).toContain('dirtyStart');
    expect(absentOnSheet()).toEqual([]);
  });
});

describe('timeouts and leaks', () => {
  it('a page stuck in an endless script: one down result at the timeout, and no Chromium left after close', async () => {
    const stuck = journey('stuck', async (ctx) => {
      await ctx.step('open-ent', () => ctx.goto(ctx.page, ctx.entUrl + '/'));
      await ctx.step('spin', () => ctx.page.evaluate('for (;;) {}'));
    });
    expect((await runner.run(sandboxRequest(sb, loginJourney))).status).toBe('up');
    const idle = chromiumDescendants().length;
    const r = await runner.run(sandboxRequest(sb, stuck, { settings: settings({ timeout: 4 }) }));
    // The stuck renderer is gone once the result is out (its context closed, or the browser killed).
    expect(await waitUntil(() => chromiumDescendants().length <= idle, 5_000)).toBe(true);
    expect(r).toMatchObject({ status: 'down', kind: 'timeout', reason: 'timeout after 4 s' });
    expect(r.attempts).toHaveLength(1);
    expect(r.durationMs).toBeGreaterThanOrEqual(3900);
    expect(r.durationMs).toBeLessThan(4000 + 5000 + 2000);
    // The runner still works after the timeout (fresh context, maybe a fresh browser).
    expect((await runner.run(sandboxRequest(sb, loginJourney))).status).toBe('up');
    expect(chromiumDescendants().length).toBeGreaterThan(0);
    await runner.close();
    expect(await waitUntil(() => chromiumDescendants().length === 0, 10_000)).toBe(true);
  });

  it('a launch failure is error (infra) with no step, never up', async () => {
    const broken = createRunner({ chromiumPath: '/nonexistent/chromium', headless: true, recycleAfterRuns: 10, logger: silentLogger });
    const r = await broken.run(sandboxRequest(sb, loginJourney));
    await broken.close();
    expect(r).toMatchObject({ status: 'error', kind: 'infra' });
    expect(r.attempts.every((a) => a.steps.length === 0)).toBe(true);
  });
});

describe('graceful stop (SIGTERM path)', () => {
  it('close() during a roll-call: the sheet is restored within the grace, the run ends error (interrupted), no Chromium left', async () => {
    const own = createRunner({ chromiumPath: CHROMIUM, headless: true, recycleAfterRuns: 100, logger: silentLogger, shutdownGraceMs: 15_000 });
    const pupil = est().testClass.pupils[0]!.id;
    // Slow the parent's absences page so the shutdown lands while the run is between "validate" and "restore".
    sb.faults.set({ latency: [{ path: '/absences', ms: 1500 }] });
    const running = own.run(sandboxRequest(sb, rollCallJourney, { settings: settings({ timeout: 60 }) }));
    expect(await waitUntil(() => absentOnSheet().includes(pupil), 30_000)).toBe(true);
    const pidBefore = own.stats().browserPid;
    await own.close();
    const r = await running;
    sb.faults.reset();
    expect(r).toMatchObject({ status: 'error', kind: 'infra', reason: 'interrupted (shutdown)' });
    expect(r.attempts).toHaveLength(1);
    expect(r.attempts[0]!.steps.at(-1)).toMatchObject({ name: 'restore', status: 'passed' });
    expect(absentOnSheet()).toEqual([]);
    expect(pidBefore).toBeDefined();
    expect(await waitUntil(() => !chromiumDescendants().some((p) => p.pid === pidBefore), 10_000)).toBe(true);
    const after = await own.run(sandboxRequest(sb, rollCallJourney));
    expect(after.status).toBe('error');
  });
});
