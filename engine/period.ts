import { localMonthBounds, wallClockToUtc } from '../core/calendar/local-time.js';
import { VigieError } from '../core/errors.js';
import { instantProblem, readInstant } from '../core/instant.js';
import { MAX_PERIOD_DAYS } from './schemas.js';

/** The period of an SLA request, as given on the command line or in the query string. */
export type PeriodSpec = { month: string } | { schoolYear: string } | { from: string; to: string };

/**
 * Resolves a period in the contract's time zone: a local month (`2026-10`), a school year (`2026-2027` = local
 * 1 September 2026 to 1 September 2027, summer included), or `from`/`to` (a local day `2026-10-05` means its local
 * midnight, an instant with an offset is taken as is; `to` is exclusive). A from/to period longer than
 * `MAX_PERIOD_DAYS` is refused (the engine works minute by minute: 130 years ran the process out of memory), and so
 * is a period starting before 2000 (core/instant.ts); it may end in the future (the report stops at now).
 * @throws VigieError `VALIDATION` naming the field.
 */
export function resolvePeriod(spec: PeriodSpec, zone: string): { from: number; to: number; label: string } {
  if ('month' in spec) {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(spec.month)) throw new VigieError('VALIDATION', `month: mois attendu au format yyyy-MM, par exemple 2026-10, pas "${spec.month}" / expected yyyy-MM such as 2026-10, got "${spec.month}"`);
    const b = localMonthBounds(spec.month, zone);
    notBefore2000('month', b.start);
    return { from: b.start, to: b.end, label: spec.month };
  }
  if ('schoolYear' in spec) {
    const m = /^(\d{4})-(\d{4})$/.exec(spec.schoolYear);
    if (!m || Number(m[2]) !== Number(m[1]) + 1) throw new VigieError('VALIDATION', `school-year: année scolaire attendue au format yyyy-yyyy, par exemple 2026-2027, pas "${spec.schoolYear}" / expected yyyy-yyyy such as 2026-2027, got "${spec.schoolYear}"`);
    const from = wallClockToUtc(`${m[1]}-09-01`, '00:00', zone);
    notBefore2000('school-year', from);
    return { from, to: wallClockToUtc(`${m[2]}-09-01`, '00:00', zone), label: `année scolaire ${spec.schoolYear}` };
  }
  const from = instant('from', spec.from, zone);
  const to = instant('to', spec.to, zone);
  if (to <= from) throw new VigieError('VALIDATION', `to: doit être après from (${spec.from}) / must be after from (${spec.from})`);
  // One extra hour: a local span of exactly MAX_PERIOD_DAYS days may hold an autumn DST night.
  if (to - from > MAX_PERIOD_DAYS * 86_400_000 + 3_600_000) throw new VigieError('VALIDATION', `from/to: la période du ${spec.from} au ${spec.to} dépasse ${MAX_PERIOD_DAYS} jours (une année scolaire ou une année de contrat y tient) : découpez-la / period from ${spec.from} to ${spec.to} is longer than ${MAX_PERIOD_DAYS} days (a school or contract year fits): split it`);
  return { from, to, label: `${spec.from} – ${spec.to}` };
}

function instant(field: string, value: string, zone: string): number {
  const r = readInstant(value, { zone });
  if (r.problem !== undefined) throw new VigieError('VALIDATION', `${field}: ${r.problem}`);
  return r.ms;
}

function notBefore2000(field: string, ms: number): void {
  const problem = instantProblem(ms);
  if (problem) throw new VigieError('VALIDATION', `${field}: ${problem}`);
}

/** The period spec of a validated SLA query (engine/schemas.ts `slaQuerySchema`: exactly one period is given). */
export function periodOf(q: { month?: string; schoolYear?: string; from?: string; to?: string }): PeriodSpec {
  if (q.month) return { month: q.month };
  if (q.schoolYear) return { schoolYear: q.schoolYear };
  if (q.from === undefined || q.to === undefined) throw new VigieError('VALIDATION', 'month: donnez une seule période : month, schoolYear, ou from et to / give exactly one period: month, schoolYear, or from and to');
  return { from: q.from, to: q.to };
}
