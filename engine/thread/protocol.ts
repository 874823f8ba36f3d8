import type { Issue, VigieErrorCode } from '../../core/errors.js';
import type { SlaQuery } from '../schemas.js';
import type { SlotStreamRequest } from '../slot-stream.js';

/**
 * The messages between the engine's host (main thread, host.ts) and its worker thread (worker.ts). Requests carry the
 * host's clock (`nowMs`) so that a worker computes "as of" the same instant a caller in the main thread would.
 */

/** How the worker reaches the store: its own PostgreSQL pool, or a channel to the PGlite worker (transferred). */
export type EngineDbSpec = { kind: 'postgres'; url: string; schema?: string } | { kind: 'pglite'; openChannel(): import('node:worker_threads').MessagePort };

/** Lanes run side by side in the worker, each one request at a time: a year-long report never holds the status. */
export type EngineLane = 'sla' | 'status';

/** A request to the worker: which lane, which computation, and the host's clock. */
export type EngineRequest =
  | { id: number; lane: 'sla'; op: 'slaReport'; nowMs: number; query: SlaQuery }
  | { id: number; lane: 'status'; op: 'status'; nowMs: number; fresh?: boolean }
  | { id: number; lane: 'sla'; op: 'budgets'; nowMs: number }
  | { id: number; lane: 'status'; op: 'slots'; nowMs: number; request: Omit<SlotStreamRequest, 'now'> };

/** A VigieError as it crosses the thread boundary (a class instance does not survive structured cloning). */
export interface WireError {
  code: VigieErrorCode;
  message: string;
  issues: Issue[];
  retryAfterSeconds?: number;
  stack?: string;
}

/** The worker's answer to request `id`: a value (JSON text for reports), or a VigieError as data. */
export type EngineReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };
