import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VigieHandle } from '../../cli/start.js';
import { startSandbox, type SandboxHandle } from '../../sandbox/index.js';
import { sandboxFixtures } from '../../sandbox/fixtures.js';
import { startSmtp } from './smtp.js';
import { RECIPIENTS, recentRuns, startAlertingVigie } from './sandbox-alerting.js';

/**
 * Issue 10 acceptance, with `vigie start`, real Chromium and the sandbox ENT, scaled (a scenario minute is a few
 * seconds): an SSO outage hitting both establishments gives one platform incident and one message per recipient
 * group (the region's operators, each establishment) for the outage and one for the recovery; a roll-call failure at
 * one establishment gives its own incident, told to that establishment only. Messages are counted as distinct
 * Message-IDs received by a real SMTP server.
 */
const lycee = sandboxFixtures.establishments[0]!;
const dir = mkdtempSync(join(tmpdir(), 'vigie-platform-'));
let sandbox: SandboxHandle;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let vigie: VigieHandle;

const to = RECIPIENTS;
const received = (addr: string, kind?: string) => smtp.received.filter((m) => m.to.includes(addr) && (kind === undefined || m.kind === kind));
const ids = (addr: string) => new Set(received(addr).map((m) => m.messageId));

/** `vigie start` probing `journey` for both establishments, alerts e-mailed to the test's SMTP server. */
// The group wait covers a loaded machine where one establishment's run of a slot ends seconds after the other's.
// The group wait covers the other establishment's run of the slot even on a loaded machine (CI saw it come more than
// 10 s later: the first establishment was then told on its own and the platform counted one establishment).
const start = (journey: 'login' | 'roll-call') => startAlertingVigie({ sandbox, smtpPort: smtp.port, dir, journey, every: journey === 'login' ? '6s' : '20s', groupWait: '30s' });

/** Waits until both establishments have an `up` run. */
async function healthy(v: VigieHandle): Promise<void> {
  await vi.waitFor(async () => {
    const runs = await recentRuns(v);
    expect(new Set(runs.filter((r) => r.status === 'up').map((r) => r.tenant)).size).toBe(2);
  }, { timeout: 90_000, interval: 500 }); // a loaded machine may need a few 20-s roll-call slots
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, adminPort: 0 });
  smtp = await startSmtp();
});
afterEach(async () => {
  await vigie?.close();
  sandbox.faults.reset();
});
afterAll(async () => {
  await sandbox?.close();
  await smtp?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('platform and establishment incidents through vigie start', () => {
  it('an SSO outage at both establishments: one platform incident, one DOWN and one RECOVERY per recipient group', async () => {
    vigie = await start('login');
    const incidents = async () => (await (await fetch(`${vigie.url}/api/v1/alerts/incidents`)).json()) as { scope: string; tenant: string; resolvedAt: string | null; platformId: number | null }[];
    await healthy(vigie);
    // The outage starts between two slots, once both establishments' runs of a slot have passed and before the next
    // slot begins: both runs of that next slot fail, so both incidents open at the same slot. (Set at any moment, one
    // establishment's run may fail a slot earlier than the other's — a loaded machine runs them seconds apart — and
    // it is then told on its own before the platform forms: platform-race.int.test.ts covers that case.)
    // Best effort: on a machine so loaded that no slot's two runs end before the next slot, the outage starts anyway.
    await vi.waitFor(async () => {
      const runs = await recentRuns(vigie);
      const both = [...new Set(runs.map((r) => r.scheduledAt))].filter((at) => new Set(runs.filter((r) => r.scheduledAt === at && r.status === 'up').map((r) => r.tenant)).size === 2);
      const last = Math.max(...both.map((at) => Date.parse(at)));
      expect(Date.now()).toBeLessThan(last + 6_000 - 500);
    }, { timeout: 60_000, interval: 100 }).catch(() => undefined);
    sandbox.faults.set({ outages: [{ host: 'sso' }] });
    await vi.waitFor(() => expect([to.region, to.lycee, to.college].map((a) => received(a, 'down').length)).toEqual([1, 1, 1]), { timeout: 120_000, interval: 250 });
    sandbox.faults.reset();
    await vi.waitFor(() => expect([to.region, to.lycee, to.college].map((a) => received(a, 'recovery').length)).toEqual([1, 1, 1]), { timeout: 120_000, interval: 250 });
    for (const a of [to.region, to.lycee, to.college]) {
      expect(ids(a).size).toBe(2);
      expect(received(a, 'down')[0]!.subject).toMatch(/^\[Vigie\] PANNE PLATEFORME — ENT bac à sable Vigie — Connexion$/);
      expect(received(a, 'down')[0]!.text).toContain('2 établissements touchés');
    }
    // One message per recipient: no establishment-level e-mail besides the platform's.
    expect(smtp.messageIds().size).toBe(6);
    const all = await incidents();
    const platforms = all.filter((i) => i.scope === 'platform');
    expect(platforms).toHaveLength(1);
    expect(all.filter((i) => i.scope === 'series').every((i) => i.platformId !== null)).toBe(true);
    expect(all.every((i) => i.resolvedAt !== null)).toBe(true);
  }, 360_000);

  it('a roll-call failure at one establishment: its own incident, told to that establishment only', async () => {
    smtp.received.length = 0;
    vigie = await start('roll-call');
    await healthy(vigie);
    // The sheet page answers 500 (a POST answering 500 leaves the journey waiting until its timeout, holding the sheet).
    sandbox.faults.set({ errors: [{ host: lycee.entHost, path: '/appel/*', method: 'GET', status: 500 }] });
    // Generous deadlines: on a loaded machine a roll-call run may outlast its 18 s timeout (down, not up), which
    // delays the recovery by a slot or two; the counts below are what the test is about.
    await vi.waitFor(() => expect(received(to.lycee, 'down')).toHaveLength(1), { timeout: 120_000, interval: 250 });
    sandbox.faults.reset();
    await vi.waitFor(() => expect(received(to.lycee, 'recovery')).toHaveLength(1), { timeout: 120_000, interval: 250 });
    expect(received(to.lycee, 'down')[0]!.subject).toBe(`[Vigie] PANNE — ${lycee.name} (${lycee.uai}) — Appel`);
    // What failed, with the run and its screenshot (issue 10 item 5).
    expect(received(to.lycee, 'down')[0]!.text).toMatch(/Étape en échec : « [^»]+ » — /);
    expect(received(to.lycee, 'down')[0]!.text).toMatch(/Capture d'écran : https:\/\/vigie\.region\.test\/api\/v1\/runs\/\d+\/attempts\/\d\/screenshot\.png/);
    expect(ids(to.lycee).size).toBe(2);
    expect(received(to.college)).toEqual([]);
    expect(received(to.region)).toEqual([]);
    expect(smtp.messageIds().size).toBe(2);
  }, 300_000);
});
