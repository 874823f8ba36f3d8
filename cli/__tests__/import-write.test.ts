import { describe, expect, it } from 'vitest';
import { VigieError } from '../../core/errors.js';
import { operatorContext } from '../../core/request-context.js';
import type { RunResult } from '../../core/run-types.js';
import { addRanges, formatRanges, readAhead, writeAtomically, writeInBatches, type LineBatch, type WriteInput } from '../import-write.js';

const ctx = operatorContext('test');
const run = (i: number) => ({ scheduleId: `s${i}` }) as unknown as RunResult;
/** Three batches of lines 1–3, 4–5 (line 6 rejected, skipped), 7–9. */
const BATCHES: LineBatch[] = [
  { runs: [run(1), run(2), run(3)], lines: [1, 2, 3] },
  { runs: [run(4), run(5)], lines: [4, 5] },
  { runs: [run(7), run(8), run(9)], lines: [7, 8, 9] },
];
const input = (batches: LineBatch[] = BATCHES): WriteInput => ({
  snapshot: {},
  createdAt: '2026-10-05T06:00:00Z',
  importedBy: 'alice',
  subject: 'runs.jsonl',
  details: {},
  batches: async function* () {
    yield* batches;
  },
});

describe('vigie import through the admin API: batches, and exactly which lines were stored', () => {
  it('reports the line ranges of the batches stored before the one that failed', async () => {
    let calls = 0;
    const seenBy: (string | undefined)[] = [];
    const inputs = {
      importRevision: async (_c: unknown, r: { importedBy?: string }) => (seenBy.push(r.importedBy), { id: 7, reused: false }),
      importRuns: async (_c: unknown, runs: readonly RunResult[]) => {
        calls += 1;
        if (calls === 3) throw new VigieError('UNAVAILABLE', 'vigie start does not answer');
        expect(runs.every((r) => r.revisionId === 7)).toBe(true);
        return { inserted: runs.length - 1, duplicates: 1 };
      },
    };
    const out = await writeInBatches(inputs, ctx, input());
    expect(out).toMatchObject({ outcome: 'partial', revisionId: 7, inserted: 3, duplicates: 2, committedLines: [[1, 5]], failure: { code: 'UNAVAILABLE', message: 'vigie start does not answer' } });
    expect(seenBy).toEqual(['alice']);
    expect(formatRanges(out.committedLines)).toBe('1–5');
  });

  it('is `failed` with no line stored when the first batch fails, `stored` when none does', async () => {
    const failing = { importRevision: async () => ({ id: 1, reused: true }), importRuns: async () => Promise.reject(new Error('boom')) };
    expect(await writeInBatches(failing, ctx, input())).toMatchObject({ outcome: 'failed', committedLines: [], failure: { code: 'INTERNAL', message: 'boom' } });
    const fine = { importRevision: async () => ({ id: 1, reused: true }), importRuns: async (_c: unknown, runs: readonly RunResult[]) => ({ inserted: runs.length, duplicates: 0 }) };
    const out = await writeInBatches(fine, ctx, input());
    expect(out).toMatchObject({ outcome: 'stored', inserted: 8, committedLines: [[1, 5], [7, 9]] });
    expect(formatRanges(out.committedLines)).toBe('1–5, 7–9');
  });
});

describe('vigie import where this process holds the store: one transaction', () => {
  it('returns failed with nothing committed when the transaction throws, and the ranges when it commits', async () => {
    const refused = await writeAtomically({ importRunFile: async (_c, i) => { for await (const _ of i.batches) void _; throw Object.assign(new Error('22P05 unsupported Unicode escape'), { code: '22P05' }); } }, ctx, input());
    expect(refused).toMatchObject({ outcome: 'failed', committedLines: [], inserted: 0, failure: { code: '22P05' } });
    const stored = await writeAtomically({ importRunFile: async (_c, i) => { let n = 0; for await (const b of i.batches) n += b.length; return { revisionId: 3, revisionReused: false, inserted: n, duplicates: 0 }; } }, ctx, input());
    expect(stored).toMatchObject({ outcome: 'stored', revisionId: 3, inserted: 8, committedLines: [[1, 5], [7, 9]] });
  });
});

describe('helpers', () => {
  it('addRanges merges contiguous lines; formatRanges caps the list', () => {
    const r: [number, number][] = [];
    addRanges(r, [1, 2, 3, 5]);
    addRanges(r, [6, 9]);
    expect(r).toEqual([[1, 3], [5, 6], [9, 9]]);
    expect(formatRanges(r, 2)).toBe('1–3, 5–6, … +1');
    expect(formatRanges([])).toBe('-');
  });

  it('readAhead starts reading the next item while the consumer works on the current one', async () => {
    const log: string[] = [];
    async function* source() {
      for (const i of [1, 2, 3]) {
        log.push(`read ${i}`);
        yield i;
      }
    }
    for await (const i of readAhead(source())) {
      await new Promise((r) => setTimeout(r, 5));
      log.push(`write ${i}`);
    }
    expect(log).toEqual(['read 1', 'read 2', 'write 1', 'read 3', 'write 2', 'write 3']);
  });
});
