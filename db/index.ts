/**
 * Public API of the storage layer (DESIGN.md §4, §6). Other folders import from here: the executor and its two
 * adapters, the data-folder lock, migrations and the store.
 */
export { classifyDbError, isConnectionError, SETUP_SQLSTATE, sqlStateOf, type Db, type QueryResult } from './db.js';
export { createPgDb, type PgDbOptions } from './pg-db.js';
export { createPgliteChannelDb, createPgliteDb, PgliteQueryError, type PgliteDb } from './pglite-db.js';
export { openEmbeddedDb, PGLITE_SUBDIR } from './embedded-db.js';
export { lockDataDir, readLockOwner, type LockDataDirOptions, type LockOwner } from './data-dir-lock.js';
export { migrate, readMigrations, MIGRATIONS_DIR, type Migration } from './migrate.js';
export {
  createStore,
  type AuditRepository,
  type CorrectionRepository,
  type ManualIncidentRepository,
  type PauseRepository,
  type RevisionRepository,
  type RunRepository,
  type SchoolCalendarRepository,
  type Store,
  type StoreOptions,
} from './store.js';
export { canonicalJson, revisionContentSha256, type ConfigRevision, type RevisionImport } from './revisions.js';
export type { InsertRunOutcome } from './run-writer.js';
export { createStoreResultWriter } from './result-writer.js';
export type * from './run-views.js';
export type { SchedulePause } from './pauses.js';
export type { AuditEntry, AuditFilter } from './audit.js';
export { noticeMessageId, type AlertIncident, type AlertNotice, type AlertRepository, type Recipient, type SeriesAlertState, type SeriesEvaluation } from './alerts.js';
export type { RoutedSeries, RoutingInput, RoutingSummary } from './alert-routing.js';
export type { FailedDelivery, InternalCondition, InternalKind, InternalSummary, OfflineStoreAlert } from './alert-internal.js';
export type { AlertNote } from './alert-notes.js';
export type { DigestEntry } from './alert-digest.js';
export type { ManualIncident, SlaScope, StoredCorrection } from './corrections.js';
export { normalizeCalendarLocation, type StoredSchoolCalendar } from './school-calendars.js';
export { windowKey, type FirstSeenTimes, type SlaRun, type SlaStep } from './sla-queries.js';
export type { BatchInsertOutcome } from './run-import.js';
export type { RunFileImport, RunFileOutcome } from './run-import-file.js';
