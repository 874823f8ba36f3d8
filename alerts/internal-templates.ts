import { formatLocalTime } from '../core/text-format.js';
import type { AlertIncident, AlertNotice } from '../db/index.js';
import type { NoticeMessage, TemplateContext } from './templates.js';

const NOT_DOWNTIME_FR = "Ce n'est pas une panne de l'ENT : c'est Vigie qui ne mesure plus. Ces minutes comptent comme inconnues, jamais comme indisponibles.";
const NOT_DOWNTIME_EN = 'This is not an ENT outage: Vigie is not measuring. These minutes count as unknown, never as down.';

/**
 * The message of an internal incident's notice (issue 10 item 6), to the operators: `[Vigie] SANS NOUVELLES — …`
 * (a schedule without results past its grace), `POINT DE MESURE MUET` (a silent location), `STOCKAGE INDISPONIBLE`
 * (the result store refusing writes), `PLANTAGES DU NAVIGATEUR` (browser crash rate), `MESSAGE NON REMIS` (a notice
 * that failed for good); `RÉTABLI` when it ends. Each but the last says that it is not ENT downtime. French first, then English; times in the contract zone with their offset.
 */
export function internalNoticeMessage(notice: Pick<AlertNotice, 'kind' | 'downFailed'>, incident: AlertIncident, ctx: TemplateContext): NoticeMessage {
  if (incident.journey === 'digest') return digestMessage(incident, ctx);
  const t = (iso: string) => formatLocalTime(iso, ctx.zone);
  const d = incident.detail;
  const loc = incident.location ?? 'local';
  const tenant = incident.tenant !== '*' ? `${ctx.tenantName?.(incident.tenant) ?? incident.tenant} (${incident.tenant})` : '';
  let what: [subject: string, fr: string, en: string];
  switch (incident.journey) {
    case 'stale': {
      const schedule = String(d['scheduleId'] ?? incident.scheduleId);
      const last = typeof d['lastResultSlot'] === 'string' ? d['lastResultSlot'] : null;
      what = [
        `SANS NOUVELLES — ${schedule}${tenant ? ` — ${tenant}` : ''}`,
        `La planification « ${schedule} »${tenant ? ` de ${tenant}` : ''} ne rend plus de résultat au point de mesure « ${loc} » (sans nouvelles depuis ${t(incident.outageStart)} ; dernier résultat : ${last ? `créneau de ${t(last)}` : 'aucun'}).`,
        `Schedule "${schedule}"${tenant ? ` of ${tenant}` : ''} has stopped reporting at location "${loc}" (stale since ${t(incident.outageStart)}; last result: ${last ? `the ${t(last)} slot` : 'none'}).`,
      ];
      break;
    }
    case 'location': {
      const n = Array.isArray(d['schedules']) ? d['schedules'].length : 0;
      what = [
        `POINT DE MESURE MUET — ${loc}`,
        `Le point de mesure « ${loc} » ne rend plus aucun résultat (${n} planifications, toutes sans nouvelles depuis ${t(incident.outageStart)}).`,
        `Location "${loc}" has stopped reporting (${n} schedules, all stale since ${t(incident.outageStart)}).`,
      ];
      break;
    }
    case 'delivery': {
      const to = String(d['recipient'] ?? '?');
      const kindFr = d['kind'] === 'recovery' ? 'de rétablissement' : 'de panne';
      const kindEn = d['kind'] === 'recovery' ? 'recovery' : 'outage';
      what = [
        `MESSAGE NON REMIS — ${to}`,
        `Le message ${kindFr} de l'incident n° ${String(d['incidentId'] ?? '?')} n'a pas pu être remis à ${to}, définitivement : ${String(d['error'] ?? '')}. Vérifiez ce contact (alerts.contacts).`,
        `The ${kindEn} message of incident #${String(d['incidentId'] ?? '?')} could not be delivered to ${to}, for good: ${String(d['error'] ?? '')}. Check this contact (alerts.contacts).`,
      ];
      break;
    }
    case 'store':
      what = [
        'STOCKAGE INDISPONIBLE',
        `La base de résultats refuse les écritures depuis ${t(incident.outageStart)}. Les résultats sont gardés sur disque et enregistrés à son retour.`,
        `The result store has been refusing writes since ${t(incident.outageStart)}. Results are kept on disk and stored when it is back.`,
      ];
      break;
    default: {
      const crashed = Number(d['crashed'] ?? 0);
      const attempts = Number(d['attempts'] ?? 0);
      what = [
        'PLANTAGES DU NAVIGATEUR',
        `${crashed} tentatives sur ${attempts} ont perdu leur navigateur dans l'heure (depuis ${t(incident.outageStart)}). Un créneau sauvé par sa nouvelle tentative n'est pas signalé aux établissements.`,
        `${crashed} of ${attempts} attempts lost their browser within the hour (since ${t(incident.outageStart)}). A slot saved by its retry is not reported to establishments.`,
      ];
    }
  }
  const link = ctx.baseUrl ? `\n\n${ctx.baseUrl.replace(/\/$/, '')}/api/v1/status` : '';
  const [fr, en] = incident.journey === 'delivery' ? ['', ''] : [` ${NOT_DOWNTIME_FR}`, ` ${NOT_DOWNTIME_EN}`];
  if (notice.kind === 'down') {
    return { subject: `[Vigie] ${what[0]}`, text: `${what[1]}${fr}\n\n${what[2]}${en}${link}` };
  }
  const end = incident.resolvedAt ?? incident.openedAt;
  return {
    subject: `[Vigie] RÉTABLI — ${what[0]}`,
    text: `Fin du signalement interne à ${t(end)} (ouvert à ${t(incident.outageStart)}) : ${what[1]}\n\nInternal alert over at ${t(end)} (opened at ${t(incident.outageStart)}): ${what[2]}${link}`,
  };
}

const JOURNEYS: Record<string, string> = { login: 'Connexion', logout: 'Déconnexion', 'roll-call': 'Appel', 'parent-view': 'Espace parents' };
const SEVERITIES: Record<string, string> = { outage: 'panne', security: 'sécurité (déconnexion)', degraded: 'lenteur', flapping: 'instable' };

/**
 * A summary (issue 10 item 4): `quiet` — the incidents that opened and ended while the recipient's quiet hours ran;
 * `daily` — the operators' list of the previous local day's incidents (an empty day says so). One line per incident:
 * establishment, journey, kind, start, end and duration, in local time.
 */
function digestMessage(incident: AlertIncident, ctx: TemplateContext): NoticeMessage {
  const t = (iso: string) => formatLocalTime(iso, ctx.zone);
  const d = incident.detail as { kind?: string; day?: string; entries?: { tenant: string; journey: string; severity: string; outageStart: string; resolvedAt: string | null }[] };
  const entries = d.entries ?? [];
  const lines = entries.map((e) => {
    const who = e.tenant === '*' ? 'plateforme / platform' : `${ctx.tenantName?.(e.tenant) ?? e.tenant} (${e.tenant})`;
    const end = e.resolvedAt ? `${t(e.resolvedAt)} (${Math.round((Date.parse(e.resolvedAt) - Date.parse(e.outageStart)) / 60_000)} min)` : 'en cours / ongoing';
    return `- ${who} — ${JOURNEYS[e.journey] ?? e.journey} — ${SEVERITIES[e.severity] ?? e.severity} : ${t(e.outageStart)} → ${end}`;
  });
  const n = entries.length;
  if (d.kind === 'daily') {
    return {
      subject: `[Vigie] BILAN DU ${d.day ?? ''} — ${n} incident${n > 1 ? 's' : ''}`,
      text: n === 0 ? `Aucun incident le ${d.day}.\n\nNo incident on ${d.day}.` : `Incidents du ${d.day} / incidents of ${d.day}:\n\n${lines.join('\n')}`,
    };
  }
  return {
    subject: `[Vigie] RÉCAPITULATIF — ${n} incident${n > 1 ? 's' : ''} pendant les heures calmes`,
    text:
      `Ces incidents ont commencé et se sont terminés en dehors de vos heures de réception ; ils ne vous ont pas été envoyés un par un.\n` +
      `These incidents began and ended outside your hours; they were not sent to you one by one.\n\n${lines.join('\n')}`,
  };
}
