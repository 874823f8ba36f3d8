import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdminListener } from './admin.js';
import {
  createClock,
  createRoster,
  createStateView,
  type SandboxClock,
  type SandboxRoster,
  type SandboxState,
} from './controls.js';
import { createFaultController, type FaultController } from './faults.js';
import { sandboxFixtures, type SandboxFixtures } from './fixtures.js';
import { createPipeline } from './pipeline.js';
import { Store } from './store.js';
import { HOSTS, baseUrl, type World } from './world.js';

export { sandboxFixtures, findAccount } from './fixtures.js';
export type { SandboxAccount, SandboxEstablishment, SandboxFixtures, SandboxPupil, SandboxRole } from './fixtures.js';
export type { FaultController, FaultInput, FaultState, ParentPage } from './faults.js';
export type { SandboxClock, SandboxRoster, SandboxSnapshot, SandboxState, SessionCounts } from './controls.js';
export type { AbsenceRecord, Sheet } from './store.js';
export { SSO_COOKIE } from './sso.js';
export { ENT_COOKIE } from './ent.js';
export { idpCookieName } from './idp.js';
export { HOSTS as SANDBOX_HOSTS } from './world.js';

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** Listen address of both ports; loopback by default (the fault API must never be reachable from outside). */
  host?: string;
  /** Public port serving every virtual host (default 7080; 0 = a free port). */
  port?: number;
  /** Fault/admin API port (default 7081; 0 = a free port). */
  adminPort?: number;
  /** `default`: single logout on (the demo is green); `realistic`: single logout off, as in many real deployments. */
  preset?: 'default' | 'realistic';
  /** Base clock (ticket expiry, fault `until`, propagation delays); defaults to the system clock. */
  now?: () => Date;
  /** One line per request and per problem; silent by default. */
  log?: (line: string) => void;
}

/** A running sandbox. */
export interface SandboxHandle {
  port: number;
  adminPort: number;
  /** Base URLs (`http://<host>:<port>`, no trailing slash); `ents` by UAI. */
  urls: { sso: string; idp: string; idpAgents: string; ents: Record<string, string> };
  /** `http://127.0.0.1:<adminPort>`. */
  adminUrl: string;
  fixtures: SandboxFixtures;
  /** Single logout setting of this instance (from the preset). */
  singleLogout: boolean;
  faults: FaultController;
  clock: SandboxClock;
  roster: SandboxRoster;
  state: SandboxState;
  /** Stops both servers and destroys every connection (keep-alive included) and pending latency timer. */
  close(): Promise<void>;
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Starts the sandbox ENT: one HTTP server for every party (virtual hosts by `Host` header: `sso.localhost`,
 * `idp.localhost`, `idp-agents.localhost`, one ENT host per establishment) and the fault/admin API on a second
 * loopback port. State is in memory. Rejects when a port is taken.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const host = options.host ?? '127.0.0.1';
  const baseNow = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const clock = createClock(baseNow);
  const faults = createFaultController(baseNow);
  const world: World = {
    port: 0,
    baseNow,
    schoolNow: clock.now,
    fixtures: structuredClone(sandboxFixtures),
    faults,
    singleLogout: (options.preset ?? 'default') === 'default',
    store: new Store(),
    log,
  };
  const roster = createRoster(world);
  const state = createStateView(world, clock);
  const sleeps = new Set<NodeJS.Timeout>();

  const server = http.createServer(createPipeline(world, sleeps));
  const admin = http.createServer(createAdminListener({ faults, clock, roster, state, log }));
  // Short keep-alive so idle browser sockets do not linger between tests; close() destroys them anyway.
  server.keepAliveTimeout = 2000;
  world.port = await listen(server, options.port ?? 7080, host);
  let adminPort: number;
  try {
    adminPort = await listen(admin, options.adminPort ?? 7081, host);
  } catch (error) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw error;
  }
  log(`sandbox ENT on http://*.localhost:${world.port}, fault API on http://${host}:${adminPort}`);

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    closing ??= (async () => {
      for (const timer of sleeps) clearTimeout(timer);
      sleeps.clear();
      const done = [server, admin].map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
      server.closeAllConnections();
      admin.closeAllConnections();
      await Promise.all(done);
    })();
    return closing;
  };

  return {
    port: world.port,
    adminPort,
    urls: {
      sso: baseUrl(world, HOSTS.sso),
      idp: baseUrl(world, HOSTS.idp),
      idpAgents: baseUrl(world, HOSTS.idpAgents),
      ents: Object.fromEntries(world.fixtures.establishments.map((e) => [e.uai, baseUrl(world, e.entHost)])),
    },
    adminUrl: `http://${host}:${adminPort}`,
    fixtures: world.fixtures,
    singleLogout: world.singleLogout,
    faults: { get: faults.get, set: faults.set, replace: faults.replace, reset: faults.reset },
    clock,
    roster,
    state,
    close,
  };
}
