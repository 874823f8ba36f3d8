import { describe, expect, it, vi } from 'vitest';
import { startBudgetRefresh } from '../budget-metrics.js';

describe('startBudgetRefresh', () => {
  it('computes a minute after the start, then every minute; a failure is logged once and the next one tried', async () => {
    vi.useFakeTimers();
    try {
      const calls: number[] = [];
      let fail = false;
      const warn = vi.fn();
      const set = vi.fn();
      const r = startBudgetRefresh({ budgets: async () => { calls.push(Date.now()); if (fail) throw new Error('down'); return []; }, set, everyMs: 60_000, logger: { warn, info: () => undefined } });
      await vi.advanceTimersByTimeAsync(59_000);
      expect(calls).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(calls).toHaveLength(1);
      expect(set).toHaveBeenCalledTimes(1);
      fail = true;
      await vi.advanceTimersByTimeAsync(120_000);
      expect(calls).toHaveLength(3);
      expect(warn).toHaveBeenCalledTimes(1);
      await r.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
