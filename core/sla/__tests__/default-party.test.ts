import { describe, expect, it } from 'vitest';
import { defaultParty } from '../types.js';

describe('default party of a failure (DESIGN.md §5 "Attribution")', () => {
  it.each([
    ['assertion', 'provider'],
    ['timeout', 'provider'],
    ['security', 'provider'],
    ['local-network', 'establishment-network'],
    ['infra', 'vigie'],
    ['safety', 'vigie'],
    ['credentials', 'vigie'], // a refused test account is ours to fix, never the provider's outage
  ] as const)('%s → %s', (kind, party) => {
    expect(defaultParty(kind)).toBe(party);
  });
});
