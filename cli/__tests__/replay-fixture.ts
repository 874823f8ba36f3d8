import { createWriteStream } from 'node:fs';
import { uaiCheckLetter } from '../../core/uai.js';

/**
 * The replay of the acceptance test (issue 4): a month of 5-minute runs for journeys × tenants as JSON Lines, with
 * down episodes, errors, missing slots, degraded runs and operator pauses, and the expected figures computed here
 * straight from the generated data — deliberately NOT through core/sla: local time through Intl (not luxon), slot
 * counting by hand, the Toussaint holidays of zone B 2026 written out from the ministry's file.
 */

export const MONTH = '2026-10';
/** 2026-10-01T00:00 Paris (CEST) … 2026-11-01T00:00 Paris (CET): 31 days + the hour of 25 October. */
export const MONTH_FROM = Date.UTC(2026, 8, 30, 22, 0);
export const MONTH_TO = Date.UTC(2026, 9, 31, 23, 0);
const SLOT = 5 * 60_000;
/** Vacances de la Toussaint, zone B 2026: 17 October to 2 November (first day back), from data/calendrier-scolaire/Zone-B.ics. */
const TOUSSAINT = ['2026-10-17', '2026-11-02'] as const;

export interface ReplaySpec {
  tenants: number;
  journeys: readonly string[];
  seed?: number;
}

export interface Pause {
  scheduleId: string;
  start: number;
  end: number;
}

/** Per-state minute counts and the figures a clause must show. */
export interface Expected {
  counted: number;
  byState: Record<string, number>;
  up: number;
  down: number;
  unknown: number;
  availability: number | null;
  coverage: number | null;
  /** Schedule adherence: counted slots expected (all but paused), executed (a line in the JSONL), missed. */
  schedule: { expectedSlots: number; executedSlots: number; missedSlots: number; pausedSlots: number };
}

export function tenantUai(i: number): string {
  const stem = String(510100 + i).padStart(7, '0');
  return `${stem}${uaiCheckLetter(stem)}`;
}

export const scheduleId = (journey: string, uai: string) => `${journey}-${uai}`;

/** The config of the replay: N tenants of zone B (Marne), one schedule per journey × tenant, two clauses. */
export function replayConfig(spec: ReplaySpec): Record<string, unknown> {
  const tenants = Array.from({ length: spec.tenants }, (_, i) => tenantUai(i));
  return {
    timezone: 'Europe/Paris',
    targets: [{ id: 'ent', name: 'ENT', profile: 'sandbox', ssoUrl: 'http://sso.localhost:7080' }],
    tenants: tenants.map((uai) => ({ uai, name: `Lycée ${uai}`, target: 'ent', entUrl: 'http://lycee.localhost:7080', academie: 'Reims', departement: '51', zone: 'B' })),
    personas: [{ id: 'prof', role: 'teacher', username: 'prof', password: { env: 'VIGIE_REPLAY_PASSWORD' } }],
    schedules: tenants.flatMap((uai) => spec.journeys.map((journey) => ({ id: scheduleId(journey, uai), journey, tenant: uai, persona: 'prof', every: '5m' }))),
    contracts: [
      {
        id: 'replay',
        name: 'Rejeu',
        startDate: '2026-09-01',
        clauses: [
          { id: 'h24', name: '24/7', journeys: [...spec.journeys], targetPercent: 99 },
          {
            id: 'scolaire',
            name: 'Heures scolaires',
            journeys: [...spec.journeys],
            targetPercent: 99.5,
            serviceHours: { weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '07:00', to: '19:00' }] },
            calendar: { schoolHolidays: true, publicHolidays: true },
          },
        ],
      },
    ],
  };
}

/** Small deterministic PRNG (mulberry32) so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type SlotOutcome = 'up' | 'degraded' | 'down' | 'error' | 'missed' | 'paused';

/**
 * Writes the JSONL and returns the pauses to store and, per schedule, the outcome of every slot (for the expected
 * figures). Down episodes: each series gets 0–3 outages of 1–30 slots; 1 % errors, 2 % missing, 3 % degraded; every
 * fifth schedule has a 2-hour operator pause (no runs inside it).
 */
export async function writeReplay(file: string, spec: ReplaySpec): Promise<{ lines: number; pauses: Pause[]; outcomes: Map<string, SlotOutcome[]> }> {
  const rand = rng(spec.seed ?? 42);
  const out = createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  const slots = (MONTH_TO - MONTH_FROM) / SLOT;
  const pauses: Pause[] = [];
  const outcomes = new Map<string, SlotOutcome[]>();
  let lines = 0;
  let n = 0;
  for (let t = 0; t < spec.tenants; t++) {
    for (const journey of spec.journeys) {
      const id = scheduleId(journey, tenantUai(t));
      const states: SlotOutcome[] = new Array(slots).fill('up');
      for (let k = Math.floor(rand() * 4); k > 0; k--) {
        const start = Math.floor(rand() * slots);
        const len = 1 + Math.floor(rand() * 30);
        for (let i = start; i < Math.min(slots, start + len); i++) states[i] = 'down';
      }
      for (let i = 0; i < slots; i++) {
        const r = rand();
        if (r < 0.01) states[i] = 'error';
        else if (r < 0.03) states[i] = 'missed';
        else if (r < 0.06 && states[i] === 'up') states[i] = 'degraded';
      }
      if (n++ % 5 === 0) {
        const start = Math.floor(rand() * (slots - 24));
        pauses.push({ scheduleId: id, start: MONTH_FROM + start * SLOT, end: MONTH_FROM + (start + 24) * SLOT });
        for (let i = start; i < start + 24; i++) states[i] = 'paused';
      }
      outcomes.set(id, states);
      let chunk = '';
      for (let i = 0; i < slots; i++) {
        const s = states[i];
        if (s === 'missed' || s === 'paused') continue;
        const at = new Date(MONTH_FROM + i * SLOT).toISOString();
        const line: Record<string, unknown> = { scheduleId: id, scheduledAt: at, status: s, durationMs: 1500 + Math.floor(rand() * 500) };
        if (s === 'down') {
          line.kind = 'timeout';
          line.attempts = [{ attempt: 1, status: 'down', kind: 'timeout', durationMs: 60000, steps: [{ name: 'credentials', status: 'failed', durationMs: 60000, error: { message: 'timeout after 60 s', kind: 'timeout' } }] }];
        } else if (s === 'error') line.kind = 'infra';
        chunk += `${JSON.stringify(line)}\n`;
        lines += 1;
      }
      await write(chunk);
    }
  }
  await new Promise<void>((r) => out.end(() => r()));
  return { lines, pauses, outcomes };
}

const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23', weekday: 'short' });

/** Is the 5-minute slot starting at `t` inside Mon–Fri 07:00–19:00 Paris, outside the Toussaint holidays? */
function inSchoolHours(t: number): boolean {
  const parts = Object.fromEntries(fmt.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const hour = Number(parts.hour);
  return !['Sat', 'Sun'].includes(parts.weekday!) && hour >= 7 && hour < 19 && !(date >= TOUSSAINT[0] && date < TOUSSAINT[1]); // fmt asks for the weekday
}

/** The expected pooled figures of a clause (`h24` or `scolaire`) over every series, from the slot outcomes. */
export function expectedFigures(outcomes: Map<string, SlotOutcome[]>, clause: 'h24' | 'scolaire'): Expected {
  const slots = (MONTH_TO - MONTH_FROM) / SLOT;
  const counts = Array.from({ length: slots }, (_, i) => clause === 'h24' || inSchoolHours(MONTH_FROM + i * SLOT));
  const byState: Record<string, number> = {};
  const schedule = { expectedSlots: 0, executedSlots: 0, missedSlots: 0, pausedSlots: 0 };
  for (const states of outcomes.values()) {
    states.forEach((s, i) => {
      if (!counts[i]) return;
      byState[s] = (byState[s] ?? 0) + 5;
      if (s === 'paused') schedule.pausedSlots += 1;
      else {
        schedule.expectedSlots += 1;
        if (s === 'missed') schedule.missedSlots += 1;
        else schedule.executedSlots += 1;
      }
    });
  }
  const up = (byState.up ?? 0) + (byState.degraded ?? 0);
  const down = byState.down ?? 0;
  const unknown = (byState.error ?? 0) + (byState.missed ?? 0) + (byState.paused ?? 0);
  const counted = up + down + unknown;
  return { counted, byState, up, down, unknown, availability: up + down > 0 ? (up / (up + down)) * 100 : null, coverage: counted > 0 ? ((up + down) / counted) * 100 : null, schedule };
}
