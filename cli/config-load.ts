import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { VigieError, isVigieError, type Issue } from '../core/errors.js';
import { validateConfig } from '../core/config/validate.js';
import type { SecretRef, VigieConfig } from '../core/config/schema.js';
import { secretKeyOf } from '../core/config/revision.js';

/** A config problem with the line it sits on (1-based), when the file has one. */
export interface LocatedIssue extends Issue {
  line?: number;
}

/**
 * Reads and validates a `vigie.yml`. Every problem is reported at once, each with its path and line.
 * @throws VigieError code `CONFIG` whose `issues` are {@link LocatedIssue}s.
 */
export async function loadConfigFile(path: string): Promise<VigieConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new VigieError('CONFIG', `cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  return parseConfigText(text, path);
}

/** Same as {@link loadConfigFile} for text already in memory (`source` names it in messages). */
export function parseConfigText(text: string, source = 'vigie.yml'): VigieConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues: LocatedIssue[] = doc.errors.map((e) => ({
      path: '(yaml)',
      message: e.message.split('\n')[0],
      line: e.linePos?.[0]?.line,
    }));
    throw new VigieError('CONFIG', `${source}: not valid YAML`, { issues });
  }
  try {
    return validateConfig(doc.toJS());
  } catch (err) {
    if (!isVigieError(err, 'CONFIG')) throw err;
    const issues = err.issues.map((issue) => ({ ...issue, line: lineOf(doc, lineCounter, issue.path) }));
    throw new VigieError('CONFIG', `${source}: ${issues.length} problem(s)`, { issues });
  }
}

/** `schedules[2].every` → `['schedules', 2, 'every']`. */
function pathKeys(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) keys.push(match[2] !== undefined ? Number(match[2]) : match[1]);
  return keys;
}

/** Line of the deepest existing node on the path (a missing field points at its parent). */
function lineOf(doc: Document, lc: LineCounter, path: string): number | undefined {
  const keys = pathKeys(path);
  for (let n = keys.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(keys.slice(0, n), true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
  }
  return undefined;
}

/** Human form of a config error, one line per problem: `vigie.yml:12: schedules[2].every: expected …`. */
export function formatConfigError(err: VigieError, source: string): string {
  const lines = err.issues.map((i) => {
    const where = (i as LocatedIssue).line ? `${source}:${(i as LocatedIssue).line}` : source;
    return `  ${where}: ${i.path}: ${i.message}`;
  });
  return [`Configuration invalide — ${err.issues.length} problème(s) / invalid configuration — ${err.issues.length} problem(s):`, ...lines].join('\n');
}

/**
 * Reads the value of a secret reference. `env` comes from the given environment, `file` from disk (trailing newline
 * trimmed, as Docker secrets have one).
 * @throws VigieError `CONFIG` naming the variable or file, never the value.
 */
export async function resolveSecret(ref: SecretRef, env: NodeJS.ProcessEnv): Promise<string> {
  if ('env' in ref) {
    const value = env[ref.env];
    if (value === undefined || value === '') throw new VigieError('CONFIG', `environment variable ${ref.env} is not set`);
    return value;
  }
  try {
    return (await readFile(ref.file, 'utf8')).replace(/\r?\n$/, '');
  } catch (err) {
    throw new VigieError('CONFIG', `cannot read secret file ${ref.file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { cause: err });
  }
}

/**
 * Resolves every persona secret at once (all missing ones reported together) and returns the values by reference
 * key (`env:NAME`, `file:/path`) plus their SHA-256 for the stored revision.
 */
export async function resolveSecrets(config: VigieConfig, env: NodeJS.ProcessEnv): Promise<{ values: Map<string, string>; hashes: Record<string, string> }> {
  const values = new Map<string, string>();
  const hashes: Record<string, string> = {};
  const issues: Issue[] = [];
  for (const [i, persona] of config.personas.entries()) {
    for (const field of ['username', 'password'] as const) {
      const ref = persona[field];
      const key = secretKeyOf(ref);
      if (!key || values.has(key)) continue;
      try {
        const value = await resolveSecret(ref as SecretRef, env);
        values.set(key, value);
        hashes[key] = createHash('sha256').update(value).digest('hex');
      } catch (err) {
        issues.push({ path: `personas[${i}].${field}`, message: (err as Error).message });
      }
    }
  }
  if (issues.length > 0) throw new VigieError('CONFIG', `${issues.length} secret(s) unavailable`, { issues });
  return { values, hashes };
}
