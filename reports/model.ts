import { DateTime } from 'luxon';
import { VigieError } from '../core/errors.js';
import type { Lang } from '../core/text-format.js';
import type { ClauseOutput, SlaReport } from '../engine/index.js';
import { labels, type ReportLabels } from './labels.js';
import { longDateTime, periodTitle } from './format.js';
import { methodParagraphs } from './method.js';
import { clauseSections, chronologySection, journeySection } from './model-sections.js';
import { cols, type Audience, type Cell, type Headline, type ReportModel, type ReportSection, type ReportTable } from './types.js';

/** What {@link buildReportModel} needs. */
export interface BuildReportInput {
  /** The SLA engine's report of the period, asked with `by: 'tenant'` and `daily: true` (and `tenant` for one school). */
  report: SlaReport;
  /** The same report for the previous period (comparison section), or null. */
  previous?: SlaReport | null;
  audience: Audience;
  /** UAI of an `establishment` report (the SLA report must have been asked for it alone). */
  tenant?: string;
  lang: Lang;
  vigieVersion: string;
}

/** Context the section builders share. */
export interface ModelContext {
  report: SlaReport;
  lang: Lang;
  l: ReportLabels;
  zone: string;
  audience: Audience;
  /** Local ISO instant with offset (`2026-10-05T08:20:00+02:00`): what every model instant is. */
  local: (iso: string | null) => string | null;
  /** Name of an establishment, `UAI` when unknown. */
  nameOf: (uai: string) => string;
}

/**
 * The report model of a contract over a period (issue 11): cover, headline figures per clause, then sections — per
 * clause (establishments, heat map, daily table, parties), latency, incident chronology, security (logouts), vie
 * scolaire (roll call), maintenance, corrections and observations, establishments, schedule adherence, comparison
 * with the previous period, method. The `union` audience puts the chronology first; an `establishment` report holds
 * only that establishment's data (the SLA report was asked for it alone; corrections and declared incidents scoped
 * to other establishments are left out).
 * @throws VigieError `VALIDATION` when an establishment report is asked without its UAI or from a report holding
 *   other establishments.
 */
export function buildReportModel(input: BuildReportInput): ReportModel {
  const { report, lang, audience } = input;
  const l = labels(lang);
  const zone = report.contract.timezone;
  if (audience === 'establishment') {
    if (!input.tenant) throw new VigieError('VALIDATION', 'tenant: un rapport d’établissement demande son UAI / an establishment report needs its UAI');
    const others = report.tenants.filter((t) => t.uai !== input.tenant);
    if (others.length > 0 || report.clauses.some((c) => c.series.some((s) => s.tenant !== input.tenant))) {
      throw new VigieError('VALIDATION', `tenant: le rapport SLA contient d'autres établissements que ${input.tenant} / the SLA report holds other schools than ${input.tenant}`);
    }
  }
  const names = new Map(report.tenants.map((t) => [t.uai, t.name]));
  const ctx: ModelContext = {
    report: audience === 'establishment' ? onlyTenant(report, input.tenant!) : report,
    lang,
    l,
    zone,
    audience,
    local: (iso) => (iso === null ? null : DateTime.fromISO(iso, { zone }).toISO({ suppressMilliseconds: true })),
    nameOf: (uai) => names.get(uai) ?? uai,
  };
  const headlines = ctx.report.clauses.map((c) => headline(c, l));
  const to = Date.parse(report.period.to);
  const end = Math.max(...report.clauses.map((c) => Date.parse(c.to)), Date.parse(report.period.from));
  const summary: ReportSection = { id: 'summary', title: l.summary, paragraphs: summaryNotes(ctx, end < to ? end : null), tables: [summaryTable(ctx, headlines)], heatMaps: [] };
  const chronology = chronologySection(ctx);
  const sections: ReportSection[] = [
    ...(audience === 'union' ? [chronology, summary] : [summary]),
    ...(input.previous ? [previousSection(ctx, input.previous)] : []),
    ...clauseSections(ctx),
    ...(audience === 'union' ? [] : [chronology]),
    journeySection(ctx, 'security'),
    journeySection(ctx, 'vie-scolaire'),
    maintenanceSection(ctx),
    correctionsSection(ctx),
    establishmentsSection(ctx),
    { id: 'method', title: l.method, paragraphs: methodParagraphs(lang), tables: [], heatMaps: [] },
  ];
  const est = audience === 'establishment' ? { uai: input.tenant!, name: ctx.nameOf(input.tenant!) } : null;
  return {
    schema: 'vigie-report/1',
    lang,
    audience,
    title: l.title[audience],
    contract: report.contract,
    period: { label: report.period.label, title: periodTitle(report.period.label, ctx.local(report.period.from)!, ctx.local(report.period.to)!, lang), from: ctx.local(report.period.from)!, to: ctx.local(report.period.to)!, inProgress: end < to },
    generatedAt: ctx.local(report.generatedAt)!,
    vigieVersion: input.vigieVersion,
    establishment: est,
    revisions: report.revisions,
    headlines,
    sections,
  };
}

/** The report with only what concerns `uai`: corrections and declared incidents scoped to others left out. */
function onlyTenant(report: SlaReport, uai: string): SlaReport {
  const mine = (scope: { tenants?: string[] }) => scope.tenants === undefined || scope.tenants.length === 0 || scope.tenants.includes(uai);
  return { ...report, corrections: report.corrections.filter((c) => mine(c.scope)), incidents: report.incidents.filter((i) => mine(i.scope)) };
}

function headline(c: ClauseOutput, l: ReportLabels): Headline {
  const a = c.corrected.figures.availabilityPercent;
  const verdict = a === null ? 'no-data' : a >= c.targetPercent ? 'met' : 'missed';
  return {
    clause: c.id,
    name: c.name,
    targetPercent: c.targetPercent,
    availabilityPercent: a,
    coveragePercent: c.corrected.figures.coveragePercent,
    verdict,
    // A verdict resting on little observation says so (the summary's note explains it).
    verdictLabel: `${verdict === 'met' ? l.met : verdict === 'missed' ? l.missed : l.noData}${c.corrected.figures.lowCoverage ? ` (${l.lowCoverageShort})` : ''}`,
    penaltyTotal: c.penalties ? c.penalties.total : null,
  };
}

function summaryTable(ctx: ModelContext, headlines: Headline[]): ReportTable {
  const { l } = ctx;
  return {
    id: 'summary',
    title: l.summary,
    columns: cols(
      ['clause', l.clause, 'text'],
      ['target_percent', l.target, 'percent'],
      ['availability_percent', l.measured, 'percent'],
      ['raw_availability_percent', l.raw, 'percent'],
      ['coverage_percent', l.coverage, 'percent'],
      ['verdict', l.verdict, 'text'],
      ['penalty', `${l.penalty} (${ctx.report.contract.currency})`, 'money'],
    ),
    rows: ctx.report.clauses.map((c, i): Cell[] => {
      const h = headlines[i]!;
      return [c.name, c.targetPercent, h.availabilityPercent, c.raw.figures.availabilityPercent, h.coveragePercent, h.verdictLabel, h.penaltyTotal];
    }),
  };
}

function summaryNotes(ctx: ModelContext, stoppedAt: number | null): string[] {
  const { l } = ctx;
  const notes: string[] = [];
  if (stoppedAt !== null) notes.push(`${l.inProgress} ${longDateTime(ctx.local(new Date(stoppedAt).toISOString())!, ctx.lang)}.`);
  for (const c of ctx.report.clauses) {
    if (c.corrected.figures.lowCoverage) notes.push(`${c.name} — ${l.lowCoverage}`);
    if (c.calendarMissing.length > 0) notes.push(`${c.name} — ${l.calendarMissing} : ${c.calendarMissing.join(', ')}.`);
    if (c.penalties) for (const line of c.penalties.lines) notes.push(`${c.name} — ${ctx.lang === 'fr' ? line.label : line.labelEn}`);
  }
  return notes;
}

function previousSection(ctx: ModelContext, previous: SlaReport): ReportSection {
  const { l } = ctx;
  const before = new Map(previous.clauses.map((c) => [c.id, c.corrected.figures.availabilityPercent]));
  const table: ReportTable = {
    id: 'previous',
    title: l.previous,
    columns: cols(
      ['clause', l.clause, 'text'],
      ['previous_percent', `${l.previousPeriod} (${previous.period.label})`, 'percent'],
      ['current_percent', `${l.current} (${ctx.report.period.label})`, 'percent'],
      ['delta_points', l.delta, 'points'],
    ),
    rows: ctx.report.clauses.map((c) => {
      const a = c.corrected.figures.availabilityPercent;
      const b = before.get(c.id) ?? null;
      return [c.name, b, a, a === null || b === null ? null : Math.round((a - b) * 1e4) / 1e4];
    }),
  };
  return { id: 'previous', title: l.previous, paragraphs: [], tables: [table], heatMaps: [] };
}

function maintenanceSection(ctx: ModelContext): ReportSection {
  const { l } = ctx;
  const rows = ctx.report.clauses.flatMap((c) => c.maintenanceWindows.map((w): Cell[] => [c.name, w.id, l.modes[w.mode] ?? w.mode, ctx.local(w.start), ctx.local(w.end), ctx.local(w.announcedAt), w.noticeMinutes, w.late ? l.yes : l.no]));
  const columns = cols(
    ['clause', l.clause, 'text'],
    ['window', l.window, 'text'],
    ['mode', l.mode, 'text'],
    ['start', l.start, 'datetime'],
    ['end', l.end, 'datetime'],
    ['announced_at', l.announcedAt, 'datetime'],
    ['notice_min', l.notice, 'minutes'],
    ['late', l.late, 'text'],
  );
  return { id: 'maintenance', title: l.maintenance, paragraphs: [], tables: [{ id: 'maintenance', title: l.maintenance, columns, rows }], heatMaps: [] };
}

function correctionsSection(ctx: ModelContext): ReportSection {
  const { l } = ctx;
  const rows: Cell[][] = [
    ...ctx.report.corrections.map((c): Cell[] => [l.correction, ctx.local(c.start), ctx.local(c.end), c.reason, c.author, ctx.local(c.createdAt), ctx.local(c.withdrawnAt)]),
    ...ctx.report.incidents.map((i): Cell[] => [l.manualIncident, ctx.local(i.start), ctx.local(i.end), i.description, i.author, ctx.local(i.createdAt), null]),
  ].sort((a, b) => String(a[1]).localeCompare(String(b[1])));
  const columns = cols(
    ['kind', l.kind, 'text'],
    ['start', l.start, 'datetime'],
    ['end', l.end, 'datetime'],
    ['reason', l.reason, 'text'],
    ['author', l.author, 'text'],
    ['recorded_at', l.recordedAt, 'datetime'],
    ['withdrawn_at', l.withdrawn, 'datetime'],
  );
  return { id: 'corrections', title: l.corrections, paragraphs: [], tables: [{ id: 'corrections', title: l.corrections, columns, rows }], heatMaps: [] };
}

function establishmentsSection(ctx: ModelContext): ReportSection {
  const { l, report } = ctx;
  const probed = new Set(report.clauses.flatMap((c) => c.tenants.probed));
  const rows = report.tenants.map((t): Cell[] => [t.uai, t.name, probed.has(t.uai) ? l.yes : l.covered, ctx.local(t.monitoredSince) ?? l.never]);
  const columns = cols(
    ['uai', l.uai, 'text'],
    ['name', l.establishment, 'text'],
    ['probed', l.probed, 'text'],
    ['monitored_since', l.monitoredSince, 'datetime'],
  );
  const adherence: ReportTable = {
    id: 'adherence',
    title: l.adherence,
    columns: cols(
      ['clause', l.clause, 'text'],
      ['location', l.location, 'text'],
      ['expected_slots', l.expected, 'count'],
      ['executed_slots', l.executed, 'count'],
      ['missed_slots', l.missedSlots, 'count'],
      ['paused_slots', l.paused, 'count'],
      ['adherence_percent', l.adherencePercent, 'percent'],
      ['reachability_percent', l.reachability, 'percent'],
    ),
    rows: report.clauses.flatMap((c) => [
      [c.name, l.allLocations, c.schedule.expectedSlots, c.schedule.executedSlots, c.schedule.missedSlots, c.schedule.pausedSlots, c.schedule.adherencePercent, c.reachabilityPercent] as Cell[],
      ...c.locations.map((loc): Cell[] => [c.name, `${loc.id} (${loc.kind === 'reference' ? l.reference : l.inSchool})`, null, loc.up + loc.degraded + loc.down + loc.error + loc.localNetwork, loc.missed, loc.paused, null, loc.reachabilityPercent]),
    ]),
  };
  return { id: 'establishments', title: l.establishments, paragraphs: [], tables: [{ id: 'establishments', title: l.establishments, columns, rows }, adherence], heatMaps: [] };
}
