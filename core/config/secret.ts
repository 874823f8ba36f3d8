import { z } from 'zod';
import { strictObject } from './primitives.js';

/**
 * A secret is never written in the file: it is read from an environment variable (`{ env: NAME }`) or a file
 * (`{ file: /run/secrets/x }`, Docker secrets). Used by personas (test-account credentials) and alerts (SMTP
 * password, webhook signing keys); stored revisions keep the reference and a keyed fingerprint, never the value.
 */
export const secretRef = z.union([
  strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "nom de variable d'environnement attendu / expected an environment variable name") }),
  strictObject({ file: z.string().min(1) }),
]);
export type SecretRef = z.infer<typeof secretRef>;
