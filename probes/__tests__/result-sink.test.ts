import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { createBufferedSink, type ResultWriter } from '../result-sink.js';
import type { RunResult } from '../../core/run-types.js';
import { VigieError } from '../../core/errors.js';

const outage = () => new VigieError('UNAVAILABLE', 'connection refused');

const result = (slot: string): RunResult => ({
  scheduleId: 's', journey: 'login', target: 't', tenant: '0510001T', location: 'local', trigger: 'scheduled',
  scheduledAt: slot, revisionId: 1, status: 'up', startedAt: slot, durationMs: 1, late: false, attempts: [],
});

describe('buffered result sink', () => {
  it('returns at once and writes results in order', async () => {
    const written: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const writer: ResultWriter = { async write(r) { await gate; written.push(r.scheduledAt); return { duplicate: false }; } };
    const sink = createBufferedSink({ writer, logger: pino({ level: 'silent' }) });
    sink.push(result('a'));
    sink.push(result('b'));
    expect(sink.size()).toBe(2); // push did not wait for the store
    release();
    expect(await sink.flush()).toBe(0);
    expect(written).toEqual(['a', 'b']);
  });

  it('keeps results while the store is down and writes them once, in order, when it returns', async () => {
    let up = false;
    const written: string[] = [];
    let failures = 0;
    const writer: ResultWriter = {
      async write(r) {
        if (!up) { failures++; throw outage(); }
        written.push(r.scheduledAt);
        return { duplicate: false };
      },
    };
    const sizes: number[] = [];
    const sink = createBufferedSink({ writer, logger: pino({ level: 'silent' }), retryMs: 10, maxRetryMs: 20, onBufferChange: (n) => sizes.push(n) });
    for (const s of ['1', '2', '3']) sink.push(result(s));
    await new Promise((r) => setTimeout(r, 80));
    expect(failures).toBeGreaterThan(1);
    expect(written).toEqual([]);
    up = true;
    expect(await sink.flush(2000)).toBe(0);
    expect(written).toEqual(['1', '2', '3']);
    expect(sizes.at(-1)).toBe(0);
  });

  it('drops the oldest result beyond its capacity', async () => {
    const written: string[] = [];
    let up = false;
    const writer: ResultWriter = { async write(r) { if (!up) throw outage(); written.push(r.scheduledAt); return { duplicate: false }; } };
    const sink = createBufferedSink({ writer, logger: pino({ level: 'silent' }), capacity: 2, retryMs: 5, maxRetryMs: 5 });
    for (const s of ['1', '2', '3']) sink.push(result(s));
    up = true;
    await sink.flush(2000);
    expect(written).toEqual(['2', '3']);
  });

  it('drops a result the store refuses for good, and keeps writing the next ones', async () => {
    const written: string[] = [];
    const rejected: string[] = [];
    const writer: ResultWriter = {
      async write(r) {
        if (r.scheduledAt === 'bad') throw new VigieError('VALIDATION', 'unknown revision');
        written.push(r.scheduledAt);
        return { duplicate: false };
      },
    };
    const sink = createBufferedSink({ writer, logger: pino({ level: 'silent' }), retryMs: 5, onRejected: (r) => rejected.push(r.scheduledAt) });
    for (const s of ['1', 'bad', '2']) sink.push(result(s));
    expect(await sink.flush(2000)).toBe(0);
    expect(written).toEqual(['1', '2']);
    expect(rejected).toEqual(['bad']);
  });
});
