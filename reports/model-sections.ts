import type { ClauseOutput } from '../engine/index.js';
import type { ModelContext } from './model.js';
import type { Cell, Column, HeatMap, ReportSection, ReportTable } from './types.js';

/** Minutes as tables print them: 2 decimals (a period cut inside a minute gives fractions). */
const min2 = (v: number) => Math.round(v * 100) / 100;

/** One section per clause: availability per establishment, calendar heat map, daily table, down minutes by party, latency. */
export function clauseSections(ctx: ModelContext): ReportSection[] {
  return ctx.report.clauses.map((c) => ({
    id: `clause-${c.id}`,
    title: `${ctx.l.clause} ${c.name}`,
    paragraphs: [],
    tables: [tenantTable(ctx, c), dailyTable(ctx, c), partyTable(ctx, c), latencyTable(ctx, c)].filter((t): t is ReportTable => t !== null),
    heatMaps: c.daily ? [heatMap(ctx, c)] : [],
  }));
}

function tenantTable(ctx: ModelContext, c: ClauseOutput): ReportTable | null {
  const { l } = ctx;
  if (!c.byTenant) return null;
  return {
    id: `${c.id}-establishments`,
    title: `${l.byEstablishment} — ${c.name}`,
    columns: [
      { key: 'uai', label: l.uai, kind: 'text' },
      { key: 'name', label: l.establishment, kind: 'text' },
      { key: 'availability_percent', label: l.measured, kind: 'percent' },
      { key: 'coverage_percent', label: l.coverage, kind: 'percent' },
      { key: 'down_min', label: l.down, kind: 'minutes' },
      { key: 'counted_min', label: l.counted, kind: 'minutes' },
    ],
    rows: c.byTenant.map((t): Cell[] => [t.tenant, ctx.nameOf(t.tenant), t.corrected.figures.availabilityPercent, t.corrected.figures.coveragePercent, min2(t.corrected.sums.downMinutes), min2(t.corrected.sums.countedMinutes)]),
  };
}

const SUM_KEYS = ['countedMinutes', 'upMinutes', 'downMinutes', 'unknownMinutes', 'excludedMinutes', 'notMonitoredMinutes'] as const;

/** The days of the period, corrected figures; the total row is the period's own sums (the days add up to them). */
function dailyTable(ctx: ModelContext, c: ClauseOutput): ReportTable | null {
  const { l } = ctx;
  if (!c.daily) return null;
  const columns: Column[] = [
    { key: 'date', label: l.day, kind: 'date' },
    { key: 'counted_min', label: l.counted, kind: 'minutes' },
    { key: 'up_min', label: l.up, kind: 'minutes' },
    { key: 'down_min', label: l.down, kind: 'minutes' },
    { key: 'unknown_min', label: l.unknown, kind: 'minutes' },
    { key: 'excluded_min', label: l.excluded, kind: 'minutes' },
    { key: 'not_monitored_min', label: l.notMonitored, kind: 'minutes' },
    { key: 'availability_percent', label: l.measured, kind: 'percent' },
    { key: 'coverage_percent', label: l.coverage, kind: 'percent' },
  ];
  const row = (label: string, f: ClauseOutput['corrected']): Cell[] => [label, ...SUM_KEYS.map((k) => min2(f.sums[k])), f.figures.availabilityPercent, f.figures.coveragePercent];
  return { id: `${c.id}-daily`, title: `${l.daily} — ${c.name}`, columns, rows: c.daily.map((d) => row(d.date, d.corrected)), total: row(l.total, c.corrected) };
}

function heatMap(ctx: ModelContext, c: ClauseOutput): HeatMap {
  const days = c.daily!;
  const tenants = [...new Set(days.flatMap((d) => Object.keys(d.tenants)))].sort();
  return {
    id: `${c.id}-heatmap`,
    title: `${ctx.l.heatMap} — ${c.name}`,
    days: days.map((d) => d.date),
    rows: tenants.map((t) => ({ label: ctx.audience === 'establishment' ? c.name : `${ctx.nameOf(t)} (${t})`, values: days.map((d) => d.tenants[t]?.figures.availabilityPercent ?? null) })),
    targetPercent: c.targetPercent,
  };
}

function partyTable(ctx: ModelContext, c: ClauseOutput): ReportTable {
  const { l } = ctx;
  const parties = Object.keys(c.raw.sums.downByParty).sort();
  return {
    id: `${c.id}-parties`,
    title: `${l.parties} — ${c.name}`,
    columns: [
      { key: 'party', label: l.party, kind: 'text' },
      { key: 'down_min', label: l.down, kind: 'minutes' },
      { key: 'counted', label: l.counts, kind: 'text' },
    ],
    rows: parties.map((p): Cell[] => [l.partyNames[p] ?? p, min2(c.raw.sums.downByParty[p as keyof typeof c.raw.sums.downByParty] ?? 0), c.parties.includes(p) ? l.yes : l.no]),
  };
}

function latencyTable(ctx: ModelContext, c: ClauseOutput): ReportTable | null {
  const { l } = ctx;
  const rows: Cell[][] = [];
  for (const [journey, lat] of Object.entries(c.latency)) {
    const one = (step: string, f: (typeof lat)['journey']): Cell[] => [journey, step, f.thresholdMs, f.samples, f.attainmentPercent, f.targetPercent, f.p50Ms, f.p95Ms, f.p99Ms];
    rows.push(one('*', lat.journey));
    for (const [step, f] of Object.entries(lat.steps)) rows.push(one(step, f));
  }
  if (rows.length === 0) return null;
  return {
    id: `${c.id}-latency`,
    title: `${l.latency} — ${c.name}`,
    columns: [
      { key: 'journey', label: l.journey, kind: 'text' },
      { key: 'step', label: l.step, kind: 'text' },
      { key: 'threshold_ms', label: l.threshold, kind: 'count' },
      { key: 'runs', label: l.runs, kind: 'count' },
      { key: 'attainment_percent', label: l.attainment, kind: 'percent' },
      { key: 'target_percent', label: l.target, kind: 'percent' },
      { key: 'p50_ms', label: 'p50 (ms)', kind: 'count' },
      { key: 'p95_ms', label: 'p95 (ms)', kind: 'count' },
      { key: 'p99_ms', label: 'p99 (ms)', kind: 'count' },
    ],
    rows,
  };
}

function chronologyColumns(ctx: ModelContext): Column[] {
  const { l } = ctx;
  return [
    { key: 'start', label: l.start, kind: 'datetime' },
    { key: 'end', label: l.end, kind: 'datetime' },
    { key: 'clause', label: l.clause, kind: 'text' },
    { key: 'journey', label: l.journey, kind: 'text' },
    { key: 'establishment', label: l.establishment, kind: 'text' },
    { key: 'gtr_min', label: l.gtr, kind: 'minutes' },
    { key: 'elapsed_min', label: l.elapsed, kind: 'minutes' },
    { key: 'gtr_limit_min', label: l.gtrLimit, kind: 'minutes' },
    { key: 'over_limit', label: l.overLimit, kind: 'text' },
    { key: 'severity', label: l.severity, kind: 'text' },
    { key: 'source', label: l.source, kind: 'text' },
  ];
}

/** Outage episodes of every clause and the incidents declared by hand (marked as such), in time order. */
function chronologyRows(ctx: ModelContext, journeys?: readonly string[]): Cell[][] {
  const { l } = ctx;
  const measured = ctx.report.clauses.flatMap((c) =>
    c.episodes
      .filter((e) => journeys === undefined || journeys.includes(e.journey))
      .map((e): Cell[] => [ctx.local(e.start), ctx.local(e.end), c.name, e.journey, `${ctx.nameOf(e.tenant)} (${e.tenant})`, min2(e.gtrMinutes), min2(e.elapsedMinutes), e.gtrLimitMinutes, e.overLimit ? l.yes : l.no, l.severities[e.severity] ?? e.severity, l.measuredSource]),
  );
  const declared =
    journeys === undefined
      ? ctx.report.incidents.map((i): Cell[] => [ctx.local(i.start), ctx.local(i.end), (i.scope.clauses ?? []).join(', ') || '*', (i.scope.journeys ?? []).join(', ') || '*', (i.scope.tenants ?? []).map((t) => `${ctx.nameOf(t)} (${t})`).join(', ') || '*', null, null, null, null, null, `${l.manualSource} : ${i.description}`])
      : [];
  return [...measured, ...declared].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}

export function chronologySection(ctx: ModelContext): ReportSection {
  const { l } = ctx;
  const rows = chronologyRows(ctx);
  return { id: 'chronology', title: l.chronology, paragraphs: rows.length === 0 ? [l.noIncident] : [], tables: [{ id: 'chronology', title: l.chronology, columns: chronologyColumns(ctx), rows }], heatMaps: [] };
}

/** Journeys of the security section (logout) and of the vie scolaire section (roll call, the parents' view). */
const JOURNEYS = { security: ['logout'], 'vie-scolaire': ['roll-call', 'parent-view'] } as const;

/** The security or vie scolaire section: the outage episodes of its journeys, or why there are none. */
export function journeySection(ctx: ModelContext, which: keyof typeof JOURNEYS): ReportSection {
  const { l } = ctx;
  const journeys = JOURNEYS[which];
  const followed = ctx.report.clauses.some((c) => c.journeys.some((j) => (journeys as readonly string[]).includes(j)));
  const rows = chronologyRows(ctx, journeys);
  const title = which === 'security' ? l.security : l.vieScolaire;
  const paragraphs = [which === 'security' ? l.securityNote : l.vieScolaireNote];
  if (!followed) paragraphs.push(which === 'security' ? l.noSecurityClause : l.noVieScolaire);
  else if (rows.length === 0) paragraphs.push(l.noIncident);
  return { id: which, title, paragraphs, tables: followed ? [{ id: which, title, columns: chronologyColumns(ctx), rows }] : [], heatMaps: [] };
}
