import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../sandbox/index.js';
import type { FaultState } from '../../sandbox/faults.js';
import type { StepResult } from '../../core/run-types.js';
import { createRunner } from '../runner.js';
import { loginJourney } from '../journeys/login.js';
import { CHROMIUM, sandboxRequest, settings, silentLogger } from './helpers/sandbox-run.js';

/**
 * Issue 8 item 1: a step's time is the time of what it waits for. A latency placed on one request of the login chain
 * must land in the step that waits for the page that request brings, every time: the click that starts a navigation
 * (WAYF choice, profile button, credentials submit) does not carry the next page's load. Each placement is repeated
 * 20 times, two runs at once (each against its own sandbox, so every slowed request is known to belong to its run).
 *
 * The step that carries a slowed request is the one whose time span overlaps most of the interval the sandbox spent
 * serving it (from its request log), not the one that merely lasted longest: on a loaded CI machine the steps' own
 * times vary by a second, the overlap does not (before the fix, `credentials` overlapped the whole delay one run in
 * three).
 */

const LATENCY_MS = 400;
const REPEAT = 20;

interface Served {
  host: string;
  method: string;
  path: string;
  /** Wall-clock ms. */
  start: number;
  end: number;
}

let sandboxes: { sb: SandboxHandle; served: Served[] }[] = [];
const runner = createRunner({ chromiumPath: CHROMIUM, headless: true, recycleAfterRuns: 1000, logger: silentLogger });

beforeAll(async () => {
  sandboxes = await Promise.all(
    [0, 1].map(async () => {
      const served: Served[] = [];
      // `METHOD host/path status Nms`, logged when the response has been sent.
      const log = (line: string) => {
        const m = /^(\w+) (\S+?)(\/\S*) \d{3} (\d+)ms$/.exec(line);
        if (m) served.push({ method: m[1]!, host: m[2]!, path: m[3]!, end: Date.now(), start: Date.now() - Number(m[4]) });
      };
      return { sb: await startSandbox({ port: 0, adminPort: 0, log }), served };
    }),
  );
});
afterAll(async () => {
  await runner.close();
  await Promise.all(sandboxes.map((s) => s.sb.close()));
});

interface Placement {
  /** The request that is slowed. */
  fault: Omit<FaultState['latency'][number], 'ms'>;
  role: 'teacher' | 'parent';
  /** The steps that wait for a page brought by that request (the ENT home is asked at the start and at the end). */
  carriers: string[];
}

const placements = (entHost: string): Record<string, Placement> => ({
  'the WAYF page of the SSO': { fault: { host: 'sso', path: '/login', method: 'GET' }, role: 'teacher', carriers: ['open-ent'] },
  "the staff identity provider's form": { fault: { host: 'idp-agents', path: '/login', method: 'GET' }, role: 'teacher', carriers: ['credentials'] },
  'the credentials post': { fault: { host: 'idp-agents', path: '/login', method: 'POST' }, role: 'teacher', carriers: ['landing'] },
  'the assertion consumer of the SSO': { fault: { host: 'sso', path: '/acs' }, role: 'teacher', carriers: ['landing'] },
  'the ticket validation (server to server)': { fault: { host: 'sso', path: '/serviceValidate' }, role: 'teacher', carriers: ['landing'] },
  'the ENT home': { fault: { host: entHost, path: '/' }, role: 'teacher', carriers: ['open-ent', 'landing'] },
  "the parents' identity provider (profile choice, then form)": {
    fault: { host: 'idp', path: '/login', method: 'GET' },
    role: 'parent',
    carriers: ['idp-profile', 'credentials'],
  },
});

const overlap = (a: { start: number; end: number }, b: { start: number; end: number }) => Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));

/** For each slowed request served during the run, the step that overlapped most of it. */
function carriersOf(steps: readonly StepResult[], slowed: readonly Served[]): string[] {
  const spans = steps.map((s) => ({ name: s.name, start: Date.parse(s.startedAt), end: Date.parse(s.startedAt) + s.durationMs }));
  const first = spans[0]!.start;
  const last = spans.at(-1)!.end;
  const names = slowed
    .filter((r) => r.end > first && r.start < last)
    .map((r) => spans.reduce((best, s) => (overlap(s, r) > overlap(best, r) ? s : best)).name);
  return [...new Set(names)];
}

const matches = (fault: Placement['fault'], r: Served) =>
  (r.host === fault.host || r.host.split('.')[0] === fault.host) && r.path === fault.path && (fault.method === undefined || r.method === fault.method) && r.end - r.start >= LATENCY_MS - 5;

describe('the step that waits for a slowed page carries its latency, every time', () => {
  const names = Object.keys(placements('ent'));
  it.each(names)('%s', async (name) => {
    const wrong: string[] = [];
    try {
      for (let done = 0; done < REPEAT; done += sandboxes.length) {
        const runs = await Promise.all(
          sandboxes.map(async ({ sb, served }) => {
            const placement = placements(sb.fixtures.establishments[0]!.entHost)[name]!;
            sb.faults.set({ latency: [{ ...placement.fault, ms: LATENCY_MS }] });
            served.length = 0;
            const run = await runner.run(sandboxRequest(sb, loginJourney, { role: placement.role, settings: settings({ retry: false }) }));
            return { run, placement, slowed: served.filter((r) => matches(placement.fault, r)) };
          }),
        );
        for (const { run, placement, slowed } of runs) {
          expect(run.status, run.reason).toBe('up');
          const steps = run.attempts[0]!.steps;
          const carried = carriersOf(steps, slowed);
          if (carried.join() !== placement.carriers.join()) {
            wrong.push(`${carried.join()} ← ${steps.map((s) => `${s.name}=${s.durationMs}`).join(' ')}`);
          }
        }
      }
    } finally {
      for (const { sb } of sandboxes) sb.faults.reset();
    }
    // Every run, not most: the list of runs whose slowed requests fell in other steps is empty.
    expect(wrong).toEqual([]);
  });
});
