import { resolve } from 'node:path';
import { VigieError, isVigieError } from '../core/errors.js';
import { formatLocalTime } from '../core/text-format.js';
import type { SchedulePause } from '../db/index.js';
import { loadConfigFile } from './config-load.js';
import { createLogger } from './logger.js';
import { openStore } from './store-open.js';
import { callAdmin, readAdminEndpoint } from './admin-api.js';
import { DEMO_DATA_DIR } from './demo-setup.js';
import { currentUser } from './sla-access.js';

export interface PauseOptions {
  config?: string;
  dataDir?: string;
  author?: string;
  reason?: string;
}

/**
 * `vigie pause|resume <schedule>`: stored, so that the paused time shows as `paused` in slot states and reports.
 * Goes through a running `vigie start` (which stops or restarts the schedule at once); otherwise writes to the store.
 */
export async function runPause(action: 'pause' | 'resume', scheduleId: string, opts: PauseOptions): Promise<number> {
  try {
    return await pauseOrResume(action, scheduleId, opts);
  } catch (err) {
    throw bilingualConflict(err, action, scheduleId);
  }
}

/**
 * A CONFLICT of a running `vigie start` of an earlier version, whose store answered in English only (`schedule x is
 * already paused`), with its French first; the code stays CONFLICT (exit 1). The store's messages are French then
 * English now (db/pauses.ts): one that already is (holds ` / `) is left as it is, so that "resume time is before the
 * pause" is not given the French of "not paused". Otherwise branches on the code and the action.
 */
export function bilingualConflict(err: unknown, action: 'pause' | 'resume', scheduleId: string): unknown {
  if (!isVigieError(err, 'CONFLICT') || err.message.includes(' / ')) return err;
  const french = action === 'pause' ? `la planification ${scheduleId} est déjà en pause` : `la planification ${scheduleId} n’est pas en pause (rien à reprendre)`;
  return new VigieError('CONFLICT', `${french} / ${err.message}`, { cause: err });
}

async function pauseOrResume(action: 'pause' | 'resume', scheduleId: string, opts: PauseOptions): Promise<number> {
  const config = opts.config ? await loadConfigFile(opts.config) : undefined;
  const dataDir = resolve(opts.dataDir ?? config?.storage.dataDir ?? DEMO_DATA_DIR);
  const author = opts.author ?? currentUser();
  const live = await readAdminEndpoint(dataDir, process.env);
  let pause: SchedulePause;
  if (live) {
    pause = await callAdmin<SchedulePause>(live, 'POST', `/schedules/${encodeURIComponent(scheduleId)}/${action}`, action === 'pause' ? { author, reason: opts.reason } : { author });
  } else {
    if (config && !config.schedules.some((s) => s.id === scheduleId)) {
      throw new VigieError('NOT_FOUND', `planification inconnue / unknown schedule "${scheduleId}" (${config.schedules.map((s) => s.id).join(', ')})`);
    }
    const handle = await openStore({ env: process.env, dataDir, logger: createLogger({ ...process.env, VIGIE_LOG_LEVEL: 'warn' }) });
    try {
      pause = action === 'pause' ? await handle.store.pauses.pause(scheduleId, new Date(), author, opts.reason) : await handle.store.pauses.resume(scheduleId, new Date(), author);
    } finally {
      await handle.close();
    }
  }
  const zone = config?.timezone ?? 'Europe/Paris';
  const at = (iso: string | null) => (iso === null ? '-' : formatLocalTime(iso, zone));
  console.log(
    action === 'pause'
      ? `Planification ${scheduleId} en pause depuis ${at(pause.pausedAt)} (par ${pause.author}) / schedule paused.`
      : `Planification ${scheduleId} reprise à ${at(pause.resumedAt)} (pause du ${at(pause.pausedAt)}) / schedule resumed.`,
  );
  return 0;
}
