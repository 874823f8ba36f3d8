import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumDescendants, describeProcess, descendants, isAlive } from './process-tree.js';

/**
 * Issue 9 item 1: SIGTERM sent to `npm start` or `npx vigie …` (what a pidfile or a supervisor does) ends npm and its
 * shell; the `node bin/vigie.mjs` under them used to keep running (and probing), reparented to PID 1. Vigie must stop
 * whichever process of the chain got the signal, close its browsers, and say so in a last line.
 */
const root = new URL('../../', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'vigie-signals-'));
const started: ChildProcess[] = [];
const seen: number[] = [];

afterAll(() => {
  for (const pid of seen) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  for (const c of started) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts `npm …` in the repository, collecting its output (the vigie under it writes to the same pipes). */
function npm(args: string[]): { child: ChildProcess; output: () => string; closed: Promise<void> } {
  const child = spawn('npm', args, { cwd: root, env: { ...process.env, VIGIE_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  // The pipes close when every process holding them (npm, sh, node) has exited.
  const closed = Promise.all([new Promise((r) => child.stdout!.once('close', r)), new Promise((r) => child.stderr!.once('close', r))]).then(() => undefined);
  return { child, output: () => out, closed };
}

async function waitFor(what: string, test: () => boolean, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`${what} not seen within ${timeoutMs} ms:\n${output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The vigie process under `npm` (`node bin/vigie.mjs …`, or `node …/.bin/vigie …` through npx). */
function vigieUnder(npmPid: number): number {
  const node = descendants(npmPid).find((p) => p.comm === 'node' && /\bvigie(\.mjs)? /.test(p.args));
  if (!node) throw new Error(`no vigie process under npm ${npmPid}: ${JSON.stringify(descendants(npmPid))}`);
  return node.pid;
}

async function expectGone(pids: number[], withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  expect(pids.filter(isAlive).map(describeProcess)).toEqual([]);
}

/**
 * Starts `npm <command…> --data-dir <dir> …` (free ports), waits for a probe's browser, sends SIGTERM to npm only
 * (as `kill $(cat pidfile)` would), and checks that vigie and every Chromium it started are gone within 15 s, with
 * its last line. Returns everything printed.
 */
async function stopThroughNpm(command: string[], data: string): Promise<string> {
  const run = npm([...command, '--data-dir', data, '--port', '0', '--sandbox-port', '0', '--fault-port', '0']);
  await waitFor('the start banner', () => /Vigie is running/.test(run.output()), 90_000, run.output);
  const vigie = vigieUnder(run.child.pid!);
  seen.push(vigie);
  await waitFor('a browser', () => chromiumDescendants(vigie).length > 0, 60_000, run.output);
  const browsers = chromiumDescendants(vigie);
  seen.push(...browsers);
  run.child.kill('SIGTERM');
  await expectGone([vigie, ...browsers], 15_000);
  await run.closed;
  expect(run.output()).toContain('Vigie est arrêtée / Vigie stopped (processus parent terminé / parent process exited).');
  return run.output();
}

describe('a stop request to npm reaches vigie', () => {
  it('SIGTERM to `npm start` stops vigie start (and its Chromium) with a last "arrêtée / stopped" line', async () => {
    const output = await stopThroughNpm(['start', '--'], dataDir);
    expect(output).toMatch(/"msg":"arrêté \/ stopped"/);
  }, 180_000);

  it('SIGTERM to `npx vigie start` stops vigie start and its Chromium too', async () => {
    const data = mkdtempSync(join(tmpdir(), 'vigie-signals-npx-'));
    try {
      // `npm exec -- vigie start …`: the same stop through npx's process chain.
      await stopThroughNpm(['exec', '--', 'vigie', 'start'], data);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  }, 180_000);
});
