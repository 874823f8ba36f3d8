import { clauseSchema, type ClauseConfig } from '../../config/contract.js';
import type { RunStatus } from '../../run-types.js';
import { wallClockToUtc } from '../../calendar/local-time.js';
import type { SlotRun } from '../slot-states.js';

export const ZONE = 'Europe/Paris';
export const MIN = 60_000;

/** UTC ms of a Paris wall-clock time `yyyy-MM-dd HH:mm`. */
export function paris(local: string): number {
  return wallClockToUtc(local.slice(0, 10), local.slice(11, 16), ZONE);
}

/** Interval slots of `minutes` over [from, to) (ms), aligned on the epoch like the interval scheduler. */
export function slots(from: number, to: number, minutes = 1): { start: number; end: number }[] {
  const step = minutes * MIN;
  const out: { start: number; end: number }[] = [];
  for (let s = Math.ceil(from / step) * step; s < to; s += step) out.push({ start: s, end: s + step });
  return out;
}

/** One run per slot at location `local`, status from `statusAt(start)`; null = no run. */
export function runs(list: { start: number }[], statusAt: (start: number) => RunStatus | null, location = 'local'): SlotRun[] {
  const out: SlotRun[] = [];
  for (const s of list) {
    const status = statusAt(s.start);
    if (status) out.push({ location, scheduledAt: s.start, status });
  }
  return out;
}

/** In `[paris(a), paris(b))`. */
export function within(a: string, b: string): (t: number) => boolean {
  const lo = paris(a);
  const hi = paris(b);
  return (t) => t >= lo && t < hi;
}

/** A validated clause (defaults from the schema): 24/7, provider counted, target 99.9. */
export function clause(overrides: Record<string, unknown> = {}): ClauseConfig {
  return clauseSchema.parse({ id: 'c', name: 'Disponibilité', journeys: ['login'], targetPercent: 99.9, ...overrides });
}

export const LOCAL = [{ id: 'local', kind: 'reference' as const }];

/** A percentage to 4 decimals, as the field scenarios write them. */
export function pct4(x: number | null | undefined): string {
  if (x === null || x === undefined) return String(x);
  return x.toFixed(4);
}
