import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { revisionSnapshot } from '../core/config/revision.js';
import { VigieError } from '../core/errors.js';
import type { RunResult } from '../core/run-types.js';
import { createLineReader, type LineIssue } from './import-line.js';
import { currentUser, openSlaBackend, withUsageErrors } from './sla-access.js';

export interface ImportOptions {
  config?: string;
  dataDir?: string;
  author?: string;
  /** Runs per transaction (default 2000; 500 through the admin API). */
  batchSize?: number;
  /** Largest batch in JSON bytes (default `LOCAL_BATCH_BYTES`, `REMOTE_BATCH_BYTES` through the admin API). */
  batchBytes?: number;
}

/**
 * Batch size limits in bytes of JSON. The admin API of a running `vigie start` takes bodies up to 5 MB: a batch of
 * 500 runs with many steps went over and failed with INTERNAL, so batches are cut by bytes too, well under the limit.
 */
export const REMOTE_BATCH_BYTES = 1_000_000;
/** Locally one batch is one jsonb parameter: keep it to a few MB. */
export const LOCAL_BATCH_BYTES = 4_000_000;

/** Collects items into batches cut at `maxItems` items or `maxBytes` bytes of JSON, whichever comes first. */
export class ByteBatcher<T> {
  private items: T[] = [];
  private bytes = 0;
  constructor(private readonly maxItems: number, private readonly maxBytes: number) {}
  /** Adds an item; returns the batch to send when adding it would exceed a limit (the item starts the next one). */
  add(item: T): T[] | null {
    const size = Buffer.byteLength(JSON.stringify(item)) + 1;
    let out: T[] | null = null;
    if (this.items.length > 0 && (this.items.length >= this.maxItems || this.bytes + size > this.maxBytes)) out = this.take();
    this.items.push(item);
    this.bytes += size;
    return out;
  }
  /** The batch collected so far (possibly empty), and a fresh start. */
  take(): T[] {
    const out = this.items;
    this.items = [];
    this.bytes = 0;
    return out;
  }
}

/** Summary printed by `vigie import`. */
export interface ImportSummary {
  lines: number;
  inserted: number;
  duplicates: number;
  rejected: number;
  revisionId: number | null;
  issues: LineIssue[];
  /** Slots given more than once with different statuses (the first line wins): `line N: … (first at line M)`. */
  conflicts: { line: number; firstLine: number; slot: string; statuses: [string, string] }[];
  conflictCount: number;
}

async function* lines(file: string): AsyncGenerator<[string, number]> {
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const raw of rl) {
    n += 1;
    // A UTF-8 byte-order mark (files saved by some Windows editors) is not part of the first line's JSON.
    const text = n === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() !== '') yield [text, n];
  }
}

/**
 * `vigie import <runs.jsonl> --config <vigie.yml>`: loads historical runs (line shape: cli/import-line.ts). Two
 * passes: the first validates every line (errors name the line and the field) and finds the earliest slot; the
 * config is then stored as a revision dated at that slot (so its tenants and schedules are "first seen" then, DESIGN.md
 * §5) unless the revision in force then has the same content; the second pass inserts valid lines in batches, each
 * in one transaction, idempotent on (schedule, location, slot): re-importing a file inserts 0. Nothing stored is
 * changed or lost. Exit 0 when every line was imported or already there, 1 when some lines were rejected.
 */
export async function runImport(file: string, opts: ImportOptions, log: (s: string) => void = (s) => console.log(s)): Promise<number> {
  return withUsageErrors(async () => {
    const summary = await importRuns(file, opts);
    for (const i of summary.issues.slice(0, 20)) console.error(`ligne / line ${i.line}: ${i.path}: ${i.message}`);
    if (summary.issues.length > 20) console.error(`… ${summary.issues.length - 20} autres problèmes / more issues`);
    for (const c of summary.conflicts.slice(0, 20)) {
      console.error(`ligne / line ${c.line}: attention / warning: créneau / slot ${c.slot} déjà donné ligne / already given at line ${c.firstLine} avec un autre statut / with another status (${c.statuses[0]} ≠ ${c.statuses[1]}); la première ligne l'emporte / the first line wins`);
    }
    log(
      `Import ${basename(file)} : ${summary.inserted} insérées (inserted), ${summary.duplicates} déjà présentes (duplicates), ` +
        `${summary.rejected} lignes rejetées (rejected lines) sur ${summary.lines} — révision ${summary.revisionId ?? '-'}` +
        (summary.conflictCount > 0 ? `\nAttention / warning: ${summary.conflictCount} créneau(x) en double avec des statuts différents (slots given twice with conflicting statuses)` : ''),
    );
    return summary.rejected > 0 ? 1 : 0;
  });
}

/** The import itself (see {@link runImport}); returns the summary. */
export async function importRuns(file: string, opts: ImportOptions): Promise<ImportSummary> {
  if (!opts.config) throw new VigieError('VALIDATION', '--config: required (the runs are imported under a revision made from this file)');
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new VigieError('VALIDATION', `file: ${file} not found`);
    throw new VigieError('VALIDATION', `file: ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (!isFile) throw new VigieError('VALIDATION', `file: ${file} is not a file (a directory?): give a JSONL file of runs`);
  const access = await openSlaBackend(opts);
  try {
    const config = access.config!;
    const readLine = createLineReader(config);
    const issues: LineIssue[] = [];
    const rejectedLines = new Set<number>();
    const conflicts: ImportSummary['conflicts'] = [];
    let conflictCount = 0;
    // slot key → [first line, status]: detects two lines for one slot that disagree (the store keeps the first).
    const slots = new Map<string, [number, string]>();
    let count = 0;
    let earliest = Infinity;
    try {
      for await (const [text, n] of lines(file)) {
        count += 1;
        const r = readLine(text, n);
        if (r.issues) {
          rejectedLines.add(n);
          if (issues.length < 1000) issues.push(...r.issues);
        } else {
          earliest = Math.min(earliest, Date.parse(r.run.scheduledAt));
          const key = `${r.run.scheduleId} ${r.run.location} ${r.run.scheduledAt}`;
          const first = slots.get(key);
          if (!first) slots.set(key, [n, r.run.status]);
          else if (first[1] !== r.run.status) {
            conflictCount += 1;
            if (conflicts.length < 100) conflicts.push({ line: n, firstLine: first[0], slot: key, statuses: [first[1], r.run.status] });
          }
        }
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new VigieError('VALIDATION', `file: ${file} not found`);
      throw err;
    }
    slots.clear();
    const summary: ImportSummary = { lines: count, inserted: 0, duplicates: 0, rejected: rejectedLines.size, revisionId: null, issues, conflicts, conflictCount };
    if (!Number.isFinite(earliest)) return summary;
    const { backend } = access;
    const revision = await backend.inputs.importRevision(access.ctx, { snapshot: revisionSnapshot(config, {}), createdAt: new Date(Math.min(earliest, Date.now())).toISOString() });
    summary.revisionId = revision.id;
    const batcher = new ByteBatcher<RunResult>(opts.batchSize ?? (access.remote ? 500 : 2000), opts.batchBytes ?? (access.remote ? REMOTE_BATCH_BYTES : LOCAL_BATCH_BYTES));
    // One batch in flight while the next one is parsed: the database and the line parsing overlap.
    let inflight: Promise<void> = Promise.resolve();
    const flush = async (runs: RunResult[]) => {
      if (runs.length === 0) return;
      await inflight;
      inflight = backend.inputs.importRuns(access.ctx, runs).then((out) => {
        summary.inserted += out.inserted;
        summary.duplicates += out.duplicates;
      });
      // Awaited at the next flush; the no-op handler keeps a failure from being reported as unhandled meanwhile.
      inflight.catch(() => undefined);
    };
    for await (const [text, n] of lines(file)) {
      if (rejectedLines.has(n)) continue;
      const r = readLine(text, n);
      if (!r.run) continue;
      const full = batcher.add({ ...r.run, revisionId: revision.id });
      if (full) await flush(full);
    }
    await flush(batcher.take());
    await inflight;
    await backend.inputs.appendAudit(access.ctx, { actor: opts.author ?? currentUser(), action: 'runs.import', subject: basename(file), details: { lines: count, inserted: summary.inserted, duplicates: summary.duplicates, rejected: summary.rejected, conflicts: conflictCount, revisionId: revision.id, revisionReused: revision.reused } });
    return summary;
  } finally {
    await access.close();
  }
}
