import { createHash } from 'node:crypto';
import { DEFAULT_ZONE } from '../core/calendar/local-time.js';
import { DATE_TIME_HINT, parseDateTime } from '../core/calendar/parse-date-time.js';
import type { SchoolCalendar } from '../core/calendar/school-calendar.js';
import type { ContractConfig } from '../core/config/contract.js';
import type { VigieConfig } from '../core/config/schema.js';
import { VigieError } from '../core/errors.js';
import type { RunResult } from '../core/run-types.js';
import type { SlaHandlers } from '../collector/sla-routes.js';
import { parseOr400 } from '../collector/sla-routes.js';
import { auditQuerySchema, correctionBodySchema, incidentBodySchema, periodQuerySchema, slaQuerySchema, withdrawBodySchema, type SlaQuery } from '../collector/sla-schemas.js';
import { canonicalJson, type BatchInsertOutcome, type Store } from '../db/index.js';
import { callAdmin, type AdminEndpoint } from './admin-api.js';
import { computeSlaReport, computeStatus } from './sla-service.js';
import type { PeriodSpec } from './sla-period.js';
import { assertScope } from './sla-scope.js';

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
  /** The time zone local date-times are read in (latest config revision's `timezone`, else Europe/Paris). */
  timezone(): Promise<string>;
}

/**
 * A date-time of an input in the config zone (core/calendar/parse-date-time.ts: no offset = local time, `Z`/offset
 * honoured). @throws VigieError `VALIDATION` naming the field.
 */
export function instantIn(value: string, field: string, zone: string): Date {
  const parsed = parseDateTime(value, zone);
  if (!parsed) throw new VigieError('VALIDATION', `${field}: ${DATE_TIME_HINT}, got "${value}"`);
  return new Date(parsed.ms);
}

/** The operations the admin API forwards (`POST /api/v1/admin/sla/:op` with `{ args: [...] }`). */
export const SLA_OPS = ['sla', 'status', 'addCorrection', 'withdrawCorrection', 'listCorrections', 'addIncident', 'listIncidents', 'listAudit', 'importCalendar', 'importRevision', 'importRuns', 'audit', 'timezone'] as const;
export type SlaOp = (typeof SLA_OPS)[number];

/** How long a `/api/v1/status` result is reused, ms. */
export const STATUS_TTL_MS = 10_000;

/** A SLA query to the engine's period spec. */
export function periodOf(q: SlaQuery): PeriodSpec {
  if (q.month) return { month: q.month };
  if (q.schoolYear) return { schoolYear: q.schoolYear };
  return { from: q.from!, to: q.to! };
}

/** The backend over an open store. `clock` and `contracts` (from `--config`) are injectable for tests. */
export function createLocalSlaBackend(store: Store, opts: { clock?: () => Date; contracts?: readonly ContractConfig[]; calendarDir?: string | null } = {}): SlaBackend {
  const clock = opts.clock ?? (() => new Date());
  let statusCache: { at: number; pending: Promise<Awaited<ReturnType<typeof computeStatus>>> } | null = null;
  let slaQueue: Promise<unknown> = Promise.resolve();
  const latestConfig = async () => ((await store.latestRevision())?.snapshot ?? null) as VigieConfig | null;
  const zoneOf = async () => (await latestConfig())?.timezone ?? opts.contracts?.[0]?.timezone ?? DEFAULT_ZONE;
  /** Both ends of a body or query, in the config zone; `to` must follow `from`. */
  const span = async (q: { from?: string; to?: string }) => {
    const zone = await zoneOf();
    const from = q.from === undefined ? undefined : instantIn(q.from, 'from', zone);
    const to = q.to === undefined ? undefined : instantIn(q.to, 'to', zone);
    if (from && to && to.getTime() <= from.getTime()) throw new VigieError('VALIDATION', `to: must be after from (${from.toISOString()})`);
    return { from, to };
  };
  return {
    async sla(query) {
      const q = parseOr400(slaQuerySchema, query);
      // One report at a time: each may cover up to MAX_PERIOD_DAYS minute by minute; parallel ones would pile up.
      const run = slaQueue.then(() => computeSlaReport(store, { contract: q.contract, period: periodOf(q), tenant: q.tenant, clause: q.clause }, clock(), { contracts: opts.contracts, calendarDir: opts.calendarDir }));
      slaQueue = run.catch(() => undefined);
      return run;
    },
    // Unauthenticated and polled: one computation at a time, its result shared for STATUS_TTL_MS (bounds the work
    // a burst of requests can cause on the process that also runs the probes).
    status() {
      const now = clock().getTime();
      if (!statusCache || now - statusCache.at >= STATUS_TTL_MS || now < statusCache.at) {
        const pending = computeStatus(store, new Date(now));
        statusCache = { at: now, pending };
        pending.catch(() => {
          if (statusCache?.pending === pending) statusCache = null;
        });
      }
      return statusCache.pending;
    },
    async addCorrection(body) {
      const b = parseOr400(correctionBodySchema, body);
      const { from, to } = await span(b);
      assertScope(b.scope, await latestConfig());
      return store.addCorrection({ start: from!, end: to!, scope: b.scope, reason: b.reason, author: b.author, at: clock() });
    },
    async withdrawCorrection(id, body) {
      const b = parseOr400(withdrawBodySchema, body);
      return store.withdrawCorrection(id, { author: b.author, reason: b.reason, at: clock() });
    },
    async listCorrections(query) {
      const q = parseOr400(periodQuerySchema, query);
      return store.listCorrections(await span(q));
    },
    async addIncident(body) {
      const b = parseOr400(incidentBodySchema, body);
      const { from, to } = await span(b);
      assertScope(b.scope, await latestConfig());
      return store.addIncident({ start: from!, end: to ?? null, scope: b.scope, description: b.description, author: b.author, at: clock() });
    },
    async listIncidents(query) {
      const q = parseOr400(periodQuerySchema, query);
      return store.listIncidents(await span(q));
    },
    async listAudit(query) {
      const q = parseOr400(auditQuerySchema, query);
      return store.listAudit({ ...(await span(q)), actor: q.actor, action: q.action, limit: q.limit });
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
    timezone: zoneOf,
  };
}

/** The backend through a running `vigie start` (its admin API). */
export function createRemoteSlaBackend(endpoint: AdminEndpoint): SlaBackend {
  const call = <T>(op: SlaOp, ...args: unknown[]) => callAdmin<T>(endpoint, 'POST', `/sla/${op}`, { args });
  return Object.fromEntries(SLA_OPS.map((op) => [op, (...args: unknown[]) => call(op, ...args)])) as unknown as SlaBackend;
}
