import { createReadStream } from 'node:fs';
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
}

/** Summary printed by `vigie import`. */
export interface ImportSummary {
  lines: number;
  inserted: number;
  duplicates: number;
  rejected: number;
  revisionId: number | null;
  issues: LineIssue[];
}

async function* lines(file: string): AsyncGenerator<[string, number]> {
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const text of rl) {
    n += 1;
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
    log(
      `Import ${basename(file)} : ${summary.inserted} insérées (inserted), ${summary.duplicates} déjà présentes (duplicates), ` +
        `${summary.rejected} lignes rejetées (rejected lines) sur ${summary.lines} — révision ${summary.revisionId ?? '-'}`,
    );
    return summary.rejected > 0 ? 1 : 0;
  });
}

/** The import itself (see {@link runImport}); returns the summary. */
export async function importRuns(file: string, opts: ImportOptions): Promise<ImportSummary> {
  if (!opts.config) throw new VigieError('VALIDATION', '--config: required (the runs are imported under a revision made from this file)');
  const access = await openSlaBackend(opts);
  try {
    const config = access.config!;
    const readLine = createLineReader(config);
    const issues: LineIssue[] = [];
    const rejectedLines = new Set<number>();
    let count = 0;
    let earliest = Infinity;
    try {
      for await (const [text, n] of lines(file)) {
        count += 1;
        const r = readLine(text, n);
        if (r.issues) {
          rejectedLines.add(n);
          if (issues.length < 1000) issues.push(...r.issues);
        } else earliest = Math.min(earliest, Date.parse(r.run.scheduledAt));
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new VigieError('VALIDATION', `file: ${file} not found`);
      throw err;
    }
    const summary: ImportSummary = { lines: count, inserted: 0, duplicates: 0, rejected: rejectedLines.size, revisionId: null, issues };
    if (!Number.isFinite(earliest)) return summary;
    const { backend } = access;
    const revision = await backend.importRevision({ snapshot: revisionSnapshot(config, {}), createdAt: new Date(Math.min(earliest, Date.now())).toISOString() });
    summary.revisionId = revision.id;
    const size = opts.batchSize ?? (access.remote ? 500 : 2000);
    let batch: RunResult[] = [];
    // One batch in flight while the next one is parsed: the database and the line parsing overlap.
    let inflight: Promise<void> = Promise.resolve();
    const flush = async () => {
      if (batch.length === 0) return;
      const runs = batch;
      batch = [];
      await inflight;
      inflight = backend.importRuns(runs).then((out) => {
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
      batch.push({ ...r.run, revisionId: revision.id });
      if (batch.length >= size) await flush();
    }
    await flush();
    await inflight;
    await backend.audit({ actor: opts.author ?? currentUser(), action: 'runs.import', subject: basename(file), details: { lines: count, inserted: summary.inserted, duplicates: summary.duplicates, rejected: summary.rejected, revisionId: revision.id, revisionReused: revision.reused } });
    return summary;
  } finally {
    await access.close();
  }
}
