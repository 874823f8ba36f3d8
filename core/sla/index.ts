/**
 * Public API of the SLA engine (DESIGN.md §5). Pure functions: everything is passed in, `now` included.
 * See README.md beside this file for the method, in French and English.
 */
export * from './types.js';
export * from './slot-states.js';
export * from './maintenance.js';
export * from './schedule-slots.js';
export * from './timeline.js';
export * from './minutes.js';
export * from './figures.js';
export * from './bucket-figures.js';
export * from './data-gaps.js';
export * from './episodes.js';
export * from './incidents.js';
export * from './current-state.js';
export * from './latency.js';
export * from './penalties.js';
export * from './corrections.js';
export * from './compute-clause.js';
export * from './adherence.js';
export * from '../calendar/intervals.js';
export * from '../calendar/local-time.js';
export * from '../calendar/service-hours.js';
export * from '../calendar/public-holidays.js';
export * from '../calendar/school-calendar.js';
export * from '../calendar/clause-calendar.js';
export * from '../calendar/buckets.js';
export * from './freshness.js';
export * from './flapping.js';
export * from './quiet-hours.js';
