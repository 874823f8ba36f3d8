import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import pino from 'pino';
import { stringify } from 'yaml';
import { startSandbox, type SandboxHandle } from '../../sandbox/index.js';
import { startVigie, type VigieHandle } from '../start.js';

/**
 * F27, scaled (one scenario-minute = one second): a browser probe every 5 "min" (5 s) with a hard timeout of 60 "s"
 * (1 s) whose script waits forever. Every slot gets exactly one stored result, `down`, reason "timeout after 1 s", at
 * the timeout; `vigie_probe_success` is 0; nothing is retried or left pending.
 */
const dir = mkdtempSync(join(tmpdir(), 'vigie-f27-'));
let sb: SandboxHandle;
let vigie: VigieHandle | undefined;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, adminPort: 0 });
});
afterAll(async () => {
  await vigie?.close();
  await sb?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Row { id: number; scheduledAt: string; status: string; kind: string | null; reason: string | null; durationMs: number; attemptsCount: number }

describe('F27 through vigie start', () => {
  it('one down row per hung run, at the timeout', async () => {
    const est = sb.fixtures.establishments[0];
    if (!est) throw new Error('fixture without establishment');
    const file = join(dir, 'vigie.yml');
    writeFileSync(file, stringify({
      targets: [{ id: 'sb', name: 'Bac à sable', profile: 'sandbox', ssoUrl: sb.urls.sso }],
      tenants: [{ uai: est.uai, name: est.name, target: 'sb', entUrl: sb.urls.ents[est.uai], academie: 'Reims', departement: '51', zone: 'B' }],
      personas: [{ id: 'prof', role: 'teacher', tenant: est.uai, username: est.accounts.teacher.username, password: { env: 'F27_PASSWORD' } }],
      journeys: { hang: { module: './hang.journey.mts', timeout: '1s' } },
      schedules: [{ id: 'hang-5min', journey: 'hang', tenant: est.uai, persona: 'prof', every: '5s' }],
      server: { port: 0 },
      storage: { dataDir: join(dir, 'data') },
    }));
    writeFileSync(join(dir, 'hang.journey.mts'), `export { default } from ${JSON.stringify(new URL('./fixtures/hang.journey.ts', import.meta.url).pathname)};\n`);

    vigie = await startVigie({ config: file, env: { ...process.env, F27_PASSWORD: est.accounts.teacher.password }, logger: pino({ level: 'silent' }) });
    const t0 = Date.now(); // the scheduler started: the current slot runs at once
    const stored = async () => ((await (await fetch(`${vigie!.url}/api/v1/runs?schedule=hang-5min&limit=500`)).json()) as { runs: Row[] }).runs;
    // Until four slots of 5 s have their row (about 16 s; the bound leaves room for a loaded machine).
    let runs: Row[] = [];
    await vi.waitFor(async () => expect((runs = await stored()).length).toBeGreaterThanOrEqual(4), { timeout: 45_000, interval: 250 });
    const metrics = await (await fetch(`${vigie.url}/metrics`)).text();
    await vigie.close();
    vigie = undefined;

    // Slots are 5 s apart on the epoch grid: every slot from the first to the last has exactly one row.
    const starts = runs.map((r) => Date.parse(r.scheduledAt)).sort((a, b) => a - b);
    expect(starts.length).toBeGreaterThanOrEqual(4);
    expect(new Set(starts).size).toBe(starts.length);
    starts.slice(1).forEach((s, i) => expect(s - starts[i]!).toBe(5000));
    expect(starts[0]).toBeLessThanOrEqual(t0);
    for (const r of runs) {
      expect(r).toMatchObject({ status: 'down', kind: 'timeout', reason: 'timeout after 1 s', attemptsCount: 1 });
      expect(r.durationMs).toBeGreaterThanOrEqual(950);
      expect(r.durationMs).toBeLessThan(6000); // F27: ± 5 s stays in real seconds (first run also launches Chromium)
    }
    expect(metrics).toMatch(new RegExp(`vigie_probe_success\\{journey="hang",tenant="${est.uai}",location="local"\\} 0`));

    // "Run now" reports the timeout: down, exit code 1, never passed or pending.
    const manual = spawnSync(process.execPath, ['bin/vigie.mjs', 'run', 'hang', '--tenant', est.uai, '--config', file], {
      cwd: new URL('../../', import.meta.url).pathname,
      encoding: 'utf8',
      env: { ...process.env, F27_PASSWORD: est.accounts.teacher.password, VIGIE_LOG_LEVEL: 'silent' },
      timeout: 60_000,
    });
    expect(manual.stdout + manual.stderr + String(manual.error ?? "")).toMatch(/Résultat \/ outcome: down — EN PANNE \[timeout\] — timeout after 1 s/);
    expect(manual.status).toBe(1);
  }, 120_000);
});
