import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { useBilingualMessages } from '../messages.js';

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
