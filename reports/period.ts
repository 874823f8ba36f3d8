import { DateTime } from 'luxon';
import type { PeriodSpec } from '../engine/index.js';

/**
 * The period before `spec`, for the comparison section: the previous local month, the previous school year, or, for
 * `from`/`to`, the span of the same length that ends where it starts (local wall-clock dates in `zone` stay local).
 */
export function previousPeriod(spec: PeriodSpec, zone: string): PeriodSpec {
  if ('month' in spec) return { month: DateTime.fromFormat(spec.month, 'yyyy-MM', { zone }).minus({ months: 1 }).toFormat('yyyy-MM') };
  if ('schoolYear' in spec) {
    const first = Number(spec.schoolYear.slice(0, 4));
    return { schoolYear: `${first - 1}-${first}` };
  }
  const from = DateTime.fromISO(spec.from, { zone });
  const to = DateTime.fromISO(spec.to, { zone });
  // Calendar days first (a week across a DST change is still seven local days), then what is left.
  const span = to.diff(from, ['days', 'milliseconds']);
  return { from: from.minus(span).toISO()!, to: from.toISO()! };
}
