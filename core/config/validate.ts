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

/**
 * zod issues → Vigie issues, in document order, **one per field**: zod may report several checks of one value
 * (`port: 1e20` broke both the safe-integer range of `.int()` and `.max(65535)`; `""` both `.min(1)` and a regex),
 * which printed two lines for one field. The first is kept, except that the safe-integer bound of `.int()` gives way
 * to the field's own bound. Unknown-key issues (`key`) are one per key, at the object holding them.
 */
export function toIssues(error: z.ZodError): Issue[] {
  const byPath = new Map<string, z.core.$ZodIssue[]>();
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') continue;
    const path = formatPath(issue.path);
    byPath.set(path, [...(byPath.get(path) ?? []), issue]);
  }
  const kept = new Set<z.core.$ZodIssue>();
  for (const issues of byPath.values()) {
    const own = issues.filter((i) => !((i.code === 'too_big' || i.code === 'too_small') && i.origin === 'int'));
    kept.add((own[0] ?? issues[0])!);
  }
  return error.issues
    .filter((issue) => issue.code === 'unrecognized_keys' || kept.has(issue))
    .map((issue) => ({ path: formatPath(issue.path), message: issue.message, ...(issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? { key: issue.keys[0] } : {}) }));
}

/**
 * Validates a parsed `vigie.yml` (any JS value): the schema (schema.ts), then, on the raw value so that they are
 * reported together with field errors, the cross-references (references.ts, journey-references.ts), the checks kept
 * out of the schema so that stored revisions stay readable (input-checks.ts) and the journey timeout against the
 * slots (timing.ts). One message per field the schema refuses: a check beside it on a path the schema already
 * refused is dropped (`persona: "pr of"` is not an id; that it names no persona says nothing more); checks beside the
 * schema may each report a problem of one field (a parent of another tenant and of another role). Returns the config,
 * deeply frozen. Warnings (a valid file that may not mean what it says) are {@link configWarnings}'s.
 * @param options.builtInProfiles the built-in ENT profiles (cli passes probes/profiles); without them, profile ids
 *   and login step names of built-in profiles are not checked.
 * @throws VigieError code `CONFIG` with every problem in `issues` (path + message).
 */
export function validateConfig(input: unknown, options: ValidateOptions = {}): VigieConfig {
  const result = configSchema.safeParse(input);
  const fieldIssues = result.success ? [] : toIssues(result.error);
  // Paths of fields the schema refused (an unknown key's issue is at the object holding it: not a refused field).
  const refused = new Set(fieldIssues.filter((i) => i.key === undefined).map((i) => i.path));
  const issues = [
    ...fieldIssues,
    ...[
      ...referenceIssues(input),
      ...alertsReferenceIssues(input),
      ...journeyReferenceIssues(input, options),
      ...inputIssues(input),
      ...timingIssues(input),
    ].filter((i) => !refused.has(i.path)),
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
