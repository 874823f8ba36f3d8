import type { Logger } from 'pino';

/** One slot to run, as handed from a scheduler to workers. Holds no secret: workers resolve personas themselves. */
export interface ScheduledJob {
  scheduleId: string;
  location: string;
  slotStart: Date;
  slotEnd: Date;
  /** Planned start: slot start + the schedule's offset. */
  runAt: Date;
  /** Enqueued after `runAt` + the scheduler's grace (start-up catch-up, saturated workers). */
  late: boolean;
}

/**
 * Port between schedulers and workers (DESIGN.md §4: in-process queue, or BullMQ on Redis in distributed mode).
 * Contract: `add` never lets one (schedule, location, slotStart) be handled twice while a previous copy is queued or
 * running; `close` stops taking jobs, waits up to `graceMs` for running ones, then aborts them through their signal
 * (they must still produce a result: `error`, shutdown) and resolves when all have settled.
 */
export interface JobQueue {
  add(job: ScheduledJob): Promise<void>;
  close(graceMs: number): Promise<void>;
  /** Jobs waiting plus running. */
  size(): number;
}

export type JobHandler = (job: ScheduledJob, signal: AbortSignal) => Promise<void>;

/**
 * The id of a slot's job: `<schedule>@<location>@<slot start, epoch ms>`. Config ids are letters, digits, `.`, `_`
 * and `-` (core/config/primitives.ts), so `@` cannot occur in them and the key is unambiguous; it holds no NUL and no
 * `:` (BullMQ refuses `:` in custom job ids, Redis uses it in its key names) and is never all digits (BullMQ refuses
 * integer-like custom ids).
 */
export function jobKey(job: Pick<ScheduledJob, 'scheduleId' | 'location' | 'slotStart'>): string {
  return `${job.scheduleId}@${job.location}@${job.slotStart.getTime()}`;
}

/** The in-process queue of `vigie start`: a FIFO with a concurrency limit. */
export function createInProcessQueue(opts: { concurrency: number; handler: JobHandler; logger: Logger }): JobQueue {
  const waiting: ScheduledJob[] = [];
  const keys = new Set<string>();
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  let closed = false;

  function pump(): void {
    while (!closed && running.size < opts.concurrency && waiting.length > 0) {
      const job = waiting.shift()!;
      const key = jobKey(job);
      const controller = new AbortController();
      // Called inside a promise chain: a handler that throws before returning its promise fails like one that
      // rejects (its slot's key is released, the next jobs still start).
      const done = Promise.resolve()
        .then(() => opts.handler(job, controller.signal))
        .catch((err: unknown) => opts.logger.error({ err, schedule: job.scheduleId }, 'job handler failed'))
        .finally(() => {
          running.delete(key);
          keys.delete(key);
          pump();
        });
      running.set(key, { controller, done });
    }
  }

  return {
    async add(job) {
      if (closed) return;
      const key = jobKey(job);
      if (keys.has(key)) {
        opts.logger.warn({ schedule: job.scheduleId, slot: job.slotStart.toISOString() }, 'slot already queued: duplicate ignored');
        return;
      }
      keys.add(key);
      waiting.push(job);
      pump();
    },
    async close(graceMs) {
      closed = true;
      waiting.length = 0;
      const all = () => Promise.all([...running.values()].map((r) => r.done));
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<'expired'>((resolve) => (timer = setTimeout(() => resolve('expired'), graceMs)));
      const outcome = await Promise.race([all().then(() => 'done' as const), expired]);
      clearTimeout(timer);
      if (outcome === 'expired') {
        for (const r of running.values()) r.controller.abort(new Error('shutdown'));
        await all();
      }
    },
    size: () => waiting.length + running.size,
  };
}
