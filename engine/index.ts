/**
 * Public API of the SLA engine (DESIGN.md §4 `engine/`): it reads revisions, runs, pauses, calendars and corrections,
 * builds each series' slot states once ({@link loadSeries}), and computes SLA reports, the current status and the slot
 * stream alerts evaluate. Other folders import from here.
 */
export { createEngine, createSources, jsonString, parseJson, STATUS_TTL_MS, type EngineComputations, type EngineOptions, type EngineStore, type JsonText } from './engine.js';
export { createEngineThread, type EngineThreadOptions, type EngineDbSpec } from './thread/host.js';
export { computeSlaReport, type SlaRequest, type SlaSources } from './sla-report.js';
export { computeStatus, STATUS_WINDOW_MS, type StatusReport, type StatusRow } from './status.js';
export { streamSlots, type SeriesSlots, type SlotStreamRequest } from './slot-stream.js';
export { loadSeries, type EngineSources, type LoadedSeries, type Series, type SeriesFilter, type SeriesPeriod } from './load-series.js';
export { createSlaInputs, instantIn, type SlaInputs } from './inputs.js';
export { resolvePeriod, periodOf, type PeriodSpec } from './period.js';
export { calendarZone, calendarsByLocation, createCalendarSource, mergeCalendars, parseCalendarFile, SHIPPED_CALENDAR_DIR, type CalendarSource } from './calendars.js';
export { round4, roundPercents, toClauseOutput, type ClauseOutput, type FigureOutput, type SlaReport } from './output.js';
export type { DayOutput } from './daily.js';
export { BURN_WINDOWS, computeBudgets, windowBurnRate, type BurnWindow, type ClauseBudget } from './budgets.js';
export { assertScope, knownScopeIds, SCOPE_KEYS, type ScopeKey } from './scope.js';
export { createRevisionReader, findContract, schedulesOf, type ParsedRevision, type RevisionReader, type SeriesInfo } from './revisions.js';
export * from './schemas.js';
export * from './alert-schemas.js';
