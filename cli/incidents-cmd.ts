import { formatLocalTime } from '../core/text-format.js';
import { VigieError } from '../core/errors.js';
import type { AlertIncident, AlertNote, AlertNotice } from '../db/index.js';
import { currentUser, openSlaBackend, withUsageErrors } from './sla-access.js';

/** Options of `vigie incidents`. */
export interface IncidentsOptions {
  tenant?: string;
  open?: boolean;
  json?: boolean;
  config?: string;
  dataDir?: string;
}

const NOTICE_STATUS: Record<AlertNotice['status'], string> = { pending: 'en attente / pending', sent: 'envoyé / sent', failed: 'échec / failed', digest: 'dans le récapitulatif / in the summary' };

/** Severities other than a plain outage, as shown after the journey. */
const SEVERITY_LABELS: Record<string, string> = { security: ' sécurité / security', degraded: ' lenteur / degraded', flapping: ' instable / flapping' };

/** An internal incident's kind in words (a digest says which one). */
const internalKind = (i: AlertIncident) => (i.journey === 'digest' ? (i.detail['kind'] === 'daily' ? 'bilan du jour / daily digest' : 'récapitulatif des heures calmes / quiet-hours summary') : (INTERNAL_KINDS[i.journey] ?? i.journey));

/** Internal incident kinds (the watchdog's), French / English. */
const INTERNAL_KINDS: Record<string, string> = {
  stale: 'sans nouvelles / stale',
  location: 'point de mesure muet / silent location',
  store: 'stockage indisponible / store unavailable',
  browser: 'plantages du navigateur / browser crashes',
  delivery: 'message non remis / notice not delivered',
  digest: 'récapitulatif / digest',
};

/** One incident, its notices and notes as terminal lines, times in `zone` with their offset. */
export function incidentLines(i: AlertIncident & { notices: AlertNotice[]; notes?: AlertNote[] }, zone: string): string[] {
  const t = (iso: string) => formatLocalTime(iso, zone);
  const state = i.resolvedAt ? `rétabli / resolved ${t(i.resolvedAt)}` : 'en cours / open';
  const who = i.scope === 'platform' ? `plateforme / platform ${i.target} (${i.members} établissement(s) / establishment(s))` : i.tenant;
  const member = i.platformId !== null ? ` — fait partie de / part of #${i.platformId}` : '';
  const lines =
    i.scope === 'internal'
      ? [`#${i.id} Vigie ${internalKind(i)} ${i.journey === 'stale' ? `${String(i.detail['scheduleId'] ?? i.scheduleId)} ` : ''}${i.location ? `@${i.location} ` : ''}— signalé depuis / since ${t(i.outageStart)} (interne, pas une panne de l'ENT / internal, not ENT downtime) — ${state}`]
      : [`#${i.id} ${who} ${i.journey}${SEVERITY_LABELS[i.severity] ?? ''} — ${i.severity === 'outage' || i.severity === 'security' ? 'panne depuis / down since' : 'depuis / since'} ${t(i.outageStart)} (confirmée / confirmed ${t(i.openedAt)}) — ${state}${member}`];
  if (i.acknowledgedAt) lines.push(`   pris en charge / acknowledged : ${i.acknowledgedBy} ${t(i.acknowledgedAt)}`);
  for (const n of i.notices) {
    const sent = n.sentAt ? ` ${t(n.sentAt)}` : '';
    const error = n.lastError && n.status !== 'sent' ? ` — ${n.lastError}` : '';
    const to = n.channel === 'webhook' ? `webhook ${n.recipient}` : n.recipient;
    lines.push(`   ${n.kind === 'down' ? 'panne / down' : 'rétablissement / recovery'} → ${to} : ${NOTICE_STATUS[n.status]}${sent} (${n.attempts} tentative(s) / attempt(s))${error}`);
  }
  for (const note of i.notes ?? []) lines.push(`   note — ${note.author} ${t(note.createdAt)} : « ${note.text} »`);
  return lines;
}

/**
 * `vigie incidents [--tenant <uai>] [--open] [--json]`: the alert incidents (opened by the alert evaluator) with the
 * delivery of each notice, oldest first, through a running `vigie start` or the store. Exit 2 on bad input.
 */
export async function runIncidents(opts: IncidentsOptions, log: (s: string) => void = (s) => console.log(s)): Promise<number> {
  return withUsageErrors(async () => {
    const access = await openSlaBackend(opts);
    try {
      const query = { ...(opts.tenant ? { tenant: opts.tenant } : {}), ...(opts.open ? { open: 'true' as const } : {}) };
      const list = await access.backend.inputs.listAlertIncidents(access.ctx, query);
      if (opts.json) log(JSON.stringify(list, null, 2));
      else if (list.length === 0) log('Aucun incident / no incident.');
      else {
        const zone = await access.backend.inputs.timezone(access.ctx);
        log(list.flatMap((i) => incidentLines(i, zone)).join('\n'));
      }
      return 0;
    } finally {
      await access.close();
    }
  });
}

/** Options of `vigie incidents ack|note`. */
export interface IncidentActionOptions {
  author?: string;
  text?: string;
  json?: boolean;
  config?: string;
  dataDir?: string;
}

function incidentId(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new VigieError('VALIDATION', `id : numéro d'incident attendu (#1, #2…), pas "${text}" / id: expected an incident number, got "${text}"`);
  return n;
}

/**
 * `vigie incidents ack <id> [--author]` (acknowledge: someone takes the incident in hand; the first one stays) and
 * `vigie incidents note <id> --text <text> [--author]`, through a running `vigie start` or the store; each leaves an
 * audit entry. Exit 2 on bad input or an unknown incident.
 */
export async function runIncidentAction(action: 'ack' | 'note', id: string, opts: IncidentActionOptions, log: (s: string) => void = (s) => console.log(s)): Promise<number> {
  return withUsageErrors(async () => {
    const n = incidentId(id);
    const access = await openSlaBackend(opts);
    try {
      const author = opts.author ?? currentUser();
      const inputs = access.backend.inputs;
      const result = action === 'ack' ? await inputs.acknowledgeAlertIncident(access.ctx, n, { author }) : await inputs.addAlertNote(access.ctx, n, { author, text: opts.text ?? '' });
      if (opts.json) log(JSON.stringify(result, null, 2));
      else if (action === 'ack') {
        const i = result as AlertIncident;
        log(`Incident #${n} pris en charge par / acknowledged by ${i.acknowledgedBy} (${formatLocalTime(i.acknowledgedAt!, await inputs.timezone(access.ctx))}).`);
      } else log(`Note ajoutée à l'incident / note added to incident #${n}.`);
      return 0;
    } finally {
      await access.close();
    }
  });
}
