import type { Logger } from 'pino';
import type { RunResult } from '../core/run-types.js';
import { isVigieError } from '../core/errors.js';

/**
 * Port for where results go (DESIGN.md §4): straight into the store in `vigie start`, or over HTTP to the collector
 * for remote workers. Contract: `write` resolves once the result is durable, `{ duplicate: true }` when the store
 * already had a result for that slot (not an error), and rejects with a VigieError `UNAVAILABLE` when the store
 * cannot be reached (the caller retries later with the same result, which is idempotent on its slot key). Any other
 * rejection means the result itself was refused: retrying would not help.
 */
export interface ResultWriter {
  write(result: RunResult): Promise<{ duplicate: boolean }>;
}

export interface BufferedSink {
  /** Hands a result over; returns at once, so no store I/O sits on the step-timing path. */
  push(result: RunResult): void;
  /** Resolves when every pushed result was written or the deadline passed; returns how many are still waiting. */
  flush(timeoutMs?: number): Promise<number>;
  size(): number;
}

export interface BufferedSinkOptions {
  writer: ResultWriter;
  logger: Logger;
  /** Called after each durable write (metrics, alerts). */
  onWritten?: (result: RunResult, outcome: { duplicate: boolean }) => void;
  onBufferChange?: (size: number) => void;
  /** Called when the store refused a result for good (not an outage): it is logged and dropped. */
  onRejected?: (result: RunResult, err: unknown) => void;
  /** Results kept while the store is unreachable; the oldest are dropped beyond it (logged). */
  capacity?: number;
  /** First retry delay after a failed write, doubled up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
}

/**
 * A FIFO of results written one at a time in order. While the store is unreachable results wait in memory and the
 * head is retried with exponential backoff (nothing is lost to a short store outage, F22).
 */
export function createBufferedSink(opts: BufferedSinkOptions): BufferedSink {
  const queue: RunResult[] = [];
  const capacity = opts.capacity ?? 10_000;
  const maxRetryMs = opts.maxRetryMs ?? 30_000;
  let delay = opts.retryMs ?? 500;
  let draining: Promise<void> | null = null;
  let failing = false;

  const changed = () => opts.onBufferChange?.(queue.length);

  async function drain(): Promise<void> {
    for (let head = queue[0]; head !== undefined; head = queue[0]) {
      try {
        const outcome = await opts.writer.write(head);
        // Remove by identity: the head may have been dropped for capacity while it was being written.
        const at = queue.indexOf(head);
        if (at >= 0) queue.splice(at, 1);
        changed();
        if (failing) opts.logger.info({ buffered: queue.length }, 'result store reachable again');
        failing = false;
        delay = opts.retryMs ?? 500;
        opts.onWritten?.(head, outcome);
      } catch (err) {
        if (!isVigieError(err, 'UNAVAILABLE')) {
          // Refused for good (invalid result, unknown revision): keep the queue moving.
          const at = queue.indexOf(head);
          if (at >= 0) queue.splice(at, 1);
          changed();
          opts.logger.error({ err, schedule: head.scheduleId, slot: head.scheduledAt }, 'result refused by the store: dropped');
          opts.onRejected?.(head, err);
          continue;
        }
        if (!failing) opts.logger.error({ err, buffered: queue.length }, 'result store unavailable: results kept in memory');
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
    push(result) {
      queue.push(result);
      if (queue.length > capacity) {
        const dropped = queue.shift()!;
        opts.logger.error({ schedule: dropped.scheduleId, slot: dropped.scheduledAt }, 'result buffer full: oldest result dropped');
      }
      changed();
      kick();
    },
    async flush(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (queue.length > 0 && Date.now() < deadline) {
        await Promise.race([draining ?? Promise.resolve(), new Promise((r) => setTimeout(r, 100))]);
      }
      return queue.length;
    },
    size: () => queue.length,
  };
}
