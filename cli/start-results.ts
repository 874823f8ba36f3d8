import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { RunResult } from '../core/run-types.js';
import type { Metrics } from '../collector/metrics.js';
import { createStoreResultWriter, SETUP_SQLSTATE, sqlStateOf, type Store } from '../db/index.js';
import { VigieError } from '../core/errors.js';
import { createBufferedSink, type BufferedSink } from '../probes/result-sink.js';
import { createFileSpool } from '../probes/result-spool.js';
import { createStoreReadiness, isStoreOutage, type StoreReadiness } from './store-readiness.js';

/**
 * The path of a result from the run to the store in `vigie start` (issue 8 item 5): the buffered sink, its disk spool
 * in `<dataDir>/spool`, and the store readiness (migrations and this start's revision, done when the store answers).
 * A result made before the revision was stored carries `revisionId: null` and the revision key; its id is filled in
 * just before it is written.
 */
export interface DurableResults {
  sink: BufferedSink;
  readiness: StoreReadiness;
  /** Hands a finished run to the sink, tagged with the revision key while the revision is not stored yet. */
  push(result: RunResult): void;
}

export async function createDurableResults(opts: {
  store: Store;
  /** False when the migrations still have to run (PostgreSQL opened with deferred migrations). */
  migrated: boolean;
  snapshot: unknown;
  dataDir: string;
  metrics: Metrics;
  logger: Logger;
  /** The store's state as the result path sees it (the sink's `onStoreState`): the "store unavailable" alert. */
  onStoreState?: (available: boolean, at: number) => void;
}): Promise<DurableResults> {
  const { store, metrics, logger } = opts;
  const spoolDir = join(resolve(opts.dataDir), 'spool');
  const spool = await createFileSpool(spoolDir);
  const readiness = createStoreReadiness({
    snapshot: opts.snapshot,
    startedAt: new Date(),
    migrate: opts.migrated ? async () => undefined : async () => void (await store.migrate()),
    saveRevision: (snapshot, createdAt) => store.revisions.save(snapshot, createdAt),
    spoolDir,
    logger,
  });
  const writer = createStoreResultWriter(store.runs);
  const sink = createBufferedSink({
    logger,
    spool,
    writer: {
      async write(result, revisionKey) {
        const ready = revisionKey === undefined ? result : { ...result, revisionId: await readiness.revisionFor(revisionKey) };
        const outcome = await writer.write(ready);
        if (outcome.duplicate) metrics.duplicateRejected();
        return outcome;
      },
    },
    onBufferChange: (n) => metrics.setBuffered(n),
    ...(opts.onStoreState ? { onStoreState: opts.onStoreState } : {}),
    onRejected: () => metrics.resultRejected(),
  });
  // What a previous start left (a restart during a store outage) goes first; then its snapshots no one needs go.
  const restored = await sink.restore();
  await readiness.prune(new Set(restored.flatMap((e) => (e.revisionKey ? [e.revisionKey] : []))));

  try {
    await readiness.ensure();
  } catch (err) {
    if (!isStoreOutage(err)) throw err;
    const state = sqlStateOf((err as Error).cause);
    if (state && SETUP_SQLSTATE.test(state)) throw new VigieError('CONFIG', (err as Error).message, { cause: err });
    await readiness.persistSnapshot();
    logger.error({ err }, 'store unreachable at start: probing anyway, results wait in the spool until it answers');
    // Retried at each write of a result (the sink backs off); also now and then so the revision lands early.
    const retry = setInterval(() => {
      readiness.ensure().then(() => clearInterval(retry), () => undefined);
    }, 5_000);
    retry.unref();
  }

  return {
    sink,
    readiness,
    push(result) {
      sink.push(result, result.revisionId === null ? readiness.revisionKey : undefined);
    },
  };
}
