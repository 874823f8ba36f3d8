import { formatLocalTime } from '../core/text-format.js';
import type { AlertIncident, AlertNotice } from '../db/index.js';

/** A notice as an e-mail: subject and plain-text body, French first then English (issue 10 item 5). */
export interface NoticeMessage {
  subject: string;
  text: string;
}

/** What the templates need beyond the notice: the contract zone, the establishment's name, links. */
export interface TemplateContext {
  /** IANA zone of the times shown (the contract's, `Europe/Paris` by default). */
  zone: string;
  /** Establishment name by UAI (absent: the UAI alone). */
  tenantName?: (uai: string) => string | undefined;
  /** Base URL of Vigie's API, for the links (absent: no link). */
  baseUrl?: string;
}

/**
 * The e-mail of a notice. Down: `[Vigie] PANNE — Lycée X (0510100G) — login`, with the start of the outage (first
 * down slot) and its detection (the slot that confirmed it), in local time with offset. Recovery: `[Vigie] RÉTABLI — …`
 * with the outage's start, end (first up slot) and duration. Times are the slots', never the sending time: a message
 * delayed by a mail outage still says when things happened (F25).
 */
export function noticeMessage(notice: Pick<AlertNotice, 'kind'>, incident: AlertIncident, ctx: TemplateContext): NoticeMessage {
  const t = (iso: string) => formatLocalTime(iso, ctx.zone);
  const name = ctx.tenantName?.(incident.tenant);
  const who = name ? `${name} (${incident.tenant})` : incident.tenant;
  const link = ctx.baseUrl ? `\n\n${ctx.baseUrl.replace(/\/$/, '')}/api/v1/runs?schedule=${encodeURIComponent(incident.scheduleId)}` : '';
  if (notice.kind === 'down') {
    return {
      subject: `[Vigie] PANNE — ${who} — ${incident.journey}`,
      text:
        `Le parcours « ${incident.journey} » de l'établissement ${who} est en panne depuis ${t(incident.outageStart)} ` +
        `(panne confirmée au créneau de ${t(incident.openedAt)}). Un message suivra à son rétablissement.\n\n` +
        `The "${incident.journey}" journey of ${who} is down since ${t(incident.outageStart)} (confirmed at the ${t(incident.openedAt)} slot). ` +
        `Another message will follow when it recovers.${link}`,
    };
  }
  const end = incident.resolvedAt ?? incident.openedAt;
  const minutes = Math.round((Date.parse(end) - Date.parse(incident.outageStart)) / 60_000);
  return {
    subject: `[Vigie] RÉTABLI — ${who} — ${incident.journey}`,
    text:
      `Le parcours « ${incident.journey} » de l'établissement ${who} fonctionne de nouveau depuis ${t(end)}. ` +
      `Panne du ${t(incident.outageStart)} au ${t(end)} (${minutes} min).\n\n` +
      `The "${incident.journey}" journey of ${who} works again since ${t(end)}. Outage from ${t(incident.outageStart)} to ${t(end)} (${minutes} min).${link}`,
  };
}
