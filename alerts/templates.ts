import { formatLocalTime } from '../core/text-format.js';
import type { AlertIncident, AlertNotice } from '../db/index.js';
import { internalNoticeMessage } from './internal-templates.js';

/** A notice as a message: subject and plain-text body, French first then English (issue 10 item 5). */
export interface NoticeMessage {
  subject: string;
  text: string;
}

/** What the templates need beyond the notice: the contract zone, names, links. */
export interface TemplateContext {
  /** IANA zone of the times shown (the contract's, `Europe/Paris` by default). */
  zone: string;
  /** Establishment name by UAI (absent: the UAI alone). */
  tenantName?: (uai: string) => string | undefined;
  /** ENT (target) name by id (absent: the id). */
  targetName?: (id: string) => string | undefined;
  /** Base URL of Vigie's API, for the links (absent: no link). */
  baseUrl?: string;
}

/** Plain names of the built-in journeys (issue 15 item 1), French / English; other journeys keep their id. */
const JOURNEY_NAMES: Record<string, [string, string]> = {
  login: ['Connexion', 'Login'],
  logout: ['Déconnexion', 'Logout'],
  'roll-call': ['Appel', 'Roll call'],
  'parent-view': ['Espace parents', 'Parent view'],
};

/**
 * The message of a notice. Down: `[Vigie] PANNE — Lycée X (0510100G) — Connexion`, with the start of the outage
 * (first down slot) and its detection (the slot that confirmed it), in local time with offset. Recovery:
 * `[Vigie] RÉTABLI — …` with the outage's start, end (first up slot) and duration. A platform incident says
 * `PANNE PLATEFORME — <ENT>` and how many establishments it hits. Times are the slots', never the sending time: a
 * message delayed by a mail outage still says when things happened (F25). Internal incidents (Vigie watching itself)
 * have their own texts (internal-templates.ts).
 */
export function noticeMessage(notice: Pick<AlertNotice, 'kind' | 'downFailed'>, incident: AlertIncident, ctx: TemplateContext): NoticeMessage {
  if (incident.scope === 'internal') return internalNoticeMessage(notice, incident, ctx);
  const t = (iso: string) => formatLocalTime(iso, ctx.zone);
  const [journeyFr, journeyEn] = JOURNEY_NAMES[incident.journey] ?? [incident.journey, incident.journey];
  const platform = incident.scope === 'platform';
  const ent = ctx.targetName?.(incident.target) ?? incident.target;
  const name = ctx.tenantName?.(incident.tenant);
  const who = platform ? ent : name ? `${name} (${incident.tenant})` : incident.tenant;
  const n = establishmentsHit(incident);
  const whoFr = platform ? `de la plateforme ${ent} (${n} établissement${n > 1 ? 's' : ''} touché${n > 1 ? 's' : ''})` : `de l'établissement ${who}`;
  const whoEn = platform ? `of the ${ent} platform (${n} establishment${n > 1 ? 's' : ''} hit)` : `of ${who}`;
  const query = platform ? `target=${encodeURIComponent(incident.target)}&journey=${encodeURIComponent(incident.journey)}` : `schedule=${encodeURIComponent(incident.scheduleId)}`;
  const link = ctx.baseUrl ? `\n\n${ctx.baseUrl.replace(/\/$/, '')}/api/v1/runs?${query}` : '';
  const tag = platform ? 'PLATEFORME ' : '';
  if (incident.severity === 'flapping') {
    const n = Number(incident.detail['changes'] ?? 0);
    const m = Number(incident.detail['window'] ?? 0);
    const endF = incident.resolvedAt ?? incident.openedAt;
    return notice.kind === 'down'
      ? {
          subject: `[Vigie] INSTABLE — ${who} — ${journeyFr}`,
          text:
            `Le parcours « ${journeyFr} » ${whoFr} alterne pannes et reprises depuis ${t(incident.outageStart)} (${n} changements d'état sur les ${m} derniers créneaux). ` +
            `Vigie ne signalera pas chaque coupure ; un message suivra quand il sera stable.\n\n` +
            `The "${journeyEn}" journey ${whoEn} keeps failing and recovering since ${t(incident.outageStart)} (${n} state changes in the last ${m} slots). ` +
            `Vigie will not report each interruption; another message will follow when it is stable.${link}`,
        }
      : {
          subject: `[Vigie] STABLE — ${who} — ${journeyFr}`,
          text: `Le parcours « ${journeyFr} » ${whoFr} est de nouveau stable depuis ${t(endF)} (instable depuis ${t(incident.outageStart)}). Une panne en cours vous serait signalée à part.\n\nThe "${journeyEn}" journey ${whoEn} is stable again since ${t(endF)} (unstable since ${t(incident.outageStart)}). An outage still going on would be reported on its own.${link}`,
        };
  }
  if (incident.severity === 'degraded') {
    const endD = incident.resolvedAt ?? incident.openedAt;
    return notice.kind === 'down'
      ? {
          subject: `[Vigie] LENTEUR — ${who} — ${journeyFr}`,
          text: `Le parcours « ${journeyFr} » ${whoFr} fonctionne mais au-delà de son seuil de durée depuis ${t(incident.outageStart)}.\n\nThe "${journeyEn}" journey ${whoEn} works but slower than its threshold since ${t(incident.outageStart)}.${link}`,
        }
      : {
          subject: `[Vigie] RÉTABLI — LENTEUR — ${who} — ${journeyFr}`,
          text: `Le parcours « ${journeyFr} » ${whoFr} n'est plus lent depuis ${t(endD)}.\n\nThe "${journeyEn}" journey ${whoEn} is no longer slow since ${t(endD)}.${link}`,
        };
  }
  if (incident.severity === 'security') return securityMessage(notice, incident, { who, whoFr, whoEn, tag, link, t, note: notice.downFailed === true });
  if (notice.kind === 'down') {
    const [factsFr, factsEn] = downFacts(incident, ctx);
    return {
      subject: `[Vigie] PANNE ${tag}— ${who} — ${journeyFr}`,
      text:
        `Le parcours « ${journeyFr} » ${whoFr} est en panne depuis ${t(incident.outageStart)} ` +
        `(panne confirmée au créneau de ${t(incident.openedAt)}). Un message suivra à son rétablissement.${factsFr}\n\n` +
        `The "${journeyEn}" journey ${whoEn} is down since ${t(incident.outageStart)} (confirmed at the ${t(incident.openedAt)} slot). ` +
        `Another message will follow when it recovers.${factsEn}${link}`,
    };
  }
  const end = incident.resolvedAt ?? incident.openedAt;
  const note = notice.downFailed
    ? `\n\nNote : le message de panne n'a pas pu vous être remis ; ce message vous apprend la panne et sa fin.\nNote: the outage message could not be delivered to you; this one tells you of the outage and its end.`
    : '';
  const minutes = Math.round((Date.parse(end) - Date.parse(incident.outageStart)) / 60_000);
  return {
    subject: `[Vigie] RÉTABLI ${tag}— ${who} — ${journeyFr}`,
    text:
      `Le parcours « ${journeyFr} » ${whoFr} fonctionne de nouveau depuis ${t(end)}. ` +
      `Panne du ${t(incident.outageStart)} au ${t(end)} (${minutes} min).\n\n` +
      `The "${journeyEn}" journey ${whoEn} works again since ${t(end)}. Outage from ${t(incident.outageStart)} to ${t(end)} (${minutes} min).${note}${link}`,
  };
}

/**
 * A `security` incident's message (a logout that leaves the SSO session alive): `[Vigie] SÉCURITÉ — …`, what it means
 * for staff (still logged in to the identity provider after leaving the ENT), since when; `RÉTABLI — SÉCURITÉ` at its end.
 */
function securityMessage(
  notice: Pick<AlertNotice, 'kind'>,
  incident: AlertIncident,
  p: { who: string; whoFr: string; whoEn: string; tag: string; link: string; t: (iso: string) => string; note: boolean },
): NoticeMessage {
  const { t } = p;
  if (notice.kind === 'down') {
    return {
      subject: `[Vigie] SÉCURITÉ ${p.tag}— ${p.who} — Déconnexion`,
      text:
        `Depuis ${t(incident.outageStart)}, se déconnecter de l'ENT ${p.whoFr} laisse la session du fournisseur d'identité ouverte ` +
        `(constaté au créneau de ${t(incident.openedAt)}) : sur un poste partagé, la personne suivante peut se retrouver connectée au compte précédent. ` +
        `Un message suivra quand la déconnexion sera de nouveau effective.\n\n` +
        `Since ${t(incident.outageStart)}, logging out of the ENT ${p.whoEn} leaves the identity provider's session open (seen at the ${t(incident.openedAt)} slot): ` +
        `on a shared computer, the next person may find themselves logged in to the previous account. Another message will follow when logout works again.${p.link}`,
    };
  }
  const end = incident.resolvedAt ?? incident.openedAt;
  const note = p.note ? `\n\nNote : le premier message n'a pas pu vous être remis. / Note: the first message could not be delivered to you.` : '';
  return {
    subject: `[Vigie] RÉTABLI — SÉCURITÉ ${p.tag}— ${p.who} — Déconnexion`,
    text: `La déconnexion ${p.whoFr} met de nouveau fin à la session depuis ${t(end)} (problème constaté du ${t(incident.outageStart)} au ${t(end)}).\n\nLogout ${p.whoEn} ends the session again since ${t(end)} (problem from ${t(incident.outageStart)} to ${t(end)}).${note}${p.link}`,
  };
}

/**
 * What failed and when (issue 10 item 5), when the service added it: the failed step and error of the confirming
 * run, links to the run and its screenshot (with `baseUrl`), and whether the outage began inside the weekly service
 * hours of the clause that counts the journey. French, English.
 */
function downFacts(incident: AlertIncident, ctx: TemplateContext): [string, string] {
  const fr: string[] = [];
  const en: string[] = [];
  const f = incident.failure;
  if (f) {
    if (f.step) {
      // The stored reason starts with the step (`step "open-ent": HTTP 503 …`): said once.
      const reason = f.reason?.replace(/^step "[^"]*": /, '') ?? null;
      fr.push(`Étape en échec : « ${f.step} »${reason ? ` — ${reason}` : ''}.`);
      en.push(`Failed step: "${f.step}"${reason ? ` — ${reason}` : ''}.`);
    } else if (f.reason) {
      fr.push(`Erreur : ${f.reason}.`);
      en.push(`Error: ${f.reason}.`);
    }
    if (ctx.baseUrl) {
      const base = ctx.baseUrl.replace(/\/$/, '');
      fr.push(`Exécution : ${base}/api/v1/runs/${f.runId}`);
      en.push(`Run: ${base}/api/v1/runs/${f.runId}`);
      if (f.screenshotAttempt !== null) {
        fr.push(`Capture d'écran : ${base}/api/v1/runs/${f.runId}/attempts/${f.screenshotAttempt}/screenshot.png`);
        en.push(`Screenshot: ${base}/api/v1/runs/${f.runId}/attempts/${f.screenshotAttempt}/screenshot.png`);
      }
      fr.push(`État : ${base}/api/v1/status`);
      en.push(`Status: ${base}/api/v1/status`);
    }
  }
  const h = incident.serviceHours;
  if (h) {
    fr.push(h.inside ? `Début pendant les heures de service hebdomadaires (« ${h.clause} »).` : `Début hors des heures de service hebdomadaires (« ${h.clause} »).`);
    en.push(h.inside ? `Began within the weekly service hours ("${h.clause}").` : `Began outside the weekly service hours ("${h.clause}").`);
  }
  const join = (l: string[]) => (l.length > 0 ? `\n${l.join('\n')}` : '');
  return [join(fr), join(en)];
}

/**
 * Establishments a platform incident hit: its members, or more when some were down but told on their own before the
 * platform was decided (`detail.establishments`, db/alert-routing.ts).
 */
export function establishmentsHit(incident: { members: number; detail: Record<string, unknown> }): number {
  const decided = Number(incident.detail['establishments'] ?? 0);
  return Math.max(incident.members, Number.isFinite(decided) ? decided : 0);
}
