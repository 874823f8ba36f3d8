import type { Logger } from 'pino';
import type { RunResult } from '../core/run-types.js';
import { isVigieError } from '../core/errors.js';
import type { ResultSpool, SpoolEntry } from './result-spool.js';

/**
 * Port for where results go (DESIGN.md §4): straight into the store in `vigie start`, or over HTTP to the collector
 * for remote workers. Contract: `write` resolves once the result is durable, `{ duplicate: true }` when the store
 * already had a result for that slot (not an error), and rejects with a VigieError `UNAVAILABLE` when the store
 * cannot be reached (the caller retries later with the same result, which is idempotent on its slot key). Any other
 * rejection means the result itself was refused: retrying would not help.
 */
export interface ResultWriter {
  /** `revisionKey`: set when `result.revisionId` is null because its revision was not stored yet (result-spool.ts). */
  write(result: RunResult, revisionKey?: string): Promise<{ duplicate: boolean }>;
}

export interface BufferedSink {
  /**
   * Hands a result over; returns at once, so no store I/O sits on the step-timing path (the spool write, when there
   * is a spool, runs on libuv's threads, not this loop). `revisionKey`: see {@link ResultWriter}.
   */
  push(result: RunResult, revisionKey?: string): void;
  /**
   * Puts the results a previous process left in the spool at the head of the queue, oldest first, and starts writing
   * them. Call once, before the first push. Resolves with the restored entries.
   */
  restore(): Promise<SpoolEntry[]>;
  /**
   * Resolves when every pushed result was written, the deadline passed, or (with a spool) the store is found down;
   * returns how many are still waiting (on disk, with a spool: their files are complete when it resolves).
   */
  flush(timeoutMs?: number): Promise<number>;
  size(): number;
  /** Whether a result for this slot waits here (restored from the spool or pushed): the slot has run. */
  holds(scheduleId: string, location: string, scheduledAt: Date): boolean;
}

export interface BufferedSinkOptions {
  writer: ResultWriter;
  logger: Logger;
  /** Called after each durable write (metrics, alerts). */
  onWritten?: (result: RunResult, outcome: { duplicate: boolean }) => void;
  onBufferChange?: (size: number) => void;
  /**
   * Called when the store stops taking writes (`false`, at the first failed write of an outage) and takes them again
   * (`true`, also at the first write of this process), with the time (epoch ms): the watchdog's "store unavailable"
   * alert (alerts/store-alert.ts).
   */
  onStoreState?: (available: boolean, at: number) => void;
  /** Called when the store refused a result for good (not an outage): it is logged and dropped. */
  onRejected?: (result: RunResult, err: unknown) => void;
  /** Where results wait on disk until the store has them (result-spool.ts); without it they wait in memory only. */
  spool?: ResultSpool;
  /** Results kept while the store is unreachable; the oldest are dropped beyond it (logged). */
  capacity?: number;
  /** First retry delay after a failed write, doubled up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
}

const slotKey = (scheduleId: string, location: string, ms: number) => `${scheduleId}\u0000${location}\u0000${ms}`;

/** A result waiting for the store, with its spool file once written. */
interface Pending {
  result: RunResult;
  revisionKey?: string;
  /** The spool id, once the file is written (undefined without a spool or when the spool write failed). */
  spooled: Promise<string | undefined>;
}

/**
 * A FIFO of results written one at a time in order. While the store is unreachable results wait (in memory, and on
 * disk with a spool) and the head is retried with exponential backoff (nothing is lost to a store outage, F22, nor
 * to a restart during one, issue 8 item 5).
 */
export function createBufferedSink(opts: BufferedSinkOptions): BufferedSink {
  const queue: Pending[] = [];
  const spool = opts.spool;
  const capacity = opts.capacity ?? 10_000;
  const maxRetryMs = opts.maxRetryMs ?? 30_000;
  let delay = opts.retryMs ?? 500;
  let draining: Promise<void> | null = null;
  let failing = false;
  /** Whether a write has succeeded since this process started (the first one tells the store state too). */
  let written = false;

  const changed = () => opts.onBufferChange?.(queue.length);
  /** How many waiting results each slot has (`holds` is asked once per schedule at start: no scan of the queue). */
  const waiting = new Map<string, number>();
  const keyOf = (r: RunResult) => slotKey(r.scheduleId, r.location, Date.parse(r.scheduledAt));
  const count = (p: Pending, by: 1 | -1) => {
    const k = keyOf(p.result);
    const n = (waiting.get(k) ?? 0) + by;
    if (n > 0) waiting.set(k, n);
    else waiting.delete(k);
  };
  /** Forgets the spool file of an entry that is settled (written, refused or dropped). */
  const unspool = (p: Pending) => {
    count(p, -1);
    void p.spooled
      .then((id) => (id === undefined ? undefined : spool?.remove(id)))
      .catch((err: unknown) => opts.logger.error({ err }, 'could not remove a spooled result (it will be written again, as a duplicate)'));
  };

  /**
   * Takes a written or refused entry out of the queue and forgets its spool file. By identity: the head may have been
   * dropped for capacity while it was being written (then it was already forgotten).
   */
  function settle(entry: Pending): void {
    const at = queue.indexOf(entry);
    if (at < 0) return;
    queue.splice(at, 1);
    unspool(entry);
  }

  async function drain(): Promise<void> {
    for (let entry = queue[0]; entry !== undefined; entry = queue[0]) {
      const head = entry.result;
      try {
        const outcome = await opts.writer.write(head, entry.revisionKey);
        settle(entry);
        changed();
        if (failing) opts.logger.info({ buffered: queue.length }, 'result store reachable again');
        if (failing || !written) opts.onStoreState?.(true, Date.now());
        failing = false;
        written = true;
        delay = opts.retryMs ?? 500;
        opts.onWritten?.(head, outcome);
      } catch (err) {
        if (!isVigieError(err, 'UNAVAILABLE')) {
          // Refused for good (invalid result, unknown revision): keep the queue moving.
          settle(entry);
          changed();
          opts.logger.error({ err, schedule: head.scheduleId, slot: head.scheduledAt }, 'result refused by the store: dropped');
          opts.onRejected?.(head, err);
          continue;
        }
        if (!failing) {
          opts.logger.error({ err, buffered: queue.length }, spool ? 'result store unavailable: results kept on disk' : 'result store unavailable: results kept in memory');
          opts.onStoreState?.(false, Date.now());
        }
        failing = true;
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
        delay = Math.min(delay * 2, maxRetryMs);
      }
    }
  }

  function kick(): void {
    draining ??= drain().finally(() => {
      draining = null;
      if (queue.length > 0) kick();
    });
  }

  return {
    push(result, revisionKey) {
      const spooled = spool
        ? spool.save(result, revisionKey).catch((err: unknown) => {
            opts.logger.error({ err, schedule: result.scheduleId, slot: result.scheduledAt }, 'could not spool a result to disk: kept in memory only');
            return undefined;
          })
        : Promise.resolve(undefined);
      const pending: Pending = { result, ...(revisionKey ? { revisionKey } : {}), spooled };
      queue.push(pending);
      count(pending, 1);
      if (queue.length > capacity) {
        const dropped = queue.shift()!;
        unspool(dropped);
        opts.logger.error({ schedule: dropped.result.scheduleId, slot: dropped.result.scheduledAt }, 'result buffer full: oldest result dropped');
      }
      changed();
      kick();
    },
    async restore() {
      if (!spool) return [];
      const { entries, unreadable } = await spool.load();
      if (unreadable.length > 0) opts.logger.error({ files: unreadable }, 'unreadable spooled results set aside (.bad)');
      const restored = entries.map((e): Pending => ({ result: e.result, ...(e.revisionKey ? { revisionKey: e.revisionKey } : {}), spooled: Promise.resolve(e.id) }));
      for (const p of restored) count(p, 1);
      queue.unshift(...restored);
      if (entries.length > 0) opts.logger.info({ restored: entries.length }, 'results left by a previous run restored from the spool');
      changed();
      if (queue.length > 0) kick();
      return entries;
    },
    async flush(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      // With a spool, a store that does not answer is not waited for: the results are on disk for the next start.
      while (queue.length > 0 && Date.now() < deadline && !(failing && spool)) {
        await Promise.race([draining ?? Promise.resolve(), new Promise((r) => setTimeout(r, 100))]);
      }
      // What is left stays on disk: wait until its spool files are complete before the process may exit.
      await Promise.all(queue.map((p) => p.spooled));
      return queue.length;
    },
    size: () => queue.length,
    holds: (scheduleId, location, scheduledAt) => (waiting.get(slotKey(scheduleId, location, scheduledAt.getTime())) ?? 0) > 0,
  };
}
