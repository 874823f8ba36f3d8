import { createHash } from 'node:crypto';
import type { SchoolCalendar } from '../core/calendar/school-calendar.js';
import type { ContractConfig } from '../core/config/contract.js';
import { VigieError } from '../core/errors.js';
import type { RunResult } from '../core/run-types.js';
import type { SlaHandlers } from '../collector/sla-routes.js';
import { parseOr400 } from '../collector/sla-routes.js';
import { auditQuerySchema, correctionBodySchema, incidentBodySchema, periodQuerySchema, slaQuerySchema, withdrawBodySchema, type SlaQuery } from '../collector/sla-schemas.js';
import { canonicalJson, type BatchInsertOutcome, type Store } from '../db/index.js';
import { callAdmin, type AdminEndpoint } from './admin-api.js';
import { computeSlaReport, computeStatus } from './sla-service.js';
import type { PeriodSpec } from './sla-period.js';

/**
 * Everything the SLA commands do against storage, behind one interface so each command works the same whether it
 * opened the store itself or goes through a running `vigie start` (admin API, DESIGN.md §4). Inputs are plain JSON
 * (instants as ISO strings) and are validated by the shared zod schemas (collector/sla-schemas.ts) on the store side.
 */
export interface SlaBackend extends SlaHandlers {
  importCalendar(input: { location: string; source: string; calendar: SchoolCalendar; actor: string }): Promise<{ inserted: boolean; calendar: { id: number; location: string; source: string; importedAt: string } }>;
  /** Stores the import's revision unless the one in force at `createdAt` has the same content; returns its id. */
  importRevision(input: { snapshot: unknown; createdAt: string }): Promise<{ id: number; reused: boolean }>;
  importRuns(runs: RunResult[]): Promise<BatchInsertOutcome>;
  audit(entry: { actor: string; action: string; subject?: string; details?: Record<string, unknown> }): Promise<void>;
}

/** The operations the admin API forwards (`POST /api/v1/admin/sla/:op` with `{ args: [...] }`). */
export const SLA_OPS = ['sla', 'status', 'addCorrection', 'withdrawCorrection', 'listCorrections', 'addIncident', 'listIncidents', 'listAudit', 'importCalendar', 'importRevision', 'importRuns', 'audit'] as const;
export type SlaOp = (typeof SLA_OPS)[number];

/** A SLA query to the engine's period spec. */
export function periodOf(q: SlaQuery): PeriodSpec {
  if (q.month) return { month: q.month };
  if (q.schoolYear) return { schoolYear: q.schoolYear };
  return { from: q.from!, to: q.to! };
}

/** The backend over an open store. `clock` and `contracts` (from `--config`) are injectable for tests. */
export function createLocalSlaBackend(store: Store, opts: { clock?: () => Date; contracts?: readonly ContractConfig[]; calendarDir?: string | null } = {}): SlaBackend {
  const clock = opts.clock ?? (() => new Date());
  const d = (s: string | undefined) => (s === undefined ? undefined : new Date(s));
  return {
    async sla(query) {
      const q = parseOr400(slaQuerySchema, query);
      return computeSlaReport(store, { contract: q.contract, period: periodOf(q), tenant: q.tenant, clause: q.clause }, clock(), { contracts: opts.contracts, calendarDir: opts.calendarDir });
    },
    status: () => computeStatus(store, clock()),
    async addCorrection(body) {
      const b = parseOr400(correctionBodySchema, body);
      return store.addCorrection({ start: new Date(b.from), end: new Date(b.to), scope: b.scope, reason: b.reason, author: b.author, at: clock() });
    },
    async withdrawCorrection(id, body) {
      const b = parseOr400(withdrawBodySchema, body);
      return store.withdrawCorrection(id, { author: b.author, reason: b.reason, at: clock() });
    },
    async listCorrections(query) {
      const q = parseOr400(periodQuerySchema, query);
      return store.listCorrections({ from: d(q.from), to: d(q.to) });
    },
    async addIncident(body) {
      const b = parseOr400(incidentBodySchema, body);
      return store.addIncident({ start: new Date(b.from), end: d(b.to) ?? null, scope: b.scope, description: b.description, author: b.author, at: clock() });
    },
    async listIncidents(query) {
      const q = parseOr400(periodQuerySchema, query);
      return store.listIncidents({ from: d(q.from), to: d(q.to) });
    },
    async listAudit(query) {
      const q = parseOr400(auditQuerySchema, query);
      return store.listAudit({ from: d(q.from), to: d(q.to), actor: q.actor, action: q.action, limit: q.limit });
    },
    importCalendar: (input) => store.importSchoolCalendar({ ...input, at: clock() }),
    async importRevision({ snapshot, createdAt }) {
      const at = new Date(createdAt);
      if (Number.isNaN(at.getTime())) throw new VigieError('VALIDATION', 'createdAt: invalid instant');
      // Same content as the revision already in force at that instant: keep it (re-importing adds no revision).
      const sha = createHash('sha256').update(canonicalJson(snapshot)).digest('hex');
      const inForce = (await store.listRevisionsInForce(at, new Date(at.getTime() + 1))).filter((r) => Date.parse(r.createdAt) <= at.getTime());
      const same = inForce.find((r) => r.contentSha256 === sha);
      if (same) return { id: same.id, reused: true };
      return { id: (await store.saveRevision(snapshot, at)).id, reused: false };
    },
    importRuns: (runs) => store.insertRunsBatch(runs),
    audit: (entry) => store.appendAudit({ ...entry, at: clock() }),
  };
}

/** The backend through a running `vigie start` (its admin API). */
export function createRemoteSlaBackend(endpoint: AdminEndpoint): SlaBackend {
  const call = <T>(op: SlaOp, ...args: unknown[]) => callAdmin<T>(endpoint, 'POST', `/sla/${op}`, { args });
  return Object.fromEntries(SLA_OPS.map((op) => [op, (...args: unknown[]) => call(op, ...args)])) as unknown as SlaBackend;
}
