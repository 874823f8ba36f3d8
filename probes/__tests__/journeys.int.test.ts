import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../sandbox/index.js';
import { createRunner } from '../runner.js';
import { logoutJourney } from '../journeys/logout.js';
import { parentViewJourney } from '../journeys/parent-view.js';
import { rollCallJourney } from '../journeys/roll-call.js';
import { CHROMIUM, sandboxRequest, settings, silentLogger } from './helpers/sandbox-run.js';

/** Issue 3 journeys against the real sandbox: logout effectiveness, parent view, absence propagation. */

let sb: SandboxHandle;
const runner = createRunner({ chromiumPath: CHROMIUM, headless: true, recycleAfterRuns: 100, logger: silentLogger });

beforeAll(async () => {
  sb = await startSandbox({ port: 0, adminPort: 0 });
});
afterEach(() => {
  sb.faults.reset();
});
afterAll(async () => {
  await runner.close();
  await sb?.close();
});

const est = () => sb.fixtures.establishments[1]!;
const CHECKS = ['ent-session-ended', 'sso-session-ended', 'idp-session-ended', 'sso-cookie-replay'];

describe('logout', () => {
  for (const role of ['teacher', 'parent'] as const) {
    it(`${role}: single logout working → up, four passing checks, cookies left recorded without values`, async () => {
      const r = await runner.run(sandboxRequest(sb, logoutJourney, { index: 1, role, settings: settings({ retry: false }) }));
      expect(r.status).toBe('up');
      const a = r.attempts[0]!;
      expect(a.steps.filter((s) => s.soft).map((s) => [s.name, s.status])).toEqual(CHECKS.map((c) => [c, 'passed']));
      expect(a.evidence?.cookies).toBeDefined();
      for (const c of a.evidence!.cookies!) expect(Object.keys(c).sort()).toEqual(['domain', 'name']);
    });

    it(`${role}: broken single logout → down, kind security, at the first check that found the live session, replay also failed`, async () => {
      sb.faults.set({ brokenLogout: true });
      const r = await runner.run(sandboxRequest(sb, logoutJourney, { index: 1, role, settings: settings({ retry: false }) }));
      expect(r).toMatchObject({ status: 'down', kind: 'security' });
      const a = r.attempts[0]!;
      const failed = a.steps.filter((s) => s.status === 'failed').map((s) => s.name);
      expect(failed[0]).toBe('idp-session-ended');
      expect(failed).toContain('sso-cookie-replay');
      expect(r.reason).toContain('idp-session-ended');
      expect(a.evidence?.failures?.map((f) => f.kind)).toEqual(failed.map(() => 'security'));
      // Every check ran even after the first failure.
      expect(a.steps.filter((s) => s.soft).map((s) => s.name)).toEqual(CHECKS);
    });
  }
});

describe('parent-view', () => {
  const expectOptions = () => ({
    expect: {
      grades: est().expected.grades.map((g) => `${g.subject} : ${g.value}`),
      homework: est().expected.homework.map((h) => `${h.subject} : ${h.text}`),
    },
  });

  it('shows the expected test data → up', async () => {
    const r = await runner.run(sandboxRequest(sb, parentViewJourney, { index: 1, role: 'parent', settings: settings({ options: expectOptions() }) }));
    expect(r.status).toBe('up');
    expect(r.attempts[0]!.steps.filter((s) => s.soft).map((s) => s.name)).toEqual(['absences', 'grades', 'homework']);
  });

  it('wrong data on the grades page → down at that page', async () => {
    sb.faults.set({ wrongData: { pages: ['notes'] } });
    const r = await runner.run(sandboxRequest(sb, parentViewJourney, { index: 1, role: 'parent', settings: settings({ options: expectOptions(), retry: false, stepTimeout: 3 }) }));
    expect(r).toMatchObject({ status: 'down', kind: 'assertion' });
    expect(r.attempts[0]!.steps.filter((s) => s.status === 'failed').map((s) => s.name)).toEqual(['grades']);
    expect(r.attempts[0]!.evidence?.step).toBe('grades');
  });
});

describe('roll-call, parent side', () => {
  const sheetAbsent = () => sb.state.sheets().filter((s) => s.uai === est().uai).flatMap((s) => s.absent);

  it('propagation lost → down, kind propagation, and the sheet is restored', async () => {
    sb.faults.set({ propagation: { lost: true } });
    const r = await runner.run(
      sandboxRequest(sb, rollCallJourney, { index: 1, settings: settings({ retry: false, options: { propagationDeadline: 4, pollInterval: 1 } }) }),
    );
    expect(r).toMatchObject({ status: 'down', kind: 'propagation' });
    expect(r.attempts[0]!.steps.find((s) => s.status === 'failed')?.name).toBe('parent:absence');
    expect(r.attempts[0]!.measures.propagationMs).toBeUndefined();
    expect(r.attempts[0]!.steps.at(-1)).toMatchObject({ name: 'restore', status: 'passed' });
    expect(sheetAbsent()).toEqual([]);
  });

  it('propagation delayed by 20 s → up with a stored delay of 20 s ± one polling period', async () => {
    sb.faults.set({ propagation: { delaySeconds: 20 } });
    const r = await runner.run(
      sandboxRequest(sb, rollCallJourney, { index: 1, settings: settings({ timeout: 60, options: { propagationDeadline: 40, pollInterval: 2 } }) }),
    );
    expect(r.status).toBe('up');
    const ms = r.attempts[0]!.measures.propagationMs!;
    expect(ms).toBeGreaterThanOrEqual(20_000 - 2_000);
    expect(ms).toBeLessThanOrEqual(20_000 + 2_000 + 1_000);
    expect(sheetAbsent()).toEqual([]);
  }, 90_000);
});
