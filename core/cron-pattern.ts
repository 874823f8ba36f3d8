/**
 * Five-field cron patterns (minute hour day-of-month month day-of-week), parsed into sets, with the day rules of
 * cron(8) (Vixie cron, as shipped by Debian): when both day fields are restricted a day matches either; when one of
 * them starts with `*` both must match. Time-zone and DST handling live in `cron-zone.ts` and `slots.ts`.
 *
 * Hand-written rather than delegated to croner so that the "fixed-time job" classification that drives the DST
 * policy (DESIGN.md §5) is computed from the very same parse that produces the matching sets.
 */

/** A parsed pattern. Sets are sorted ascending; day-of-week uses 0 = Sunday (7 is folded to 0). */
export interface CronPattern {
  source: string;
  minutes: number[];
  hours: number[];
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  daysOfWeek: ReadonlySet<number>;
  /** Day fields combine with OR (both restricted, cron(8)); otherwise with AND. */
  daysOr: boolean;
  /**
   * A fixed-time job in the sense of cron(8)'s DST rule: the minute field is one number and the hour field is one
   * number or a list of numbers (at most one run per hour, each at a definite wall-clock time). Everything else
   * (a wildcard, step or range in either field, or a list of minutes) is "more frequent than hourly" and follows
   * elapsed time. Source: DESIGN.md §5 "Slots", cron(8) "Daylight Saving Time and other time changes".
   */
  fixedTime: boolean;
}

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec {
  name: string;
  /** The field's name in French, for messages. */
  fr: string;
  min: number;
  max: number;
  names?: string[];
  /** Value of names[0]. */
  namesBase?: number;
}

const FIELDS: FieldSpec[] = [
  { name: 'minute', fr: 'minute', min: 0, max: 59 },
  { name: 'hour', fr: 'heure', min: 0, max: 23 },
  { name: 'day-of-month', fr: 'jour du mois', min: 1, max: 31 },
  { name: 'month', fr: 'mois', min: 1, max: 12, names: MONTH_NAMES, namesBase: 1 },
  // 7 is accepted as Sunday, as in cron(5).
  { name: 'day-of-week', fr: 'jour de la semaine', min: 0, max: 7, names: DAY_NAMES, namesBase: 0 },
];

/** Days in each month of a leap year: a pattern is possible if some (month, day) exists in some year. */
const MAX_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

class CronSyntaxError extends Error {}

function parseValue(text: string, spec: FieldSpec): number {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n < spec.min || n > spec.max) throw new CronSyntaxError(`${spec.fr} ${n} hors de la plage ${spec.min}-${spec.max} / ${spec.name} ${n} is out of range ${spec.min}-${spec.max}`);
    return n;
  }
  const index = spec.names?.indexOf(text.toLowerCase()) ?? -1;
  if (index < 0) throw new CronSyntaxError(`${spec.fr} "${text}" ${spec.names ? "n'est ni un nombre ni un nom" : "n'est pas un nombre"} / ${spec.name} "${text}" is not a number${spec.names ? ' or a name' : ''}`);
  return index + (spec.namesBase ?? 0);
}

/** One field → its sorted values, and whether it starts with `*` (cron(8)'s "star" flag for the day rule). */
function parseField(text: string, spec: FieldSpec): { values: number[]; star: boolean } {
  const values = new Set<number>();
  const star = text.startsWith('*') || text === '?';
  for (const item of text.split(',')) {
    const match = /^(\*|\?|[a-z0-9]+(?:-[a-z0-9]+)?)(?:\/(\d+))?$/i.exec(item);
    if (!match) throw new CronSyntaxError(`champ ${spec.fr} "${text}" : "${item}" illisible / ${spec.name} field "${text}": cannot read "${item}"`);
    const [, base, stepText] = match;
    if (base === '?' && spec.name !== 'day-of-month' && spec.name !== 'day-of-week') {
      throw new CronSyntaxError(`"?" n'est permis que dans les champs de jour / "?" is only allowed in the day fields`);
    }
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) throw new CronSyntaxError(`le pas du champ ${spec.fr} doit être au moins 1 / ${spec.name} step must be at least 1`);
    let from: number;
    let to: number;
    if (base === '*' || base === '?') {
      from = spec.min;
      to = spec.max === 7 ? 6 : spec.max;
    } else if (base!.includes('-')) {
      const [a, b] = base!.split('-');
      from = parseValue(a!, spec);
      to = parseValue(b!, spec);
      if (from > to) throw new CronSyntaxError(`plage ${base} inversée dans le champ ${spec.fr} / ${spec.name} range ${base} is reversed`);
    } else {
      from = parseValue(base!, spec);
      // "5/15" means 5-max/15 (as croner and cronie read it).
      to = stepText === undefined ? from : spec.max;
    }
    for (let v = from; v <= to; v += step) values.add(spec.max === 7 && v === 7 ? 0 : v);
  }
  return { values: [...values].sort((x, y) => x - y), star };
}

/**
 * Parses a pattern or throws an Error whose message names the problem.
 * Accepts 5 fields, names (JAN, MON), ranges, lists, steps (`*\/15`, `1-5/2`), `?` in the day fields and the
 * macros @yearly @annually @monthly @weekly @daily @midnight @hourly.
 */
export function parseCron(pattern: string): CronPattern {
  const source = pattern.trim();
  const expanded = MACROS[source.toLowerCase()] ?? source;
  if (expanded.startsWith('@')) throw new CronSyntaxError(`macro inconnue "${source}" (connues : ${Object.keys(MACROS).join(', ')}) / unknown macro "${source}" (known: ${Object.keys(MACROS).join(', ')})`);
  const parts = expanded.split(/\s+/).filter((p) => p !== '');
  if (parts.length !== 5) {
    const seconds = parts.length === 6;
    throw new CronSyntaxError(
      `5 champs attendus (minute heure jour-du-mois mois jour-de-la-semaine), pas ${parts.length}${seconds ? ' (les secondes ne sont pas prises en charge)' : ''} / ` +
        `expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}${seconds ? ' (seconds are not supported)' : ''}`,
    );
  }
  const [minute, hour, dom, month, dow] = parts.map((p, i) => parseField(p, FIELDS[i]!));
  const daysOr = !dom!.star && !dow!.star;
  const fixedTime = /^\d+$/.test(parts[0]!) && /^\d+(,\d+)*$/.test(parts[1]!);
  const result: CronPattern = {
    source,
    minutes: minute!.values,
    hours: hour!.values,
    daysOfMonth: new Set(dom!.values),
    months: new Set(month!.values),
    daysOfWeek: new Set(dow!.values),
    daysOr,
    fixedTime,
  };
  if (!daysOr && !month!.values.some((m) => dom!.values.some((d) => d <= MAX_DAYS[m - 1]!))) {
    throw new CronSyntaxError(`"${source}" ne se produit jamais : ce jour n'existe dans aucun des mois indiqués / "${source}" never matches: no such day in the months it names`);
  }
  return result;
}

/** Whether the pattern's day fields accept the civil date (month 1-12, weekday 0 = Sunday). */
export function matchesDay(p: CronPattern, month: number, day: number, weekday: number): boolean {
  if (!p.months.has(month)) return false;
  const dom = p.daysOfMonth.has(day);
  const dow = p.daysOfWeek.has(weekday);
  return p.daysOr ? dom || dow : dom && dow;
}

const cache = new Map<string, CronPattern>();
/** Memoised {@link parseCron}: schedules call it on every slot computation. Bounded, patterns are few. */
export function parseCronCached(pattern: string): CronPattern {
  let p = cache.get(pattern);
  if (!p) {
    p = parseCron(pattern);
    if (cache.size > 500) cache.clear();
    cache.set(pattern, p);
  }
  return p;
}

/** Validates a cron pattern; returns null or the problem in words (for config validation). */
export function checkCron(pattern: string): string | null {
  try {
    parseCron(pattern);
    return null;
  } catch (err) {
    if (err instanceof CronSyntaxError) return err.message;
    throw err;
  }
}
