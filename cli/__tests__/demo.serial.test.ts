import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumDescendants, describeProcess, isAlive } from './process-tree.js';

/**
 * Issue 2 acceptance, end to end through the real CLI: `vigie start` with no config starts the sandbox and probes it;
 * within 3 minutes of the process start the store holds `up` runs of login and roll-call for both tenants, with
 * steps and durations, visible in /api/v1/runs and /metrics. Then `vigie run` goes through the running process's
 * admin API, and SIGTERM stops everything (no Chromium left).
 */
const root = new URL('../../', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'vigie-demo-'));
let child: ChildProcess | undefined;

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function cli(args: string[]): ChildProcess {
  return spawn(process.execPath, ['bin/vigie.mjs', ...args], { cwd: root, env: { ...process.env, VIGIE_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

async function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = cli(args);
  let stdout = '';
  let stderr = '';
  p.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  p.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => p.once('exit', resolve));
  return { code, stdout, stderr };
}

async function json<T>(url: string): Promise<T> {
  const res = await fetch(url);
  expect(res.ok).toBe(true);
  return (await res.json()) as T;
}

interface RunRow { id: number; journey: string; tenant: string; status: string; trigger: string; durationMs: number }

describe('vigie start (demo)', () => {
  it('probes both establishments for login and roll-call, stores steps, exposes them, and stops cleanly', async () => {
    const t0 = Date.now();
    child = cli(['start', '--data-dir', dataDir, '--port', '0', '--sandbox-port', '0', '--fault-port', '0']);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start banner:\n${stderr}`)), 60_000);
      child!.stderr!.on('data', () => {
        const m = /Vigie is running — (http:\/\/[\d.:]+)/.exec(stderr);
        if (m) { clearTimeout(timer); resolve(m[1]!); } // the pattern's group always takes part in a match
      });
      child!.once('exit', (code) => reject(new Error(`exited ${code}:\n${stderr}`)));
    });

    const wanted = ['login', 'roll-call'];
    let runs: RunRow[] = [];
    while (Date.now() - t0 < 180_000) {
      runs = (await json<{ runs: RunRow[] }>(`${url}/api/v1/runs?status=up&limit=500`)).runs;
      const tenants = new Set(runs.map((r) => r.tenant));
      if (tenants.size >= 2 && [...tenants].every((t) => wanted.every((j) => runs.some((r) => r.tenant === t && r.journey === j)))) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    const combos = new Set(runs.map((r) => `${r.journey}@${r.tenant}`));
    expect([...combos].filter((c) => wanted.some((j) => c.startsWith(`${j}@`))).length).toBeGreaterThanOrEqual(4);
    expect(Date.now() - t0).toBeLessThan(180_000);

    const rollCall = runs.find((r) => r.journey === 'roll-call')!;
    const detail = await json<{ attempts: { steps: { name: string; durationMs: number; status: string }[] }[] }>(`${url}/api/v1/runs/${rollCall.id}`);
    const steps = detail.attempts[0]!.steps;
    expect(steps.length).toBeGreaterThan(4);
    expect(steps.every((s) => s.status !== 'failed' && s.durationMs >= 0)).toBe(true);

    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/vigie_runs_total\{journey="login",tenant="\w+",location="local",trigger="scheduled",status="up"\} [1-9]/);
    expect(metrics).toMatch(/vigie_runs_total\{journey="roll-call",tenant="\w+",location="local",trigger="scheduled",status="up"\} [1-9]/);
    expect(metrics).toMatch(/vigie_step_duration_seconds_count\{journey="roll-call",step="[\w-]+",status="passed"\} [1-9]/);

    // A manual run while `vigie start` holds the store goes through its admin API and is stored as manual.
    const manual = cli(['run', 'login', '--tenant', rollCall.tenant, '--data-dir', dataDir]);
    let out = '';
    manual.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => manual.once('exit', resolve));
    expect(out).toMatch(/Résultat \/ outcome: up/);
    expect(code).toBe(0);
    const manualRuns = (await json<{ runs: RunRow[] }>(`${url}/api/v1/runs?trigger=manual`)).runs;
    expect(manualRuns).toHaveLength(1);

    // Pause and resume go through the running process too; a second pause is refused.
    const pauseOut = await runCli(['pause', 'appel-lycee', '--data-dir', dataDir, '--author', 'test', '--reason', 'essai']);
    expect(pauseOut.code).toBe(0);
    expect(pauseOut.stdout).toMatch(/appel-lycee en pause depuis .* \(par test\)/);
    const again = await runCli(['pause', 'appel-lycee', '--data-dir', dataDir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/CONFLICT.*already paused/);
    const resumeOut = await runCli(['resume', 'appel-lycee', '--data-dir', dataDir]);
    expect(resumeOut.code).toBe(0);
    expect((await runCli(['pause', 'nope', '--data-dir', dataDir])).stderr).toMatch(/unknown schedule "nope"/);

    const browsers = chromiumDescendants(child.pid!);
    expect(browsers.length).toBeGreaterThan(0);
    child.kill('SIGTERM');
    const exit = await new Promise<number | null>((resolve) => child!.once('exit', resolve));
    expect(exit).toBe(0);
    // Orphans would be re-parented to init, so check the very PIDs seen before, not the tree after (F31: within 10 s).
    const deadline = Date.now() + 10_000;
    while (browsers.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(browsers.filter(isAlive).map(describeProcess)).toEqual([]);
  }, 240_000);
});
