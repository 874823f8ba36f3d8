import { formatLocalTime } from '../core/text-format.js';
import type { AlertIncident, AlertNotice } from '../db/index.js';
import { openSlaBackend, withUsageErrors } from './sla-access.js';

/** Options of `vigie incidents`. */
export interface IncidentsOptions {
  tenant?: string;
  open?: boolean;
  json?: boolean;
  config?: string;
  dataDir?: string;
}

const NOTICE_STATUS: Record<AlertNotice['status'], string> = { pending: 'en attente / pending', sent: 'envoyé / sent', failed: 'échec / failed' };

/** One incident and its notices as terminal lines, times in `zone` with their offset. */
export function incidentLines(i: AlertIncident & { notices: AlertNotice[] }, zone: string): string[] {
  const t = (iso: string) => formatLocalTime(iso, zone);
  const state = i.resolvedAt ? `rétabli / resolved ${t(i.resolvedAt)}` : 'en cours / open';
  const lines = [`#${i.id} ${i.tenant} ${i.journey} — panne depuis / down since ${t(i.outageStart)} (confirmée / confirmed ${t(i.openedAt)}) — ${state}`];
  for (const n of i.notices) {
    const sent = n.sentAt ? ` ${t(n.sentAt)}` : '';
    const error = n.lastError && n.status !== 'sent' ? ` — ${n.lastError}` : '';
    lines.push(`   ${n.kind === 'down' ? 'panne / down' : 'rétablissement / recovery'} → ${n.recipient} : ${NOTICE_STATUS[n.status]}${sent} (${n.attempts} tentative(s) / attempt(s))${error}`);
  }
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
