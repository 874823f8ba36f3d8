import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type SandboxHandle } from '../../sandbox/index.js';

const root = new URL('../../', import.meta.url).pathname;
const baseEnv: NodeJS.ProcessEnv = { ...process.env, VIGIE_LOG_LEVEL: 'silent' };
delete baseEnv.DATABASE_URL; // every command here uses its own embedded store

/** Runs the CLI without blocking this process (the sandbox and the fake admin API below answer it). */
function vigie(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['bin/vigie.mjs', ...args], { cwd: root, env: { ...baseEnv, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

const dir = mkdtempSync(join(tmpdir(), 'vigie-run-'));
const example = readFileSync(join(root, 'vigie.example.yml'), 'utf8');
let sandbox: SandboxHandle;
let config: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, adminPort: 0 });
  // The shipped example, only moved to this sandbox's free port.
  config = join(dir, 'vigie.yml');
  writeFileSync(config, example.replaceAll(':7080', `:${sandbox.port}`));
});

afterAll(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('vigie run: usage errors exit 2, in French then English', () => {
  it('unknown journey, tenant and persona', async () => {
    const data = join(dir, 'usage');
    const [journey, tenant, persona] = await Promise.all([
      vigie(['run', 'nosuch', '--tenant', '0519990G', '--config', config, '--data-dir', data]),
      vigie(['run', 'login', '--tenant', '0510001A', '--config', config, '--data-dir', data]),
      vigie(['run', 'login', '--tenant', '0519990G', '--persona', 'nobody', '--config', config, '--data-dir', data]),
    ]);
    expect([journey.status, tenant.status, persona.status]).toEqual([2, 2, 2]);
    expect(journey.stderr).toContain('parcours inconnu / unknown journey "nosuch"');
    expect(tenant.stderr).toContain('établissement inconnu / unknown tenant "0510001A"');
    expect(persona.stderr).toContain('persona inconnue / unknown persona "nobody"');
  });

  it('commander errors: a short bilingual line, not the whole help page; resume has no --reason', async () => {
    const [missing, resume] = await Promise.all([vigie(['run', 'login']), vigie(['resume', 'x', '--reason', 'y'])]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("option obligatoire absente : '-t, --tenant <uai>' / required option");
    expect(missing.stderr).not.toContain('Usage:');
    expect(resume.status).toBe(2);
    expect(resume.stderr).toContain("option inconnue : '--reason'");
  });

  it('errors of a running vigie start keep their exit code: NOT_FOUND → 2, CONFLICT → 1 (bilingual)', async () => {
    const server: Server = createServer((req, res) => {
      const notFound = req.url?.endsWith('/runs');
      res.writeHead(notFound ? 404 : 409, { 'content-type': 'application/json' });
      res.end(JSON.stringify(notFound ? { error: 'NOT_FOUND', message: 'parcours inconnu / unknown journey "nosuch"' } : { error: 'CONFLICT', message: 'schedule login-lycee is already paused' }));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const data = join(dir, 'live');
      mkdirSync(data, { recursive: true });
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      writeFileSync(join(data, 'admin.json'), JSON.stringify({ url, token: 't'.repeat(40), pid: process.pid }));
      const [run, pause] = await Promise.all([vigie(['run', 'nosuch', '--tenant', '0519990G', '--data-dir', data]), vigie(['pause', 'login-lycee', '--data-dir', data])]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('(NOT_FOUND)');
      expect(pause.status).toBe(1);
      expect(pause.stderr).toContain('la planification login-lycee est déjà en pause / schedule login-lycee is already paused');
    } finally {
      await new Promise((ok) => server.close(ok));
    }
  });
});

describe('vigie run against the sandbox', () => {
  it('the shipped example logs in with only the secret of the persona it uses (others unset)', async () => {
    const res = await vigie(['run', 'login', '--tenant', '0519990G', '--config', config, '--data-dir', join(dir, 'example')], {
      VIGIE_PROF_LYCEE_PASSWORD: 'sandbox-prof-lycee',
      VIGIE_PARENT_LYCEE_PASSWORD: '',
      VIGIE_PROF_COLLEGE_PASSWORD: '',
    });
    expect(res.stderr).toBe('');
    expect(res.stdout).toMatch(/Résultat \/ outcome: up/);
    expect(res.status).toBe(0);
  }, 60_000);

  it('the demo (no --config) reaches a sandbox on --sandbox-port/--fault-port', async () => {
    const res = await vigie(['run', 'login', '--tenant', '0519991H', '--sandbox-port', String(sandbox.port), '--fault-port', String(sandbox.adminPort), '--data-dir', join(dir, 'demo')]);
    expect(res.stdout).toContain(`établissement 0519991H`);
    expect(res.status).toBe(0);
  }, 60_000);
});
