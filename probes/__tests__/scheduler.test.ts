import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import { createScheduler, type SchedulerEntry } from '../scheduler.js';
import { startDriftMs } from '../worker.js';
import type { JobQueue, ScheduledJob } from '../queue.js';

const logger = pino({ level: 'silent' });

function recordingQueue(): JobQueue & { jobs: ScheduledJob[] } {
  const jobs: ScheduledJob[] = [];
  return { jobs, async add(job) { jobs.push(job); }, async close() {}, size: () => 0 };
}

const every = (scheduleId: string, seconds: number, offsetSeconds?: number): SchedulerEntry => ({
  scheduleId, locations: ['local'], enabled: true,
  slotSchedule: { kind: 'interval', intervalSeconds: seconds, ...(offsetSeconds ? { offsetSeconds } : {}) },
});

const iso = (jobs: ScheduledJob[]) => jobs.map((j) => j.slotStart.toISOString().slice(11, 19));

describe('in-process scheduler (injected clock)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('F16b: a restart at 10:03 of a 10-min probe that ran at 10:00 runs next at 10:10, 6 runs in [10:00, 11:00)', async () => {
    vi.setSystemTime(new Date('2025-06-02T10:03:00Z'));
    const queue = recordingQueue();
    const stored = new Set(['2025-06-02T10:00:00.000Z']); // the 10:00 run happened before the restart
    queue.jobs.push({ scheduleId: 'q', location: 'local', slotStart: new Date('2025-06-02T10:00:00Z'), slotEnd: new Date('2025-06-02T10:10:00Z'), runAt: new Date('2025-06-02T10:00:00Z'), late: false });
    const scheduler = createScheduler({ entries: [every('q', 600)], queue, logger, hasResult: async (_s, _l, at) => stored.has(at.toISOString()) });
    await scheduler.start();
    expect(queue.jobs).toHaveLength(1); // nothing re-run at 10:03
    await vi.advanceTimersByTimeAsync(57 * 60_000 - 1); // to just before 11:00
    scheduler.stop();
    expect(iso(queue.jobs)).toEqual(['10:00:00', '10:10:00', '10:20:00', '10:30:00', '10:40:00', '10:50:00']);
    expect(queue.jobs[1]?.runAt.toISOString()).toBe('2025-06-02T10:10:00.000Z');
  });

  it('runs the current slot at start-up when it has no result yet, flagged late', async () => {
    vi.setSystemTime(new Date('2025-06-02T10:03:00Z'));
    const queue = recordingQueue();
    const scheduler = createScheduler({ entries: [every('q', 600)], queue, logger, hasResult: async () => false });
    await scheduler.start();
    expect(iso(queue.jobs)).toEqual(['10:00:00']);
    expect(queue.jobs[0]?.late).toBe(true);
    scheduler.stop();
  });

  it('starts each slot at its offset, once, and never twice for one slot', async () => {
    vi.setSystemTime(new Date('2025-06-02T09:59:59Z'));
    const queue = recordingQueue();
    const scheduler = createScheduler({ entries: [every('p', 60, 10)], queue, logger, hasResult: async () => false });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(10 * 60_000 + 1000);
    scheduler.stop();
    const starts = iso(queue.jobs);
    // 09:59 slot is current at start (its 09:59:10 run time has passed) + 10:00 … 10:09 (10:10:10 not reached)
    expect(starts).toEqual(['09:59:00', ...Array.from({ length: 10 }, (_, i) => `10:0${i}:00`)]);
    expect(new Set(starts).size).toBe(starts.length);
    expect(queue.jobs.slice(1).every((j) => j.runAt.getTime() - j.slotStart.getTime() === 10_000 && !j.late)).toBe(true);
  });

  it('waits for the offset of the current slot instead of running it early', async () => {
    vi.setSystemTime(new Date('2025-06-02T10:00:03Z'));
    const queue = recordingQueue();
    const scheduler = createScheduler({ entries: [every('p', 60, 10)], queue, logger, hasResult: async () => false });
    await scheduler.start();
    expect(queue.jobs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(7_000);
    expect(iso(queue.jobs)).toEqual(['10:00:00']);
    expect(queue.jobs[0]?.late).toBe(false);
    scheduler.stop();
  });

  it('F21b: a 30-day interval is not fed raw to setTimeout (no run in the first 24 h)', async () => {
    vi.setSystemTime(new Date('2025-06-02T10:00:00Z'));
    const queue = recordingQueue();
    const entry = every('monthly', 30 * 86400);
    const scheduler = createScheduler({ entries: [entry], queue, logger, hasResult: async () => true });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(24 * 3600_000);
    expect(queue.jobs).toHaveLength(0);
    scheduler.stop();
  });

  it('skips paused schedules and stops scheduling on stop()', async () => {
    vi.setSystemTime(new Date('2025-06-02T10:00:30Z'));
    const queue = recordingQueue();
    let paused = true;
    const scheduler = createScheduler({ entries: [every('p', 60)], queue, logger, hasResult: async () => true, pausedSchedules: async () => new Set(paused ? ['p'] : []) });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(queue.jobs).toHaveLength(0);
    paused = false;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(iso(queue.jobs)).toEqual(['10:02:00']);
    scheduler.stop();
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(queue.jobs).toHaveLength(1);
  });

  it('runs the due slots when the paused schedules cannot be read (a gap would be silent, a probe too many is not)', async () => {
    vi.setSystemTime(new Date('2025-06-02T10:00:30Z'));
    const queue = recordingQueue();
    const scheduler = createScheduler({ entries: [every('p', 60)], queue, logger, hasResult: async () => true, pausedSchedules: async () => { throw new Error('store down'); } });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(60_000);
    scheduler.stop();
    expect(iso(queue.jobs)).toEqual(['10:01:00']);
  });

  it('logs an outage of the paused schedules once (warn), not every tick, and one line when they can be read again', async () => {
    vi.setSystemTime(new Date('2025-06-02T10:00:30Z'));
    const lines: { level: number; msg: string }[] = [];
    const recording = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
    let down = true;
    const queue = recordingQueue();
    const pausedSchedules = async () => {
      if (down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      return new Set<string>();
    };
    const scheduler = createScheduler({ entries: [every('p', 60)], queue, logger: recording, hasResult: async () => true, pausedSchedules });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(5 * 60_000); // five more ticks, the store still down
    down = false;
    await vi.advanceTimersByTimeAsync(60_000);
    scheduler.stop();
    const about = (re: RegExp, level: number) => lines.filter((l) => re.test(l.msg) && l.level === level);
    expect(about(/could not read paused schedules/, 40)).toHaveLength(1);
    expect(about(/could not read paused schedules \(still failing\)/, 20)).toHaveLength(5);
    expect(about(/paused schedules can be read again/, 30)).toHaveLength(1);
    expect(queue.jobs).toHaveLength(6); // every due slot ran meanwhile
  });

  it('plans every location of a schedule separately', async () => {
    vi.setSystemTime(new Date('2025-06-02T10:00:30Z'));
    const queue = recordingQueue();
    const scheduler = createScheduler({ entries: [{ ...every('p', 60), locations: ['local', 'lycee-1'] }], queue, logger, hasResult: async () => true });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(60_000);
    scheduler.stop();
    expect(queue.jobs.map((j) => j.location).sort()).toEqual(['local', 'lycee-1']);
  });
});

describe('clock honesty (issue 8 item 4)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reports a wall-clock jump between ticks (the monotonic clock did not move as much), not normal elapsed time', async () => {
    vi.setSystemTime(new Date('2025-06-02T10:00:00Z'));
    let mono = 0;
    const jumps: number[] = [];
    const scheduler = createScheduler({
      entries: [every('q', 10)], queue: recordingQueue(), logger, hasResult: async () => false,
      monotonic: () => mono, onClockJump: (d) => jumps.push(d),
    });
    await scheduler.start();
    // Two ticks with both clocks moving together: no report.
    mono += 10_000;
    await vi.advanceTimersByTimeAsync(10_000);
    mono += 10_000;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(jumps).toEqual([]);
    // The wall clock steps 5 min forward (NTP step, VM resume) while 10 s pass: reported once, +300 s.
    vi.setSystemTime(new Date(Date.now() + 300_000));
    mono += 10_000;
    await vi.advanceTimersByTimeAsync(10_000);
    scheduler.stop();
    expect(jumps).toHaveLength(1);
    expect(jumps[0]).toBeGreaterThanOrEqual(299_000);
    expect(jumps[0]).toBeLessThanOrEqual(301_000);
  });

  it('startDriftMs: a run that started more than 60 s from its planned time is reported, with the sign', () => {
    const runAt = new Date('2025-06-02T10:00:10Z');
    expect(startDriftMs({ runAt }, { startedAt: '2025-06-02T10:01:10.000Z' })).toBeNull(); // exactly 60 s: not yet
    expect(startDriftMs({ runAt }, { startedAt: '2025-06-02T10:01:10.001Z' })).toBe(60_001);
    expect(startDriftMs({ runAt }, { startedAt: '2025-06-02T09:58:00.000Z' })).toBe(-130_000); // host clock behind
  });
});
