import type { z } from 'zod';
import { VigieError, type Issue } from '../errors.js';
import { alertsReferenceIssues } from './alerts.js';
import { configSchema, type VigieConfig } from './schema.js';
import { referenceIssues } from './references.js';
import { journeyReferenceIssues, type ReferenceOptions } from './journey-references.js';
import { inputIssues } from './input-checks.js';
import { timingIssues } from './timing.js';

export { configWarnings } from './warnings.js';

/** What the caller knows beyond the file (journey-references.ts): the built-in ENT profiles. */
export type ValidateOptions = ReferenceOptions;

/** `['schedules', 2, 'every']` → `schedules[2].every`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}

/** zod issues → Vigie issues, in document order. */
export function toIssues(error: z.ZodError): Issue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message, ...(issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? { key: issue.keys[0] } : {}) }));
}

/**
 * Validates a parsed `vigie.yml` (any JS value): the schema (schema.ts), then, on the raw value so that they are
 * reported together with field errors, the cross-references (references.ts, journey-references.ts), the checks kept
 * out of the schema so that stored revisions stay readable (input-checks.ts) and the journey timeout against the
 * slots (timing.ts). A check of input-checks.ts on a path the schema already refused is dropped (one message per
 * field). Returns the config, deeply frozen. Warnings (a valid file that may not mean what it says) are
 * {@link configWarnings}'s.
 * @param options.builtInProfiles the built-in ENT profiles (cli passes probes/profiles); without them, profile ids
 *   and login step names of built-in profiles are not checked.
 * @throws VigieError code `CONFIG` with every problem in `issues` (path + message).
 */
export function validateConfig(input: unknown, options: ValidateOptions = {}): VigieConfig {
  const result = configSchema.safeParse(input);
  const fieldIssues = result.success ? [] : toIssues(result.error);
  const refused = new Set(fieldIssues.map((i) => i.path));
  const issues = [
    ...fieldIssues,
    ...referenceIssues(input),
    ...alertsReferenceIssues(input),
    ...journeyReferenceIssues(input, options),
    ...inputIssues(input).filter((i) => !refused.has(i.path)),
    ...timingIssues(input),
  ];
  if (!result.success || issues.length > 0) {
    throw new VigieError('CONFIG', `configuration invalide : ${issues.length} problème(s) / invalid configuration: ${issues.length} problem(s)`, { issues });
  }
  return deepFreeze(result.data);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}

/**
 * Parses an input (a query string, a request body, command options) with its schema, the one way every door checks
 * what it is given. @throws VigieError `VALIDATION` naming each bad field (`to: must be after from`), HTTP 400.
 */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issues = toIssues(result.error);
    throw new VigieError('VALIDATION', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
  }
  return result.data;
}
