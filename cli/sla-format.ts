import { DateTime } from 'luxon';
import type { FigureOutput, SlaReport } from '../engine/index.js';

/** Output language of `vigie sla`: French labels with English in parentheses (default), or English only. */
export type Lang = 'fr' | 'en';

const L = {
  availability: ['Disponibilité', 'availability'],
  coverage: ['Couverture', 'coverage'],
  pessimistic: ['Disponibilité pessimiste', 'pessimistic availability'],
  degraded: ['Part dégradée', 'degraded share'],
  raw: ['brut', 'raw'],
  corrected: ['corrigé', 'corrected'],
  noData: ['pas de données', 'no data'],
  lowCoverage: ['couverture faible', 'low coverage'],
  minutes: ['Minutes', 'minutes'],
  byState: ['par état', 'by state'],
  byParty: ['pannes par partie', 'down by party'],
  budget: ["Budget d'erreur", 'error budget'],
  latency: ['Latence', 'latency'],
  consumed: ['consommé', 'consumed'],
  burn: ['taux de combustion', 'burn rate'],
  gaps: ['Lacunes de données', 'data gaps'],
  episodes: ['Épisodes de panne', 'outage episodes'],
  penalties: ['Pénalités', 'penalties'],
  total: ['Total', 'total'],
  probed: ['Établissements sondés', 'probed tenants'],
  covered: ['couverts', 'covered'],
  calendarMissing: ['Calendrier manquant', 'missing calendar'],
  corrections: ['Corrections', 'corrections'],
  incidents: ['Incidents déclarés (hors chiffres)', 'declared incidents (not in figures)'],
  clause: ['Clause', 'clause'],
  target: ['objectif', 'target'],
  withdrawn: ['retirée', 'withdrawn'],
  none: ['aucun', 'none'],
  windows: ['Fenêtres de maintenance', 'maintenance windows'],
  announced: ['annoncée', 'announced'],
  notAnnounced: ['jamais annoncée dans une révision', 'never announced in a revision'],
  notice: ['préavis', 'notice'],
  excluded: ['exclue', 'excluded'],
  late: ['en retard, comptée', 'late, counted'],
  schedule: ['Planification', 'schedule adherence'],
  executed: ['créneaux exécutés', 'slots executed'],
  missed: ['non exécutés', 'missed'],
  paused: ['en pause', 'paused'],
  locations: ['Points de mesure', 'probe locations'],
  reachability: ['accessibilité', 'reachability'],
  reachabilityRef: ['Accessibilité des points de référence', 'reachability of reference locations'],
  reference: ['référence', 'reference'],
  inSchool: ['dans l’établissement', 'in school'],
  localNetwork: ['réseau de l’établissement', 'school network'],
} as const;

/** Labels of slot states and parties (the JSON keeps the ids). */
const STATES: Record<string, readonly [string, string]> = {
  up: ['disponible', 'up'],
  degraded: ['dégradé', 'degraded'],
  down: ['indisponible', 'down'],
  error: ['erreur de sonde', 'probe error'],
  missed: ['non exécuté', 'missed'],
  paused: ['en pause', 'paused'],
  maintenance: ['maintenance', 'maintenance'],
  not_monitored: ['hors surveillance', 'not monitored'],
  unscheduled: ['non planifié', 'unscheduled'],
  provider: ['prestataire', 'provider'],
  educonnect: ['ÉduConnect', 'EduConnect'],
  'academie-idp': ['IdP académique', 'academic IdP'],
  'establishment-network': ["réseau de l'établissement", 'establishment network'],
  vigie: ['Vigie', 'Vigie'],
};

/** `hors surveillance (not monitored)`, or the English label with `--lang en`; unknown ids as they are. */
export function stateLabel(id: string, lang: Lang): string {
  const l = STATES[id];
  if (!l) return id;
  return lang === 'en' || l[0] === l[1] ? l[1] : `${l[0]} (${l[1]})`;
}

/** An instant in the contract zone with its offset: `2026-10-18 08:10 +02:00` (one zone throughout the table). */
export function localTime(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).toFormat('yyyy-MM-dd HH:mm ZZ');
}

function t(lang: Lang, key: keyof typeof L): string {
  const [fr, en] = L[key];
  return lang === 'en' ? en : `${fr} (${en})`;
}

const pct = (v: number | null, lang: Lang) => (v === null ? L.noData[lang === 'en' ? 1 : 0] : `${v.toFixed(4)} %`);
const min = (v: number) => (Math.round(v * 100) / 100).toString();

function figureLine(f: FigureOutput, lang: Lang): string {
  const fig = f.figures;
  return `${pct(fig.availabilityPercent, lang)} · ${t(lang, 'coverage')} ${pct(fig.coveragePercent, lang)}${fig.lowCoverage ? ` ⚠ ${t(lang, 'lowCoverage')}` : ''} · ${t(lang, 'pessimistic')} ${pct(fig.pessimisticPercent, lang)}`;
}

/** The human-readable report (`--format table`). */
export function formatSlaTable(report: SlaReport, lang: Lang = 'fr'): string {
  const out: string[] = [];
  const zone = report.contract.timezone;
  const lt = (iso: string) => localTime(iso, zone);
  out.push(`${report.contract.name ?? report.contract.id}${report.contract.provider ? ` — ${report.contract.provider}` : ''} · ${report.period.label} (${lt(report.period.from)} → ${lt(report.period.to)}, ${zone})`);
  for (const c of report.clauses) {
    out.push('', `== ${t(lang, 'clause')} ${c.id} — ${c.name} (${t(lang, 'target')} ${c.targetPercent} %, ${c.journeys.join(', ')})`);
    out.push(`${t(lang, 'availability')} ${L.raw[lang === 'en' ? 1 : 0]} : ${figureLine(c.raw, lang)}`);
    out.push(`${t(lang, 'availability')} ${L.corrected[lang === 'en' ? 1 : 0]} : ${figureLine(c.corrected, lang)}`);
    const s = c.corrected.sums;
    const w = (fr: string, en: string) => (lang === 'en' ? en : `${fr} (${en})`);
    out.push(
      `${t(lang, 'minutes')} : ${w('comptées', 'counted')} ${min(s.countedMinutes)} · ${w('disponibles', 'up')} ${min(s.upMinutes)} (${w('dégradées', 'degraded')} ${min(s.degradedMinutes)}) · ` +
        `${w('indisponibles', 'down')} ${min(s.downMinutes)} · ${w('inconnues', 'unknown')} ${min(s.unknownMinutes)} · ${w('exclues', 'excluded')} ${min(s.excludedMinutes)} ` +
        `(maintenance ${min(s.maintenanceMinutes)}, corrections ${min(s.correctionMinutes)}) · ${w('hors période', 'not monitored')} ${min(s.notMonitoredMinutes)}`,
    );
    out.push(`  ${t(lang, 'byState')} : ${Object.entries(s.byState).map(([k, v]) => `${stateLabel(k, lang)} ${min(v ?? 0)}`).join(' · ') || '-'}`);
    out.push(`  ${t(lang, 'byParty')} : ${Object.entries(s.downByParty).map(([k, v]) => `${stateLabel(k, lang)} ${min(v ?? 0)}${s.excludedByParty[k as keyof typeof s.excludedByParty] ? ' (exclu/excluded)' : ''}`).join(' · ') || t(lang, 'none')}`);
    const b = c.corrected.errorBudget;
    out.push(`${t(lang, 'budget')} : ${b ? `${min(b.budgetMinutes)} min, ${t(lang, 'consumed')} ${b.consumedPercent === null ? '-' : `${b.consumedPercent.toFixed(2)} %`}${b.overspent ? ' ⚠' : ''}, ${t(lang, 'burn')} ${b.burnRate === null ? '-' : b.burnRate.toFixed(3)}` : L.noData[lang === 'en' ? 1 : 0]}`);
    for (const [journey, l] of Object.entries(c.latency)) {
      const one = (name: string, f: (typeof l)['journey']) =>
        `${name} ≤ ${f.thresholdMs} ms : ${f.attainmentPercent === null ? L.noData[lang === 'en' ? 1 : 0] : `${f.attainmentPercent.toFixed(2)} %`} / ${f.targetPercent} %${f.met === false ? ' ⚠' : ''} (n=${f.samples}, p50 ${f.p50Ms ?? '-'} · p95 ${f.p95Ms ?? '-'} · p99 ${f.p99Ms ?? '-'} ms)`;
      out.push(`${t(lang, 'latency')} ${one(journey, l.journey)}`);
      for (const [step, f] of Object.entries(l.steps)) out.push(`  ${one(`${journey}/${step}`, f)}`);
    }
    out.push(...scheduleLines(c, lang));
    out.push(`${t(lang, 'probed')} : ${c.tenants.probed.length} · ${t(lang, 'covered')} : ${c.tenants.covered.length}`);
    if (c.calendarMissing.length > 0) out.push(`⚠ ${t(lang, 'calendarMissing')} : ${c.calendarMissing.join(' ; ')}`);
    out.push(`${t(lang, 'gaps')} : ${c.dataGaps.length === 0 ? t(lang, 'none') : c.dataGaps.length}`);
    for (const g of c.dataGaps.slice(0, 10)) out.push(`  ${g.tenant} ${g.journey} ${g.label} (${min(g.minutes)} min, ${g.states.map((x) => stateLabel(x, lang)).join(' + ')})`);
    if (c.dataGaps.length > 10) out.push(`  … +${c.dataGaps.length - 10} (--format json)`);
    out.push(`${t(lang, 'episodes')} : ${c.episodes.length === 0 ? t(lang, 'none') : ''}`);
    for (const e of c.episodes.slice(0, 50)) out.push(`  ${e.tenant} ${e.journey} ${lt(e.start)} → ${lt(e.end)} GTR ${min(e.gtrMinutes)} min${e.gtrLimitMinutes !== null ? ` / ${e.gtrLimitMinutes} min${e.overLimit ? ' ⚠' : ''}` : ''} ${e.severity} [${e.parties.map((p) => stateLabel(p, lang)).join(', ')}]`);
    if (c.episodes.length > 50) out.push(`  … +${c.episodes.length - 50} (--format json)`);
    out.push(`${t(lang, 'windows')} : ${c.maintenanceWindows.length === 0 ? t(lang, 'none') : ''}`);
    for (const m of c.maintenanceWindows.slice(0, 50)) {
      const announced = m.announcedAt === null ? t(lang, 'notAnnounced') : `${t(lang, 'announced')} ${lt(m.announcedAt)}`;
      out.push(`  ${m.id} ${lt(m.start)} → ${lt(m.end)} ${m.mode} · ${announced} · ${t(lang, 'notice')} ${min(m.noticeMinutes)} min → ${t(lang, m.excluded ? 'excluded' : 'late')}`);
    }
    if (c.maintenanceWindows.length > 50) out.push(`  … +${c.maintenanceWindows.length - 50} (--format json)`);
    if (c.penalties) {
      out.push(`${t(lang, 'penalties')} :`);
      for (const l of c.penalties.lines) out.push(`  ${l.month} ${l.label} : ${l.amount} ${c.penalties.currency}`);
      out.push(`  ${t(lang, 'total')} : ${c.penalties.total} ${c.penalties.currency}`);
    }
  }
  if (report.corrections.length > 0) {
    out.push('', `${t(lang, 'corrections')} :`);
    for (const c of report.corrections) out.push(`  #${c.id} ${lt(c.start)} → ${lt(c.end)} « ${c.reason} » (${c.author})${c.withdrawnAt ? ` — ${L.withdrawn[lang === 'en' ? 1 : 0]} ${lt(c.withdrawnAt)}` : ''}`);
  }
  if (report.incidents.length > 0) {
    out.push('', `${t(lang, 'incidents')} :`);
    for (const i of report.incidents) out.push(`  #${i.id} ${lt(i.start)} → ${i.end ? lt(i.end) : '…'} « ${i.description} » (${i.author})`);
  }
  return out.join('\n');
}

/**
 * Schedule adherence (always), then with several locations each location's location-slots and reachability, and the
 * pooled reachability of the reference locations (one location: its reachability is the contract's figure).
 */
function scheduleLines(c: SlaReport['clauses'][number], lang: Lang): string[] {
  const s = c.schedule;
  const w = (key: keyof typeof L) => L[key][lang === 'en' ? 1 : 0];
  const out = [`${t(lang, 'schedule')} : ${s.executedSlots} / ${s.expectedSlots} ${t(lang, 'executed')} (${pct(s.adherencePercent, lang)}) · ${t(lang, 'missed')} ${s.missedSlots} · ${t(lang, 'paused')} ${s.pausedSlots}`];
  if (c.locations.length < 2) return out;
  out.push(`${t(lang, 'locations')} :`);
  for (const l of c.locations) {
    const counts = [['up', l.up], ['degraded', l.degraded], ['down', l.down], ['error', l.error], ['missed', l.missed], ['paused', l.paused], ['maintenance', l.maintenance]] as const;
    const local = l.localNetwork > 0 ? ` · ${w('localNetwork')} ${l.localNetwork}` : '';
    out.push(`  ${l.id} (${w(l.kind === 'reference' ? 'reference' : 'inSchool')}) : ${w('reachability')} ${pct(l.reachabilityPercent, lang)} · ${counts.map(([k, v]) => `${stateLabel(k, lang)} ${v}`).join(' · ')}${local}`);
  }
  out.push(`${t(lang, 'reachabilityRef')} : ${pct(c.reachabilityPercent, lang)}`);
  return out;
}

const CSV_COLUMNS = ['clause', 'journey', 'target', 'tenant', 'probed', 'figures', 'availability_percent', 'coverage_percent', 'pessimistic_percent', 'counted_min', 'up_min', 'degraded_min', 'down_min', 'unknown_min', 'excluded_min', 'maintenance_min', 'correction_min', 'not_monitored_min', 'expected_slots', 'executed_slots', 'missed_slots', 'adherence_percent'] as const;

const WINDOW_COLUMNS = ['clause', 'window', 'mode', 'start', 'end', 'announced_at', 'notice_min', 'late', 'excluded'] as const;

const LOCATION_COLUMNS = ['clause', 'location', 'kind', 'up_slots', 'degraded_slots', 'down_slots', 'error_slots', 'local_network_slots', 'missed_slots', 'paused_slots', 'maintenance_slots', 'reachability_percent'] as const;

/**
 * The figures table: one CSV row per clause × series × (raw, corrected), plus the pooled scope (`tenant` = `*`),
 * numbers unrounded, with the schedule adherence (location-slots expected, executed, missed) of each row's scope.
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
    const scopes = [{ journey: '*', target: '*', tenant: '*', probed: '', raw: c.raw, corrected: c.corrected, schedule: c.schedule }, ...c.series];
    for (const s of scopes) {
      for (const kind of ['raw', 'corrected'] as const) {
        const f = s[kind];
        const m = f.sums;
        rows.push([c.id, s.journey, s.target, s.tenant, s.probed, kind, f.figures.availabilityPercent, f.figures.coveragePercent, f.figures.pessimisticPercent, m.countedMinutes, m.upMinutes, m.degradedMinutes, m.downMinutes, m.unknownMinutes, m.excludedMinutes, m.maintenanceMinutes, m.correctionMinutes, m.notMonitoredMinutes, s.schedule.expectedSlots, s.schedule.executedSlots, s.schedule.missedSlots, s.schedule.adherencePercent].map(cell).join(','));
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
