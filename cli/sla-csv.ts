import type { SlaReport } from '../engine/index.js';

const CSV_COLUMNS = ['clause', 'journey', 'target', 'tenant', 'probed', 'figures', 'availability_percent', 'coverage_percent', 'pessimistic_percent', 'counted_min', 'up_min', 'degraded_min', 'down_min', 'unknown_min', 'excluded_min', 'maintenance_min', 'correction_min', 'not_monitored_min', 'expected_slots', 'executed_slots', 'missed_slots', 'adherence_percent'] as const;

const WINDOW_COLUMNS = ['clause', 'window', 'mode', 'start', 'end', 'announced_at', 'notice_min', 'late', 'excluded'] as const;

const LOCATION_COLUMNS = ['clause', 'location', 'kind', 'up_slots', 'degraded_slots', 'down_slots', 'error_slots', 'local_network_slots', 'missed_slots', 'paused_slots', 'maintenance_slots', 'reachability_percent'] as const;

/** Minutes as the table prints them: 2 decimals (a period cut inside a minute gives thirds of minutes). */
const minutes = (v: number) => Math.round(v * 100) / 100;

/**
 * The figures table: one CSV row per clause × series × (raw, corrected), plus the pooled scope (`tenant` = `*`) and,
 * with `--by tenant`, each establishment (`journey` = `*`), with the schedule adherence (location-slots expected,
 * executed, missed) of each row's scope. Numbers are rounded as the table: percentages 4 decimals (the JSON's),
 * minutes 2; decimal point, instants ISO UTC (a spreadsheet's input, not a reader's).
 * Then, after one empty line, the maintenance windows table with its own header
 * (`clause,window,mode,start,end,announced_at,notice_min,late,excluded`): one row per window applied in a clause,
 * `announced_at` empty when no stored revision ever held it. Then, after another empty line, the locations table
 * (`clause,location,kind,…,reachability_percent`): location-slots by result per probe location. Both tables are
 * always there (header only when empty), so a reader can split on empty lines.
 */
export function formatSlaCsv(report: SlaReport): string {
  const rows: string[] = [CSV_COLUMNS.join(',')];
  const cell = (v: unknown) => (v === null || v === undefined ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  for (const c of report.clauses) {
    const tenants = (c.byTenant ?? []).map((t) => ({ journey: '*', target: '*', tenant: t.tenant, probed: t.probed, raw: t.raw, corrected: t.corrected, schedule: t.schedule }));
    const scopes = [{ journey: '*', target: '*', tenant: '*', probed: '', raw: c.raw, corrected: c.corrected, schedule: c.schedule }, ...tenants, ...c.series];
    for (const s of scopes) {
      for (const kind of ['raw', 'corrected'] as const) {
        const f = s[kind];
        const m = f.sums;
        const mins = [m.countedMinutes, m.upMinutes, m.degradedMinutes, m.downMinutes, m.unknownMinutes, m.excludedMinutes, m.maintenanceMinutes, m.correctionMinutes, m.notMonitoredMinutes].map(minutes);
        rows.push([c.id, s.journey, s.target, s.tenant, s.probed, kind, f.figures.availabilityPercent, f.figures.coveragePercent, f.figures.pessimisticPercent, ...mins, s.schedule.expectedSlots, s.schedule.executedSlots, s.schedule.missedSlots, s.schedule.adherencePercent].map(cell).join(','));
      }
    }
  }
  rows.push('', WINDOW_COLUMNS.join(','));
  for (const c of report.clauses) {
    for (const w of c.maintenanceWindows) rows.push([c.id, w.id, w.mode, w.start, w.end, w.announcedAt, w.noticeMinutes, w.late, w.excluded].map(cell).join(','));
  }
  rows.push('', LOCATION_COLUMNS.join(','));
  for (const c of report.clauses) {
    for (const l of c.locations) rows.push([c.id, l.id, l.kind, l.up, l.degraded, l.down, l.error, l.localNetwork, l.missed, l.paused, l.maintenance, l.reachabilityPercent].map(cell).join(','));
  }
  return rows.join('\n');
}
