import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { createInProcessQueue, type ScheduledJob } from '../queue.js';

const logger = pino({ level: 'silent' });
const job = (slot: number, scheduleId = 's'): ScheduledJob => {
  const start = new Date(Date.UTC(2025, 5, 2, 10, slot));
  return { scheduleId, location: 'local', slotStart: start, slotEnd: new Date(start.getTime() + 60_000), runAt: start, late: false };
};
const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('in-process queue', () => {
  it('respects the concurrency limit and runs every job', async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    const queue = createInProcessQueue({ concurrency: 2, logger, handler: async (j) => { running++; peak = Math.max(peak, running); await tick(20); running--; done.push(j.slotStart.getUTCMinutes()); } });
    for (let i = 0; i < 5; i++) await queue.add(job(i));
    expect(queue.size()).toBe(5);
    await queue.close(5_000);
    expect(peak).toBe(2);
    expect(done.sort()).toEqual([0, 1]); // close() drops waiting jobs and lets running ones finish
  });

  it('never handles one slot twice while it is queued or running', async () => {
    const seen: string[] = [];
    const queue = createInProcessQueue({ concurrency: 1, logger, handler: async (j) => { seen.push(j.slotStart.toISOString()); await tick(20); } });
    await queue.add(job(1));
    await queue.add(job(1));
    await queue.add(job(2));
    await queue.add(job(2));
    while (queue.size() > 0) await tick();
    expect(seen).toHaveLength(2);
  });

  it('aborts running jobs after the grace on close, and waits for them to settle', async () => {
    let aborted = false;
    let settled = false;
    const queue = createInProcessQueue({
      concurrency: 1, logger,
      handler: (_j, signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => { aborted = true; setTimeout(() => { settled = true; resolve(); }, 10); })),
    });
    await queue.add(job(1));
    await tick();
    const t0 = Date.now();
    await queue.close(50);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(45);
    expect(aborted).toBe(true);
    expect(settled).toBe(true);
  });
});
