import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVigieError } from '../../core/errors.js';
import type { RunResult, RunStatus, RunTrigger } from '../../core/run-types.js';
import { makeRun, unique } from '../../db/__tests__/run-fixture.js';
import type { ResultWriter } from '../result-sink.js';

/** A run as read back from the store behind a writer: enough to tell which result of a slot was kept. */
export interface StoredRun {
  trigger: RunTrigger;
  location: string;
  /** ISO-8601 UTC, as written (`2025-11-14T13:00:00.000Z`). */
  scheduledAt: string;
  status: RunStatus;
}

/** What an implementation gives the suite. */
export interface ResultWriterHarness {
  writer: ResultWriter;
  /**
   * Every stored run (scheduled and manual) of this schedule id, in any order, read from the store itself (through
   * another connection when there is one), not through the writer.
   */
  readBack(scheduleId: string): Promise<StoredRun[]>;
  /**
   * Makes the store unreachable and returns the writer to try against it: `writer` itself when the harness can break
   * its store in place (PGlite: close it), otherwise a writer of the same implementation on a store that is down (a
   * pool on a port where nothing listens, a collector that is not running). Called once, by the last case.
   */
  breakStore(): Promise<ResultWriter>;
  /** Releases everything the harness opened (a store already broken included). */
  close(): Promise<void>;
}

/**
 * The one suite every {@link ResultWriter} passes (CONVENTIONS.md "Ports and adapters"): the store writer of a
 * process holding the store (db/result-writer.ts) today, the HTTP writer of remote workers to the collector later.
 * It checks the port's contract (probes/result-sink.ts), on which the buffered sink's retries rely:
 * - `write` resolves `{ duplicate: false }` once the result is durable: it can be read back from the store;
 * - a second result for a slot (schedule, location, scheduledAt) that has one resolves `{ duplicate: true }` and
 *   stores nothing (the first is kept), also when several writes of one slot race; other slots are not duplicates;
 * - manual runs are never duplicates (they are outside SLA slots);
 * - an invalid result rejects with a VigieError that is not `UNAVAILABLE` (refused for good, nothing stored);
 * - a store that cannot be reached rejects with VigieError `UNAVAILABLE` (the sink keeps the result and retries).
 *
 * `setup` is called once per suite, on a store with migrations applied; cases keep apart through unique schedule
 * ids. The unreachable-store case runs last since it may break the harness's store. Every future implementation must
 * pass every case.
 */
export function describeResultWriterConformance(name: string, setup: () => Promise<ResultWriterHarness>): void {
  describe(`result writer conformance: ${name}`, () => {
    let h: ResultWriterHarness;
    beforeAll(async () => {
      h = await setup();
    });
    afterAll(async () => {
      await h?.close();
    });

    const scheduled = (scheduleId: string, over: Partial<RunResult> = {}) => makeRun({ scheduleId, trigger: 'scheduled', ...over });

    it('resolves once the result is durable: it reads back from the store', async () => {
      const scheduleId = unique('durable');
      expect(await h.readBack(scheduleId)).toEqual([]);
      expect(await h.writer.write(scheduled(scheduleId, { status: 'degraded' }))).toEqual({ duplicate: false });
      expect(await h.readBack(scheduleId)).toEqual([
        { trigger: 'scheduled', location: 'local', scheduledAt: '2025-11-14T13:00:00.000Z', status: 'degraded' },
      ]);
    });

    it('answers duplicate for a second result of a slot, keeps the first, and tells other slots apart', async () => {
      const scheduleId = unique('dup');
      expect(await h.writer.write(scheduled(scheduleId, { status: 'up' }))).toEqual({ duplicate: false });
      // The retry of a late worker, another status: still the same slot.
      expect(
        await h.writer.write(scheduled(scheduleId, { status: 'down', kind: 'http', startedAt: '2025-11-14T13:04:00.000Z' })),
      ).toEqual({ duplicate: true });
      // The same instant written with another offset is the same slot.
      expect(await h.writer.write(scheduled(scheduleId, { scheduledAt: '2025-11-14T14:00:00.000+01:00' }))).toEqual({ duplicate: true });
      expect(await h.readBack(scheduleId)).toEqual([
        { trigger: 'scheduled', location: 'local', scheduledAt: '2025-11-14T13:00:00.000Z', status: 'up' },
      ]);

      expect(await h.writer.write(scheduled(scheduleId, { location: 'lycee-1' }))).toEqual({ duplicate: false });
      expect(await h.writer.write(scheduled(scheduleId, { scheduledAt: '2025-11-14T13:05:00.000Z' }))).toEqual({ duplicate: false });
      const rows = await h.readBack(scheduleId);
      expect(sortRuns(rows).map((r) => `${r.location}@${r.scheduledAt}`)).toEqual([
        'local@2025-11-14T13:00:00.000Z',
        'local@2025-11-14T13:05:00.000Z',
        'lycee-1@2025-11-14T13:00:00.000Z',
      ]);
    });

    it('stores exactly one result when writes of one slot race', async () => {
      const scheduleId = unique('race');
      const statuses: RunStatus[] = ['up', 'down', 'degraded', 'error'];
      const outcomes = await Promise.all(statuses.map((status) => h.writer.write(scheduled(scheduleId, { status }))));
      expect(outcomes.filter((o) => !o.duplicate)).toHaveLength(1);
      const rows = await h.readBack(scheduleId);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.status).toBe(statuses[outcomes.findIndex((o) => !o.duplicate)]); // the winner's result
    });

    it('never answers duplicate for a manual run', async () => {
      const scheduleId = unique('manual');
      const manual = makeRun({ scheduleId, trigger: 'manual' });
      expect(await h.writer.write(manual)).toEqual({ duplicate: false });
      expect(await h.writer.write(manual)).toEqual({ duplicate: false });
      // A scheduled result of that instant is not a copy of the manual ones, nor they of it.
      expect(await h.writer.write(scheduled(scheduleId))).toEqual({ duplicate: false });
      expect(await h.writer.write(manual)).toEqual({ duplicate: false });
      const rows = await h.readBack(scheduleId);
      expect(rows.filter((r) => r.trigger === 'manual')).toHaveLength(3);
      expect(rows.filter((r) => r.trigger === 'scheduled')).toHaveLength(1);
    });

    it('refuses an invalid result for good: a VigieError that is not UNAVAILABLE, nothing stored', async () => {
      const scheduleId = unique('invalid');
      const invalid: RunResult[] = [scheduled(scheduleId, { scheduledAt: 'yesterday' }), scheduled(scheduleId, { durationMs: -1 })];
      for (const run of invalid) {
        const err = await h.writer.write(run).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isVigieError(err)).toBe(true);
        expect(isVigieError(err, 'UNAVAILABLE')).toBe(false); // the sink would retry it forever
      }
      expect(await h.readBack(scheduleId)).toEqual([]);
    });

    it('rejects with UNAVAILABLE when the store cannot be reached', async () => {
      const writer = await h.breakStore();
      const t0 = Date.now();
      const err = await writer.write(scheduled(unique('outage'))).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isVigieError(err, 'UNAVAILABLE')).toBe(true);
      expect(Date.now() - t0).toBeLessThan(15_000); // a bounded wait, never a hang
    });
  });
}

function sortRuns(rows: StoredRun[]): StoredRun[] {
  const sortKey = (r: StoredRun) => `${r.location}@${r.scheduledAt}@${r.trigger}`;
  return [...rows].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
}
