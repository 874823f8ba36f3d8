import { colon, formatLocalTime, formatNumber, formatPercent, type Lang } from '../core/text-format.js';

export type { Lang };

/**
 * Labels of `vigie sla --format table`: French with the English in parentheses (`--lang fr`, the default), or English
 * only. Each state has its own words in both languages (`hors surveillance` is never `hors période`).
 */
export const L = {
  availability: ['Disponibilité', 'availability'],
  coverage: ['couverture', 'coverage'],
  pessimistic: ['disponibilité pessimiste', 'pessimistic availability'],
  raw: ['brute', 'raw'],
  corrected: ['corrigée', 'corrected'],
  noData: ['pas de données', 'no data'],
  lowCoverage: ['couverture faible', 'low coverage'],
  minutes: ['Minutes', 'minutes'],
  counted: ['comptées', 'counted'],
  upMin: ['disponibles', 'up'],
  degradedMin: ['dont dégradées', 'of which degraded'],
  downMin: ['indisponibles', 'down'],
  unknownMin: ['inconnues', 'unknown'],
  excludedMin: ['exclues', 'excluded'],
  notMonitoredMin: ['hors surveillance', 'not monitored'],
  byState: ['par état', 'by state'],
  byParty: ['pannes par partie', 'down by party'],
  budget: ["Budget d'erreur", 'error budget'],
  allowed: ['permises', 'allowed'],
  forAllowed: ['pour', 'against'],
  ofObserved: ['des minutes observées', 'of the minutes observed'],
  consumed: ['consommé', 'consumed'],
  overspent: ['dépassé', 'overspent'],
  burn: ['taux de combustion', 'burn rate'],
  elapsed: ['période en cours : budget de la partie écoulée, jusqu’au', 'period in progress: budget of the elapsed part, up to'],
  inProgress: ['Période en cours : chiffres arrêtés au', 'period in progress: figures up to'],
  latency: ['Latence', 'latency'],
  gaps: ['Lacunes de données', 'data gaps'],
  episodes: ['Épisodes de panne', 'outage episodes'],
  penalties: ['Pénalités', 'penalties'],
  total: ['Total', 'total'],
  tenants: ['Établissements', 'tenants'],
  probed: ['sondés par Vigie', 'probed by Vigie'],
  covered: ['couverts par une sonde de plateforme', 'covered by a platform probe'],
  byTenant: ['Par établissement', 'by tenant'],
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
  stale: ['sans nouvelles', 'stale'],
  unscheduled: ['non planifié', 'unscheduled'],
  provider: ['prestataire', 'provider'],
  educonnect: ['ÉduConnect', 'EduConnect'],
  'academie-idp': ['IdP académique', 'academic IdP'],
  'establishment-network': ["réseau de l'établissement", 'establishment network'],
  vigie: ['Vigie', 'Vigie'],
  // Maintenance window modes.
  exclude: ['mode exclusion', 'exclude mode'],
  pause: ['mode pause', 'pause mode'],
};

/** `hors surveillance (not monitored)`, or the English label with `--lang en`; unknown ids as they are. */
export function stateLabel(id: string, lang: Lang): string {
  const l = STATES[id];
  if (!l) return id;
  return lang === 'en' || l[0] === l[1] ? l[1] : `${l[0]} (${l[1]})`;
}

/** An instant in the contract zone with its offset: `2026-10-18 08:10 +02:00` (one zone throughout the table). */
export function localTime(iso: string, zone: string): string {
  return formatLocalTime(iso, zone);
}

/** The words and number formats of one table language. */
export interface Words {
  lang: Lang;
  /** `Français (english)`, or `english`. */
  t(key: keyof typeof L): string;
  /** The French word alone, or the English one. */
  w(key: keyof typeof L): string;
  /** ` : ` or `: `. */
  c: string;
  /** A percentage with exactly `digits` decimals (4 by default), or "no data" for null. */
  pct(v: number | null, digits?: number): string;
  /** A number with at most `digits` decimals (2 by default), or exactly `digits` when `fixed`. */
  num(v: number, digits?: number, fixed?: boolean): string;
  /** A percentage as given in a config (`99 %`, `99,5 %`): no trailing zeros. */
  given(v: number): string;
}

/** {@link Words} of `lang`: French numbers (`99,52 %`) in the French table, English ones (`99.52%`) in the English. */
export function words(lang: Lang): Words {
  const one = (key: keyof typeof L) => L[key][lang === 'en' ? 1 : 0];
  return {
    lang,
    // Words alike in both languages (Clause / clause, Total / total) are not repeated.
    t: (key) => (lang === 'en' ? L[key][1] : L[key][0].toLowerCase() === L[key][1].toLowerCase() ? L[key][0] : `${L[key][0]} (${L[key][1]})`),
    w: one,
    c: colon(lang),
    pct: (v, digits = 4) => (v === null ? one('noData') : formatPercent(v, lang, digits)),
    num: (v, digits = 2, fixed = false) => formatNumber(v, lang, digits, fixed),
    given: (v) => (lang === 'fr' ? `${formatNumber(v, lang, 4)} %` : `${formatNumber(v, lang, 4)}%`),
  };
}
