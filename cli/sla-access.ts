import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { VigieConfig } from '../core/config/schema.js';
import { VigieError, isVigieError } from '../core/errors.js';
import { operatorContext, type RequestContext } from '../core/request-context.js';
import { readAdminEndpoint } from './admin-api.js';
import { loadConfigFile } from './config-load.js';
import { DEMO_DATA_DIR } from './demo-setup.js';
import { createLogger } from './logger.js';
import { createLocalSlaBackend, createRemoteSlaBackend, type SlaBackend } from './sla-backend.js';
import { openStore } from './store-open.js';

/** Options every SLA command takes. */
export interface StoreAccessOptions {
  config?: string;
  dataDir?: string;
}

/**
 * The SLA backend for a command: through the admin API of a running `vigie start` holding the embedded store, else
 * the store itself (PostgreSQL when `DATABASE_URL` is set, else PGlite in the data folder). `close()` releases it.
 */
export async function openSlaBackend(opts: StoreAccessOptions, env: NodeJS.ProcessEnv = process.env): Promise<{ backend: SlaBackend; ctx: RequestContext; config: VigieConfig | undefined; remote: boolean; close(): Promise<void> }> {
  const config = opts.config ? await loadConfigFile(opts.config) : undefined;
  const dataDir = resolve(opts.dataDir ?? config?.storage.dataDir ?? DEMO_DATA_DIR);
  const live = await readAdminEndpoint(dataDir, env);
  const ctx = operatorContext(currentUser());
  if (live) return { backend: createRemoteSlaBackend(live), ctx, config, remote: true, close: async () => undefined };
  if (!env.DATABASE_URL) mkdirSync(dataDir, { recursive: true });
  const handle = await openStore({ env, dataDir, logger: createLogger({ ...env, VIGIE_LOG_LEVEL: env.VIGIE_LOG_LEVEL ?? 'warn' }) });
  return { backend: createLocalSlaBackend(handle.store, { contracts: config?.contracts }), ctx, config, remote: false, close: () => handle.close() };
}

/** Refuses options that do not give exactly one period (`--month`, `--school-year`, or `--from`/`--to`). */
export function requireOnePeriod(opts: { month?: string; schoolYear?: string; from?: string; to?: string }): void {
  const periods = [opts.month !== undefined, opts.schoolYear !== undefined, opts.from !== undefined || opts.to !== undefined].filter(Boolean).length;
  if (periods !== 1) throw new VigieError('VALIDATION', '--month, --school-year, ou --from et --to : exactement une période / exactly one period');
}

/** Runs a command body; a `VALIDATION` error (bad input) is printed and exits 2 (bad usage), others go to main. */
export async function withUsageErrors(fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    if (isVigieError(err, 'VALIDATION')) {
      console.error(`Entrée invalide / invalid input: ${err.message}`);
      return 2;
    }
    throw err;
  }
}

/** The current user name, for `--author` defaults and the context of commands (`cli:<user>`). */
export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'operator';
  }
}
