import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { useBilingualMessages } from '../messages.js';
import { parseInput, validateConfig } from '../validate.js';
import { isVigieError } from '../../errors.js';

describe('zod messages, French then English', () => {
  it('stay bilingual after playwright-core (which bundles its own zod and resets the shared config) has loaded', async () => {
    useBilingualMessages();
    const before = z.enum(['up', 'down']).safeParse('sideways').error?.issues[0]?.message;
    expect(before).toBe('Option invalide : une valeur parmi "up"|"down" attendue / Invalid option: expected one of "up"|"down"');
    await import('playwright-core');
    const after = z.number().safeParse('x').error?.issues[0]?.message;
    expect(after).toBe('Entrée invalide : nombre attendu, chaîne de caractères reçu / Invalid input: expected number, received string');
  });
});

describe('one message per numeric field (a huge or infinite number once gave two, or nonsense)', () => {
  const base = {
    targets: [{ id: 'ent', name: 'ENT', profile: 'sandbox', ssoUrl: 'http://sso.localhost:7080' }],
    tenants: [{ uai: '0519990G', name: 'Lycée', target: 'ent', entUrl: 'http://lycee.localhost:7080', academie: 'Reims', departement: '51', zone: 'B' }],
  };
  const issuesOf = (extra: object) => {
    try {
      validateConfig({ ...base, ...extra });
    } catch (err) {
      if (isVigieError(err, 'CONFIG')) return err.issues;
      throw err;
    }
    return [];
  };

  it.each([
    [1e20, /^Trop grand : nombre doit être <=65535 \/ Too big: expected number to be <=65535$/],
    [-1e20, /^Trop petit : nombre doit être >=0 \/ Too small: expected number to be >=0$/],
    [99999999999, /^Trop grand : nombre doit être <=65535 \/ Too big: expected number to be <=65535$/],
    [Infinity, /^nombre fini attendu, pas Infinity \/ expected a finite number, got Infinity$/],
    [-Infinity, /^nombre fini attendu, pas -Infinity \/ expected a finite number, got -Infinity$/],
    [NaN, /^nombre fini attendu, pas NaN \/ expected a finite number, got NaN$/],
  ])('server.port: %s', (port, message) => {
    useBilingualMessages();
    const issues = issuesOf({ server: { port } });
    expect(issues.map((i) => i.path)).toEqual(['server.port']);
    expect(issues[0]!.message).toMatch(message);
  });

  it('runner.concurrency and an API number too', () => {
    useBilingualMessages();
    expect(issuesOf({ runner: { concurrency: 1e300 } }).map((i) => `${i.path}: ${i.message}`)).toEqual(['runner.concurrency: Trop grand : nombre doit être <=32 / Too big: expected number to be <=32']);
    expect(() => parseInput(z.object({ limit: z.number().int().min(1).max(1000) }), { limit: 1e30 })).toThrow(/^limit: Trop grand : nombre doit être <=1000 \/ Too big: expected number to be <=1000$/);
  });
});
