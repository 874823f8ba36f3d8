import type { z } from 'zod';
import { VigieError, type Issue } from '../errors.js';
import { configSchema, type VigieConfig } from './schema.js';
import { referenceIssues } from './references.js';

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
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

/**
 * Validates a parsed `vigie.yml` (any JS value). Returns the config, deeply frozen.
 * @throws VigieError code `CONFIG` with every problem in `issues` (path + message).
 */
export function validateConfig(input: unknown): VigieConfig {
  const result = configSchema.safeParse(input);
  const issues = [...(result.success ? [] : toIssues(result.error)), ...referenceIssues(input)];
  if (!result.success || issues.length > 0) {
    throw new VigieError('CONFIG', `invalid configuration: ${issues.length} problem(s)`, { issues });
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
