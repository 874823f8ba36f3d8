import { describe, expect, it } from 'vitest';
import { parseInput } from '../../core/config/validate.js';
import { isVigieError } from '../../core/errors.js';
import { auditQuerySchema, correctionBodySchema, incidentBodySchema, MAX_SCOPE_ITEMS, slaQuerySchema } from '../schemas.js';

/** A hostile tester sent a correction scoped to a million tenants: scope lists and ids of the API are bounded. */
const body = (scope: unknown) => ({ from: '2026-10-05T06:00:00Z', to: '2026-10-05T07:00:00Z', reason: 'panne', author: 'eve', scope });

function refusal(schema: Parameters<typeof parseInput>[0], input: unknown): { message: string; paths: string[] } {
  try {
    parseInput(schema, input);
  } catch (err) {
    if (isVigieError(err, 'VALIDATION')) return { message: err.message, paths: err.issues.map((i) => i.path) };
    throw err;
  }
  throw new Error('accepted');
}

describe('scope lists and ids of API bodies and queries are bounded', () => {
  it(`at most ${MAX_SCOPE_ITEMS} entries a list, array or comma-separated, refused at the field`, () => {
    const many = Array.from({ length: MAX_SCOPE_ITEMS + 1 }, (_, i) => `t${i}`);
    expect(refusal(correctionBodySchema, body({ tenants: many }))).toEqual({ message: `scope.tenants: ${MAX_SCOPE_ITEMS} entrées au plus / at most ${MAX_SCOPE_ITEMS} entries`, paths: ['scope.tenants'] });
    const { reason: description, ...incident } = body({ journeys: many.join(',') });
    expect(refusal(incidentBodySchema, { ...incident, description }).paths).toEqual(['scope.journeys']);
    expect(parseInput(correctionBodySchema, body({ tenants: many.slice(0, MAX_SCOPE_ITEMS) })).scope.tenants).toHaveLength(MAX_SCOPE_ITEMS);
  });

  it('a string of commas cut at the bound is refused, never read as the empty scope (which means everything)', () => {
    expect(refusal(correctionBodySchema, body({ targets: `${','.repeat(5000)}ent` })).paths).toEqual(['scope.targets']);
    expect(parseInput(correctionBodySchema, body({ tenants: ' 0519990G, ,0519991H,' })).scope.tenants).toEqual(['0519990G', '0519991H']);
  });

  it('ids of at most 200 characters, in scope lists and in queries', () => {
    expect(refusal(correctionBodySchema, body({ clauses: ['k', 'x'.repeat(201)] }))).toEqual({ message: 'scope.clauses[1]: 200 caractères au plus / at most 200 characters', paths: ['scope.clauses[1]'] });
    expect(refusal(slaQuerySchema, { contract: 'c'.repeat(201), month: '2026-10' }).paths).toEqual(['contract']);
    expect(refusal(slaQuerySchema, { contract: 'c', month: '2026-10', tenant: 't'.repeat(201) }).paths).toEqual(['tenant']);
    expect(refusal(auditQuerySchema, { actor: 'a'.repeat(201) }).paths).toEqual(['actor']);
    expect(parseInput(slaQuerySchema, { contract: 'c'.repeat(200), month: '2026-10' }).contract).toHaveLength(200);
  });
});
