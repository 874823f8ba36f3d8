/**
 * Durations written in config files: `90s`, `5m`, `1h`, `1h30m`, `2d`, or a bare number of seconds.
 * Returns whole seconds. Throws an Error whose message is meant to be shown after the field path.
 */
export function parseDurationSeconds(input: string | number): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input <= 0) throw new Error(`expected a positive duration, got ${input}`);
    return input;
  }
  const text = input.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return parseDurationSeconds(Number(text));
  const re = /(\d+)\s*(d|h|m|s|ms)/gy;
  let total = 0;
  let consumed = 0;
  for (const match of text.matchAll(re)) {
    const n = Number(match[1]);
    const unit = match[2];
    total += unit === 'd' ? n * 86400 : unit === 'h' ? n * 3600 : unit === 'm' ? n * 60 : unit === 's' ? n : n / 1000;
    consumed += match[0].length;
  }
  if (consumed !== text.length || total <= 0) {
    throw new Error(`expected a duration such as "30s", "5m", "1h30m" or "1d", got "${input}"`);
  }
  return total;
}
