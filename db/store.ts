import type { RunResult } from '../core/run-types.js';
import type { Db } from './db.js';
import { migrate, readMigrations, type Migration } from './migrate.js';
import { getRevision, saveRevision, type ConfigRevision } from './revisions.js';
import { getRun, getScreenshot, hasRun, lastRunPerJourneyTenant, listRuns } from './run-reader.js';
import type { LastRun, RunDetail, RunFilter, RunPage } from './run-views.js';
import { insertRun, type InsertRunOutcome } from './run-writer.js';
import { listPauses, pauseSchedule, resumeSchedule, type SchedulePause } from './pauses.js';
import { appendAudit, listAudit, type AuditEntry, type AuditFilter } from './audit.js';
import { addCorrection, addIncident, listCorrections, listIncidents, withdrawCorrection, type ManualIncident, type SlaScope, type StoredCorrection } from './corrections.js';
import { importSchoolCalendar, listSchoolCalendars, type StoredSchoolCalendar } from './school-calendars.js';
import { firstSeenTimes, latestRevision, listPassingRunSteps, listRevisionsInForce, listScheduledRuns, type FirstSeenTimes, type SlaRun, type SlaStep } from './sla-queries.js';
import { insertRunsBatch, type BatchInsertOutcome } from './run-import.js';
import type { SchoolCalendar } from '../core/calendar/school-calendar.js';

/**
 * Vigie's storage API, written once over {@link Db} and used identically on PostgreSQL and PGlite. Each method's
 * contract is on the function it delegates to (run-writer.ts, run-reader.ts, revisions.ts, migrate.ts).
 */
export interface Store {
  /** Applies pending migrations; returns the names applied (empty when up to date). */
  migrate(): Promise<{ applied: string[] }>;
  /** Stores a dated config revision; see revisions.ts. */
  saveRevision(snapshot: unknown, createdAt: Date): Promise<{ id: number; contentSha256: string }>;
  getRevision(id: number): Promise<ConfigRevision | null>;
  /** Run + attempts + steps + evidence in one transaction; `{ inserted: false }` for a slot that has a result. */
  insertRun(run: RunResult): Promise<InsertRunOutcome>;
  /** Scheduled results refused as duplicates by this store object since it was created (for a metric). */
  duplicateRejections(): number;
  hasRun(scheduleId: string, location: string, scheduledAt: Date): Promise<boolean>;
  listRuns(filter?: RunFilter): Promise<RunPage>;
  getRun(id: number): Promise<RunDetail | null>;
  getScreenshot(runId: number, attempt: number): Promise<Uint8Array | null>;
  lastRunPerJourneyTenant(): Promise<LastRun[]>;
  /** Opens an operator pause of a schedule; see pauses.ts. */
  pauseSchedule(scheduleId: string, at: Date, author: string, reason?: string): Promise<SchedulePause>;
  /** Closes the open pause of a schedule; see pauses.ts. */
  resumeSchedule(scheduleId: string, at: Date, author: string): Promise<SchedulePause>;
  listPauses(filter?: { scheduleId?: string; from?: Date; to?: Date }): Promise<SchedulePause[]>;
  /** Many runs in one transaction (historical import); see run-import.ts. */
  insertRunsBatch(runs: readonly RunResult[]): Promise<BatchInsertOutcome>;
  /** Stores an imported school calendar (idempotent per location and content); see school-calendars.ts. */
  importSchoolCalendar(input: { location: string; source: string; calendar: SchoolCalendar; at: Date; actor: string }): Promise<{ inserted: boolean; calendar: StoredSchoolCalendar }>;
  listSchoolCalendars(location?: string): Promise<StoredSchoolCalendar[]>;
  /** Corrections (excluded periods) and manual incidents; see corrections.ts. Each write adds an audit entry. */
  addCorrection(input: { start: Date; end: Date; scope?: SlaScope; reason: string; author: string; at: Date }): Promise<StoredCorrection>;
  withdrawCorrection(id: number, input: { author: string; reason?: string; at: Date }): Promise<StoredCorrection>;
  listCorrections(filter?: { from?: Date; to?: Date }): Promise<StoredCorrection[]>;
  addIncident(input: { start: Date; end?: Date | null; scope?: SlaScope; description: string; author: string; at: Date }): Promise<ManualIncident>;
  listIncidents(filter?: { from?: Date; to?: Date }): Promise<ManualIncident[]>;
  /** The audit trail; see audit.ts. */
  appendAudit(entry: { at: Date; actor: string; action: string; subject?: string | null; details?: Record<string, unknown> }): Promise<void>;
  listAudit(filter?: AuditFilter): Promise<AuditEntry[]>;
  /** SLA read queries; see sla-queries.ts. */
  listScheduledRuns(scheduleIds: readonly string[], from: Date, to: Date): Promise<SlaRun[]>;
  listPassingRunSteps(scheduleIds: readonly string[], names: readonly string[], from: Date, to: Date): Promise<SlaStep[]>;
  listRevisionsInForce(from: Date, to: Date): Promise<ConfigRevision[]>;
  latestRevision(before?: Date): Promise<ConfigRevision | null>;
  firstSeenTimes(): Promise<FirstSeenTimes>;
  /** Closes the underlying Db. */
  close(): Promise<void>;
}

export interface StoreOptions {
  /** Migrations to apply (default: the files of db/migrations). */
  migrations?: Migration[];
}

/** Builds the store over an open {@link Db} (from `createPgDb` or `createPgliteDb`); the store owns it from now on. */
export function createStore(db: Db, opts: StoreOptions = {}): Store {
  let duplicates = 0;
  return {
    migrate: () => migrate(db, opts.migrations ?? readMigrations()),
    saveRevision: (snapshot, createdAt) => saveRevision(db, snapshot, createdAt),
    getRevision: (id) => getRevision(db, id),
    async insertRun(run) {
      const outcome = await insertRun(db, run);
      if (!outcome.inserted) duplicates += 1;
      return outcome;
    },
    duplicateRejections: () => duplicates,
    hasRun: (scheduleId, location, scheduledAt) => hasRun(db, scheduleId, location, scheduledAt),
    listRuns: (filter) => listRuns(db, filter),
    getRun: (id) => getRun(db, id),
    getScreenshot: (runId, attempt) => getScreenshot(db, runId, attempt),
    lastRunPerJourneyTenant: () => lastRunPerJourneyTenant(db),
    pauseSchedule: (id, at, author, reason) => pauseSchedule(db, id, at, author, reason),
    resumeSchedule: (id, at, author) => resumeSchedule(db, id, at, author),
    listPauses: (filter) => listPauses(db, filter),
    insertRunsBatch: (runs) => insertRunsBatch(db, runs),
    importSchoolCalendar: (input) => importSchoolCalendar(db, input),
    listSchoolCalendars: (location) => listSchoolCalendars(db, location),
    addCorrection: (input) => addCorrection(db, input),
    withdrawCorrection: (id, input) => withdrawCorrection(db, id, input),
    listCorrections: (filter) => listCorrections(db, filter),
    addIncident: (input) => addIncident(db, input),
    listIncidents: (filter) => listIncidents(db, filter),
    appendAudit: (entry) => appendAudit(db, entry),
    listAudit: (filter) => listAudit(db, filter),
    listScheduledRuns: (ids, from, to) => listScheduledRuns(db, ids, from, to),
    listPassingRunSteps: (ids, names, from, to) => listPassingRunSteps(db, ids, names, from, to),
    listRevisionsInForce: (from, to) => listRevisionsInForce(db, from, to),
    latestRevision: (before) => latestRevision(db, before),
    firstSeenTimes: () => firstSeenTimes(db),
    close: () => db.close(),
  };
}
