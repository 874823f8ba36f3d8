import type { FaultController, FaultMatcher } from './faults.js';
import type { SandboxEstablishment, SandboxFixtures } from './fixtures.js';
import type { Store } from './store.js';

/** Host names of the sandbox's parties (DESIGN.md §3); ENT hosts come from the fixtures. */
export const HOSTS = {
  sso: 'sso.localhost',
  idp: 'idp.localhost',
  idpAgents: 'idp-agents.localhost',
} as const;

/** Lifetimes. CAS service tickets live 10 s as in Apereo CAS's default; assertions likewise. */
export const TICKET_TTL_MS = 10_000;
export const ASSERTION_TTL_MS = 10_000;
/** A ticket-granting ticket lives a school day (Apereo CAS's default hard timeout is 8 h). */
export const TGT_TTL_MS = 8 * 3600_000;
/** Identity-provider and ENT sessions end after the same school day. */
export const SESSION_TTL_MS = TGT_TTL_MS;
/** How often expired tickets and sessions are swept from memory. */
export const SWEEP_EVERY_MS = 60_000;

/** What every party's handler shares in one sandbox instance (internal). */
export interface World {
  /** The public HTTP port (known after listen). */
  port: number;
  /** Base clock: ticket and assertion expiry, fault `until`, absence propagation. */
  baseNow(): Date;
  /** The ENT's clock: timetable and dates shown; fixed through `POST /clock`, else the base clock. */
  schoolNow(): Date;
  fixtures: SandboxFixtures;
  faults: FaultController & FaultMatcher;
  /** Single logout on (default preset) or off (`realistic`). */
  singleLogout: boolean;
  store: Store;
  log(line: string): void;
}

/** `http://<host>:<port>` of a party. */
export function baseUrl(world: World, host: string): string {
  return `http://${host}:${world.port}`;
}

/** The establishment served on an ENT host name. */
export function establishmentByHost(world: World, host: string): SandboxEstablishment | undefined {
  return world.fixtures.establishments.find((e) => e.entHost === host);
}
