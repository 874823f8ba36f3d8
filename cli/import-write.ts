import type { RequestContext } from '../core/request-context.js';
import type { RunResult } from '../core/run-types.js';
import type { SlaInputs } from '../engine/index.js';

/** One batch of valid lines: the runs and the (1-based) line numbers they came from, in file order. */
export interface LineBatch {
  runs: RunResult[];
  lines: number[];
}

/** What the writing step of `vigie import` did. */
export interface WriteOutcome {
  /**
   * `stored`: every valid line is stored (or was already there); `failed`: nothing of the file is stored (the one
   * transaction rolled back); `partial`: through the admin API, the lines of `committedLines` are stored, the others
   * are not (re-running the import stores the rest: slots already stored are skipped).
   */
  outcome: 'stored' | 'failed' | 'partial';
  revisionId: number | null;
  revisionReused: boolean;
  inserted: number;
  duplicates: number;
  /** Line ranges `[first, last]` whose runs are in the store after this import (inserted or already there). */
  committedLines: [number, number][];
  /** Why it stopped, for `failed` and `partial`: the error's code and message (no stack). */
  failure?: { code: string; message: string };
}

/** Revision and audit parts every write shares. */
export interface WriteInput {
  snapshot: unknown;
  /** The file's first slot (ISO), the date the revision is in force from. */
  createdAt: string;
  importedBy: string;
  subject: string;
  /** Audit details known before writing (lines, rejected, conflicts, …). */
  details: Record<string, unknown>;
  batches: () => AsyncIterable<LineBatch>;
}

/** Appends a line range, merging it with the last one when contiguous in the file's valid lines. */
export function addRanges(ranges: [number, number][], lines: readonly number[]): void {
  for (const n of lines) {
    const last = ranges[ranges.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else ranges.push([n, n]);
  }
}

/** `1–2000, 2003–4100` (at most `max` ranges, then `… +k`). */
export function formatRanges(ranges: readonly [number, number][], max = 10): string {
  if (ranges.length === 0) return '-';
  const text = ranges.slice(0, max).map(([a, b]) => (a === b ? String(a) : `${a}–${b}`)).join(', ');
  return ranges.length > max ? `${text}, … +${ranges.length - max}` : text;
}

/**
 * Reads one item ahead: while the consumer writes batch k, batch k+1 is already being parsed (PGlite and PostgreSQL
 * work outside this thread, so parsing and writing overlap, as the import did before it became one transaction).
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let next = it.next();
  try {
    for (;;) {
      const r = await next;
      if (r.done) return;
      next = it.next();
      // Awaited at the next turn; the no-op handler keeps a failure from being reported as unhandled meanwhile.
      next.catch(() => undefined);
      yield r.value;
    }
  } finally {
    await it.return?.();
  }
}

const failureOf = (err: unknown) => ({ code: (err as { code?: unknown }).code === undefined ? 'INTERNAL' : String((err as { code: unknown }).code), message: (err as Error).message ?? String(err) });

/**
 * Writes the valid lines of a file where this process holds the store: everything in one transaction
 * (`inputs.importRunFile`), audit entry included, so the outcome is `stored` or `failed` with nothing stored. A
 * failure is returned, not thrown; the caller records it in a second audit entry (the first rolled back with the rest).
 */
export async function writeAtomically(inputs: Required<Pick<SlaInputs, 'importRunFile'>>, ctx: RequestContext, input: WriteInput): Promise<WriteOutcome> {
  const committed: [number, number][] = [];
  const pending: number[][] = [];
  async function* runs(): AsyncGenerator<RunResult[]> {
    for await (const b of readAhead(input.batches())) {
      pending.push(b.lines);
      yield b.runs;
    }
  }
  try {
    const out = await inputs.importRunFile(ctx, { snapshot: input.snapshot, createdAt: input.createdAt, importedBy: input.importedBy, subject: input.subject, details: { ...input.details, outcome: 'stored' }, batches: runs() });
    for (const lines of pending) addRanges(committed, lines);
    return { outcome: 'stored', revisionId: out.revisionId, revisionReused: out.revisionReused, inserted: out.inserted, duplicates: out.duplicates, committedLines: committed };
  } catch (err) {
    return { outcome: 'failed', revisionId: null, revisionReused: false, inserted: 0, duplicates: 0, committedLines: [], failure: failureOf(err) };
  }
}

/**
 * Writes the valid lines through the admin API of a running `vigie start`: the revision, then each batch in its own
 * transaction there (one HTTP request each), so a failure part-way leaves the earlier batches stored. The outcome
 * says exactly which lines are stored (`committedLines`); a failure is returned, not thrown. The audit entry is the
 * caller's (it is written whatever the outcome).
 */
export async function writeInBatches(inputs: Pick<SlaInputs, 'importRevision' | 'importRuns'>, ctx: RequestContext, input: WriteInput): Promise<WriteOutcome> {
  const out: WriteOutcome = { outcome: 'stored', revisionId: null, revisionReused: false, inserted: 0, duplicates: 0, committedLines: [] };
  try {
    const revision = await inputs.importRevision(ctx, { snapshot: input.snapshot, createdAt: input.createdAt, importedBy: input.importedBy });
    out.revisionId = revision.id;
    out.revisionReused = revision.reused;
    for await (const b of readAhead(input.batches())) {
      const r = await inputs.importRuns(ctx, b.runs.map((run) => ({ ...run, revisionId: revision.id })));
      out.inserted += r.inserted;
      out.duplicates += r.duplicates;
      addRanges(out.committedLines, b.lines);
    }
  } catch (err) {
    out.failure = failureOf(err);
    out.outcome = out.committedLines.length > 0 ? 'partial' : 'failed';
  }
  return out;
}
