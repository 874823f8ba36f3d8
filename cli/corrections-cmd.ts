import { DateTime } from 'luxon';
import { VigieError } from '../core/errors.js';
import { currentUser, openSlaBackend, withUsageErrors, type StoreAccessOptions } from './sla-access.js';
import { SCOPE_KEYS, type SlaInputs } from '../engine/index.js';
import type { RequestContext } from '../core/request-context.js';

/** The inputs the correction commands use, with the command's context bound. */
type BoundInputs = { [K in 'addCorrection' | 'listCorrections' | 'withdrawCorrection' | 'addIncident' | 'listIncidents']: SlaInputs[K] extends (ctx: RequestContext, ...a: infer A) => infer R ? (...a: A) => R : never };

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
 * comma-separated list of tenant UAIs. Ids are checked against the stored config by the backend (engine/scope.ts).
 * @throws VigieError `VALIDATION` on an unknown key.
 */
export function parseScope(text: string | undefined): Record<string, string[]> {
  if (!text) return {};
  if (!text.includes('=')) return { tenants: text.split(',').map((s) => s.trim()).filter(Boolean) };
  const out: Record<string, string[]> = {};
  for (const part of text.split(';').filter((p) => p.trim())) {
    const [k = '', v = ''] = part.split('=');
    const key = k.trim().replace(/s?$/, 's');
    if (!(SCOPE_KEYS as readonly string[]).includes(key)) throw new VigieError('VALIDATION', `scope: clé inconnue "${k.trim()}" (clés possibles : ${SCOPE_KEYS.join(', ')}) / unknown key "${k.trim()}" (expected ${SCOPE_KEYS.join(', ')})`);
    out[key] = v.split(',').map((s) => s.trim()).filter(Boolean);
  }
  return out;
}

async function withBackend(opts: StoreAccessOptions, fn: (b: BoundInputs, zone: string) => Promise<number>): Promise<number> {
  return withUsageErrors(async () => {
    const access = await openSlaBackend(opts);
    try {
      const b = access.backend.inputs;
      const ctx = access.ctx;
      const bound: BoundInputs = {
        addCorrection: (body) => b.addCorrection(ctx, body),
        listCorrections: (q) => b.listCorrections(ctx, q),
        withdrawCorrection: (id, body) => b.withdrawCorrection(ctx, id, body),
        addIncident: (body) => b.addIncident(ctx, body),
        listIncidents: (q) => b.listIncidents(ctx, q),
      };
      return await fn(bound, await b.timezone(ctx));
    } finally {
      await access.close();
    }
  });
}

interface CorrectionView { id: number; start: string; end: string; scope: Record<string, string[] | undefined>; reason: string; author: string; createdAt: string; withdrawnAt: string | null; withdrawnBy: string | null; withdrawalReason?: string | null }
interface IncidentView { id: number; start: string; end: string | null; scope: Record<string, string[] | undefined>; description: string; author: string; createdAt: string }

/** An instant as local time with its offset and as UTC: `2026-11-29 10:00 +01:00 (09:00Z)`. */
export function localAndUtc(iso: string, zone: string): string {
  const t = DateTime.fromISO(iso, { zone });
  return `${t.toFormat('yyyy-MM-dd HH:mm ZZ')} (${DateTime.fromISO(iso, { zone: 'UTC' }).toFormat("yyyy-MM-dd HH:mm'Z'")})`;
}

/** `établissements / tenants: 0511234A; parcours / journeys: login`, or "tout / everything" for an empty scope. */
export function scopeText(scope: Record<string, string[] | undefined>): string {
  const parts = SCOPE_KEYS.filter((k) => scope[k]?.length).map((k) => `${k}: ${scope[k]!.join(', ')}`);
  return parts.length ? `portée / scope ${parts.join('; ')}` : 'portée / scope: tout / everything';
}

export const correctionLine = (c: CorrectionView, zone: string) =>
  [
    `#${c.id} ${localAndUtc(c.start, zone)} → ${localAndUtc(c.end, zone)}`,
    `   ${scopeText(c.scope)}`,
    `   motif / reason: « ${c.reason} » — ${c.author}, ${localAndUtc(c.createdAt, zone)}`,
    ...(c.withdrawnAt ? [`   RETIRÉE / WITHDRAWN ${localAndUtc(c.withdrawnAt, zone)} par / by ${c.withdrawnBy ?? '?'}${c.withdrawalReason ? ` : « ${c.withdrawalReason} »` : ''}`] : []),
  ].join('\n');
const incidentLine = (i: IncidentView, zone: string) =>
  `#${i.id} ${localAndUtc(i.start, zone)} → ${i.end ? localAndUtc(i.end, zone) : '…'}\n   ${scopeText(i.scope)}\n   « ${i.description} » — ${i.author}, ${localAndUtc(i.createdAt, zone)}`;

/** `vigie correction add --from --to --reason [--scope] [--author]`: excludes a period after the fact. */
export function runCorrectionAdd(opts: EntryOptions, log: Log = print): Promise<number> {
  return withBackend(opts, async (b, zone) => {
    const c = (await b.addCorrection({ from: opts.from, to: opts.to, scope: parseScope(opts.scope), reason: opts.reason ?? '', author: opts.author ?? currentUser() } as never)) as CorrectionView;
    log(opts.json ? JSON.stringify(c, null, 2) : `Correction enregistrée / recorded (fuseau / zone ${zone}): ${correctionLine(c, zone)}`);
    return 0;
  });
}

/** `vigie correction list [--from --to]`: every correction, withdrawn ones included. */
export function runCorrectionList(opts: StoreAccessOptions & { from?: string; to?: string; json?: boolean }, log: Log = print): Promise<number> {
  return withBackend(opts, async (b, zone) => {
    const list = (await b.listCorrections(JSON.parse(JSON.stringify({ from: opts.from, to: opts.to })))) as CorrectionView[];
    log(opts.json ? JSON.stringify(list, null, 2) : list.length === 0 ? 'Aucune correction / no correction.' : list.map((c) => correctionLine(c, zone)).join('\n'));
    return 0;
  });
}

/** `vigie correction withdraw <id> [--reason] [--author]`: a withdrawal record; the correction stays listed. */
export function runCorrectionWithdraw(id: string, opts: StoreAccessOptions & { reason?: string; author?: string; json?: boolean }, log: Log = print): Promise<number> {
  return withBackend(opts, async (b, zone) => {
    const n = Number(id);
    if (!Number.isInteger(n) || n <= 0) {
      console.error(`Entrée invalide / invalid input: id: entier positif attendu, pas "${id}" / expected a positive integer, got "${id}"`);
      return 2;
    }
    const c = (await b.withdrawCorrection(n, JSON.parse(JSON.stringify({ author: opts.author ?? currentUser(), reason: opts.reason })))) as CorrectionView;
    log(opts.json ? JSON.stringify(c, null, 2) : `Correction retirée / withdrawn: ${correctionLine(c, zone)}`);
    return 0;
  });
}

/** `vigie incident add --from [--to] --reason <description> [--scope] [--author]`: shown in chronologies only. */
export function runIncidentAdd(opts: EntryOptions, log: Log = print): Promise<number> {
  return withBackend(opts, async (b, zone) => {
    const body = JSON.parse(JSON.stringify({ from: opts.from, to: opts.to, scope: parseScope(opts.scope), description: opts.reason ?? '', author: opts.author ?? currentUser() }));
    const i = (await b.addIncident(body)) as IncidentView;
    log(opts.json ? JSON.stringify(i, null, 2) : `Incident enregistré / recorded: ${incidentLine(i, zone)}`);
    return 0;
  });
}

/** `vigie incident list [--from --to]`. */
export function runIncidentList(opts: StoreAccessOptions & { from?: string; to?: string; json?: boolean }, log: Log = print): Promise<number> {
  return withBackend(opts, async (b, zone) => {
    const list = (await b.listIncidents(JSON.parse(JSON.stringify({ from: opts.from, to: opts.to })))) as IncidentView[];
    log(opts.json ? JSON.stringify(list, null, 2) : list.length === 0 ? 'Aucun incident / no incident.' : list.map((i) => incidentLine(i, zone)).join('\n'));
    return 0;
  });
}
