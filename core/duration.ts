/**
 * Durations written in config files: `1500ms`, `90s`, `5m`, `1h`, `1h30m`, `2d`, or a bare number of seconds (`45`,
 * `0.5`). Components are written largest unit first (`d`, `h`, `m`, `s`, `ms`), each at most once, optionally
 * separated by spaces (`1h 30m`). Returns seconds (fractional for `ms`), ≥ 0. Bounds (per field) are checked by
 * {@link checkDurationBounds}. Throws an Error whose message is meant to be shown after the field path.
 */
export function parseDurationSeconds(input: string | number): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) throw new Error(`durée ≥ 0 attendue, pas ${input} / expected a duration ≥ 0, got ${input}`);
    return input;
  }
  const text = input.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return parseDurationSeconds(Number(text));
  // `ms` must come before `m` in the alternation, or `1500ms` reads as `1500m` followed by a stray `s`.
  const re = /\s*(\d+)\s*(ms|d|h|m|s)/gy;
  let total = 0;
  let consumed = 0;
  let lastRank = -1;
  let ordered = true;
  for (const match of text.matchAll(re)) {
    const n = Number(match[1]);
    const unit = match[2] as Unit;
    const rank = UNITS.indexOf(unit);
    if (rank <= lastRank) ordered = false;
    lastRank = rank;
    total += n * UNIT_SECONDS[unit];
    consumed += match[0].length;
  }
  if (text.length === 0 || consumed !== text.length || !ordered || !Number.isFinite(total)) {
    throw new Error(`durée attendue telle que "1500ms", "30s", "5m", "1h30m" ou "1d", pas "${input}" / expected a duration such as "1500ms", "30s", "5m", "1h30m" or "1d", got "${input}"`);
  }
  // Round away float noise from `ms` (0.001 × n), keeping millisecond precision.
  return Math.round(total * 1000) / 1000;
}

type Unit = 'd' | 'h' | 'm' | 's' | 'ms';
const UNITS: readonly Unit[] = ['d', 'h', 'm', 's', 'ms'];
const UNIT_SECONDS: Record<Unit, number> = { d: 86400, h: 3600, m: 60, s: 1, ms: 0.001 };

/**
 * Longest delay Node's `setTimeout` honours: 2^31−1 ms (≈ 24.8 days), in seconds. A longer one is clamped to 1 ms and
 * fires at once, so no duration that feeds a timer may exceed it.
 */
export const MAX_TIMER_SECONDS = (2 ** 31 - 1) / 1000;

/** Inclusive lower bound and upper bound (inclusive unless `maxExclusive`) of a duration field, in seconds. */
export interface DurationBounds {
  min: number;
  max: number;
  maxExclusive?: boolean;
}

/**
 * Checks a parsed duration against its field's bounds.
 * @returns null when within bounds, else the message to show after the field path.
 */
export function checkDurationBounds(seconds: number, bounds: DurationBounds): string | null {
  const tooBig = bounds.maxExclusive ? seconds >= bounds.max : seconds > bounds.max;
  if (seconds >= bounds.min && !tooBig) return null;
  const [min, max, got] = [formatDuration(bounds.min), formatDuration(bounds.max), formatDuration(seconds)];
  const upperFr = bounds.maxExclusive ? `de moins de ${max}` : `d'au plus ${max}`;
  const upper = bounds.maxExclusive ? `less than ${max}` : `at most ${max}`;
  return `durée attendue d'au moins ${min} et ${upperFr}, pas ${got} / expected a duration of at least ${min} and ${upper}, got ${got}`;
}

/** Seconds → the config spelling, largest unit first: `0s`, `1.5` → `1s500ms`, `90` → `1m30s`, `86400` → `1d`. */
export function formatDuration(seconds: number): string {
  let ms = Math.round(seconds * 1000);
  if (ms === 0) return '0s';
  let out = '';
  for (const unit of UNITS) {
    const size = Math.round(UNIT_SECONDS[unit] * 1000);
    const n = Math.floor(ms / size);
    if (n > 0) {
      out += `${n}${unit}`;
      ms -= n * size;
    }
  }
  return out;
}
