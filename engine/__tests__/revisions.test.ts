import { describe, expect, it } from 'vitest';
import { parseRevisionSnapshot, REVISION_SCHEMA_VERSION, revisionSnapshot } from '../../core/config/revision.js';
import { validateConfig } from '../../core/config/validate.js';
import { isVigieError } from '../../core/errors.js';
import { replayConfig, scheduleId, tenantUai } from '../../cli/__tests__/replay-fixture.js';
import { computeSlaReport, createSources, schedulesOf, type ParsedRevision } from '../index.js';
import { expectedSlotRanges } from '../../core/sla/schedule-slots.js';

const config = validateConfig(replayConfig({ tenants: 2, journeys: ['login'] }));
const ref = { id: 12, createdAt: '2026-10-01T00:00:00.000Z' };

describe('revision snapshots are parsed, not cast', () => {
  it('stores the schema version and reads it back to the same config, fingerprints stripped', () => {
    const snapshot = revisionSnapshot(config, { 'env:VIGIE_REPLAY_PASSWORD': 'ab'.repeat(32) });
    expect(snapshot.schemaVersion).toBe(REVISION_SCHEMA_VERSION);
    expect(JSON.stringify(snapshot)).toContain('"hmacSha256":"abab');
    expect(parseRevisionSnapshot(JSON.parse(JSON.stringify(snapshot)), ref)).toEqual(config);
  });

  it('migrates a version-1 snapshot (no schemaVersion; an unsalted sha256 fingerprint of before 2026-11-29)', () => {
    const v1 = JSON.parse(JSON.stringify(config, (_k, v: unknown) => (v && typeof v === 'object' && 'env' in v ? { ...(v as object), sha256: 'f'.repeat(64) } : v)));
    expect(v1.schemaVersion).toBeUndefined();
    expect(parseRevisionSnapshot(v1, ref)).toEqual(config);
  });

  it('names the revision and the field when a snapshot does not parse, or comes from a newer Vigie', () => {
    const bad = { ...JSON.parse(JSON.stringify(config)), schemaVersion: 2, schedules: [{ id: 'x', journey: 'login', tenant: tenantUai(0), persona: 'prof', every: 'soon' }] };
    const err = (() => {
      try {
        parseRevisionSnapshot(bad, ref);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(isVigieError(err, 'INTERNAL')).toBe(true);
    expect((err as Error).message).toMatch(/revision 12 \(2026-10-01T00:00:00\.000Z\) unreadable: schedules\[0\]\.every/);
    expect(() => parseRevisionSnapshot({ ...JSON.parse(JSON.stringify(config)), schemaVersion: REVISION_SCHEMA_VERSION + 1 }, ref)).toThrow(/written by a newer Vigie/);
    expect(() => parseRevisionSnapshot('not an object', ref)).toThrow(/revision 12 .*not a JSON object/);
  });

  it('an SLA request over an unreadable revision fails with that revision named, not with a TypeError', async () => {
    const store = fakeStore([{ id: 3, createdAt: '2026-09-01T00:00:00.000Z', contentSha256: '', snapshot: { targets: 'oops' } }]);
    await expect(computeSlaReport(createSources(store), { contract: 'replay', period: { month: '2026-10' } }, new Date('2026-11-01T00:00:00Z'))).rejects.toThrow(/revision 3 .*unreadable: targets/);
  });
});

describe('contracts and schedules from revisions', () => {
  it('says so when the stored config has no contract at all', async () => {
    const { contracts: _none, ...withoutContracts } = JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
    const store = fakeStore([{ id: 1, createdAt: '2026-09-01T00:00:00.000Z', contentSha256: '', snapshot: withoutContracts }]);
    await expect(computeSlaReport(createSources(store), { contract: 'demo', period: { month: '2026-10' } }, new Date())).rejects.toThrow(/unknown contract "demo" \(.*no contract in the config/);
  });

  it('keeps first-appearance order, records when each schedule was present, and only enabled spans', () => {
    const a = Date.parse('2026-10-01T00:00:00Z');
    const b = Date.parse('2026-10-10T00:00:00Z');
    const second = validateConfig({ ...replayConfig({ tenants: 2, journeys: ['login'] }), schedules: [{ id: scheduleId('login', tenantUai(1)), journey: 'login', tenant: tenantUai(1), persona: 'prof', every: '5m', enabled: false }] });
    const revs: ParsedRevision[] = [
      { id: 1, createdAt: a, config },
      { id: 2, createdAt: b, config: second },
    ];
    const list = schedulesOf(revs);
    expect(list.map((s) => s.scheduleId)).toEqual([scheduleId('login', tenantUai(0)), scheduleId('login', tenantUai(1))]);
    const [first, other] = list;
    expect(first!.presence).toEqual([{ from: a, to: b }]);
    expect(other!.presence).toEqual([{ from: a, to: b }, { from: b, to: null }]);
    // Disabled in revision 2: no slots after b, but still present (its minutes are "non planifié", not forgotten).
    expect(other!.spans.map((s) => [s.from, s.to])).toEqual([[a, b]]);
  });
});

describe('a new revision with the same slots (a restart) does not cut the schedule', () => {
  const a = Date.parse('2026-10-01T00:00:00Z');
  const b = Date.parse('2026-10-05T08:02:30Z'); // restart in the middle of the 08:00 five-minute slot
  const c = Date.parse('2026-10-06T00:00:00Z');
  const id = scheduleId('login', tenantUai(0));
  const slotsAround = (revs: ParsedRevision[]) =>
    expectedSlotRanges(schedulesOf(revs).find((x) => x.scheduleId === id)!.spans, b - 600_000, b + 600_000).map((r) => [new Date(r.start).toISOString().slice(11, 19), (r.end - r.start) / 1000]);

  it('three starts with the same config: one span, and the slot running at the restart whole (found by a new user)', () => {
    const revs: ParsedRevision[] = [1, 2, 3].map((n, i) => ({ id: n, createdAt: [a, b, c][i]!, config }));
    expect(schedulesOf(revs).find((x) => x.scheduleId === id)!.spans.map((s) => [s.from, s.to])).toEqual([[a, null]]);
    // Before: [07:55 300 s] [08:00 150 s] then 08:05 — the rest of the 08:00 slot was "non planifié" after the restart.
    expect(slotsAround(revs)).toEqual([['07:50:00', 300], ['07:55:00', 300], ['08:00:00', 300], ['08:05:00', 300], ['08:10:00', 300]]);
  });

  it('a revision that changes the slots still starts a new span (the old slot ends at the change)', () => {
    const faster = validateConfig({ ...replayConfig({ tenants: 2, journeys: ['login'] }), schedules: [{ id, journey: 'login', tenant: tenantUai(0), persona: 'prof', every: '2m' }] });
    const revs: ParsedRevision[] = [{ id: 1, createdAt: a, config }, { id: 2, createdAt: b, config: faster }];
    expect(schedulesOf(revs).find((x) => x.scheduleId === id)!.spans.map((s) => [s.from, s.to])).toEqual([[a, b], [b, null]]);
    expect(slotsAround(revs).slice(0, 3)).toEqual([['07:50:00', 300], ['07:55:00', 300], ['08:00:00', 150]]);
  });
});

/** A store whose revision repository holds `revisions`; everything else is empty. */
function fakeStore(revisions: { id: number; createdAt: string; contentSha256: string; snapshot: unknown }[]) {
  return {
    revisions: {
      latest: async () => revisions.at(-1) ?? null,
      listInForce: async () => revisions,
      firstSeenTimes: async () => ({ tenants: new Map(), schedules: new Map(), windows: new Map() }),
    },
    runs: { listScheduled: async () => [], listPassingSteps: async () => [] },
    pauses: { list: async () => [] },
    calendars: { list: async () => [] },
    corrections: { list: async () => [] },
    incidents: { list: async () => [] },
  } as never;
}
