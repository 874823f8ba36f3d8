import type { RunResult } from '../core/run-types.js';
import { appendAudit } from './audit.js';
import type { Db } from './db.js';
import { saveImportRevision, type RevisionImport } from './revisions.js';
import { insertRunsBatch } from './run-import.js';

/** One file of `vigie import`, for {@link importRunFile}. */
export interface RunFileImport {
  /** The config the runs are imported under, dated at the file's first slot (`createdAt`), marked imported. */
  revision: { snapshot: unknown; createdAt: Date; imported: RevisionImport };
  /** The file's runs in batches of a few thousand; their `revisionId` is set here. Read inside the transaction. */
  batches: AsyncIterable<readonly RunResult[]>;
  /** The import's audit entry (`runs.import`); its details get `inserted`, `duplicates`, `revisionId`, `revisionReused`. */
  audit: { at: Date; actor: string; subject: string; details: Record<string, unknown> };
}

/** What {@link importRunFile} stored. */
export interface RunFileOutcome {
  revisionId: number;
  /** The revision in force at the first slot had the same content: no revision was stored. */
  revisionReused: boolean;
  inserted: number;
  /** Runs whose slot already had a result (in the store or earlier in the file): not written. */
  duplicates: number;
}

/**
 * Imports one file all-or-nothing (issue 8 item 3): its revision ({@link saveImportRevision}), every batch of runs
 * ({@link insertRunsBatch}, each in a savepoint) and its audit entry, in **one transaction** on a session of its own
 * (on PGlite the one session, which the importing process alone holds). When a batch is refused, the batch source
 * throws or the database fails, everything is rolled back: nothing of the file is stored, not even its revision.
 * Memory stays at one batch: batches are read from `batches` while the transaction is open.
 * @throws whatever refused the file (VigieError `VALIDATION` naming `runs[i].<field>` of a batch, `UNAVAILABLE`,
 *   the batch source's error), after the rollback.
 */
export async function importRunFile(db: Db, input: RunFileImport): Promise<RunFileOutcome> {
  return db.transaction(async (tx) => {
    const revision = await saveImportRevision(tx, input.revision.snapshot, input.revision.createdAt, input.revision.imported);
    let inserted = 0;
    let duplicates = 0;
    for await (const batch of input.batches) {
      if (batch.length === 0) continue;
      const out = await insertRunsBatch(tx, batch.map((r) => ({ ...r, revisionId: revision.id })));
      inserted += out.inserted;
      duplicates += out.duplicates;
    }
    const outcome: RunFileOutcome = { revisionId: revision.id, revisionReused: revision.reused, inserted, duplicates };
    await appendAudit(tx, { ...input.audit, action: 'runs.import', details: { ...input.audit.details, ...outcome } });
    return outcome;
  });
}
