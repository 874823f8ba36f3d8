import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { RunResult } from '../core/run-types.js';
import { revisionSnapshot } from '../core/config/revision.js';
import { createRunner } from '../probes/runner.js';
import { loadConfigFile, loadFingerprintKey } from './config-load.js';
import { createLogger } from './logger.js';
import { openStore } from './store-open.js';
import { createRunPlanner } from '../probes/run-plan.js';
import { loadJourneys } from '../probes/journey-modules.js';
import { createExecutor, journeyNamed, manualSchedule, personasOf } from '../probes/worker.js';
import { resolveRunSecrets } from './runtime.js';
import { callAdmin, readAdminEndpoint } from './admin-api.js';
import { DEMO_DATA_DIR, prepareDemo } from './demo-setup.js';
import { formatLocalTime } from '../core/text-format.js';

export interface RunOptions {
  tenant: string;
  config?: string;
  persona?: string;
  dataDir?: string;
  json?: boolean;
  /** Demo only (no `--config`): ports of the sandbox it starts or reuses (defaults 7080 / 7081). */
  sandboxPort?: number;
  faultPort?: number;
}

/**
 * `vigie run <journey> --tenant <uai>`: one manual run (stored as `manual`, outside SLA slots), each step printed
 * with its duration. Goes through the admin API of a running `vigie start` that holds the embedded store; otherwise
 * runs here. Without `--config`, uses the demo's config and starts the sandbox if it is not running.
 * @returns 0 only when the run is `up`; 1 otherwise (degraded, down, error).
 */
export async function runOnce(journey: string, opts: RunOptions): Promise<number> {
  const logger = createLogger({ ...process.env, VIGIE_LOG_LEVEL: process.env.VIGIE_LOG_LEVEL ?? 'warn' });
  const fileConfig = opts.config ? await loadConfigFile(opts.config) : undefined;
  const dataDir = resolve(opts.dataDir ?? fileConfig?.storage.dataDir ?? DEMO_DATA_DIR);
  // A running `vigie start` holding this data folder does the run (it owns the embedded store and the sandbox).
  const live = await readAdminEndpoint(dataDir, process.env);
  let result: RunResult;
  if (live) {
    console.error(`(via vigie start, ${live.url})`);
    result = await callAdmin<RunResult>(live, 'POST', '/runs', { journey, tenant: opts.tenant, persona: opts.persona });
  } else {
    const demo = fileConfig ? undefined : await prepareDemo({ logger, dataDir, sandboxPort: opts.sandboxPort, faultPort: opts.faultPort });
    try {
      const config = demo ? demo.config : fileConfig!;
      const env = demo ? { ...demo.env, ...process.env } : process.env;
      const journeys = await loadJourneys(config, opts.config ? dirname(resolve(opts.config)) : process.cwd());
      // Usage errors (unknown journey, tenant, persona) before any secret, store or browser.
      journeyNamed(journeys, journey);
      const who = manualSchedule(config, journey, opts.tenant, opts.persona);
      // Only the personas this run acts as must have their secrets here (another persona's missing file is no reason to refuse).
      const secrets = await resolveRunSecrets(config, env, personasOf(who), await loadFingerprintKey(dataDir, env));
      mkdirSync(dataDir, { recursive: true });
      const storeHandle = await openStore({ env, dataDir, logger });
      const runner = createRunner({ ...config.runner, chromiumPath: env.VIGIE_CHROMIUM ?? config.runner.chromiumPath, shutdownGraceMs: config.runner.shutdownGrace * 1000, logger });
      try {
        const revision = await storeHandle.store.revisions.save(revisionSnapshot(config, secrets.fingerprints), new Date());
        const executor = createExecutor({ config, planner: createRunPlanner(config, secrets.values), journeys, runner, revisionId: revision.id, logger });
        result = await executor.runManual(journey, opts.tenant, opts.persona);
        await storeHandle.store.runs.insert(result);
      } finally {
        await runner.close();
        await storeHandle.close();
      }
    } finally {
      await demo?.close();
    }
  }
  if (opts.json) console.log(JSON.stringify(result, null, 2));
  else console.log(formatRun(result, fileConfig?.timezone ?? DEFAULT_ZONE));
  return result.status === 'up' ? 0 : 1;
}

const STATUS_FR: Record<string, string> = { up: 'OK', degraded: 'DÉGRADÉ', down: 'EN PANNE', error: 'ERREUR (côté Vigie)' };

/** The demo's and the config's default time zone (config `timezone`). */
const DEFAULT_ZONE = 'Europe/Paris';

/** A run as a terminal table: one line per step of each attempt, then the outcome; the start in `zone` with its offset. */
export function formatRun(run: RunResult, zone: string = DEFAULT_ZONE): string {
  const lines = [`Parcours ${run.journey} — établissement ${run.tenant} — ${formatLocalTime(run.startedAt, zone)}`];
  for (const attempt of run.attempts) {
    if (run.attempts.length > 1) lines.push(`  tentative ${attempt.attempt} (${attempt.location}) : ${attempt.status}${attempt.reason ? ` — ${attempt.reason}` : ''}`);
    for (const step of attempt.steps) {
      const mark = step.status === 'passed' ? '✔' : step.status === 'failed' ? '✘' : '–';
      const over = step.thresholdMs !== undefined && step.durationMs > step.thresholdMs ? `  (> seuil ${step.thresholdMs} ms)` : '';
      lines.push(`  ${mark} ${step.name.padEnd(24)} ${String(Math.round(step.durationMs)).padStart(7)} ms${over}${step.error ? `  ${step.error.message}` : ''}`);
    }
    for (const [name, value] of Object.entries(attempt.measures)) lines.push(`  · ${name} = ${value}`);
    if (attempt.flags.length > 0) lines.push(`  · ${attempt.flags.join(', ')}`);
  }
  lines.push(`Résultat / outcome: ${run.status} — ${STATUS_FR[run.status] ?? run.status}${run.kind ? ` [${run.kind}]` : ''}${run.reason ? ` — ${run.reason}` : ''} (${Math.round(run.durationMs)} ms)`);
  return lines.join('\n');
}
