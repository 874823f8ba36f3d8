import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../core/config/validate.js';
import { createSources, computeStatus, roundPercents } from '../index.js';
import { replayConfig, scheduleId, tenantUai } from '../../cli/__tests__/replay-fixture.js';

describe('GET /api/v1/status', () => {
  it('gives the state of a schedule whose only run is in the slot running when the first revision was stored', async () => {
    // `vigie start` at 10:02:10 with a 5-minute schedule: the scheduler runs the slot 10:00–10:05, which the
    // revision (stored at 10:02:10) does not expect yet. At 10:04 that run is the only news: the row said null.
    const snapshot = validateConfig(replayConfig({ tenants: 1, journeys: ['logout'] }));
    const id = scheduleId('logout', tenantUai(0));
    const created = Date.parse('2026-11-29T10:02:10Z');
    const revision = { id: 1, createdAt: new Date(created).toISOString(), contentSha256: '', snapshot };
    const store = {
      revisions: {
        listInForce: async () => [revision],
        firstSeenTimes: async () => ({ tenants: new Map([[tenantUai(0), created]]), schedules: new Map([[id, created]]), windows: new Map() }),
      },
      runs: { listScheduled: async () => [{ scheduleId: id, location: 'local', scheduledAt: Date.parse('2026-11-29T10:00:00Z'), status: 'up', durationMs: 900 }] },
      pauses: { list: async () => [] },
      calendars: { list: async () => [] },
    } as never;
    const status = await computeStatus(createSources(store), new Date('2026-11-29T10:04:00Z'));
    expect(status.rows[0]).toMatchObject({ schedule: id, state: 'up', lastSlotStart: '2026-11-29T10:00:00.000Z' });
    // Never `up` with coverage 0 (issue 9 item 4): the slot that ran is observed time.
    expect(status.rows[0]).toMatchObject({ availability24hPercent: 100, coverage24hPercent: 100 });
  });

  it('publishes percentages with 4 decimals, other numbers as they are', () => {
    expect(roundPercents({ availability24hPercent: 99.99999999999999, coveragePercent: 100.00000000000003, sums: { upMinutes: 1.23456789 }, list: [{ consumedPercent: 12.345678 }] })).toEqual({
      availability24hPercent: 100,
      coveragePercent: 100,
      sums: { upMinutes: 1.23456789 },
      list: [{ consumedPercent: 12.3457 }],
    });
  });
});

describe('status work is bounded', () => {
  it('computes /api/v1/status once per 10 seconds however many requests come', async () => {
    const { createEngine } = await import('../index.js');
    let now = Date.parse('2026-11-29T10:00:00Z');
    let calls = 0;
    const store = { revisions: { listInForce: async () => (calls++, []), firstSeenTimes: async () => ({ tenants: new Map(), schedules: new Map(), windows: new Map() }) } } as never;
    const engine = createEngine(store, { clock: () => new Date(now) });
    await Promise.all([engine.status(), engine.status(), engine.status()]);
    await engine.status();
    expect(calls).toBe(1);
    now += 10_000;
    await engine.status();
    expect(calls).toBe(2);
  });
});
