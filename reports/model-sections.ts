import { colon } from '../core/text-format.js';
import type { ClauseOutput } from '../engine/index.js';
import type { ModelContext } from './model.js';
import { cols, type Cell, type Column, type HeatMap, type ReportSection, type ReportTable } from './types.js';

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
    columns: cols(
      ['uai', l.uai, 'text'],
      ['name', l.establishment, 'text'],
      ['availability_percent', l.measured, 'percent'],
      ['coverage_percent', l.coverage, 'percent'],
      ['down_min', l.down, 'minutes'],
      ['counted_min', l.counted, 'minutes'],
    ),
    rows: c.byTenant.map((t): Cell[] => [t.tenant, ctx.nameOf(t.tenant), t.corrected.figures.availabilityPercent, t.corrected.figures.coveragePercent, min2(t.corrected.sums.downMinutes), min2(t.corrected.sums.countedMinutes)]),
  };
}

const SUM_KEYS = ['countedMinutes', 'upMinutes', 'downMinutes', 'unknownMinutes', 'excludedMinutes', 'notMonitoredMinutes'] as const;

/** The days of the period, corrected figures; the total row is the period's own sums (the days add up to them). */
function dailyTable(ctx: ModelContext, c: ClauseOutput): ReportTable | null {
  const { l } = ctx;
  if (!c.daily) return null;
  const columns: Column[] = cols(
    ['date', l.day, 'date'],
    ['counted_min', l.counted, 'minutes'],
    ['up_min', l.up, 'minutes'],
    ['down_min', l.down, 'minutes'],
    ['unknown_min', l.unknown, 'minutes'],
    ['excluded_min', l.excluded, 'minutes'],
    ['not_monitored_min', l.notMonitored, 'minutes'],
    ['availability_percent', l.measured, 'percent'],
    ['coverage_percent', l.coverage, 'percent'],
  );
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
    rows: tenants.map((t) => ({ label: `${ctx.nameOf(t)} (${t})`, values: days.map((d) => d.tenants[t]?.figures.availabilityPercent ?? null) })),
    targetPercent: c.targetPercent,
  };
}

function partyTable(ctx: ModelContext, c: ClauseOutput): ReportTable {
  const { l } = ctx;
  const parties = Object.keys(c.raw.sums.downByParty).sort();
  return {
    id: `${c.id}-parties`,
    title: `${l.parties} — ${c.name}`,
    columns: cols(
      ['party', l.party, 'text'],
      ['down_min', l.down, 'minutes'],
      ['counted', l.counts, 'text'],
    ),
    rows: parties.map((p): Cell[] => [l.partyNames[p] ?? p, min2(c.raw.sums.downByParty[p as keyof typeof c.raw.sums.downByParty] ?? 0), c.parties.includes(p) ? l.yes : l.no]),
  };
}

function latencyTable(ctx: ModelContext, c: ClauseOutput): ReportTable | null {
  const { l } = ctx;
  const rows: Cell[][] = [];
  for (const [journey, lat] of Object.entries(c.latency)) {
    const one = (step: string, f: (typeof lat)['journey']): Cell[] => [journey, step, f.thresholdMs, f.samples, f.attainmentPercent, f.targetPercent, f.p50Ms, f.p95Ms, f.p99Ms];
    rows.push(one(l.wholeJourney, lat.journey));
    for (const [step, f] of Object.entries(lat.steps)) rows.push(one(step, f));
  }
  if (rows.length === 0) return null;
  return {
    id: `${c.id}-latency`,
    title: `${l.latency} — ${c.name}`,
    columns: cols(
      ['journey', l.journey, 'text'],
      ['step', l.step, 'text'],
      ['threshold_ms', l.threshold, 'count'],
      ['runs', l.runs, 'count'],
      ['attainment_percent', l.attainment, 'percent'],
      ['target_percent', l.target, 'percent'],
      ['p50_ms', 'p50 (ms)', 'count'],
      ['p95_ms', 'p95 (ms)', 'count'],
      ['p99_ms', 'p99 (ms)', 'count'],
    ),
    rows,
  };
}

function chronologyColumns(ctx: ModelContext): Column[] {
  const { l } = ctx;
  return cols(
    ['start', l.start, 'datetime'],
    ['end', l.end, 'datetime'],
    ['clause', l.clause, 'text'],
    ['journey', l.journey, 'text'],
    ['establishment', l.establishment, 'text'],
    ['gtr_min', l.gtr, 'minutes'],
    ['elapsed_min', l.elapsed, 'minutes'],
    ['gtr_limit_min', l.gtrLimit, 'minutes'],
    ['over_limit', l.overLimit, 'text'],
    ['severity', l.severity, 'text'],
    ['failure', l.failure, 'text'],
    ['source', l.source, 'text'],
  );
}

/** Outage episodes of every clause and the incidents declared by hand (marked as such), in time order. */
function chronologyRows(ctx: ModelContext, journeys?: readonly string[]): Cell[][] {
  const { l } = ctx;
  const measured = ctx.report.clauses.flatMap((c) =>
    c.episodes
      .filter((e) => journeys === undefined || journeys.includes(e.journey))
      .map((e): Cell[] => [ctx.local(e.start), ctx.local(e.end), c.name, e.journey, `${ctx.nameOf(e.tenant)} (${e.tenant})`, min2(e.gtrMinutes), min2(e.elapsedMinutes), e.gtrLimitMinutes, e.overLimit ? l.yes : l.no, l.severities[e.severity] ?? e.severity, e.kinds.map((k) => l.kinds[k] ?? k).join(', ') || null, l.measuredSource]),
  );
  const declared =
    journeys === undefined
      ? ctx.report.incidents.map((i): Cell[] => [ctx.local(i.start), ctx.local(i.end), (i.scope.clauses ?? []).join(', ') || '*', (i.scope.journeys ?? []).join(', ') || '*', (i.scope.tenants ?? []).map((t) => `${ctx.nameOf(t)} (${t})`).join(', ') || '*', null, null, null, null, null, null, `${l.manualSource}${colon(ctx.lang)}${i.description}`])
      : [];
  return [...measured, ...declared].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}

/** Rows of a chronology printed at most (HTML, PDF): the longest episodes, every declared incident. */
export const MAX_PRINTED_EPISODES = 200;

/**
 * The chronology table; beyond {@link MAX_PRINTED_EPISODES} rows, the page shows the longest episodes (service-hours
 * duration, then time) and every declared incident, in time order, and says where the others are.
 */
function chronologyTable(ctx: ModelContext, id: string, title: string, rows: Cell[][]): ReportTable {
  const table: ReportTable = { id, title, columns: chronologyColumns(ctx), rows };
  if (rows.length <= MAX_PRINTED_EPISODES) return table;
  const declared = rows.map((r, i) => [r, i] as const).filter(([r]) => r[5] === null).map(([, i]) => i);
  const longest = rows
    .map((r, i) => [r, i] as const)
    .filter(([r]) => r[5] !== null)
    .sort(([a, i], [b, j]) => Number(b[5]) - Number(a[5]) || i - j)
    .slice(0, Math.max(0, MAX_PRINTED_EPISODES - declared.length))
    .map(([, i]) => i);
  table.printRows = [...declared, ...longest].sort((a, b) => a - b);
  table.note = ctx.l.printedRows(table.printRows.length, rows.length, `${id}.csv`);
  return table;
}

export function chronologySection(ctx: ModelContext): ReportSection {
  const { l } = ctx;
  const rows = chronologyRows(ctx);
  return { id: 'chronology', title: l.chronology, paragraphs: rows.length === 0 ? [l.noIncident] : [], tables: [chronologyTable(ctx, 'chronology', l.chronology, rows)], heatMaps: [] };
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
  return { id: which, title, paragraphs, tables: followed ? [chronologyTable(ctx, which, title, rows)] : [], heatMaps: [] };
}
