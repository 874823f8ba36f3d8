import { afterEach, describe, expect, it } from 'vitest';
import { jobKey, type JobHandler, type JobQueue, type ScheduledJob } from '../queue.js';

/**
 * The one suite every {@link JobQueue} implementation passes (CONVENTIONS.md "Ports and adapters"): the in-process
 * queue of `vigie start` today, BullMQ on Redis in distributed mode later. It checks the port's contract
 * (probes/queue.ts):
 * - jobs start in the order they were added (one at a time with concurrency 1), never more than `concurrency`
 *   handlers run at once, and the limit is used;
 * - `add` ignores a job whose (schedule, location, slotStart) is already queued or running, and accepts it again
 *   once that copy has finished (a handler that failed included);
 * - `size()` counts waiting plus running jobs;
 * - `close(graceMs)` stops taking jobs, resolves as soon as the running ones finish within the grace, otherwise
 *   aborts them through their signal once the grace is over and resolves only after they settled;
 * - a handler that throws does not stop the queue;
 * - `jobKey` ids are stable, distinct per slot, and acceptable as BullMQ custom job ids.
 *
 * `make` is called once per test with the handler the test observes; the suite closes every queue it made. Timings
 * are real and short (tens of milliseconds) so that an implementation over Redis runs the same cases.
 *
 * `options.knownBugs` lists cases (by id, see {@link QueueCase}) an implementation is known to fail: they run as
 * `it.fails`, so a fix shows up as a failure to remove the entry. Every new implementation must pass all cases.
 */
export type QueueCase = 'throwing-handler-sync';

export interface QueueFactoryOptions {
  concurrency: number;
  handler: JobHandler;
}

export function describeJobQueueConformance(
  name: string,
  make: (opts: QueueFactoryOptions) => JobQueue | Promise<JobQueue>,
  options: { knownBugs?: readonly QueueCase[] } = {},
): void {
  const caseIt = (id: QueueCase, title: string, fn: () => Promise<void>) =>
    (options.knownBugs?.includes(id) ? it.fails : it)(title, fn);

  describe(`job queue conformance: ${name}`, () => {
    const unclosed = new Set<JobQueue>();
    /** The queue under test, closed after the case unless the case closed it (a second close is not in the port). */
    const open = async (opts: QueueFactoryOptions): Promise<JobQueue> => {
      const queue = await make(opts);
      unclosed.add(queue);
      return {
        add: (job) => queue.add(job),
        size: () => queue.size(),
        close: (graceMs) => {
          unclosed.delete(queue);
          return queue.close(graceMs);
        },
      };
    };
    afterEach(async () => {
      // Handlers of this suite settle on abort, so a queue left with running jobs closes at once.
      const left = [...unclosed];
      unclosed.clear();
      await Promise.all(left.map((q) => q.close(0)));
    });

    it('starts jobs in the order they were added', async () => {
      const gates = createGates();
      const queue = await open({ concurrency: 1, handler: gates.handler });
      const labels = ['a', 'b', 'c', 'd', 'e'];
      for (const [i, label] of labels.entries()) await queue.add(makeJob(i, { scheduleId: label }));
      for (const label of labels) gates.open(label);
      await waitFor(() => gates.finished.length === labels.length);
      expect(gates.started).toEqual(labels);
    });

    it('never runs more than `concurrency` handlers at once, and runs that many when it can', async () => {
      let running = 0;
      let peak = 0;
      const done: number[] = [];
      const queue = await open({
        concurrency: 3,
        handler: async (job) => {
          running += 1;
          peak = Math.max(peak, running);
          await sleep(15);
          running -= 1;
          done.push(job.slotStart.getUTCMinutes());
        },
      });
      for (let i = 0; i < 8; i++) await queue.add(makeJob(i));
      await waitFor(() => done.length === 8);
      expect(peak).toBe(3);
      expect([...done].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    });

    it('ignores a copy of a slot while it is queued or running, and takes it again once it finished', async () => {
      const gates = createGates();
      const queue = await open({ concurrency: 1, handler: gates.handler });
      const first = makeJob(1, { scheduleId: 'a' });
      const second = makeJob(2, { scheduleId: 'b' });
      await queue.add(first);
      await waitFor(() => gates.started.length === 1);
      await queue.add(second);
      // Same (schedule, location, slotStart), other fields changed: still the same slot.
      await queue.add({ ...first, runAt: new Date(first.runAt.getTime() + 5_000), late: true }); // running
      await queue.add({ ...second, slotStart: new Date(second.slotStart.getTime()), late: true }); // queued
      expect(queue.size()).toBe(2);
      // A slot differs by any of the three: these are not copies.
      await queue.add({ ...first, location: 'lycee-1' });
      await queue.add({ ...first, scheduleId: 'c' });
      await queue.add({ ...first, slotStart: new Date(first.slotStart.getTime() + 1) });
      expect(queue.size()).toBe(5);

      for (const label of ['a', 'b', 'c']) gates.open(label);
      await waitFor(() => queue.size() === 0 && gates.finished.length === 5);
      expect(gates.started).toEqual(['a', 'b', 'a', 'c', 'a']);
      expect(gates.started.filter((l) => l === 'b')).toHaveLength(1);

      await queue.add(first); // finished: a new run of the slot is accepted (a retry, a re-enqueue)
      await waitFor(() => gates.finished.length === 6);
      expect(gates.started).toHaveLength(6);
    });

    it('counts waiting plus running jobs in size()', async () => {
      const gates = createGates();
      const queue = await open({ concurrency: 2, handler: gates.handler });
      expect(queue.size()).toBe(0);
      for (const [i, label] of ['a', 'b', 'c', 'd'].entries()) await queue.add(makeJob(i, { scheduleId: label }));
      expect(queue.size()).toBe(4);
      gates.open('a');
      await waitFor(() => gates.started.length === 3);
      expect(queue.size()).toBe(3);
      gates.open('b');
      await waitFor(() => gates.started.length === 4);
      expect(queue.size()).toBe(2); // nothing waits any more: the two running jobs count
      gates.open('c');
      gates.open('d');
      await waitFor(() => queue.size() === 0);
      expect(gates.finished).toHaveLength(4);
    });

    it('close(grace) waits for a running job that finishes within the grace, without aborting it', async () => {
      let finished = false;
      let aborted = false;
      let started = false;
      const queue = await open({
        concurrency: 1,
        handler: async (_job, signal) => {
          started = true;
          await sleep(40);
          aborted = signal.aborted;
          finished = true;
        },
      });
      await queue.add(makeJob(1));
      await waitFor(() => started);
      const t0 = Date.now();
      await queue.close(2_000);
      const elapsed = Date.now() - t0;
      expect(finished).toBe(true);
      expect(aborted).toBe(false);
      expect(elapsed).toBeGreaterThanOrEqual(20); // it did wait for the job
      expect(elapsed).toBeLessThan(1_000); // and resolved when it finished, not at the end of the grace
    });

    it('close(grace) aborts a job still running after the grace and resolves only once it settled', async () => {
      const graceMs = 60;
      let started = false;
      let abortedAfterMs: number | undefined;
      let settled = false;
      let t0 = 0;
      const queue = await open({
        concurrency: 1,
        handler: (_job, signal) =>
          new Promise<void>((resolve) => {
            started = true;
            signal.addEventListener('abort', () => {
              abortedAfterMs = Date.now() - t0;
              // Still produces its result (error, shutdown) before it settles.
              setTimeout(() => {
                settled = true;
                resolve();
              }, 20);
            });
          }),
      });
      await queue.add(makeJob(1));
      await waitFor(() => started);
      t0 = Date.now();
      await queue.close(graceMs);
      const elapsed = Date.now() - t0;
      expect(abortedAfterMs).toBeDefined();
      expect(abortedAfterMs!).toBeGreaterThanOrEqual(graceMs - 10); // not before the grace was over
      expect(settled).toBe(true);
      expect(elapsed).toBeGreaterThanOrEqual(graceMs - 10 + 20);
      expect(elapsed).toBeLessThan(1_000);
    });

    it('starts no job once close() was called: neither a queued one nor one added later', async () => {
      const gates = createGates();
      const queue = await open({ concurrency: 1, handler: gates.handler });
      await queue.add(makeJob(1, { scheduleId: 'a' }));
      await waitFor(() => gates.started.length === 1);
      await queue.add(makeJob(2, { scheduleId: 'b' })); // queued behind a
      for (const label of ['b', 'c', 'd']) gates.open(label); // would run at once if started
      const closing = queue.close(2_000);
      // Whether add() after close resolves or rejects is the implementation's choice; it must not start the job.
      await queue.add(makeJob(3, { scheduleId: 'c' })).catch(() => undefined);
      setTimeout(() => gates.open('a'), 10);
      await closing;
      await queue.add(makeJob(4, { scheduleId: 'd' })).catch(() => undefined);
      await sleep(50);
      expect(gates.started).toEqual(['a']);
      expect(gates.finished).toEqual(['a']);
    });

    it('keeps running jobs after a handler rejected, and takes that slot again', async () => {
      const seen: string[] = [];
      let failNext = true;
      const queue = await open({
        concurrency: 1,
        handler: async (job) => {
          seen.push(job.scheduleId);
          if (job.scheduleId === 'boom' && failNext) {
            failNext = false;
            throw new Error('handler failed');
          }
        },
      });
      const boom = makeJob(1, { scheduleId: 'boom' });
      await queue.add(boom);
      await queue.add(makeJob(2, { scheduleId: 'a' }));
      await queue.add(makeJob(3, { scheduleId: 'b' }));
      await waitFor(() => seen.length === 3 && queue.size() === 0);
      expect(seen).toEqual(['boom', 'a', 'b']);
      await queue.add(boom); // its key was freed by the failure
      await waitFor(() => seen.length === 4);
      expect(seen[3]).toBe('boom');
    });

    caseIt('throwing-handler-sync', 'keeps running jobs after a handler threw synchronously, and takes that slot again', async () => {
      const seen: string[] = [];
      let failNext = true;
      // Typed as a JobHandler (returns a promise) but throws before returning one: a plain function that
      // validates its job first.
      const handler: JobHandler = (job) => {
        seen.push(job.scheduleId);
        if (job.scheduleId === 'boom' && failNext) {
          failNext = false;
          throw new Error('handler failed');
        }
        return Promise.resolve();
      };
      const queue = await open({ concurrency: 1, handler });
      const boom = makeJob(1, { scheduleId: 'boom' });
      await queue.add(boom);
      await queue.add(makeJob(2, { scheduleId: 'a' }));
      await waitFor(() => seen.length === 2 && queue.size() === 0);
      expect(seen).toEqual(['boom', 'a']);
      await queue.add(boom);
      await waitFor(() => seen.length === 3);
      expect(seen[2]).toBe('boom');
    });

    describe('jobKey', () => {
      const at = new Date(Date.UTC(2025, 10, 14, 13, 0));
      // Config ids are letters, digits, ".", "_" and "-" (core/config/primitives.ts), all-digit ones included.
      const triples: Pick<ScheduledJob, 'scheduleId' | 'location' | 'slotStart'>[] = [
        { scheduleId: 'login-every-5m', location: 'local', slotStart: at },
        { scheduleId: 'login-every-5m', location: 'lycee-1', slotStart: at },
        { scheduleId: 'roll.call_2', location: 'local', slotStart: at },
        { scheduleId: 'login-every-5m', location: 'local', slotStart: new Date(at.getTime() + 1) },
        { scheduleId: '123', location: '456', slotStart: new Date(789) },
        { scheduleId: '1', location: '2', slotStart: new Date(0) },
        { scheduleId: 'old', location: 'local', slotStart: new Date(-60_000) },
      ];

      it('is acceptable as a BullMQ custom job id: no NUL, no ":", never integer-like', () => {
        for (const triple of triples) {
          const key = jobKey(triple);
          expect(key).not.toContain('\u0000');
          expect(key).not.toContain(':');
          expect(key).not.toMatch(/^-?\d+$/);
          expect(String(Number.parseInt(key, 10))).not.toBe(key); // BullMQ's own test for integer ids
          expect(key.length).toBeGreaterThan(0);
        }
      });

      it('is distinct for distinct slots and stable for one slot', () => {
        const keys = triples.map(jobKey);
        expect(new Set(keys).size).toBe(triples.length);
        for (const triple of triples) {
          // A copy with a new Date and the rest of a ScheduledJob gives the same key.
          const copy = { ...makeJob(0), ...triple, slotStart: new Date(triple.slotStart.getTime()), late: true };
          expect(jobKey(copy)).toBe(jobKey(triple));
        }
        expect(jobKey(triples[0]!)).toBe(`login-every-5m@local@${at.getTime()}`);
      });
    });
  });
}

/** A slot of schedule `s` at `local`, `minute` minutes after 2025-06-02 10:00 UTC. */
export function makeJob(minute: number, over: Partial<ScheduledJob> = {}): ScheduledJob {
  const start = new Date(Date.UTC(2025, 5, 2, 10, minute));
  return {
    scheduleId: 's',
    location: 'local',
    slotStart: start,
    slotEnd: new Date(start.getTime() + 60_000),
    runAt: start,
    late: false,
    ...over,
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 2 ms; fails the test after `timeoutMs`. */
async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(2);
  }
}

/**
 * A handler whose jobs (labelled by schedule id) each wait for their gate to open, or for their signal to abort; it
 * records the order in which jobs started and finished.
 */
function createGates() {
  const gates = new Map<string, { promise: Promise<void>; open: () => void }>();
  const gate = (label: string) => {
    let entry = gates.get(label);
    if (!entry) {
      let open!: () => void;
      const promise = new Promise<void>((resolve) => (open = resolve));
      entry = { promise, open };
      gates.set(label, entry);
    }
    return entry;
  };
  const started: string[] = [];
  const finished: string[] = [];
  const handler: JobHandler = async (job, signal) => {
    started.push(job.scheduleId);
    try {
      await Promise.race([
        gate(job.scheduleId).promise,
        new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })),
      ]);
    } finally {
      finished.push(job.scheduleId);
    }
  };
  return { handler, started, finished, open: (label: string) => gate(label).open() };
}
