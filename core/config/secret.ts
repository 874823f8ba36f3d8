import { z } from 'zod';
import { strictObject } from './primitives.js';

/**
 * A secret is never written in the file: it is read from an environment variable (`{ env: NAME }`) or a file
 * (`{ file: /run/secrets/x }`, Docker secrets). Used by personas (test-account credentials) and alerts (SMTP
 * password, webhook signing keys); stored revisions keep the reference and a keyed fingerprint, never the value.
 */
export const secretRef = z.union(
  [
    strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "nom de variable d'environnement attendu / expected an environment variable name") }),
    strictObject({ file: z.string().min(1) }),
  ],
  {
    // Neither form: a literal value (`password: hunter2`) is the usual mistake; say what to write instead, never the value.
    error: (issue) => {
      if (issue.code !== 'invalid_union') return undefined;
      return typeof issue.input === 'string' || typeof issue.input === 'number'
        ? "secret écrit en clair : un secret ne s'écrit pas dans le fichier, donnez { env: NOM_DE_VARIABLE } ou { file: chemin } (secret Docker) / " +
            'literal secret: a secret is never written in the file, give { env: VARIABLE_NAME } or { file: path } (Docker secret)'
        : 'référence de secret attendue : { env: NOM_DE_VARIABLE } ou { file: chemin } / expected a secret reference: { env: VARIABLE_NAME } or { file: path }';
    },
  },
);
export type SecretRef = z.infer<typeof secretRef>;
