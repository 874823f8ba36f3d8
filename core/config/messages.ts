import { z } from 'zod';

let installed = false;

/**
 * Makes zod's own messages bilingual, French then English (`Entrée invalide : chaîne de caractères attendu, nombre
 * reçu / Invalid input: expected string, received number`), with zod's `fr` and `en` locales. Messages written in
 * Vigie's schemas are already `français / English` and are left as they are. zod's configuration is global to the
 * process: the CLI entry (cli/main.ts) calls this once, which covers `vigie start`'s API too. Idempotent.
 */
export function useBilingualMessages(): void {
  if (installed) return;
  installed = true;
  const fr = z.locales.fr().localeError;
  const en = z.locales.en().localeError;
  const text = (m: ReturnType<typeof fr>) => (typeof m === 'string' ? m : (m?.message ?? ''));
  const bilingual: z.core.$ZodErrorMap = (issue) => `${text(fr(issue))} / ${text(en(issue))}`;
  // zod 4 keeps its configuration in one object shared through globalThis (`__zod_globalConfig`), and a copy of zod
  // bundled elsewhere resets it when it loads: playwright-core's bundle does `config(en())`, which made every message
  // English once a probe had started. The setter keeps the bilingual map whatever a later copy assigns.
  const shared = z.config();
  Object.defineProperty(shared, 'localeError', { get: () => bilingual, set: () => {}, enumerable: true, configurable: true });
}
