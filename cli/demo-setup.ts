import type { Logger } from 'pino';
import { validateConfig } from '../core/config/validate.js';
import type { VigieConfig } from '../core/config/schema.js';
import { startSandbox } from '../sandbox/index.js';
import { sandboxFixtures } from '../sandbox/fixtures.js';
import { builtInJourneys } from '../probes/journeys/index.js';
import { demoConfig, demoEnv } from './demo.js';

/** Default ports of the demo's sandbox: the `*.localhost` hosts and the loopback fault API. */
export const DEMO_SANDBOX_PORT = 7080;
export const DEMO_FAULT_PORT = 7081;
/** Default folder of the demo's embedded store. */
export const DEMO_DATA_DIR = '.vigie/demo';

export interface DemoSetup {
  config: VigieConfig;
  /** Passwords of the sandbox accounts, by the variable names the demo config references. */
  env: Record<string, string>;
  sandboxUrl: string;
  faultApiUrl: string;
  /** Stops the sandbox if this process started it. */
  close(): Promise<void>;
}

/** True when a sandbox already answers on the demo ports (started by `vigie sandbox` or another demo). */
async function sandboxRunning(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/faults`, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Starts the sandbox ENT on its demo ports, or reuses the one already running there, and builds the demo config.
 * @param opts.port collector port (default 8080); opts.dataDir embedded store folder (default `.vigie/demo`).
 */
export async function prepareDemo(opts: { logger: Logger; dataDir?: string; port?: number; sandboxPort?: number; faultPort?: number }): Promise<DemoSetup> {
  const port = opts.sandboxPort ?? DEMO_SANDBOX_PORT;
  const faultPort = opts.faultPort ?? DEMO_FAULT_PORT;
  let close = async () => {};
  let sandboxPort = port;
  let adminPort = faultPort;
  if (await sandboxRunning(faultPort)) {
    opts.logger.info({ port, faultPort }, 'reusing the sandbox ENT already running');
  } else {
    const sandbox = await startSandbox({ port, adminPort: faultPort });
    sandboxPort = sandbox.port;
    adminPort = sandbox.adminPort;
    close = () => sandbox.close();
    opts.logger.info({ port: sandbox.port, faultPort: sandbox.adminPort }, 'sandbox ENT started');
  }
  const ents = Object.fromEntries(sandboxFixtures.establishments.map((e) => [e.uai, `http://${e.entHost}:${sandboxPort}`]));
  const config = validateConfig(
    demoConfig(sandboxFixtures, { sso: `http://sso.localhost:${sandboxPort}`, ents }, {
      journeys: Object.keys(builtInJourneys),
      port: opts.port ?? 8080,
      dataDir: opts.dataDir ?? DEMO_DATA_DIR,
    }),
  );
  return { config, env: demoEnv(sandboxFixtures), sandboxUrl: `http://sso.localhost:${sandboxPort}`, faultApiUrl: `http://127.0.0.1:${adminPort}`, close };
}
