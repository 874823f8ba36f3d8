import { afterEach, describe, expect, it } from 'vitest';
import type { Lease, LeaseManager } from '../lease.js';

/**
 * The one suite every {@link LeaseManager} implementation passes (CONVENTIONS.md "Ports and adapters"): the
 * in-process one of `vigie start` today, a Redis (`SET NX PX`) or PostgreSQL lease when workers run on several
 * machines. It checks the port's contract (probes/lease.ts):
 * - at most one unexpired lease per key, also when several callers ask at once; other keys are independent;
 * - `acquire` with `waitMs: 0` answers at once; on a key that stays held it resolves `null` after `waitMs`, or as
 *   soon as its `signal` aborts (an aborted waiter takes nothing later);
 * - a release hands the lease to the oldest waiter at once (well before any poll period or `waitMs`);
 * - a lease expires after `ttlMs` (its holder died): another caller, or a waiter, then takes it;
 * - `release` is idempotent, and the release of a lease that expired and was taken over frees nothing.
 *
 * `make` is called once per test and must return a manager with no lease held; tests also use unique keys. Timings
 * are real and short (tens to a few hundred milliseconds) so that a networked implementation runs the same cases.
 *
 * `options.knownBugs` lists cases (by id, see {@link LeaseCase}) an implementation is known to fail: they run as
 * `it.fails`, so a fix shows up as a failure to remove the entry. Every new implementation must pass all cases.
 */
export type LeaseCase = 'oldest-waiter-after-polls';

export function describeLeaseConformance(
  name: string,
  make: () => LeaseManager | Promise<LeaseManager>,
  options: { knownBugs?: readonly LeaseCase[] } = {},
): void {
  const caseIt = (id: LeaseCase, title: string, fn: () => Promise<void>) =>
    (options.knownBugs?.includes(id) ? it.fails : it)(title, fn);

  describe(`lease conformance: ${name}`, () => {
    const held: Lease[] = [];
    let seq = 0;
    const key = (label: string) => `conformance:${label}:${process.pid}:${(seq += 1)}:${Math.random().toString(36).slice(2, 8)}`;
    const take = async (m: LeaseManager, k: string, over: { ttlMs?: number; waitMs?: number; signal?: AbortSignal } = {}) => {
      const lease = await m.acquire(k, { ttlMs: 10_000, waitMs: 0, ...over });
      if (lease) held.push(lease);
      return lease;
    };
    afterEach(async () => {
      await Promise.all(held.splice(0).map((l) => l.release()));
    });

    it('holds at most one lease per key; other keys are independent', async () => {
      const m = await make();
      const k = key('exclusive');
      const a = await take(m, k);
      expect(a).not.toBeNull();
      expect(a!.key).toBe(k);
      expect(await take(m, k)).toBeNull();
      expect(await take(m, key('other'))).not.toBeNull();
    });

    it('grants a free key to exactly one of several callers asking at once', async () => {
      const m = await make();
      const k = key('race');
      const leases = await Promise.all(Array.from({ length: 6 }, () => take(m, k)));
      expect(leases.filter((l) => l !== null)).toHaveLength(1);
    });

    it('answers at once with waitMs 0 on a held key, and with null after waitMs when it stays held', async () => {
      const m = await make();
      const k = key('wait');
      await take(m, k);
      let t0 = Date.now();
      expect(await take(m, k, { waitMs: 0 })).toBeNull();
      expect(Date.now() - t0).toBeLessThan(50);
      t0 = Date.now();
      expect(await take(m, k, { waitMs: 80 })).toBeNull();
      const elapsed = Date.now() - t0;
      expect(elapsed).toBeGreaterThanOrEqual(70); // it did wait
      expect(elapsed).toBeLessThan(1_000);
    });

    it('hands a released lease to a waiter at once, well before waitMs', async () => {
      const m = await make();
      const k = key('handover');
      const a = await take(m, k);
      const waiting = take(m, k, { waitMs: 2_000 });
      await sleep(20);
      const releasedAt = Date.now();
      await a!.release();
      const b = await waiting;
      // The in-process poll period is 200 ms: a waiter that only polls would take about that long.
      expect(Date.now() - releasedAt).toBeLessThan(100);
      expect(b?.key).toBe(k);
      expect(await take(m, k)).toBeNull(); // the waiter holds it now
    });

    it('wakes the oldest waiter first', async () => {
      const m = await make();
      const k = key('fifo');
      const a = await take(m, k);
      const order: string[] = [];
      const first = take(m, k, { waitMs: 2_000 }).then((l) => (order.push('first'), l));
      await sleep(10);
      const second = take(m, k, { waitMs: 2_000 }).then((l) => (order.push('second'), l));
      await sleep(10);
      await a!.release();
      const one = await first;
      expect(one).not.toBeNull();
      await sleep(20);
      expect(order).toEqual(['first']); // the second still waits: one lease per key
      const releasedAt = Date.now();
      await one!.release();
      expect(await second).not.toBeNull();
      expect(Date.now() - releasedAt).toBeLessThan(100);
      expect(order).toEqual(['first', 'second']);
    });

    caseIt('oldest-waiter-after-polls', 'wakes the oldest waiter first, also after it waited longer than a poll period', async () => {
      const m = await make();
      const k = key('fifo-long');
      const a = await take(m, k);
      const first = take(m, k, { waitMs: 3_000 });
      await sleep(120);
      const second = take(m, k, { waitMs: 3_000 });
      // 260 ms: past the first waiter's first 200 ms poll of the in-process manager, before the second's.
      await sleep(140);
      await a!.release();
      const winner = await Promise.race([first.then((l) => ({ who: 'first', l })), second.then((l) => ({ who: 'second', l }))]);
      // Let the other waiter through too, so that no wait outlives the case.
      await winner.l?.release();
      await Promise.all([first, second]);
      expect(winner.who).toBe('first');
    });

    it('lets another caller take a lease once its ttlMs passed, and a waiter too', async () => {
      const m = await make();
      const k = key('expiry');
      expect(await take(m, k, { ttlMs: 50 })).not.toBeNull(); // never released: its holder died
      expect(await take(m, k)).toBeNull();
      await sleep(70);
      const b = await take(m, k, { ttlMs: 50 });
      expect(b).not.toBeNull();
      // b expires in turn while a waiter waits on it: the waiter gets it before its own waitMs is over.
      const t0 = Date.now();
      const c = await take(m, k, { waitMs: 1_500 });
      expect(c?.key).toBe(k);
      expect(Date.now() - t0).toBeLessThan(1_000);
    });

    it('ends a wait with null as soon as the signal aborts, and the aborted waiters take nothing later', async () => {
      const m = await make();
      const k = key('abort');
      const a = await take(m, k, { ttlMs: 60_000 });
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 20);
      let t0 = Date.now();
      expect(await take(m, k, { waitMs: 5_000, signal: ac.signal })).toBeNull();
      expect(Date.now() - t0).toBeLessThan(150); // at the abort, not at the next poll (200 ms in process)
      // An already aborted signal does not wait at all.
      t0 = Date.now();
      expect(await take(m, k, { waitMs: 5_000, signal: AbortSignal.abort() })).toBeNull();
      expect(Date.now() - t0).toBeLessThan(50);
      // A waiter behind the aborted ones still gets the lease at once on release: they took no wake-up with them.
      const waiting = take(m, k, { waitMs: 2_000 });
      await sleep(10);
      const releasedAt = Date.now();
      await a!.release();
      expect((await waiting)?.key).toBe(k);
      expect(Date.now() - releasedAt).toBeLessThan(100);
    });

    it('makes release idempotent, and a stale release frees nobody else’s lease', async () => {
      const m = await make();
      const k = key('release');
      const a = await take(m, k);
      await a!.release();
      await a!.release(); // twice: no error
      const b = await take(m, k);
      expect(b).not.toBeNull();
      await a!.release(); // a's lease is gone: must not free b's
      expect(await take(m, k)).toBeNull();

      const old = await take(m, key('stale'), { ttlMs: 40 });
      await sleep(60); // old expired (its holder was presumed dead)…
      const next = await take(m, old!.key);
      expect(next).not.toBeNull(); // …and was taken over
      await old!.release(); // the late release of the expired lease
      expect(await take(m, old!.key)).toBeNull(); // next still holds it
      await next!.release();
      expect(await take(m, old!.key)).not.toBeNull();
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
