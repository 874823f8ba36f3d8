import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { revisionSnapshot } from '../../core/config/revision.js';
import { validateConfig } from '../../core/config/validate.js';
import type { RunResult } from '../../core/run-types.js';
import { createPgDb, createStore, type Store } from '../../db/index.js';
import { startSmtp } from './smtp.js';

/**
 * Issue 10 acceptance: killing the alerting process (SIGKILL) at random points during a scripted outage, ten times,
 * never loses a notice and never delivers two distinct Message-IDs for one notice. Each kill lands anywhere: inside
 * an evaluation transaction, between a send and its `markSent` (the same Message-ID then arrives twice: at-least-once,
 * and a receiver drops it), between two ticks.
 */
const BASE = process.env.VIGIE_TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const schema = `vigie_alerts_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const worker = fileURLToPath(new URL('./fixtures/alert-worker.ts', import.meta.url));
const at = (hhmm: string) => Date.parse(`2025-11-14T${hhmm}:00Z`);
const dir = mkdtempSync(join(tmpdir(), 'vigie-alert-kill-'));
let store: Store;
let smtp: Awaited<ReturnType<typeof startSmtp>>;

beforeAll(async () => {
  const admin = createPgDb(BASE, { max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.close();
  store = createStore(createPgDb(BASE, { schema, max: 2 }));
  await store.migrate();
  smtp = await startSmtp();
  const config = validateConfig({
    timezone: 'UTC',
    targets: [{ id: 'ent', name: 'ENT', profile: 'sandbox', ssoUrl: 'http://sso.localhost:7080' }],
    tenants: [{ uai: '0510100G', name: 'Lycée', target: 'ent', entUrl: 'http://lycee.localhost:7080', academie: 'Reims', departement: '51', zone: 'B' }],
    personas: [{ id: 'prof', role: 'teacher', username: 'prof', password: { env: 'X' } }],
    journeys: { login: { timeout: '45s' } },
    schedules: [{ id: 's1', journey: 'login', tenant: '0510100G', persona: 'prof', every: '1m' }],
  });
  await store.revisions.save(revisionSnapshot(config, {}), new Date(at('09:00')));
  const runs: RunResult[] = [];
  for (let t = at('09:30'); t < at('10:40'); t += 60_000) {
    // Two outages: 10:00–10:07 and 10:15–10:19.
    const down = (t >= at('10:00') && t < at('10:07')) || (t >= at('10:15') && t < at('10:19'));
    const iso = new Date(t).toISOString();
    runs.push({ scheduleId: 's1', journey: 'login', target: 'ent', tenant: '0510100G', location: 'local', trigger: 'scheduled', scheduledAt: iso, revisionId: null, status: down ? 'down' : 'up', ...(down ? { kind: 'http' as const } : {}), startedAt: iso, durationMs: 900, late: false, attempts: [] });
  }
  await store.runs.insertBatch(runs);
});
afterAll(async () => {
  await store?.close();
  await smtp?.close();
  const admin = createPgDb(BASE, { max: 1 });
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs the worker; kills it (SIGKILL) `killAfterMs` after its first tick unless it finished first, and gives up on a
 * run longer than 120 s (its stderr in the error). Resolves with whether it finished.
 */
function runWorker(killAfterMs: number | null): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, BASE, schema, String(smtp.port), String(at('09:55')), String(at('10:35')), '20000', join(dir, 'progress'), '10'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let timer: NodeJS.Timeout | null = null;
    child.stdout.on('data', () => {
      if (killAfterMs !== null && timer === null) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker still running after 120 s: ${err}`));
    }, 120_000);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      clearTimeout(guard);
      if (signal === 'SIGKILL') resolve(false);
      else if (code === 0) resolve(true);
      else reject(new Error(`worker exited ${code}: ${err}`));
    });
  });
}

describe('alerting killed at random points', () => {
  it('ten SIGKILLs during two scripted outages: every notice delivered, one Message-ID per notice', async () => {
    // A fixed seed: a failure can be replayed (mulberry32).
    let seed = 20261202;
    const random = () => {
      seed = (seed + 0x6d2b79f5) >>> 0;
      let t = seed;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    let kills = 0;
    for (let trial = 0; trial < 10; trial++) {
      // Between 0 and 0.4 s after the first tick (a whole pass takes seconds): anywhere in an evaluation, a send or
      // between ticks, at ten different points of the scenario.
      const finished = await runWorker(Math.floor(random() * 400));
      if (!finished) kills += 1;
    }
    expect(await runWorker(null)).toBe(true);
    expect(kills).toBeGreaterThanOrEqual(8);
    const notices = await store.alerts.listNotices();
    // Two incidents × (down, recovery) × two recipients, all sent.
    expect(notices).toHaveLength(8);
    expect(notices.filter((n) => n.status !== 'sent')).toEqual([]);
    // What the receiver saw: exactly the 8 notices' Message-IDs (a repeat of one is the same message).
    expect(smtp.messageIds()).toEqual(new Set(notices.map((n) => n.messageId)));
    // Per recipient, in time order: down, recovery, down, recovery.
    for (const who of ['cpe@lycee.test', 'region@ac.test']) {
      const seen = smtp.received.filter((m) => m.to.includes(who));
      const firsts = [...new Map(seen.map((m) => [m.messageId, m.kind])).values()];
      expect(firsts).toEqual(['down', 'recovery', 'down', 'recovery']);
    }
    const incidents = await store.alerts.listIncidents();
    expect(incidents.map((i) => [i.outageStart, i.resolvedAt])).toEqual([
      [new Date(at('10:00')).toISOString(), new Date(at('10:07')).toISOString()],
      [new Date(at('10:15')).toISOString(), new Date(at('10:19')).toISOString()],
    ]);
  }, 400_000);
});
