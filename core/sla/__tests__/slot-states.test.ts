import { describe, expect, it } from 'vitest';
import { maintenanceWindowSchema } from '../../config/contract.js';
import { computeSlotStates, type LocationRef, type SlotRun } from '../slot-states.js';
import { resolveWindowOccurrences, windowApplies } from '../maintenance.js';
import { expectedSlots } from '../schedule-slots.js';
import { sumMinutes } from '../minutes.js';
import { paris, MIN, slots, ZONE } from './helpers.js';
import type { RunStatus } from '../../run-types.js';

const iso = (t: number) => new Date(t).toISOString();
const TWO_REFS: LocationRef[] = [
  { id: 'paris', kind: 'reference' },
  { id: 'lyon', kind: 'reference' },
  { id: 'lycee', kind: 'in-school' },
];

describe('contract state from locations', () => {
  const start = paris('2025-11-14 10:00');
  const one = [{ start, end: start + 5 * MIN }];
  const stateOf = (statuses: Record<string, RunStatus | null>) => {
    const runs: SlotRun[] = Object.entries(statuses)
      .filter(([, s]) => s !== null)
      .map(([location, status]) => ({ location, scheduledAt: start, status: status!, ...(status === 'down' ? { kind: 'http' as const } : {}) }));
    const slot = computeSlotStates({ slots: one, locations: TWO_REFS, runs, from: start, to: start + 5 * MIN, now: start + 10 * MIN }).slots[0];
    expect(slot).toBeDefined();
    return slot!;
  };

  it.each([
    [{ paris: 'up', lyon: 'down', lycee: null }, 'up'],
    [{ paris: 'degraded', lyon: 'down', lycee: null }, 'degraded'],
    [{ paris: 'down', lyon: 'down', lycee: 'up' }, 'down'],
    [{ paris: 'down', lyon: 'error', lycee: null }, 'down'],
    [{ paris: 'error', lyon: null, lycee: 'down' }, 'error'],
    [{ paris: null, lyon: null, lycee: 'up' }, 'missed'],
  ] as [Record<string, RunStatus | null>, string][])('%j → %s', (statuses, expected) => {
    expect(stateOf(statuses).state).toBe(expected);
  });

  it('a failure seen only in-school is the establishment network (error, local-network), not the provider', () => {
    const slot = stateOf({ paris: 'up', lyon: 'up', lycee: 'down' });
    expect(slot.state).toBe('up');
    expect(slot.byLocation.lycee).toEqual({ state: 'error', kind: 'local-network', party: 'establishment-network' });
  });

  it('an in-school failure confirmed by the references stays down there too', () => {
    const slot = stateOf({ paris: 'down', lyon: 'down', lycee: 'down' });
    expect(slot.byLocation.lycee?.state).toBe('down');
    expect(slot.party).toBe('provider');
  });
});

describe('derived states: missed, paused, pending, not monitored', () => {
  const from = paris('2025-11-14 10:00');
  const list = slots(from, from + 10 * MIN, 1);

  it('derives missed for slots without a run (never stored) and paused under an operator pause', () => {
    const r = computeSlotStates({
      slots: list,
      locations: [{ id: 'local', kind: 'reference' }],
      runs: [{ location: 'local', scheduledAt: from, status: 'up' }],
      pauses: [{ start: from + 5 * MIN, end: null }],
      from,
      to: from + 10 * MIN,
      now: from + 20 * MIN,
    });
    expect(r.slots.map((s) => s.state)).toEqual(['up', 'missed', 'missed', 'missed', 'missed', 'paused', 'paused', 'paused', 'paused', 'paused']);
  });

  it('leaves the open slot without a result out (pending), and everything after now', () => {
    const r = computeSlotStates({
      slots: list,
      locations: [{ id: 'local', kind: 'reference' }],
      runs: [0, 1, 2].map((i) => ({ location: 'local', scheduledAt: from + i * MIN, status: 'up' as const })),
      from,
      to: from + 10 * MIN,
      now: from + 3 * MIN + 30_000,
    });
    expect(r.slots).toHaveLength(3);
    expect(r.pendingFrom).toBe(from + 3 * MIN);
  });

  it('cuts not_monitored minute-exactly at first-seen, inside a slot', () => {
    const five = slots(from, from + 15 * MIN, 5);
    const r = computeSlotStates({
      slots: five,
      locations: [{ id: 'local', kind: 'reference' }],
      runs: five.map((s) => ({ location: 'local', scheduledAt: s.start, status: 'up' as const })),
      firstSeen: from + 7 * MIN,
      from,
      to: from + 15 * MIN,
      now: from + 15 * MIN,
    });
    const sums = sumMinutes(r.timeline, [{ start: from, end: from + 15 * MIN }], { parties: ['provider'] });
    expect(sums.notMonitoredMinutes).toBe(7);
    expect(sums.countedMinutes).toBe(8);
    expect(sums.upMinutes).toBe(8);
    expect(r.slots[0]?.state).toBe('not_monitored');
  });
});

describe('maintenance windows', () => {
  const announced = '2025-01-01T00:00:00Z';
  const occ = (w: unknown, from: string, to: string, announcedAt = announced, notice = 172_800) =>
    resolveWindowOccurrences([{ window: maintenanceWindowSchema.parse(w), announcedAt }], paris(from), paris(to), ZONE, notice).map((o) => [
      iso(o.start),
      iso(o.end),
      o.late,
    ]);

  it('a recurring window crossing midnight ends the next day', () => {
    expect(occ({ kind: 'recurring', id: 'w', start: '23:00', end: '01:00' }, '2025-11-14 00:00', '2025-11-15 00:00')).toEqual([
      ['2025-11-13T22:00:00.000Z', '2025-11-14T00:00:00.000Z', false],
      ['2025-11-14T22:00:00.000Z', '2025-11-15T00:00:00.000Z', false],
    ]);
  });

  it('start+end converts each end through the zone; start+duration lasts elapsed time (fall-back night)', () => {
    expect(occ({ kind: 'one-off', id: 'w', start: '2025-10-26T01:00', end: '2025-10-26T04:00' }, '2025-10-26 00:00', '2025-10-27 00:00')).toEqual([
      ['2025-10-25T23:00:00.000Z', '2025-10-26T03:00:00.000Z', false], // 4 h of elapsed time
    ]);
    expect(occ({ kind: 'one-off', id: 'w', start: '2025-10-26T01:00', duration: '3h' }, '2025-10-26 00:00', '2025-10-27 00:00')).toEqual([
      ['2025-10-25T23:00:00.000Z', '2025-10-26T02:00:00.000Z', false],
    ]);
  });

  it('a start in the spring gap happens right after the jump', () => {
    expect(occ({ kind: 'recurring', id: 'w', start: '02:30', duration: '30m', days: ['sun'] }, '2025-03-30 00:00', '2025-03-31 00:00')).toEqual([
      ['2025-03-30T01:00:00.000Z', '2025-03-30T01:30:00.000Z', false],
    ]);
  });

  it('each occurrence is late or not against the notice period', () => {
    const r = occ({ kind: 'recurring', id: 'w', start: '22:00', end: '23:00' }, '2025-11-14 00:00', '2025-11-17 00:00', '2025-11-14T00:00:00Z', 172_800);
    expect(r.map((o) => o[2])).toEqual([true, true, false]);
  });

  it('overlapping windows count their minutes once', () => {
    const from = paris('2025-11-14 00:00');
    const to = paris('2025-11-15 00:00');
    const windows = resolveWindowOccurrences(
      [
        { window: maintenanceWindowSchema.parse({ kind: 'one-off', id: 'a', start: '2025-11-14T22:00', end: '2025-11-14T23:00' }), announcedAt: announced },
        { window: maintenanceWindowSchema.parse({ kind: 'one-off', id: 'b', start: '2025-11-14T22:30', end: '2025-11-14T23:30' }), announcedAt: announced },
      ],
      from,
      to,
      ZONE,
      0,
    );
    const list = slots(from, to, 5);
    const r = computeSlotStates({ slots: list, locations: [{ id: 'local', kind: 'reference' }], runs: list.map((s) => ({ location: 'local', scheduledAt: s.start, status: 'up' as const })), windows, from, to, now: to });
    expect(sumMinutes(r.timeline, [{ start: from, end: to }], { parties: ['provider'] }).maintenanceMinutes).toBe(90);
  });

  it('scopes windows to targets, tenants and journeys', () => {
    expect(windowApplies({ journeys: ['login'] }, { target: 't', tenant: 'u', journey: 'login' })).toBe(true);
    expect(windowApplies({ journeys: ['login'] }, { target: 't', tenant: 'u', journey: 'roll-call' })).toBe(false);
    expect(windowApplies({}, { target: 't', tenant: 'u', journey: 'roll-call' })).toBe(true);
  });
});

describe('expected slots from the revisions schedule (core/slots.ts)', () => {
  it('a daytime-only cron schedule leaves the nights in no slot', () => {
    const list = expectedSlots(
      [{ schedule: { kind: 'cron', cron: '*/5 7-18 * * *', timezone: ZONE, intervalSeconds: 300 }, from: '2025-01-01T00:00:00Z', to: null }],
      paris('2025-11-14 00:00'),
      paris('2025-11-15 00:00'),
    );
    expect(list).toHaveLength(144);
    expect(iso(list[0]!.start.getTime())).toBe('2025-11-14T06:00:00.000Z');
    expect(iso(list[143]!.end.getTime())).toBe('2025-11-14T18:00:00.000Z');
  });

  it('includes the slot already running at the start of the period (7-minute slots at midnight)', () => {
    const from = paris('2025-11-14 00:00');
    const list = expectedSlots([{ schedule: { kind: 'interval', intervalSeconds: 420 }, from: '2025-01-01T00:00:00Z', to: null }], from, from + 30 * MIN);
    expect(list[0]!.start.getTime()).toBeLessThan(from);
    expect(list[0]!.end.getTime()).toBeGreaterThan(from);
    for (let i = 1; i < list.length; i++) expect(list[i]!.start.getTime()).toBe(list[i - 1]!.end.getTime());
  });

  it('a schedule changed by a revision mid-day keeps the slots of each revision', () => {
    const list = expectedSlots(
      [
        { schedule: { kind: 'interval', intervalSeconds: 300 }, from: '2025-01-01T00:00:00Z', to: '2025-11-14T10:02:00Z' },
        { schedule: { kind: 'interval', intervalSeconds: 600 }, from: '2025-11-14T10:02:00Z', to: null },
      ],
      '2025-11-14T09:50:00Z',
      '2025-11-14T10:30:00Z',
    );
    expect(list.map((s) => [iso(s.start.getTime()).slice(11, 16), iso(s.end.getTime()).slice(11, 16)])).toEqual([
      ['09:50', '09:55'],
      ['09:55', '10:00'],
      ['10:00', '10:02'],
      ['10:10', '10:20'],
      ['10:20', '10:30'],
    ]);
  });
});
