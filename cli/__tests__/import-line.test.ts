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
