import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { startSandbox, type SandboxHandle } from '../../sandbox/index.js';
import { demoPasswordVar } from '../demo.js';

/**
 * Issue 7 acceptance: a flood of `GET /api/v1/sla` while `vigie start` probes the sandbox must not slow the probing
 * process — the process's event-loop delay (what times the steps; its `nodejs_eventloop_lag_p99_seconds`, measured by
 * `monitorEventLoopDelay` over the flood) stays under 50 ms at p99, and no run turns `degraded`.
 *
 * The delay is the p99 of the monitor's intervals minus its 10 ms resolution (on this 2-vCPU machine the probes alone
 * give 15–25 ms: Playwright's bursts while Chromium works). Scaled: the real CLI in a process of its own, the login of
 * both lycées every 10 s, and 40 clients in another
 * process asking for a school year's report for 30 s, each asking again as soon as it is answered (after the
 * Retry-After of a 429, as every HTTP client does). Without the engine's worker thread, each report ran on the probing
 * event loop: 40 of them pushed /healthz to seconds and turned healthy runs degraded.
 */
const root = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'vigie-flood-'));
let sandbox: SandboxHandle;
let child: ChildProcess | undefined;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, adminPort: 0 });
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * The config: both sandbox lycées, login every 10 s — the second 3 s into each slot, as an operator spreads schedules
 * (`offset`): two logins at the same instant on this 2-vCPU machine put Chromium's two renderers against the probing
 * thread, and that alone gave a p99 of 15–50 ms and pauses of 0.5 s with no flood at all (measured), which is not what
 * this test is about — and the demo's contract (a school-year report is real work).
 */
function writeConfig(): { file: string; env: Record<string, string> } {
  const env: Record<string, string> = {};
  const ests = sandbox.fixtures.establishments;
  const config = {
    targets: [{ id: 'sandbox', name: 'Bac à sable', profile: 'sandbox', ssoUrl: sandbox.urls.sso }],
    tenants: ests.map((e) => ({ uai: e.uai, name: e.name, target: 'sandbox', entUrl: sandbox.urls.ents[e.uai], academie: e.academie, departement: e.departement, zone: e.zone, kind: e.kind })),
    personas: ests.map((e) => {
      env[demoPasswordVar(e.uai, 'teacher')] = e.accounts.teacher.password;
      return { id: `prof-${e.kind}`, role: 'teacher', tenant: e.uai, username: e.accounts.teacher.username, password: { env: demoPasswordVar(e.uai, 'teacher') } };
    }),
    journeys: { login: { timeout: '6s', stepThresholdsMs: { landing: 5000 } } },
    schedules: ests.map((e, i) => ({ id: `login-${e.kind}`, journey: 'login', tenant: e.uai, persona: `prof-${e.kind}`, every: '10s', offset: `${i * 3}s` })),
    contracts: [{ id: 'demo', startDate: '2026-09-01', clauses: [{ id: 'h24', name: '24/7', journeys: ['login'], targetPercent: 99 }, { id: 'scolaire', name: 'Scolaire', journeys: ['login'], targetPercent: 99.5, serviceHours: { weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '07:00', to: '19:00' }] }, calendar: { schoolHolidays: true, publicHolidays: true } }] }],
    server: { port: 0 },
    storage: { dataDir: join(dir, 'data') },
  };
  const file = join(dir, 'vigie.yml');
  writeFileSync(file, stringify(config));
  return { file, env };
}

/** 40 clients in a child process (at a lower priority: they stand for other machines), looping for `seconds`. */
function flood(url: string, seconds: number): Promise<Record<string, number>> {
  const script = `
    const end = Date.now() + ${seconds * 1000};
    const counts = {};
    async function client() {
      while (Date.now() < end) {
        try {
          const res = await fetch(${JSON.stringify(url)});
          await res.arrayBuffer();
          counts[res.status] = (counts[res.status] || 0) + 1;
          if (res.status === 429) await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') || 1) * 1000));
        } catch (e) { counts.error = (counts.error || 0) + 1; }
      }
    }
    Promise.all(Array.from({ length: 40 }, client)).then(() => console.log(JSON.stringify(counts)));`;
  return new Promise((resolve, reject) => {
    const p = spawn('nice', ['-n', '10', process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as Record<string, number>) : reject(new Error(`flood exited ${code}`))));
  });
}

/** Resolution of the event-loop monitor behind `nodejs_eventloop_lag_*` (collector/metrics.ts). */
const LAG_RESOLUTION_MS = 10;

/** A gauge of the Prometheus text (first sample), or NaN. */
function gauge(text: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

interface Row { startedAt: string; status: string; journey: string }

describe('SLA requests do not slow the probes', () => {
  it('keeps the probing event loop under 50 ms p99 and every run up during a flood of GET /api/v1/sla', async () => {
    const { file, env } = writeConfig();
    child = spawn(process.execPath, ['bin/vigie.mjs', 'start', '--config', file], { cwd: root, env: { ...process.env, ...env, VIGIE_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start banner:\n${stderr}`)), 60_000);
      child!.stderr!.on('data', () => {
        const m = /Vigie is running — (http:\/\/[\d.:]+)/.exec(stderr);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child!.once('exit', (code) => reject(new Error(`exited ${code}:\n${stderr}`)));
    });
    const runs = async () => ((await (await fetch(`${url}/api/v1/runs?journey=login&limit=500`)).json()) as { runs: Row[] }).runs;
    // Chromium is up and both schedules have run once.
    await vi.waitFor(async () => expect((await runs()).length).toBeGreaterThanOrEqual(2), { timeout: 60_000, interval: 500 });

    await fetch(`${url}/metrics`); // a scrape resets the lag histogram: what follows measures the flood alone
    const start = Date.now();
    const counts = await flood(`${url}/api/v1/sla?contract=demo&schoolYear=2026-2027`, 30);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const end = Date.now();

    // The flood was real: reports were computed (200) and the bound refused the excess at once (429, Retry-After).
    expect(counts['200'] ?? 0).toBeGreaterThan(5);
    expect(counts['429'] ?? 0).toBeGreaterThan(36);
    expect(counts.error ?? 0).toBe(0);
    // monitorEventLoopDelay records the interval between its ticks (every 10 ms here): the delay is what exceeds it.
    const p99 = gauge(metrics, 'nodejs_eventloop_lag_p99_seconds') * 1000 - LAG_RESOLUTION_MS;
    expect(Number.isFinite(p99)).toBe(true);
    expect(p99, `p99 ${p99.toFixed(1)} ms, max ${(gauge(metrics, 'nodejs_eventloop_lag_max_seconds') * 1000).toFixed(0)} ms`).toBeLessThan(50);
    const during = (await runs()).filter((r) => Date.parse(r.startedAt) >= start && Date.parse(r.startedAt) < end);
    expect(during.length).toBeGreaterThanOrEqual(4);
    expect(during.filter((r) => r.status !== 'up')).toEqual([]);
    child.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));
  }, 240_000);
});
