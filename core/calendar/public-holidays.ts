import Holidays from 'date-holidays';

/**
 * French public holidays (jours fériés) from the maintained `date-holidays` library, per département.
 *
 * Alsace-Moselle: in the départements of Moselle (57), Bas-Rhin (67) and Haut-Rhin (68), local law adds Good Friday
 * (Vendredi saint) and 26 December (Saint-Étienne) — Code du travail, art. L3134-13. `date-holidays` models these
 * départements as states `57`, `67`, `68` of `FR` and lists both days (checked in the tests); {@link ALSACE_MOSELLE}
 * adds them anyway if a future version dropped them, so the rule does not depend on the library.
 */

export interface PublicHoliday {
  /** Local date `yyyy-MM-dd`. */
  date: string;
  name: string;
}

/** Départements where Good Friday and 26 December are public holidays (Code du travail, art. L3134-13). */
export const ALSACE_MOSELLE = new Set(['57', '67', '68']);

/** Overseas départements → `date-holidays` state codes (their own holidays, e.g. abolition of slavery). */
const OVERSEAS: Record<string, string> = { '971': 'GP', '972': 'MQ', '973': 'GF', '974': 'RE', '976': 'YT' };

const cache = new Map<string, PublicHoliday[]>();

/** Public holidays of a département (`57`, `54`, `2A`, `974`) in one calendar year, sorted by date. */
export function publicHolidays(departement: string, year: number): PublicHoliday[] {
  const key = `${departement}:${year}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const state = ALSACE_MOSELLE.has(departement) ? departement : OVERSEAS[departement];
  const hd = state ? new Holidays('FR', state) : new Holidays('FR');
  const list: PublicHoliday[] = (hd.getHolidays(year) || [])
    .filter((h) => h.type === 'public')
    .map((h) => ({ date: h.date.slice(0, 10), name: h.name }));
  if (ALSACE_MOSELLE.has(departement)) {
    const easter = list.find((h) => /p[âa]ques/i.test(h.name) && /lundi/i.test(h.name));
    if (easter) {
      const goodFriday = shiftDate(easter.date, -3);
      if (!list.some((h) => h.date === goodFriday)) list.push({ date: goodFriday, name: 'Vendredi saint' });
    }
    const stEtienne = `${year}-12-26`;
    if (!list.some((h) => h.date === stEtienne)) list.push({ date: stEtienne, name: 'Saint-Étienne' });
  }
  const unique = [...new Map(list.map((h) => [h.date, h])).values()].sort((a, b) => a.date.localeCompare(b.date));
  cache.set(key, unique);
  return unique;
}

/** Public holidays of a département over a range of local dates `[fromDate, toDate]` (inclusive). */
export function publicHolidaysBetween(departement: string, fromDate: string, toDate: string): PublicHoliday[] {
  const out: PublicHoliday[] = [];
  for (let y = Number(fromDate.slice(0, 4)); y <= Number(toDate.slice(0, 4)); y++) {
    out.push(...publicHolidays(departement, y).filter((h) => h.date >= fromDate && h.date <= toDate));
  }
  return out;
}

function shiftDate(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
