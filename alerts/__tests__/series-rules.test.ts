import { describe, expect, it } from 'vitest';
import type { SlotOutcome } from '../../core/sla/index.js';
import { seriesRules } from '../series-rules.js';

const MIN = 60_000;
const T = Date.parse('2025-11-14T10:00:00Z');
const slot = (m: number, state: 'up' | 'down'): SlotOutcome => ({ start: T + m * MIN, end: T + (m + 1) * MIN, state, byLocation: {} }) as SlotOutcome;
const flapping = { open: true, since: T - 5 * MIN, recent: 'ududud' };

describe('seriesRules', () => {
  it('an outage while the series flaps is recorded for nobody', () => {
    const r = seriesRules([slot(0, 'down'), slot(1, 'down')], { open: false, consecutiveDown: 0, firstDownAt: null, flapping }, 's', { k: 2, notifyDegraded: false, flapping: { changes: 4, window: 10 } });
    expect(r.opened).toEqual([{ outageStart: T, openedAt: T + MIN, severity: 'outage', notify: false }]);
  });

  it('flapping turned off while a series flaps: the flapping ends at the first new slot and outages are told again', () => {
    // Found by a hostile tester: the next outage stayed silent and the flapping incident open for ever.
    const r = seriesRules([slot(0, 'down'), slot(1, 'down')], { open: false, consecutiveDown: 0, firstDownAt: null, flapping }, 's', { k: 2, notifyDegraded: false, flapping: null });
    expect(r.opened).toEqual([{ outageStart: T, openedAt: T + MIN, severity: 'outage' }]);
    expect(r.resolved).toEqual([{ key: 'flap:s', outageStart: T - 5 * MIN, resolvedAt: T }]);
    expect(r.release).toBe(true);
    expect(r.state.flapping).toBeUndefined();
  });
});
