import type { RunResult } from '../core/run-types.js';
import type { SchoolCalendar } from '../core/calendar/school-calendar.js';
import type { Db } from './db.js';
import { migrate, readMigrations, type Migration } from './migrate.js';
import { getRevision, saveRevision, type ConfigRevision, type RevisionImport } from './revisions.js';
import { getRun, getScreenshot, hasRun, lastRunPerJourneyTenant, listRuns } from './run-reader.js';
import type { LastRun, RunDetail, RunFilter, RunPage } from './run-views.js';
import { insertRun, type InsertRunOutcome } from './run-writer.js';
import { listOpenPauses, listPauses, pauseSchedule, resumeSchedule, type SchedulePause } from './pauses.js';
import { appendAudit, listAudit, type AuditEntry, type AuditFilter } from './audit.js';
import { createAlertRepository, type AlertRepository } from './alerts.js';
import { addCorrection, addIncident, listCorrections, listIncidents, withdrawCorrection, type ManualIncident, type SlaScope, type StoredCorrection } from './corrections.js';
import { importSchoolCalendar, listSchoolCalendars, type StoredSchoolCalendar } from './school-calendars.js';
import { firstSeenTimes, latestRevision, listPassingRunSteps, listRevisionsInForce, listScheduledRuns, type FirstSeenTimes, type SlaRun, type SlaStep } from './sla-queries.js';
import { insertRunsBatch, type BatchInsertOutcome } from './run-import.js';
import { importRunFile, type RunFileImport, type RunFileOutcome } from './run-import-file.js';

/**
 * Vigie's storage, one repository per capability (CONVENTIONS.md "Ports and adapters"), written once over {@link Db}
 * and used identically on PostgreSQL and PGlite. A consumer asks only for the repositories it uses
 * (`Pick<Store, 'runs' | 'pauses'>`), so each part's dependency on storage is visible in its signature. Each method's
 * contract is on the function it delegates to (run-writer.ts, run-reader.ts, revisions.ts, pauses.ts, …).
 */
export interface Store {
  revisions: RevisionRepository;
  runs: RunRepository;
  pauses: PauseRepository;
  calendars: SchoolCalendarRepository;
  corrections: CorrectionRepository;
  incidents: ManualIncidentRepository;
  audit: AuditRepository;
  /** Alert incidents, the evaluator's state and the notice outbox; alerts.ts. */
  alerts: AlertRepository;
  /** Applies pending migrations; returns the names applied (empty when up to date). */
  migrate(): Promise<{ applied: string[] }>;
  /** Closes the underlying Db. */
  close(): Promise<void>;
}

/** Config revisions (DESIGN.md §5 "Config revisions"); revisions.ts, sla-queries.ts. */
export interface RevisionRepository {
  /** Stores a dated config revision; `imported` marks one of `vigie import` (who, when it ran). */
  save(snapshot: unknown, createdAt: Date, imported?: RevisionImport): Promise<{ id: number; contentSha256: string }>;
  get(id: number): Promise<ConfigRevision | null>;
  /** The latest revision created before `before` (default: any), or null. */
  latest(before?: Date): Promise<ConfigRevision | null>;
  /** The revisions in force during `[from, to)`, oldest first. */
  listInForce(from: Date, to: Date): Promise<ConfigRevision[]>;
  /** When each tenant, schedule and maintenance window first appeared in a revision. */
  firstSeenTimes(): Promise<FirstSeenTimes>;
}

/** Runs with their attempts, steps and evidence; run-writer.ts, run-import.ts, run-reader.ts, sla-queries.ts. */
export interface RunRepository {
  /** Run + attempts + steps + evidence in one transaction; `{ inserted: false }` for a slot that has a result. */
  insert(run: RunResult): Promise<InsertRunOutcome>;
  /** Many runs in one transaction (historical import). */
  insertBatch(runs: readonly RunResult[]): Promise<BatchInsertOutcome>;
  /** One import file all-or-nothing: revision, every batch and the audit entry in one transaction. */
  importFile(input: RunFileImport): Promise<RunFileOutcome>;
  /** Scheduled results refused as duplicates by this repository since it was created (for a metric). */
  duplicateRejections(): number;
  has(scheduleId: string, location: string, scheduledAt: Date): Promise<boolean>;
  list(filter?: RunFilter): Promise<RunPage>;
  get(id: number): Promise<RunDetail | null>;
  screenshot(runId: number, attempt: number): Promise<Uint8Array | null>;
  lastPerJourneyTenant(): Promise<LastRun[]>;
  /** Scheduled runs of some schedules with a slot in `[from, to)`, in no particular order (the SLA engine keys them by slot). */
  listScheduled(scheduleIds: readonly string[], from: Date, to: Date): Promise<SlaRun[]>;
  /** Named steps of the last attempt of passing scheduled runs (latency objectives per step). */
  listPassingSteps(scheduleIds: readonly string[], names: readonly string[], from: Date, to: Date): Promise<SlaStep[]>;
}

/** Operator pauses of schedules; pauses.ts. */
export interface PauseRepository {
  pause(scheduleId: string, at: Date, author: string, reason?: string): Promise<SchedulePause>;
  resume(scheduleId: string, at: Date, author: string): Promise<SchedulePause>;
  list(filter?: { scheduleId?: string; from?: Date; to?: Date }): Promise<SchedulePause[]>;
  /** Pauses still open (not resumed), oldest first: what the running scheduler checks before each slot. */
  listOpen(): Promise<SchedulePause[]>;
}

/** Imported school calendars; school-calendars.ts. */
export interface SchoolCalendarRepository {
  /** Stores an imported school calendar (idempotent per location and content). */
  import(input: { location: string; source: string; calendar: SchoolCalendar; at: Date; actor: string }): Promise<{ inserted: boolean; calendar: StoredSchoolCalendar }>;
  list(location?: string): Promise<StoredSchoolCalendar[]>;
}

/** Corrections (periods excluded after the fact); corrections.ts. Each write adds an audit entry. */
export interface CorrectionRepository {
  add(input: { start: Date; end: Date; scope?: SlaScope; reason: string; author: string; at: Date }): Promise<StoredCorrection>;
  withdraw(id: number, input: { author: string; reason?: string; at: Date }): Promise<StoredCorrection>;
  list(filter?: { from?: Date; to?: Date }): Promise<StoredCorrection[]>;
}

/** Incidents declared by hand (in chronologies, never in figures); corrections.ts. */
export interface ManualIncidentRepository {
  add(input: { start: Date; end?: Date | null; scope?: SlaScope; description: string; author: string; at: Date }): Promise<ManualIncident>;
  list(filter?: { from?: Date; to?: Date }): Promise<ManualIncident[]>;
}

/** The audit trail; audit.ts. */
export interface AuditRepository {
  append(entry: { at: Date; actor: string; action: string; subject?: string | null; details?: Record<string, unknown> }): Promise<void>;
  list(filter?: AuditFilter): Promise<AuditEntry[]>;
}

/** Options of {@link createStore}. */
export interface StoreOptions {
  /** Migrations to apply (default: the files of db/migrations). */
  migrations?: Migration[];
}

/** Builds the store over an open {@link Db} (from `createPgDb` or `createPgliteDb`); the store owns it from now on. */
export function createStore(db: Db, opts: StoreOptions = {}): Store {
  let duplicates = 0;
  return {
    revisions: {
      save: (snapshot, createdAt, imported) => saveRevision(db, snapshot, createdAt, imported),
      get: (id) => getRevision(db, id),
      latest: (before) => latestRevision(db, before),
      listInForce: (from, to) => listRevisionsInForce(db, from, to),
      firstSeenTimes: () => firstSeenTimes(db),
    },
    runs: {
      async insert(run) {
        const outcome = await insertRun(db, run);
        if (!outcome.inserted) duplicates += 1;
        return outcome;
      },
      insertBatch: (runs) => insertRunsBatch(db, runs),
      importFile: (input) => importRunFile(db, input),
      duplicateRejections: () => duplicates,
      has: (scheduleId, location, scheduledAt) => hasRun(db, scheduleId, location, scheduledAt),
      list: (filter) => listRuns(db, filter),
      get: (id) => getRun(db, id),
      screenshot: (runId, attempt) => getScreenshot(db, runId, attempt),
      lastPerJourneyTenant: () => lastRunPerJourneyTenant(db),
      listScheduled: (ids, from, to) => listScheduledRuns(db, ids, from, to),
      listPassingSteps: (ids, names, from, to) => listPassingRunSteps(db, ids, names, from, to),
    },
    pauses: {
      pause: (id, at, author, reason) => pauseSchedule(db, id, at, author, reason),
      resume: (id, at, author) => resumeSchedule(db, id, at, author),
      list: (filter) => listPauses(db, filter),
      listOpen: () => listOpenPauses(db),
    },
    calendars: {
      import: (input) => importSchoolCalendar(db, input),
      list: (location) => listSchoolCalendars(db, location),
    },
    corrections: {
      add: (input) => addCorrection(db, input),
      withdraw: (id, input) => withdrawCorrection(db, id, input),
      list: (filter) => listCorrections(db, filter),
    },
    incidents: {
      add: (input) => addIncident(db, input),
      list: (filter) => listIncidents(db, filter),
    },
    audit: {
      append: (entry) => appendAudit(db, entry),
      list: (filter) => listAudit(db, filter),
    },
    alerts: createAlertRepository(db),
    migrate: () => migrate(db, opts.migrations ?? readMigrations()),
    close: () => db.close(),
  };
}
