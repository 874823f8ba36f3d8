import { z } from 'zod';
import { parseDurationSeconds } from '../duration.js';

/** zod building blocks shared by the config schemas (`schema.ts`, `contract.ts`). */

/** An id: letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
export const id = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'expected an id made of letters, digits, ".", "_" or "-"');

/** A duration such as `30s`, `5m`, `1h30m`, `1d` or a number of seconds; parsed to seconds (core/duration.ts). */
export const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  try {
    return parseDurationSeconds(value);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});
