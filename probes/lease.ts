/**
 * Leases keep two runs off the same shared test data (one roll-call sheet per (tenant, class), DESIGN.md §2). The
 * interface is small so that a distributed implementation (Redis `SET NX PX`, a PostgreSQL advisory lock) can replace
 * the in-process one when workers run on several machines.
 */

export interface Lease {
  readonly key: string;
  /** Releases the lease; idempotent. */
  release(): Promise<void>;
}

export interface AcquireOptions {
  /** The lease expires after this long even if never released (a holder that died). */
  ttlMs: number;
  /** Wait at most this long for a held lease; 0 = do not wait. */
  waitMs: number;
  signal?: AbortSignal;
}

/**
 * Contract: at most one unexpired lease per key at any time; `acquire` resolves `null` when the key stays held for
 * `waitMs` (or `signal` aborts); a release wakes the oldest waiter at once (others retry every 200 ms).
 */
export interface LeaseManager {
  acquire(key: string, options: AcquireOptions): Promise<Lease | null>;
}

/** Key of the roll-call lease. */
export function rollCallLeaseKey(tenant: string, classId: string): string {
  return `roll-call:${tenant}:${classId}`;
}

/** Poll period while waiting for an expired lease; releases wake waiters at once. */
const EXPIRY_POLL_MS = 200;

/** Leases inside one process (the default single-process `vigie start`). `now` is injectable for tests. */
export function createInProcessLeaseManager(now: () => number = Date.now): LeaseManager {
  const held = new Map<string, { token: symbol; expiresAt: number }>();
  /** Waiters per key, oldest first; a waiter keeps its place across its polls until it takes the lease or gives up. */
  const waiters = new Map<string, { wake: () => void }[]>();

  const wakeOldest = (key: string) => waiters.get(key)?.[0]?.wake();

  const tryTake = (key: string, ttlMs: number): Lease | null => {
    const current = held.get(key);
    if (current && current.expiresAt > now()) return null;
    const token = Symbol(key);
    held.set(key, { token, expiresAt: now() + ttlMs });
    return {
      key,
      release: async () => {
        if (held.get(key)?.token === token) {
          held.delete(key);
          wakeOldest(key);
        }
      },
    };
  };

  return {
    async acquire(key, { ttlMs, waitMs, signal }) {
      // A newcomer takes a free key only when nobody waits for it: waiters are served in their order.
      if (!waiters.get(key)?.length) {
        const lease = tryTake(key, ttlMs);
        if (lease) return lease;
      }
      const deadline = now() + waitMs;
      if (deadline <= now() || signal?.aborted) return null;
      const list = waiters.get(key) ?? [];
      waiters.set(key, list);
      let wake: () => void = () => undefined;
      const me = { wake: () => wake() };
      list.push(me);
      try {
        for (;;) {
          // Only the oldest waiter may take it (a release wakes it at once; an expiry is seen at its next poll).
          if (list[0] === me) {
            const lease = tryTake(key, ttlMs);
            if (lease) return lease;
          }
          const left = deadline - now();
          if (left <= 0 || signal?.aborted) return null;
          await new Promise<void>((resolve) => {
            const done = () => {
              clearTimeout(timer);
              signal?.removeEventListener('abort', done);
              resolve();
            };
            const timer = setTimeout(done, Math.min(left, EXPIRY_POLL_MS));
            signal?.addEventListener('abort', done);
            wake = done;
          });
        }
      } finally {
        const at = list.indexOf(me);
        if (at >= 0) list.splice(at, 1);
        if (list.length === 0) waiters.delete(key);
        // The next in line may take a lease that is free now (this waiter gave up or aborted).
        else if (at === 0 && !held.has(key)) wakeOldest(key);
      }
    },
  };
}
