import { currentUser, openSlaBackend, withUsageErrors, type StoreAccessOptions } from './sla-access.js';

type Log = (s: string) => void;
const print: Log = (s) => console.log(s);

/** Options of `vigie correction add` and `vigie incident add`. */
export interface EntryOptions extends StoreAccessOptions {
  from: string;
  to?: string;
  /** `tenants=0510001A,0510002B;journeys=login` or a bare comma-separated tenant list. */
  scope?: string;
  reason?: string;
  author?: string;
  json?: boolean;
}

/**
 * Parses `--scope`: `key=v1,v2;key=v3` with keys tenants, journeys, targets, clauses (singular accepted), or a bare
 * comma-separated list of tenant UAIs.
 */
export function parseScope(text: string | undefined): Record<string, string[]> {
  if (!text) return {};
  if (!text.includes('=')) return { tenants: text.split(',').map((s) => s.trim()).filter(Boolean) };
  const out: Record<string, string[]> = {};
  for (const part of text.split(';')) {
    const [k, v = ''] = part.split('=');
    const key = k.trim().replace(/s?$/, 's');
    out[key] = v.split(',').map((s) => s.trim()).filter(Boolean);
  }
  return out;
}

/** A date given on the command line: an ISO instant as is; a local `2026-10-05T08:00` is read in the machine's zone. */
function instant(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? value : new Date(t).toISOString();
}

async function withBackend(opts: StoreAccessOptions, fn: (b: Awaited<ReturnType<typeof openSlaBackend>>['backend']) => Promise<number>): Promise<number> {
  return withUsageErrors(async () => {
    const access = await openSlaBackend(opts);
    try {
      return await fn(access.backend);
    } finally {
      await access.close();
    }
  });
}

interface CorrectionView { id: number; start: string; end: string; scope: object; reason: string; author: string; createdAt: string; withdrawnAt: string | null; withdrawnBy: string | null }
interface IncidentView { id: number; start: string; end: string | null; scope: object; description: string; author: string; createdAt: string }

const correctionLine = (c: CorrectionView) =>
  `#${c.id} ${c.start} → ${c.end} ${JSON.stringify(c.scope)} « ${c.reason} » (${c.author}, ${c.createdAt})${c.withdrawnAt ? ` — retirée / withdrawn ${c.withdrawnAt} (${c.withdrawnBy})` : ''}`;
const incidentLine = (i: IncidentView) => `#${i.id} ${i.start} → ${i.end ?? '…'} ${JSON.stringify(i.scope)} « ${i.description} » (${i.author}, ${i.createdAt})`;

/** `vigie correction add --from --to --reason [--scope] [--author]`: excludes a period after the fact. */
export function runCorrectionAdd(opts: EntryOptions, log: Log = print): Promise<number> {
  return withBackend(opts, async (b) => {
    const c = (await b.addCorrection({ from: instant(opts.from), to: instant(opts.to), scope: parseScope(opts.scope), reason: opts.reason ?? '', author: opts.author ?? currentUser() } as never)) as CorrectionView;
    log(opts.json ? JSON.stringify(c, null, 2) : `Correction enregistrée / recorded: ${correctionLine(c)}`);
    return 0;
  });
}

/** `vigie correction list [--from --to]`: every correction, withdrawn ones included. */
export function runCorrectionList(opts: StoreAccessOptions & { from?: string; to?: string; json?: boolean }, log: Log = print): Promise<number> {
  return withBackend(opts, async (b) => {
    const list = (await b.listCorrections(JSON.parse(JSON.stringify({ from: instant(opts.from), to: instant(opts.to) })))) as CorrectionView[];
    log(opts.json ? JSON.stringify(list, null, 2) : list.length === 0 ? 'Aucune correction / no correction.' : list.map(correctionLine).join('\n'));
    return 0;
  });
}

/** `vigie correction withdraw <id> [--reason] [--author]`: a withdrawal record; the correction stays listed. */
export function runCorrectionWithdraw(id: string, opts: StoreAccessOptions & { reason?: string; author?: string; json?: boolean }, log: Log = print): Promise<number> {
  return withBackend(opts, async (b) => {
    const n = Number(id);
    if (!Number.isInteger(n) || n <= 0) {
      console.error(`Entrée invalide / invalid input: id: expected a positive integer, got "${id}"`);
      return 2;
    }
    const c = (await b.withdrawCorrection(n, JSON.parse(JSON.stringify({ author: opts.author ?? currentUser(), reason: opts.reason })))) as CorrectionView;
    log(opts.json ? JSON.stringify(c, null, 2) : `Correction retirée / withdrawn: ${correctionLine(c)}`);
    return 0;
  });
}

/** `vigie incident add --from [--to] --reason <description> [--scope] [--author]`: shown in chronologies only. */
export function runIncidentAdd(opts: EntryOptions, log: Log = print): Promise<number> {
  return withBackend(opts, async (b) => {
    const body = JSON.parse(JSON.stringify({ from: instant(opts.from), to: instant(opts.to), scope: parseScope(opts.scope), description: opts.reason ?? '', author: opts.author ?? currentUser() }));
    const i = (await b.addIncident(body)) as IncidentView;
    log(opts.json ? JSON.stringify(i, null, 2) : `Incident enregistré / recorded: ${incidentLine(i)}`);
    return 0;
  });
}

/** `vigie incident list [--from --to]`. */
export function runIncidentList(opts: StoreAccessOptions & { from?: string; to?: string; json?: boolean }, log: Log = print): Promise<number> {
  return withBackend(opts, async (b) => {
    const list = (await b.listIncidents(JSON.parse(JSON.stringify({ from: instant(opts.from), to: instant(opts.to) })))) as IncidentView[];
    log(opts.json ? JSON.stringify(list, null, 2) : list.length === 0 ? 'Aucun incident / no incident.' : list.map(incidentLine).join('\n'));
    return 0;
  });
}
