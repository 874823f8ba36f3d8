import { DateTime } from 'luxon';

/**
 * Numbers, percentages and instants as people read them, in French or in English (CLI tables and messages, reports,
 * e-mails). French: decimal comma, a space between thousands and before `%` and `:` (`99,52 %`, `44 700`); English:
 * decimal point, comma between thousands, `%` glued (`99.52%`, `44,700`). Formatting goes through `Intl.NumberFormat`;
 * the narrow no-break spaces it puts in French become plain spaces, so that plain-text tables stay greppable.
 */
export type Lang = 'fr' | 'en';

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(lang: Lang, min: number, max: number): Intl.NumberFormat {
  const key = `${lang}|${min}|${max}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { minimumFractionDigits: min, maximumFractionDigits: max })));
  return f;
}

/**
 * `value` with at most `digits` decimals (trailing zeros dropped unless `fixed`): `formatNumber(1234.5, 'fr')` →
 * `1 234,5`, `formatNumber(0.25, 'en', 2, true)` → `0.25`. Never `NaN`: a non-finite value throws RangeError (a bug).
 */
export function formatNumber(value: number, lang: Lang, digits = 2, fixed = false): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  // -0 after rounding prints "0".
  const rounded = Math.round(value * 10 ** digits) / 10 ** digits || 0;
  return formatter(lang, fixed ? digits : 0, digits).format(rounded).replace(/[\u202F\u00A0]/g, ' ');
}

/** A percentage with exactly `digits` decimals: `99,5200 %` (fr), `99.5200%` (en). */
export function formatPercent(value: number, lang: Lang, digits = 4): string {
  const n = formatNumber(value, lang, digits, true);
  return lang === 'fr' ? `${n} %` : `${n}%`;
}

/** The separator before a value: ` : ` in French typography, `: ` in English. */
export function colon(lang: Lang): string {
  return lang === 'fr' ? ' : ' : ': ';
}

/**
 * An instant in `zone` with its UTC offset, to the minute: `2026-10-18 08:10 +02:00` (never a bare UTC ISO string in
 * what people read). Accepts an ISO string, a Date or epoch ms.
 */
export function formatLocalTime(instant: string | Date | number, zone: string): string {
  const dt = typeof instant === 'string' ? DateTime.fromISO(instant, { zone }) : DateTime.fromMillis(instant instanceof Date ? instant.getTime() : instant, { zone });
  return dt.toFormat('yyyy-MM-dd HH:mm ZZ');
}
