import type { ClauseOutput, FigureOutput, SlaReport } from '../engine/index.js';
import { localTime, stateLabel, words, type Lang, type Words } from './sla-labels.js';

export { localTime, stateLabel, type Lang };

type Clause = ClauseOutput;

function figureLine(f: FigureOutput, x: Words): string {
  const fig = f.figures;
  return `${x.pct(fig.availabilityPercent)} · ${x.t('coverage')} ${x.pct(fig.coveragePercent)}${fig.lowCoverage ? ` ⚠ ${x.t('lowCoverage')}` : ''} · ${x.t('pessimistic')} ${x.pct(fig.pessimisticPercent)}`;
}

/**
 * The error budget, said as what it is: the down minutes the objective allows over the minutes observed so far, the
 * down minutes measured, and their ratio. While the period runs (`to` before its end), the budget is that of the
 * elapsed part: one outage early in a month can consume several times it, and the line says so.
 */
function budgetLine(c: Clause, periodTo: string, zone: string, x: Words): string {
  const b = c.corrected.errorBudget;
  if (!b) return `${x.t('budget')}${x.c}${x.w('noData')}`;
  const w = (key: Parameters<Words['t']>[0]) => x.t(key);
  const down = c.corrected.sums.downMinutes;
  const consumed = b.consumedPercent === null ? '-' : x.pct(b.consumedPercent, 2);
  let line =
    `${x.t('budget')}${x.c}${w('consumed')} ${consumed}${b.overspent ? ` ⚠ ${w('overspent')}` : ''} — ${x.num(down)} min ${w('downMin')} ${x.w('forAllowed')} ${x.num(b.budgetMinutes)} min ${w('allowed')} ` +
    `(${x.given(100 - b.targetPercent)} ${x.t('ofObserved')}, ${x.num(b.eligibleMinutes)} min) · ${w('burn')} ${b.burnRate === null ? '-' : x.num(b.burnRate, 3)}`;
  if (Date.parse(c.to) < Date.parse(periodTo)) line += ` — ${w('elapsed')} ${localTime(c.to, zone)}`;
  return line;
}

/** Schedule adherence, then with several locations each one's location-slots and reachability. */
function scheduleLines(c: Clause, x: Words): string[] {
  const s = c.schedule;
  const out = [`${x.t('schedule')}${x.c}${x.num(s.executedSlots)} / ${x.num(s.expectedSlots)} ${x.t('executed')} (${x.pct(s.adherencePercent, 2)}) · ${x.t('missed')} ${x.num(s.missedSlots)} · ${x.t('paused')} ${x.num(s.pausedSlots)}`];
  if (c.locations.length < 2) return out;
  out.push(`${x.t('locations')}${x.c.trimEnd()}`);
  for (const l of c.locations) {
    const counts = [['up', l.up], ['degraded', l.degraded], ['down', l.down], ['error', l.error], ['missed', l.missed], ['paused', l.paused], ['maintenance', l.maintenance]] as const;
    const local = l.localNetwork > 0 ? ` · ${x.w('localNetwork')} ${x.num(l.localNetwork)}` : '';
    out.push(`  ${l.id} (${x.w(l.kind === 'reference' ? 'reference' : 'inSchool')})${x.c}${x.w('reachability')} ${x.pct(l.reachabilityPercent, 2)} · ${counts.map(([k, v]) => `${stateLabel(k, x.lang)} ${x.num(v)}`).join(' · ')}${local}`);
  }
  out.push(`${x.t('reachabilityRef')}${x.c}${x.pct(c.reachabilityPercent, 2)}`);
  return out;
}

function minutesLines(c: Clause, x: Words): string[] {
  const s = c.corrected.sums;
  const m = (v: number) => x.num(v);
  return [
    `${x.t('minutes')}${x.c}${x.t('counted')} ${m(s.countedMinutes)} · ${x.t('upMin')} ${m(s.upMinutes)} (${x.t('degradedMin')} ${m(s.degradedMinutes)}) · ` +
      `${x.t('downMin')} ${m(s.downMinutes)} · ${x.t('unknownMin')} ${m(s.unknownMinutes)} · ${x.t('excludedMin')} ${m(s.excludedMinutes)} ` +
      `(maintenance ${m(s.maintenanceMinutes)}, corrections ${m(s.correctionMinutes)}) · ${x.t('notMonitoredMin')} ${m(s.notMonitoredMinutes)}`,
    `  ${x.t('byState')}${x.c}${Object.entries(s.byState).map(([k, v]) => `${stateLabel(k, x.lang)} ${m(v ?? 0)}`).join(' · ') || '-'}`,
    `  ${x.t('byParty')}${x.c}${Object.entries(s.downByParty).map(([k, v]) => `${stateLabel(k, x.lang)} ${m(v ?? 0)}${s.excludedByParty[k as keyof typeof s.excludedByParty] ? ` (${x.t('excludedMin')})` : ''}`).join(' · ') || x.t('none')}`,
  ];
}

function latencyLines(c: Clause, x: Words): string[] {
  const out: string[] = [];
  for (const [journey, l] of Object.entries(c.latency)) {
    const ms = (v: number | null) => (v === null ? '-' : x.num(v, 0));
    const one = (name: string, f: (typeof l)['journey']) =>
      `${name} ≤ ${ms(f.thresholdMs)} ms${x.c}${f.attainmentPercent === null ? x.w('noData') : x.pct(f.attainmentPercent, 2)} / ${x.given(f.targetPercent)}${f.met === false ? ' ⚠' : ''} (n = ${x.num(f.samples)}, p50 ${ms(f.p50Ms)} · p95 ${ms(f.p95Ms)} · p99 ${ms(f.p99Ms)} ms)`;
    out.push(`${x.t('latency')} ${one(journey, l.journey)}`);
    for (const [step, f] of Object.entries(l.steps)) out.push(`  ${one(`${journey}/${step}`, f)}`);
  }
  return out;
}

/** Each establishment's figures (`--by tenant`): availability, coverage, down minutes and schedule adherence. */
function byTenantLines(c: Clause, x: Words): string[] {
  if (!c.byTenant) return [];
  const out = [`${x.t('byTenant')}${x.c.trimEnd()}`];
  for (const t of c.byTenant) {
    const f = t.corrected.figures;
    out.push(`  ${t.tenant}${t.probed ? '' : ` (${x.w('covered')})`}${x.c}${x.pct(f.availabilityPercent)} · ${x.w('coverage')} ${x.pct(f.coveragePercent)}${f.lowCoverage ? ' ⚠' : ''} · ${x.w('downMin')} ${x.num(t.corrected.sums.downMinutes)} min · ${x.w('schedule').toLowerCase()} ${x.pct(t.schedule.adherencePercent, 2)}`);
  }
  return out;
}

function clauseLines(c: Clause, report: SlaReport, x: Words): string[] {
  const zone = report.contract.timezone;
  const lt = (iso: string) => localTime(iso, zone);
  const out: string[] = ['', `== ${x.t('clause')} ${c.id} — ${c.name} (${x.t('target')} ${x.given(c.targetPercent)}, ${c.journeys.join(', ')})`];
  out.push(`${x.t('availability')} ${x.w('raw')}${x.c}${figureLine(c.raw, x)}`);
  out.push(`${x.t('availability')} ${x.w('corrected')}${x.c}${figureLine(c.corrected, x)}`);
  out.push(...minutesLines(c, x), budgetLine(c, report.period.to, zone, x), ...latencyLines(c, x), ...scheduleLines(c, x));
  out.push(`${x.t('tenants')}${x.c}${x.num(c.tenants.probed.length)} ${x.t('probed')} · ${x.num(c.tenants.covered.length)} ${x.t('covered')}`);
  out.push(...byTenantLines(c, x));
  if (c.calendarMissing.length > 0) out.push(`⚠ ${x.t('calendarMissing')}${x.c}${c.calendarMissing.join(' ; ')}`);
  out.push(`${x.t('gaps')}${x.c}${c.dataGaps.length === 0 ? x.t('none') : x.num(c.dataGaps.length)}`);
  for (const g of c.dataGaps.slice(0, 10)) out.push(`  ${g.tenant} ${g.journey} ${lt(g.start)} → ${lt(g.end)} (${x.num(g.minutes)} min, ${g.states.map((s) => stateLabel(s, x.lang)).join(' + ')})`);
  if (c.dataGaps.length > 10) out.push(`  … +${c.dataGaps.length - 10} (--format json)`);
  out.push(`${x.t('episodes')}${x.c}${c.episodes.length === 0 ? x.t('none') : x.num(c.episodes.length)}`);
  for (const e of c.episodes.slice(0, 50)) out.push(`  ${e.tenant} ${e.journey} ${lt(e.start)} → ${lt(e.end)} GTR ${x.num(e.gtrMinutes)} min${e.gtrLimitMinutes !== null ? ` / ${x.num(e.gtrLimitMinutes)} min${e.overLimit ? ' ⚠' : ''}` : ''} ${e.severity} [${e.parties.map((p) => stateLabel(p, x.lang)).join(', ')}]`);
  if (c.episodes.length > 50) out.push(`  … +${c.episodes.length - 50} (--format json)`);
  out.push(`${x.t('windows')}${x.c}${c.maintenanceWindows.length === 0 ? x.t('none') : x.num(c.maintenanceWindows.length)}`);
  for (const m of c.maintenanceWindows.slice(0, 50)) {
    const announced = m.announcedAt === null ? x.t('notAnnounced') : `${x.t('announced')} ${lt(m.announcedAt)}`;
    out.push(`  ${m.id} ${lt(m.start)} → ${lt(m.end)} ${stateLabel(m.mode, x.lang)} · ${announced} · ${x.t('notice')} ${x.num(m.noticeMinutes)} min → ${x.t(m.excluded ? 'excluded' : 'late')}`);
  }
  if (c.maintenanceWindows.length > 50) out.push(`  … +${c.maintenanceWindows.length - 50} (--format json)`);
  if (c.penalties) {
    const money = (v: number) => `${x.num(v, 2, true)} ${c.penalties!.currency}`;
    out.push(`${x.t('penalties')}${x.c.trimEnd()}`);
    for (const l of c.penalties.lines) out.push(`  ${l.month} ${x.lang === 'en' ? l.labelEn : l.label}${x.c}${money(l.amount)}`);
    out.push(`  ${x.t('total')}${x.c}${money(c.penalties.total)}`);
  }
  return out;
}

/**
 * The human-readable report (`--format table`): French labels with the English in parentheses and French numbers
 * (`99,5200 %`, `44 700`), or with `lang` `en` English labels, numbers and punctuation (`99.5200%`); instants in the
 * contract's zone with their offset. Percentages carry the JSON's 4 decimals (2 for shares of slots and latency
 * attainment), minutes 2.
 */
export function formatSlaTable(report: SlaReport, lang: Lang = 'fr'): string {
  const x = words(lang);
  const zone = report.contract.timezone;
  const lt = (iso: string) => localTime(iso, zone);
  const out: string[] = [`${report.contract.name ?? report.contract.id}${report.contract.provider ? ` — ${report.contract.provider}` : ''} · ${report.period.label} (${lt(report.period.from)} → ${lt(report.period.to)}, ${zone})`];
  const until = report.clauses.map((c) => c.to).sort()[0];
  if (until && Date.parse(until) < Date.parse(report.period.to)) out.push(`${x.t('inProgress')} ${lt(until)}`);
  for (const c of report.clauses) out.push(...clauseLines(c, report, x));
  if (report.corrections.length > 0) {
    out.push('', `${x.t('corrections')}${x.c.trimEnd()}`);
    for (const c of report.corrections) out.push(`  #${c.id} ${lt(c.start)} → ${lt(c.end)} « ${c.reason} » (${c.author})${c.withdrawnAt ? ` — ${x.w('withdrawn')} ${lt(c.withdrawnAt)}` : ''}`);
  }
  if (report.incidents.length > 0) {
    out.push('', `${x.t('incidents')}${x.c.trimEnd()}`);
    for (const i of report.incidents) out.push(`  #${i.id} ${lt(i.start)} → ${i.end ? lt(i.end) : '…'} « ${i.description} » (${i.author})`);
  }
  return out.join('\n');
}

