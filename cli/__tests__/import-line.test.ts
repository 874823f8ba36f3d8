import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../core/config/validate.js';
import { ByteBatcher } from '../import-cmd.js';
import { createLineReader } from '../import-line.js';
import { replayConfig, scheduleId, tenantUai } from './replay-fixture.js';

const config = validateConfig(replayConfig({ tenants: 1, journeys: ['login'] }));
const NOW = Date.parse('2026-11-29T11:00:00Z');
const read = createLineReader(config, () => NOW);
const id = scheduleId('login', tenantUai(0));
const line = (fields: object) => JSON.stringify({ scheduleId: id, scheduledAt: '2026-10-05T06:05:00Z', status: 'up', ...fields });
const paths = (r: ReturnType<typeof read>) => (r.issues ?? []).map((i) => i.path);

describe('import lines: strict instants, bounds', () => {
  it('refuses an impossible date instead of rolling it over to March', () => {
    expect(paths(read(line({ scheduledAt: '2026-02-30T06:00:00Z' }), 1))).toEqual(['scheduledAt']);
  });

  it('requires an offset or Z for instants, and honours a given offset', () => {
    const r = read(line({ scheduledAt: '2026-10-05T06:05:00' }), 1);
    expect(r.issues?.[0]).toMatchObject({ path: 'scheduledAt', message: expect.stringMatching(/with Z or an offset/) });
    expect(read(line({ scheduledAt: '2026-10-05T08:05:00+02:00' }), 1).run?.scheduledAt).toBe('2026-10-05T06:05:00.000Z');
  });

  it('refuses slots after now + 1 day', () => {
    expect(read(line({ scheduledAt: '2099-01-05T06:05:00Z' }), 4).issues?.[0]).toMatchObject({ line: 4, path: 'scheduledAt', message: expect.stringMatching(/future/) });
    expect(read(line({ scheduledAt: '2026-11-29T11:00:00Z' }), 4).run).toBeDefined();
  });

  it('bounds the length of texts and ids', () => {
    expect(paths(read(line({ reason: 'x'.repeat(2001) }), 1))).toEqual(['reason']);
    expect(read(line({ reason: 'x'.repeat(2000) }), 1).run).toBeDefined();
    expect(paths(read(line({ location: 'l'.repeat(201) }), 1))).toEqual(['location']);
  });
});

describe('import lines: what PostgreSQL refuses and out-of-range instants are rejected lines (issue 8 item 3)', () => {
  const attempt = (fields: object = {}, step: object = {}) => ({ attempt: 1, status: 'down', kind: 'timeout', steps: [{ name: 'landing', status: 'failed', error: { message: 'boom', kind: 'timeout' }, ...step }], ...fields });

  it('names the line and the field of a NUL character or a lone surrogate, wherever it is', () => {
    expect(read(line({ status: 'down', kind: 'timeout', reason: 'a\u0000b' }), 10001).issues).toEqual([{ line: 10001, path: 'reason', message: expect.stringMatching(/NUL/) }]);
    expect(paths(read(line({ status: 'down', kind: 'timeout', attempts: [attempt({}, { name: 'land\uD800' })] }), 3))).toEqual(['attempts[0].steps[0].name']);
    expect(paths(read(line({ status: 'down', kind: 'timeout', attempts: [attempt({}, { error: { message: '\uDC00', kind: 'timeout' } })] }), 3))).toEqual(['attempts[0].steps[0].error.message']);
    expect(paths(read(line({ status: 'down', kind: 'timeout', attempts: [attempt({ flags: ['\u0000'] })] }), 3))).toEqual(['attempts[0].flags[0]']);
  });

  it('refuses years before 2000 (0099 once became 1999) and every instant of a line past now + 1 day', () => {
    expect(read(line({ scheduledAt: '0099-10-05T06:05:00Z' }), 2).issues).toEqual([{ line: 2, path: 'scheduledAt', message: expect.stringMatching(/0099-10-05T06:05:00.000Z is before 2000/) }]);
    expect(paths(read(line({ startedAt: '1999-12-31T23:59:00Z' }), 2))).toEqual(['startedAt']);
    expect(paths(read(line({ startedAt: '2026-12-01T00:00:00Z' }), 2))).toEqual(['startedAt']);
    expect(paths(read(line({ status: 'down', kind: 'timeout', attempts: [attempt({ startedAt: '2030-01-01T00:00:00Z' }, { startedAt: '2030-01-01T00:00:00Z' })] }), 2))).toEqual(['attempts[0].startedAt', 'attempts[0].steps[0].startedAt']);
  });

  it('reports an instant at the field the line has, never at a field filled in from it', () => {
    // startedAt, the attempt's startedAt and the step's are copied from scheduledAt: one issue, at scheduledAt.
    const future = read(line({ scheduledAt: '2099-01-05T06:05:00Z', status: 'down', kind: 'timeout', attempts: [attempt()] }), 4);
    expect(future.issues).toEqual([{ line: 4, path: 'scheduledAt', message: expect.stringMatching(/ est à plus d'un jour dans le futur .* \/ .* is more than a day in the future/) }]);
    // A step without startedAt takes its attempt's: the issue is the attempt's alone.
    expect(paths(read(line({ status: 'down', kind: 'timeout', attempts: [attempt({ startedAt: '2030-01-01T00:00:00Z' })] }), 2))).toEqual(['attempts[0].startedAt']);
    // A run location too long is reported once, not again at each attempt that copied it.
    expect(paths(read(line({ location: 'l'.repeat(201), status: 'down', kind: 'timeout', attempts: [attempt()] }), 1))).toEqual(['location']);
  });

  it('refuses durations the integer columns cannot hold', () => {
    expect(paths(read(line({ durationMs: 1e12 }), 1))).toEqual(['durationMs']);
    expect(paths(read(line({ status: 'down', kind: 'timeout', attempts: [attempt({}, { thresholdMs: 3e9 })] }), 1))).toEqual(['attempts[0].steps[0].thresholdMs']);
  });

  it('never throws: deep nesting, odd keys and wrong root types are issues of the line', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(paths(read(deep, 1))).toEqual(['(line)']);
    const withField = (field: string) => `${line({}).slice(0, -1)},"${field}":${deep}}`;
    expect(paths(read(withField('reason'), 1))).toEqual(['reason']);
    // An unknown field is dropped by the schema: the run is stored without it (nothing deep reaches the batcher).
    expect(read(withField('extra'), 1).run).not.toHaveProperty('extra');
    expect(read(line({ __proto__: { status: 'up' }, constructor: 1 }), 1).run).toBeDefined();
    expect(paths(read('null', 1))).toEqual(['(line)']);
    expect(paths(read('"text"', 1))).toEqual(['(line)']);
  });
});

describe('ByteBatcher', () => {
  it('cuts batches by item count and by JSON bytes, whichever comes first', () => {
    const b = new ByteBatcher<{ s: string }>(3, 250);
    const big = { s: 'x'.repeat(100) }; // ~110 bytes of JSON
    expect(b.add(big)).toBeNull();
    expect(b.add(big)).toBeNull();
    expect(b.add(big)).toHaveLength(2); // a third would pass 250 bytes: the first two go out
    const small = new ByteBatcher<number>(3, 1e6);
    expect([1, 2, 3].map((n) => small.add(n))).toEqual([null, null, null]);
    expect(small.add(4)).toEqual([1, 2, 3]);
    expect(small.take()).toEqual([4]);
  });
});
