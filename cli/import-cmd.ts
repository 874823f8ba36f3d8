import { isUtf8 } from 'node:buffer';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { revisionSnapshot } from '../core/config/revision.js';
import { VigieError } from '../core/errors.js';
import type { RunResult } from '../core/run-types.js';
import { createLineReader, type LineIssue } from './import-line.js';
import { formatRanges, writeAtomically, writeInBatches, type LineBatch, type WriteOutcome } from './import-write.js';
import { currentUser, openSlaBackend, withUsageErrors } from './sla-access.js';

export interface ImportOptions {
  config?: string;
  dataDir?: string;
  author?: string;
  /** Runs per transaction (default 2000; 500 through the admin API). */
  batchSize?: number;
  /** Largest batch in JSON bytes (default `LOCAL_BATCH_BYTES`, `REMOTE_BATCH_BYTES` through the admin API). */
  batchBytes?: number;
  /** Store the valid lines of a file that has rejected ones (default: a file with a rejected line stores nothing). */
  skipInvalid?: boolean;
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
  /**
   * `stored`: every valid line is stored or was already there; `refused`: some lines were rejected and, without
   * `--skip-invalid`, nothing was stored; `failed`: nothing stored (the transaction rolled back, or the first batch
   * through the admin API failed); `partial`: through the admin API only, `committedLines` are stored and the rest
   * is not; `empty`: no line.
   */
  outcome: 'stored' | 'refused' | 'failed' | 'partial' | 'empty';
  /** Line ranges `[first, last]` whose runs are in the store after this import (inserted or already there). */
  committedLines: [number, number][];
  /** Why writing stopped (`failed`, `partial`): the error's code and message. */
  failure?: { code: string; message: string };
  /** Whether the `runs.import` audit entry was written (false only when the store could not take it either). */
  audited: boolean;
}

/**
 * The non-blank lines of a file with their numbers (1-based), and, for a line whose bytes are not valid UTF-8, where
 * the first bad byte falls (its character number in the lossy decoding): such a line is rejected, never imported with
 * U+FFFD in place of what the file said. Bytes are split on LF / CRLF first (read as latin1, one char per byte), then
 * each line is decoded strictly.
 */
async function* lines(file: string): AsyncGenerator<[string, number, number | null]> {
  const rl = createInterface({ input: createReadStream(file, 'latin1'), crlfDelay: Infinity });
  let n = 0;
  for await (const bytes of rl) {
    n += 1;
    const buf = Buffer.from(bytes, 'latin1');
    const valid = isUtf8(buf);
    const raw = buf.toString('utf8');
    // A UTF-8 byte-order mark (files saved by some Windows editors) is not part of the first line's JSON.
    const text = n === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() !== '') yield [text, n, valid ? null : text.indexOf('\uFFFD') + 1];
  }
}

/**
 * `vigie import <runs.jsonl> --config <vigie.yml>`: loads historical runs (line shape: cli/import-line.ts); see
 * {@link importRuns}. Prints the rejected lines (line and field), the slot conflicts and the summary. Exit 0 when
 * every line is stored or already there, 1 otherwise (rejected lines, or a write that failed: nothing stored, or
 * through a running `vigie start`, the stored line ranges printed).
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
    const outcome = OUTCOME_TEXT[summary.outcome](summary);
    if (outcome) (summary.outcome === 'stored' ? log : (s: string) => console.error(s))(outcome);
    if (!summary.audited) console.error("Journal d'audit non écrit / audit entry not written (base indisponible / store unavailable)");
    return summary.outcome === 'stored' || summary.outcome === 'empty' ? (summary.rejected > 0 ? 1 : 0) : 1;
  });
}

const OUTCOME_TEXT: Record<ImportSummary['outcome'], (s: ImportSummary) => string | null> = {
  stored: (s) => (s.rejected > 0 ? `Lignes stockées / lines stored: ${formatRanges(s.committedLines)} (--skip-invalid)` : null),
  empty: () => null,
  refused: () => 'Rien n’est stocké / nothing stored: corrigez ou retirez les lignes rejetées, ou --skip-invalid / fix or remove the rejected lines, or use --skip-invalid',
  failed: (s) => `Échec, rien n’est stocké / failed, nothing stored (${s.failure?.code}): ${s.failure?.message}`,
  partial: (s) =>
    `Échec en cours d’import / failed part-way (${s.failure?.code}): ${s.failure?.message}\n` +
    `Lignes stockées / lines stored: ${formatRanges(s.committedLines)} — les autres non / the others not; relancez l’import (les créneaux déjà stockés sont ignorés) / re-run the import (slots already stored are skipped)`,
};

/**
 * The import itself (see {@link runImport}); returns the summary. Two passes over the file: the first validates every
 * line (issues name the line and the field; nothing is written yet) and finds the earliest slot. A file with a
 * rejected line stores nothing (`refused`) unless `skipInvalid`. Otherwise the config is stored as a revision dated
 * at that slot (its tenants and schedules are "first seen" then, DESIGN.md §5), marked imported by the author, whose
 * maintenance windows count as announced now; then the valid lines are written:
 * - where this process holds the store, the revision, every batch and the audit entry go in **one transaction**:
 *   all of the file or nothing (`stored` / `failed`), on PGlite as on PostgreSQL;
 * - through the admin API of a running `vigie start`, batch by batch (one transaction each there: a transaction
 *   across HTTP requests would hold that process's one PGlite session away from its probes); a failure part-way is
 *   `partial` with the exact line ranges stored.
 * Idempotent on (schedule, location, slot): re-importing a file inserts 0. Every import, refused and failed ones
 * included, leaves a `runs.import` audit entry (unless the store cannot take that either: `audited` false).
 * @throws VigieError `VALIDATION` for a missing `--config` or an unreadable file (nothing read or written).
 */
export async function importRuns(file: string, opts: ImportOptions): Promise<ImportSummary> {
  if (!opts.config) throw new VigieError('VALIDATION', '--config: requis (les exécutions sont importées sous une révision faite de ce fichier) / required (the runs are imported under a revision made from this file)');
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new VigieError('VALIDATION', `file: ${file} introuvable / ${file} not found`);
    throw new VigieError('VALIDATION', `file: ${file} illisible (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}) / ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (!isFile) throw new VigieError('VALIDATION', `file: ${file} n'est pas un fichier (un dossier ?) : donnez un fichier JSONL d'exécutions / ${file} is not a file (a directory?): give a JSONL file of runs`);
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
      for await (const [text, n, badByte] of lines(file)) {
        count += 1;
        const r: ReturnType<typeof readLine> = badByte === null ? readLine(text, n) : { issues: [{ line: n, path: '(ligne / line)', message: `octets UTF-8 invalides au caractère ${badByte} / invalid UTF-8 bytes at character ${badByte} (enregistrez le fichier en UTF-8 / save the file as UTF-8)` }] };
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
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new VigieError('VALIDATION', `file: ${file} introuvable / ${file} not found`);
      throw err;
    }
    slots.clear();
    const summary: ImportSummary = { lines: count, inserted: 0, duplicates: 0, rejected: rejectedLines.size, revisionId: null, issues, conflicts, conflictCount, outcome: 'empty', committedLines: [], audited: false };
    const { backend, ctx } = access;
    const actor = opts.author ?? currentUser();
    const subject = basename(file);
    const details: Record<string, unknown> = { lines: count, rejected: summary.rejected, rejectedLines: [...rejectedLines].slice(0, 1000), conflicts: conflictCount };
    const audit = async (extra: Record<string, unknown>) => {
      try {
        await backend.inputs.appendAudit(ctx, { actor, action: 'runs.import', subject, details: { ...details, ...extra } });
        summary.audited = true;
      } catch {
        summary.audited = false;
      }
    };
    if (summary.rejected > 0 && !opts.skipInvalid) {
      summary.outcome = 'refused';
      await audit({ outcome: 'refused', inserted: 0, duplicates: 0 });
      return summary;
    }
    if (!Number.isFinite(earliest)) {
      await audit({ outcome: 'empty', inserted: 0, duplicates: 0 });
      return summary;
    }
    const batchSize = opts.batchSize ?? (access.remote ? 500 : 2000);
    const batchBytes = opts.batchBytes ?? (access.remote ? REMOTE_BATCH_BYTES : LOCAL_BATCH_BYTES);
    async function* batches(): AsyncGenerator<LineBatch> {
      const batcher = new ByteBatcher<[RunResult, number]>(batchSize, batchBytes);
      const toBatch = (items: [RunResult, number][]): LineBatch => ({ runs: items.map(([r]) => r), lines: items.map(([, n]) => n) });
      for await (const [text, n] of lines(file)) {
        if (rejectedLines.has(n)) continue;
        const r = readLine(text, n);
        if (!r.run) continue;
        const full = batcher.add([r.run, n]);
        if (full) yield toBatch(full);
      }
      const last = batcher.take();
      if (last.length > 0) yield toBatch(last);
    }
    const input = { snapshot: revisionSnapshot(config, {}), createdAt: new Date(Math.min(earliest, Date.now())).toISOString(), importedBy: actor, subject, details, batches };
    const importRunFile = backend.inputs.importRunFile?.bind(backend.inputs);
    let out: WriteOutcome;
    if (importRunFile) {
      out = await writeAtomically({ importRunFile }, ctx, input);
      // On success the audit entry went in with the runs; a rollback took it along, so the failure gets its own.
      if (out.outcome === 'stored') summary.audited = true;
      else await audit({ outcome: out.outcome, inserted: 0, duplicates: 0, failure: out.failure });
    } else {
      out = await writeInBatches(backend.inputs, ctx, input);
      await audit({ outcome: out.outcome, inserted: out.inserted, duplicates: out.duplicates, revisionId: out.revisionId, revisionReused: out.revisionReused, committedLines: out.committedLines.slice(0, 1000), committedRanges: out.committedLines.length, failure: out.failure });
    }
    Object.assign(summary, { outcome: out.outcome, inserted: out.inserted, duplicates: out.duplicates, revisionId: out.revisionId, committedLines: out.committedLines, failure: out.failure });
    return summary;
  } finally {
    await access.close();
  }
}
