import type { z } from 'zod';
import { DEFAULT_ZONE } from '../core/calendar/local-time.js';
import type { SchoolCalendar } from '../core/calendar/school-calendar.js';
import type { ContractConfig } from '../core/config/contract.js';
import { parseInput } from '../core/config/validate.js';
import { VigieError } from '../core/errors.js';
import { parseInstantInput } from '../core/instant.js';
import type { RequestContext } from '../core/request-context.js';
import type { RunResult } from '../core/run-types.js';
import { revisionContentSha256, type AlertIncident, type AlertNote, type AlertNotice, type AuditEntry, type BatchInsertOutcome, type ManualIncident, type RunFileOutcome, type Store, type StoredCorrection, type StoredSchoolCalendar } from '../db/index.js';
import { alertAckBodySchema, alertIncidentQuerySchema, alertNoteBodySchema } from './alert-schemas.js';
import { createRevisionReader } from './revisions.js';
import { auditQuerySchema, correctionBodySchema, incidentBodySchema, periodQuerySchema, withdrawBodySchema } from './schemas.js';
import { assertScope } from './scope.js';

/**
 * What the SLA engine is told, as opposed to what it computes (DESIGN.md §5 "Corrections and observations"):
 * corrections, manual incidents, the audit trail, imported calendars, revisions and runs, and the zone local times are
 * read in. Each method parses its input with the shared schemas (engine/schemas.ts), so the HTTP routes, the admin
 * API and the commands refuse the same bad input with the same field names; writes are short transactions, cheap
 * enough for the main thread.
 */
export interface SlaInputs {
  addCorrection(ctx: RequestContext, body: z.input<typeof correctionBodySchema>): Promise<StoredCorrection>;
  withdrawCorrection(ctx: RequestContext, id: number, body: z.input<typeof withdrawBodySchema>): Promise<StoredCorrection>;
  listCorrections(ctx: RequestContext, query: z.input<typeof periodQuerySchema>): Promise<StoredCorrection[]>;
  addIncident(ctx: RequestContext, body: z.input<typeof incidentBodySchema>): Promise<ManualIncident>;
  listIncidents(ctx: RequestContext, query: z.input<typeof periodQuerySchema>): Promise<ManualIncident[]>;
  listAudit(ctx: RequestContext, query: z.input<typeof auditQuerySchema>): Promise<AuditEntry[]>;
  /** Alert incidents (opened by the evaluator, alerts/), oldest first, each with its notices and their delivery. */
  listAlertIncidents(ctx: RequestContext, query: z.input<typeof alertIncidentQuerySchema>): Promise<(AlertIncident & { notices: AlertNotice[]; notes: AlertNote[] })[]>;
  /**
   * Acknowledges an alert incident (the first acknowledgement stays), with an audit entry `alert.ack`.
   * @throws VigieError `NOT_FOUND` for an unknown id, `VALIDATION` for a bad body.
   */
  acknowledgeAlertIncident(ctx: RequestContext, id: number, body: z.input<typeof alertAckBodySchema>): Promise<AlertIncident>;
  /** Adds a note to an alert incident, with an audit entry `alert.note`. @throws VigieError `NOT_FOUND`, `VALIDATION`. */
  addAlertNote(ctx: RequestContext, id: number, body: z.input<typeof alertNoteBodySchema>): Promise<AlertNote>;
  /** `actor`: who imports (the `--author` of the command), recorded in the audit trail. */
  importCalendar(ctx: RequestContext, input: { location: string; source: string; calendar: SchoolCalendar; actor: string }): Promise<{ inserted: boolean; calendar: StoredSchoolCalendar }>;
  /**
   * Stores an import's revision, marked imported by `importedBy` (default: the context's actor) at the clock's now,
   * unless the one in force at `createdAt` has the same content; returns its id. `createdAt`: an instant with an
   * offset in 2000 ‥ now + 1 day (core/instant.ts). @throws VigieError `VALIDATION` naming `createdAt`.
   */
  importRevision(ctx: RequestContext, input: { snapshot: unknown; createdAt: string; importedBy?: string }): Promise<{ id: number; reused: boolean }>;
  importRuns(ctx: RequestContext, runs: readonly RunResult[]): Promise<BatchInsertOutcome>;
  /**
   * One import file all-or-nothing (db/run-import-file.ts): the revision (as {@link importRevision}), every batch of
   * `batches` and the `runs.import` audit entry by `importedBy`, in one transaction. Present only where this process
   * holds the store; through the admin API of a running `vigie start` it is absent (a transaction spanning HTTP
   * requests would hold that process's one PGlite session away from its probes), and `vigie import` falls back to
   * batches with an exact report of the lines stored. @throws as {@link importRevision}, and whatever refused the
   * file (nothing of it stored).
   */
  importRunFile?(
    ctx: RequestContext,
    input: { snapshot: unknown; createdAt: string; importedBy: string; subject: string; details: Record<string, unknown>; batches: AsyncIterable<readonly RunResult[]> },
  ): Promise<RunFileOutcome>;
  appendAudit(ctx: RequestContext, entry: { actor: string; action: string; subject?: string; details?: Record<string, unknown> }): Promise<void>;
  /** The time zone local date-times are read in (latest config revision's `timezone`, else Europe/Paris). */
  timezone(ctx: RequestContext): Promise<string>;
}

/**
 * A date-time of an input in the config zone (core/instant.ts `readInstant`: no offset = local time, `Z`/offset
 * honoured, not before 2000; with `now` (epoch ms), not more than a day after it).
 * @throws VigieError `VALIDATION` naming the field.
 */
export function instantIn(value: string, field: string, zone: string, now?: number): Date {
  return parseInstantInput(value, field, { zone, now });
}

/** The inputs over a store. `clock` and `contracts` (from `--config`, for the zone) are injectable. */
export function createSlaInputs(
  store: Pick<Store, 'revisions' | 'runs' | 'calendars' | 'corrections' | 'incidents' | 'audit' | 'alerts'>,
  opts: { clock?: () => Date; contracts?: readonly ContractConfig[] } = {},
): SlaInputs {
  const clock = opts.clock ?? (() => new Date());
  const revisions = createRevisionReader(store.revisions);
  const latestConfig = async () => (await revisions.latest())?.config ?? null;
  const zoneOf = async () => (await latestConfig())?.timezone ?? opts.contracts?.[0]?.timezone ?? DEFAULT_ZONE;
  /**
   * Both ends of a body or query, in the config zone; `to` must follow `from`. `recorded`: a correction or an
   * incident being stored (a fact), so neither end may lie more than a day after now; a query may.
   */
  const span = async (q: { from?: string; to?: string }, recorded = false) => {
    const zone = await zoneOf();
    const now = recorded ? clock().getTime() : undefined;
    const from = q.from === undefined ? undefined : instantIn(q.from, 'from', zone, now);
    const to = q.to === undefined ? undefined : instantIn(q.to, 'to', zone, now);
    if (from && to && to.getTime() <= from.getTime()) throw new VigieError('VALIDATION', `to: doit être après from (${from.toISOString()}) / must be after from (${from.toISOString()})`);
    return { from, to };
  };
  return {
    async addCorrection(_ctx, body) {
      const b = parseInput(correctionBodySchema, body);
      const { from, to } = await span(b, true);
      assertScope(b.scope, await latestConfig());
      return store.corrections.add({ start: from!, end: to!, scope: b.scope, reason: b.reason, author: b.author, at: clock() });
    },
    async withdrawCorrection(_ctx, id, body) {
      const b = parseInput(withdrawBodySchema, body);
      return store.corrections.withdraw(id, { author: b.author, reason: b.reason, at: clock() });
    },
    async listCorrections(_ctx, query) {
      return store.corrections.list(await span(parseInput(periodQuerySchema, query)));
    },
    async addIncident(_ctx, body) {
      const b = parseInput(incidentBodySchema, body);
      const { from, to } = await span(b, true);
      assertScope(b.scope, await latestConfig());
      return store.incidents.add({ start: from!, end: to ?? null, scope: b.scope, description: b.description, author: b.author, at: clock() });
    },
    async listIncidents(_ctx, query) {
      return store.incidents.list(await span(parseInput(periodQuerySchema, query)));
    },
    async listAudit(_ctx, query) {
      const q = parseInput(auditQuerySchema, query);
      return store.audit.list({ ...(await span(q)), actor: q.actor, action: q.action, limit: q.limit });
    },
    async listAlertIncidents(_ctx, query) {
      const q = parseInput(alertIncidentQuerySchema, query);
      const incidents = await store.alerts.listIncidents({ tenant: q.tenant, open: q.open });
      return Promise.all(incidents.map(async (i) => ({ ...i, notices: await store.alerts.listNotices({ incidentId: i.id }), notes: await store.alerts.listNotes(i.id) })));
    },
    async acknowledgeAlertIncident(_ctx, id, body) {
      const b = parseInput(alertAckBodySchema, body);
      const at = clock();
      const incident = await store.alerts.acknowledge(id, b.author, at);
      if (!incident) throw new VigieError('NOT_FOUND', `incident d'alerte inconnu #${id} / unknown alert incident #${id}`);
      await store.audit.append({ at, actor: b.author, action: 'alert.ack', subject: `alert-incident:${id}` });
      return incident;
    },
    async addAlertNote(_ctx, id, body) {
      const b = parseInput(alertNoteBodySchema, body);
      const at = clock();
      const note = await store.alerts.addNote(id, { author: b.author, text: b.text, at });
      if (!note) throw new VigieError('NOT_FOUND', `incident d'alerte inconnu #${id} / unknown alert incident #${id}`);
      await store.audit.append({ at, actor: b.author, action: 'alert.note', subject: `alert-incident:${id}`, details: { noteId: note.id } });
      return note;
    },
    importCalendar: (_ctx, input) => store.calendars.import({ ...input, at: clock() }),
    async importRevision(ctx, { snapshot, createdAt, importedBy }) {
      const now = clock();
      const at = parseInstantInput(createdAt, 'createdAt', { requireOffset: true, now: now.getTime() });
      // Same content as the revision already in force at that instant: keep it (re-importing adds no revision).
      const sha = revisionContentSha256(snapshot);
      const inForce = (await store.revisions.listInForce(at, new Date(at.getTime() + 1))).filter((r) => Date.parse(r.createdAt) <= at.getTime());
      const same = inForce.find((r) => r.contentSha256 === sha);
      if (same) return { id: same.id, reused: true };
      return { id: (await store.revisions.save(snapshot, at, { at: now, by: importedBy ?? ctx.actor })).id, reused: false };
    },
    importRuns: (_ctx, runs) => store.runs.insertBatch(runs),
    async importRunFile(_ctx, input) {
      const now = clock();
      const at = parseInstantInput(input.createdAt, 'createdAt', { requireOffset: true, now: now.getTime() });
      return store.runs.importFile({
        revision: { snapshot: input.snapshot, createdAt: at, imported: { at: now, by: input.importedBy } },
        batches: input.batches,
        audit: { at: now, actor: input.importedBy, subject: input.subject, details: input.details },
      });
    },
    appendAudit: (_ctx, entry) => store.audit.append({ ...entry, at: clock() }),
    timezone: () => zoneOf(),
  };
}
