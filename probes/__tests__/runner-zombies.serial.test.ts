import { spawn, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * F31 scaled: the runner under an init process leaves no zombie and no stray Chromium; without one, the zombies left
 * by killed browsers are there to see (the negative control proves the check works); SIGTERM leaves no Chromium.
 * Each case runs the F31 workload (20 runs: 4 timeouts, 2 browsers SIGKILLed mid-run) in its own process, in a fresh
 * PID namespace (`unshare --pid --fork --mount-proc`) where that process or `tini` is PID 1.
 */

const worker = fileURLToPath(new URL('./fixtures/f31-worker.ts', import.meta.url));
const NODE = [process.execPath, '--import', 'tsx', worker, '20', '4', '2'];

interface Report {
  statuses: Record<string, number>;
  zombies: number;
  strayChromium: number;
  browserPid: number;
}

/**
 * Starts the worker, waits for its report, sends `stopSignal`, and resolves with the report and the exit time (ms).
 * `unshare` does not forward signals: the namespace cases stop it with SIGKILL, and `--kill-child` takes the whole
 * namespace down with it.
 */
function runWorker(command: string[], stopSignal: NodeJS.Signals): Promise<{ report: Report; exitMs: number; pid: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let report: Report | undefined;
    let termAt = 0;
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker did not finish: ${err}`));
    }, 270_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line && !report) {
        report = JSON.parse(line) as Report;
        termAt = Date.now();
        child.kill(stopSignal);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', () => {
      clearTimeout(guard);
      if (!report) reject(new Error(`worker exited without a report: ${err}`));
      else resolve({ report, exitMs: Date.now() - termAt, pid: child.pid! });
    });
  });
}

// --kill-child: if the test gives up on the worker, the whole namespace dies with unshare (nothing left behind).
const UNSHARE = ['unshare', '--pid', '--fork', '--mount-proc', '--kill-child'];

// The three cases are separate processes (two in PID namespaces of their own): they run at once, the file's time is
// the slowest case's, not their sum (each one watches only its own processes).
describe.concurrent('F31: zombies and leftover Chromium', () => {
  it('with tini as PID 1: 0 zombies, only the current browser alive, every run has a result', async () => {
    const { report } = await runWorker([...UNSHARE, '/usr/bin/tini', '-s', '--', ...NODE], 'SIGKILL');
    expect(report.zombies).toBe(0);
    expect(report.strayChromium).toBe(0);
    expect(report.statuses).toEqual({ down: 4, error: 2, up: 14 });
  });

  it('negative control: without an init process, the zombies are detected', async () => {
    const { report } = await runWorker([...UNSHARE, ...NODE], 'SIGKILL');
    expect(report.zombies).toBeGreaterThan(0);
  });

  it('SIGTERM: the worker exits within 10 s and no Chromium process of it remains', async () => {
    const { report, exitMs } = await runWorker(NODE, 'SIGTERM');
    expect(exitMs).toBeLessThan(10_000);
    // F31: 0 Chromium processes remain within 10 s of the SIGTERM (killed processes may take a moment to be gone).
    const leftOver = () =>
      execFileSync('ps', ['-eo', 'pgid=,stat='], { encoding: 'utf8' })
        .split('\n')
        .map((l) => l.trim().split(/\s+/))
        .filter((f) => Number(f[0]) === report.browserPid && !f[1]?.startsWith('Z'));
    const deadline = Date.now() + Math.max(0, 10_000 - exitMs);
    while (leftOver().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(leftOver()).toHaveLength(0);
  });
});
