import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { demoConfig, demoEnv } from '../../cli/demo.js';
import { startVigie, type VigieHandle } from '../../cli/start.js';
import type { SandboxHandle } from '../../sandbox/index.js';
import { sandboxFixtures } from '../../sandbox/fixtures.js';

/** The recipients of the sandbox alerting setup. */
export const RECIPIENTS = { lycee: 'cpe@lycee.test', college: 'cpe@college.test', region: 'noc@region.test' };

/** Options of {@link startAlertingVigie}: which journey is probed and how fast (scaled time). */
export interface SandboxAlertingOptions {
  sandbox: SandboxHandle;
  smtpPort: number;
  dir: string;
  journey: 'login' | 'roll-call';
  /** Slot length of the journey, e.g. `6s` (login) or `20s` (roll call). */
  every: string;
  /** Group wait of the platform decision (default 3 s). */
  groupWait?: string;
}

/**
 * `vigie start` on the demo config against a running sandbox, probing only `journey` for both establishments, with
 * alerts (K = 2, evaluated every second) e-mailed to a real SMTP server on loopback: each establishment's CPE, the
 * region's operators for platform incidents. Shared by the alerts acceptance test and `bench/alert-latency.ts`.
 */
export async function startAlertingVigie(opts: SandboxAlertingOptions): Promise<VigieHandle> {
  const [lycee, college] = sandboxFixtures.establishments as [(typeof sandboxFixtures.establishments)[number], (typeof sandboxFixtures.establishments)[number]];
  const port = opts.sandbox.port;
  const ents = Object.fromEntries(sandboxFixtures.establishments.map((e) => [e.uai, `http://${e.entHost}:${port}`]));
  const base = demoConfig(sandboxFixtures, { sso: `http://sso.localhost:${port}`, ents }, { journeys: ['login', 'roll-call'], port: 0, dataDir: join(opts.dir, opts.journey) });
  const config = {
    ...base,
    journeys: { login: { timeout: '5s' }, 'roll-call': { timeout: '18s', options: { propagationDeadline: 3, pollInterval: 1 } } },
    schedules: sandboxFixtures.establishments.map((e) =>
      opts.journey === 'login'
        ? { id: `login-${e.kind}`, journey: 'login', tenant: e.uai, persona: `teacher-${e.kind}`, every: opts.every }
        : { id: `appel-${e.kind}`, journey: 'roll-call', tenant: e.uai, persona: `teacher-${e.kind}`, personas: { parent: `parent-${e.kind}` }, every: opts.every },
    ),
    contracts: [],
    runner: { concurrency: 2 },
    alerts: {
      k: 2,
      every: '1s',
      groupWait: opts.groupWait ?? '3s',
      baseUrl: 'https://vigie.region.test',
      smtp: { host: '127.0.0.1', port: opts.smtpPort, from: 'vigie@region.test', connectionTimeout: '2s', greetingTimeout: '2s', socketTimeout: '5s' },
      contacts: { establishments: { [lycee.uai]: [RECIPIENTS.lycee], [college.uai]: [RECIPIENTS.college] }, operators: [RECIPIENTS.region] },
    },
  };
  const file = join(opts.dir, `${opts.journey}.yml`);
  writeFileSync(file, JSON.stringify(config));
  return startVigie({ config: file, env: { ...process.env, ...demoEnv(sandboxFixtures) }, logger: pino({ level: 'silent' }) });
}

/** The runs of a running Vigie, newest first (`GET /api/v1/runs`). */
export async function recentRuns(v: VigieHandle, limit = 20): Promise<{ status: string; tenant: string; scheduledAt: string }[]> {
  return ((await (await fetch(`${v.url}/api/v1/runs?limit=${limit}`)).json()) as { runs: { status: string; tenant: string; scheduledAt: string }[] }).runs;
}
