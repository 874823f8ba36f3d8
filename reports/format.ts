import { DateTime } from 'luxon';
import type { Lang } from '../core/text-format.js';

/**
 * Dates and times as the reports' readers see them, in the instant's own offset (the model's instants carry the
 * contract zone's): never an ISO string. French puts « 1er » on the first day of a month.
 */

/** Text made safe inside HTML (elements and attribute values). */
export const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const locale = (lang: Lang) => (lang === 'fr' ? 'fr-FR' : 'en-GB');
const first = (dt: DateTime, lang: Lang) => (lang === 'fr' && dt.day === 1 ? '1er' : String(dt.day));

/** `mardi 14 octobre 2025, 08 h 05`, `jeudi 1er octobre 2026, 00 h 00` (fr); `Tuesday 14 October 2025, 08:05` (en). */
export function longDateTime(iso: string, lang: Lang): string {
  const dt = DateTime.fromISO(iso, { setZone: true }).setLocale(locale(lang));
  return lang === 'fr' ? `${dt.toFormat('cccc')} ${first(dt, lang)} ${dt.toFormat("LLLL yyyy, HH 'h' mm")}` : dt.toFormat('cccc d LLLL yyyy, HH:mm');
}

/** `1er octobre 2026` (fr), `1 October 2026` (en). */
export function longDate(iso: string, lang: Lang): string {
  const dt = DateTime.fromISO(iso, { setZone: true }).setLocale(locale(lang));
  return `${first(dt, lang)} ${dt.toFormat('LLLL yyyy')}`;
}

/** Between the date and the time of a table cell: the HTML puts them on two lines, text keeps a space. */
export const WHEN_SEP = '\u2002';

/** `mar. 14/10/2025 08 h 05` (fr), `Tue 14/10/2025 08:05` (en): table cells (date and time on two lines in HTML). */
export function shortDateTime(iso: string, lang: Lang): string {
  const dt = DateTime.fromISO(iso, { setZone: true }).setLocale(locale(lang));
  return `${dt.toFormat('ccc dd/LL/yyyy')}${WHEN_SEP}${lang === 'fr' ? dt.toFormat("HH 'h' mm") : dt.toFormat('HH:mm')}`;
}

/** `mar. 14/10` (fr), `Tue 14/10` (en): a day of the daily table; another text (the total row's label) is kept. */
export function shortDate(date: string, lang: Lang): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  return DateTime.fromISO(date).setLocale(locale(lang)).toFormat('ccc dd/LL');
}

/**
 * The period as a title: `octobre 2026` for a month, `année scolaire 2026-2027`, else `du 4 décembre 2026, 20 h 00 au
 * …` (`from 4 December 2026, 20:00 to …`). `label` is the engine's (`2026-10`, `année scolaire 2026-2027`, `from – to`).
 */
export function periodTitle(label: string, from: string, to: string, lang: Lang): string {
  if (/^\d{4}-\d{2}$/.test(label)) return DateTime.fromISO(from, { setZone: true }).setLocale(locale(lang)).toFormat('LLLL yyyy');
  const year = /(\d{4}-\d{4})$/.exec(label);
  if (label.startsWith('année scolaire') && year) return lang === 'fr' ? `année scolaire ${year[1]}` : `school year ${year[1]}`;
  return lang === 'fr' ? `du ${longDateTime(from, lang)} au ${longDateTime(to, lang)}` : `from ${longDateTime(from, lang)} to ${longDateTime(to, lang)}`;
}
