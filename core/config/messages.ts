import { z } from 'zod';

let installed = false;

/**
 * A number that is not finite where a number is expected (`port: 1e400` or `.inf` in YAML, NaN): zod's French says
 * "nombre attendu, nombre reçu", which reads as nonsense. Undefined for any other issue.
 */
function nonFiniteNumber(issue: Parameters<z.core.$ZodErrorMap>[0]): string | undefined {
  if (issue.code !== 'invalid_type' || issue.expected !== 'number' || typeof issue.input !== 'number' || Number.isFinite(issue.input)) return undefined;
  return `nombre fini attendu, pas ${issue.input} / expected a finite number, got ${issue.input}`;
}

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
  const bilingual: z.core.$ZodErrorMap = (issue) => nonFiniteNumber(issue) ?? `${text(fr(issue))} / ${text(en(issue))}`;
  // zod 4 keeps its configuration in one object shared through globalThis (`__zod_globalConfig`), and a copy of zod
  // bundled elsewhere resets it when it loads: playwright-core's bundle does `config(en())`, which made every message
  // English once a probe had started. The setter keeps the bilingual map whatever a later copy assigns.
  const shared = z.config();
  Object.defineProperty(shared, 'localeError', { get: () => bilingual, set: () => {}, enumerable: true, configurable: true });
}
