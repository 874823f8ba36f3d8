import { describe, expect, it } from 'vitest';
import { createInProcessLeaseManager, rollCallLeaseKey } from '../lease.js';

describe('in-process LeaseManager', () => {
  it('holds one lease per key; others wait or get null', async () => {
    const m = createInProcessLeaseManager();
    const key = rollCallLeaseKey('0519990G', 'TEST-2NDE');
    const a = await m.acquire(key, { ttlMs: 10_000, waitMs: 0 });
    expect(a).not.toBeNull();
    expect(await m.acquire(key, { ttlMs: 10_000, waitMs: 0 })).toBeNull();
    expect(await m.acquire(rollCallLeaseKey('0519990G', 'OTHER'), { ttlMs: 10_000, waitMs: 0 })).not.toBeNull();
    const waiting = m.acquire(key, { ttlMs: 10_000, waitMs: 2_000 });
    setTimeout(() => void a!.release(), 20);
    const b = await waiting;
    expect(b?.key).toBe(key);
    await a!.release(); // idempotent: must not free b's lease
    expect(await m.acquire(key, { ttlMs: 10_000, waitMs: 0 })).toBeNull();
  });

  it('an expired lease can be taken (its holder died)', async () => {
    let now = 1_000;
    const m = createInProcessLeaseManager(() => now);
    await m.acquire('k', { ttlMs: 100, waitMs: 0 });
    expect(await m.acquire('k', { ttlMs: 100, waitMs: 0 })).toBeNull();
    now += 101;
    expect(await m.acquire('k', { ttlMs: 100, waitMs: 0 })).not.toBeNull();
  });

  it('stops waiting when the signal aborts', async () => {
    const m = createInProcessLeaseManager();
    await m.acquire('k', { ttlMs: 60_000, waitMs: 0 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    const t = Date.now();
    expect(await m.acquire('k', { ttlMs: 60_000, waitMs: 5_000, signal: ac.signal })).toBeNull();
    expect(Date.now() - t).toBeLessThan(1_000);
  });
});
