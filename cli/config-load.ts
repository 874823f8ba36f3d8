import { createHmac, randomBytes } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { LineCounter, parseDocument, isAlias, isMap, isNode, isScalar, visit, type Document, type Node } from 'yaml';
import { VigieError, isVigieError, type Issue } from '../core/errors.js';
import { configWarnings, validateConfig } from '../core/config/validate.js';
import { builtInProfiles } from '../probes/profiles/index.js';
import type { SecretRef, VigieConfig } from '../core/config/schema.js';
import { secretKeyOf } from '../core/config/revision.js';

/** A config problem with the line it sits on (1-based), when the file has one. */
export interface LocatedIssue extends Issue {
  line?: number;
  /** The file it was found in (the path given), so that a message printed far from the load names it. */
  source?: string;
}

/** Options of {@link loadConfigFile} and {@link parseConfigText}. */
export interface LoadOptions {
  /** Receives the warnings of a valid file (core/config/warnings.ts), each with its line; not called for an invalid one. */
  onWarnings?: (warnings: LocatedIssue[]) => void;
  /**
   * Folder that relative paths of the config are read from (journey modules): when given, a journey `module` that
   * is not a file there is a problem of the config (check-config and start refuse it alike, with its line).
   * {@link loadConfigFile} gives the config file's folder.
   */
  baseDir?: string;
}

/**
 * Reads and validates a `vigie.yml`, built-in ENT profiles (probes/profiles) included. Every problem is reported at
 * once, each with its path and line.
 * @throws VigieError code `CONFIG` whose `issues` are {@link LocatedIssue}s.
 */
export async function loadConfigFile(path: string, options: LoadOptions = {}): Promise<VigieConfig> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new VigieError('CONFIG', `fichier de configuration illisible / cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  const text = bytes.toString('utf8');
  if (!isUtf8(bytes)) {
    // Read as UTF-8, a Latin-1 "é" becomes U+FFFD: refuse rather than store an establishment's name altered.
    const at = text.indexOf('\uFFFD');
    const line = text.slice(0, at).split('\n').length;
    throw new VigieError('CONFIG', `${path}: UTF-8 invalide / invalid UTF-8`, { issues: [{ path: '(fichier / file)', message: 'octets UTF-8 invalides : enregistrez le fichier en UTF-8 / invalid UTF-8 bytes: save the file as UTF-8', line, source: path } as LocatedIssue] });
  }
  return parseConfigText(text, path, { baseDir: dirname(resolve(path)), ...options });
}

/** Same as {@link loadConfigFile} for text already in memory (`source` names it in messages). */
export function parseConfigText(text: string, source = 'vigie.yml', options: LoadOptions = {}): VigieConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues: LocatedIssue[] = doc.errors.map((e) => ({
      path: '(yaml)',
      message: yamlMessage(e.message.split('\n')[0] ?? e.message),
      line: e.linePos?.[0]?.line,
    }));
    throw new VigieError('CONFIG', `${source}: YAML invalide / not valid YAML`, { issues });
  }
  const aliasIssues = aliasProblems(doc, lineCounter);
  if (aliasIssues.length > 0) throw new VigieError('CONFIG', `${source}: alias YAML sans ancre / YAML aliases without anchor`, { issues: aliasIssues });
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
  } catch (err) {
    // Every alias has its anchor (checked above): yaml throws a ReferenceError only when the expansion passes the bound.
    if (!(err instanceof ReferenceError)) throw err;
    const line = firstNestedAliasLine(doc, lineCounter);
    const message = `alias YAML trop développés (plus de ${MAX_YAML_ALIAS_COUNT} expansions, motif « billion laughs ») / YAML aliases expand too much (over ${MAX_YAML_ALIAS_COUNT} expansions, a "billion laughs" pattern)`;
    throw new VigieError('CONFIG', `${source}: alias YAML trop développés / YAML aliases expand too much`, { cause: err, issues: [{ path: '(yaml)', message, ...(line === undefined ? {} : { line }) }] });
  }
  const locate = (issue: Issue): LocatedIssue => ({ ...issue, line: lineOf(doc, lineCounter, issue.path, issue.key), source });
  let config: VigieConfig;
  try {
    config = validateConfig(value, { builtInProfiles });
  } catch (err) {
    if (!isVigieError(err, 'CONFIG')) throw err;
    const issues = err.issues.map(locate);
    throw new VigieError('CONFIG', `${source}: ${issues.length} problème(s) / ${issues.length} problem(s)`, { issues });
  }
  const missing = options.baseDir === undefined ? [] : missingModules(config, options.baseDir).map(locate);
  if (missing.length > 0) throw new VigieError('CONFIG', `${source}: ${missing.length} problème(s) / ${missing.length} problem(s)`, { issues: missing });
  options.onWarnings?.(configWarnings(value).map(locate));
  rememberSecretLines(config, (path) => locate({ path, message: '' }));
  return config;
}

/** A message of the yaml parser (English), introduced in French: `syntaxe YAML invalide : … / invalid YAML syntax: …`. */
function yamlMessage(message: string): string {
  return `syntaxe YAML invalide : ${message} / invalid YAML syntax: ${message}`;
}

/** Journey modules (`journeys.<id>.module`) that are not a file under `baseDir`. */
function missingModules(config: VigieConfig, baseDir: string): Issue[] {
  return Object.entries(config.journeys).flatMap(([id, j]) => {
    if (!j.module) return [];
    const file = resolve(baseDir, j.module);
    return existsSync(file) && statSync(file).isFile() ? [] : [{ path: `journeys.${id}.module`, message: `module introuvable / module not found: ${file}` }];
  });
}

/**
 * Bound of yaml's `maxAliasCount` (uses of an anchor × the aliases nested in it): a config that reuses one anchor in
 * each of a few hundred schedules stays under it, while a "billion laughs" file (each level nine aliases of the one
 * before) passes it at its fourth level, long before its expansion costs memory. yaml's own default is 100.
 */
export const MAX_YAML_ALIAS_COUNT = 1000;

interface AliasUse {
  source: string;
  line: number | undefined;
  /** The node the alias stands for (the latest anchor of that name before it), or undefined when there is none. */
  target: Node | undefined;
}

/** Every alias of the document in order, with the anchored node it stands for (yaml resolves to the latest before). */
function aliasUses(doc: Document, lc: LineCounter): AliasUse[] {
  const anchors = new Map<string, Node>();
  const uses: AliasUse[] = [];
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) uses.push({ source: node.source, line: node.range ? lc.linePos(node.range[0]).line : undefined, target: anchors.get(node.source) });
      else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
  return uses;
}

/** An alias whose anchor does not come before it (yaml would throw a ReferenceError from `toJS`). */
function aliasProblems(doc: Document, lc: LineCounter): LocatedIssue[] {
  return aliasUses(doc, lc)
    .filter((use) => use.target === undefined)
    .map((use) => ({ path: '(yaml)', message: `alias YAML sans ancre avant lui (*${use.source}) / YAML alias without an anchor before it (*${use.source})`, line: use.line }));
}

/** Line of the first alias standing for a node that holds aliases itself: where an expansion starts to multiply. */
function firstNestedAliasLine(doc: Document, lc: LineCounter): number | undefined {
  const uses = aliasUses(doc, lc);
  const holdsAlias = (node: Node): boolean => {
    let found = false;
    visit(node, { Alias: () => { found = true; return visit.BREAK; } });
    return found;
  };
  return (uses.find((use) => use.target !== undefined && holdsAlias(use.target)) ?? uses[0])?.line;
}

/** `schedules[2].every` → `['schedules', 2, 'every']`. */
function pathKeys(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  if (path === '(root)') return keys;
  // One of the two groups matched: a name, or an index in brackets.
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) keys.push(match[2] !== undefined ? Number(match[2]) : match[1]!);
  return keys;
}

/** Line of the deepest existing node on the path (a missing field points at its parent; an unknown `key`, at itself). */
function lineOf(doc: Document, lc: LineCounter, path: string, key?: string): number | undefined {
  const keys = pathKeys(path);
  if (key !== undefined) {
    // An unknown key: the line of the key itself, not of the object holding it (its first key).
    const parent = keys.length === 0 ? doc.contents : doc.getIn(keys, true);
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
      if (pair && isNode(pair.key) && pair.key.range) return lc.linePos(pair.key.range[0]).line;
    }
  }
  for (let n = keys.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(keys.slice(0, n), true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
  }
  return undefined;
}

/** Human form of a config error, one line per problem: `vigie.yml:12: schedules[2].every: expected …`. */
export function formatConfigError(err: VigieError, source: string): string {
  const lines = err.issues.map((i) => {
    const file = (i as LocatedIssue).source ?? source;
    const where = (i as LocatedIssue).line ? `${file}:${(i as LocatedIssue).line}` : file;
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
    if (value === undefined || value === '') throw new VigieError('CONFIG', `variable d'environnement ${ref.env} non définie / environment variable ${ref.env} is not set`);
    return value;
  }
  try {
    return (await readFile(ref.file, 'utf8')).replace(/\r?\n$/, '');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '?';
    throw new VigieError('CONFIG', `fichier secret ${ref.file} illisible : ${code} / cannot read secret file ${ref.file}: ${code}`, { cause: err });
  }
}

/** Name of the fingerprint key file in the data folder. */
export const FINGERPRINT_KEY_FILE = 'fingerprint.key';
/** Shortest `VIGIE_FINGERPRINT_KEY` accepted: a short key would be as guessable as the passwords it protects. */
const MIN_ENV_KEY_LENGTH = 16;

/**
 * The installation's key for secret fingerprints in stored config revisions (README "Configuration"): the value of
 * `VIGIE_FINGERPRINT_KEY` when set (give every host of a multi-host install the same one), else the 32 random bytes
 * of `<dataDir>/fingerprint.key`, created once (mode 0600, hex) and reused, so that fingerprints of one installation
 * stay comparable across revisions while someone holding only the database cannot test password guesses against them.
 * @throws VigieError `CONFIG` when the variable is too short or the key file is unreadable or malformed.
 */
export async function loadFingerprintKey(dataDir: string, env: NodeJS.ProcessEnv): Promise<Buffer> {
  const fromEnv = env.VIGIE_FINGERPRINT_KEY;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (fromEnv.length < MIN_ENV_KEY_LENGTH) throw new VigieError('CONFIG', `VIGIE_FINGERPRINT_KEY: au moins ${MIN_ENV_KEY_LENGTH} caractères attendus / expected at least ${MIN_ENV_KEY_LENGTH} characters`);
    return Buffer.from(fromEnv, 'utf8');
  }
  const file = join(resolve(dataDir), FINGERPRINT_KEY_FILE);
  const read = async (): Promise<Buffer | null> => {
    let text: string;
    try {
      text = (await readFile(file, 'utf8')).trim();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '?';
      if (code === 'ENOENT') return null;
      throw new VigieError('CONFIG', `clé d'empreinte ${file} illisible : ${code} / cannot read fingerprint key ${file}: ${code}`, { cause: err });
    }
    if (!/^[0-9a-f]{64}$/i.test(text)) throw new VigieError('CONFIG', `${file}: 64 caractères hexadécimaux attendus (supprimez-le pour créer une nouvelle clé) / expected 64 hexadecimal characters (delete it to create a new key)`);
    return Buffer.from(text, 'hex');
  };
  const existing = await read();
  if (existing) return existing;
  await mkdir(dirname(file), { recursive: true });
  const key = randomBytes(32);
  try {
    // `wx`: never overwrite a key another process created meanwhile; read that one instead.
    await writeFile(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '?';
    if (code !== 'EEXIST') throw new VigieError('CONFIG', `impossible de créer la clé d'empreinte ${file} : ${code} / cannot create fingerprint key ${file}: ${code}`, { cause: err });
    const other = await read();
    if (!other) throw new VigieError('CONFIG', `la clé d'empreinte ${file} a disparu pendant sa création / fingerprint key ${file} vanished while being created`);
    return other;
  }
}

/** Keyed fingerprint of a secret value: HMAC-SHA256 hex under the installation key ({@link loadFingerprintKey}). */
export function secretFingerprint(value: string, key: Uint8Array): string {
  return createHmac('sha256', key).update(value).digest('hex');
}

/** Where a secret reference sits in the file it was loaded from, for the messages of {@link resolveSecrets}. */
type SecretPlace = Pick<LocatedIssue, 'line' | 'source'>;
/** By reference object: exact, for the config {@link parseConfigText} returned (frozen, so never edited after). */
const placeByRef = new WeakMap<object, SecretPlace>();
/**
 * By persona id, field and reference (`prof\0password\0file:/run/secrets/p`), for a re-validated copy of that config
 * (`vigie start --port` validates a clone, whose objects are new): the last file loaded in this process with that
 * reference there (a process loads one config file).
 */
const placeByKey = new Map<string, SecretPlace>();
const placeKey = (personaId: string, field: string, ref: string) => `${personaId}\0${field}\0${ref}`;

/** Records the line of every persona secret reference of a loaded config (its `env`/`file` value). */
function rememberSecretLines(config: VigieConfig, locate: (path: string) => LocatedIssue): void {
  for (const [i, persona] of config.personas.entries()) {
    for (const field of ['username', 'password'] as const) {
      const ref = persona[field];
      const key = secretKeyOf(ref);
      if (!key || typeof ref !== 'object') continue;
      const { line, source } = locate(`personas[${i}].${field}.${'env' in ref ? 'env' : 'file'}`);
      const place: SecretPlace = { ...(line === undefined ? {} : { line }), ...(source === undefined ? {} : { source }) };
      placeByRef.set(ref, place);
      placeByKey.set(placeKey(persona.id, field, key), place);
    }
  }
}

/**
 * Resolves every persona secret at once (all missing ones reported together) and returns the values by reference
 * key (`env:NAME`, `file:/path`) plus, when a key is given, their keyed fingerprints for the stored revision
 * ({@link secretFingerprint}; never an unsalted hash, which a database reader could dictionary-attack). Each
 * problem (a variable not set, a file that cannot be read) names the persona field and, for a config read by
 * {@link parseConfigText} or {@link loadConfigFile} (or a copy of it), the file and line of the reference.
 * @param fingerprintKey from {@link loadFingerprintKey}; null when nothing is stored (`check-config`): no fingerprints.
 */
export async function resolveSecrets(
  config: VigieConfig,
  env: NodeJS.ProcessEnv,
  fingerprintKey: Uint8Array | null,
): Promise<{ values: Map<string, string>; fingerprints: Record<string, string> }> {
  const refs = config.personas.flatMap((persona, i) =>
    (['username', 'password'] as const).flatMap((field) => {
      const ref = persona[field];
      const key = secretKeyOf(ref);
      if (!key) return [];
      const place = (typeof ref === 'object' ? placeByRef.get(ref) : undefined) ?? placeByKey.get(placeKey(persona.id, field, key));
      return [{ path: `personas[${i}].${field}`, ref: ref as SecretRef, ...(place ? { place } : {}) }];
    }),
  );
  return resolveSecretRefs(refs, env, fingerprintKey);
}

/**
 * Resolves secret references given with the config path that holds each (`alerts.smtp.password`, …): all missing
 * ones reported together, each reference read once. Returns the values by reference key (`env:NAME`, `file:/path`)
 * and, when a key is given, their keyed fingerprints ({@link secretFingerprint}).
 * @param refs each reference with its path and, when known, the file and line it was written at.
 * @throws VigieError `CONFIG` listing every unavailable secret (never its value).
 */
export async function resolveSecretRefs(
  refs: readonly { path: string; ref: SecretRef; place?: { source?: string; line?: number } }[],
  env: NodeJS.ProcessEnv,
  fingerprintKey: Uint8Array | null,
): Promise<{ values: Map<string, string>; fingerprints: Record<string, string> }> {
  const values = new Map<string, string>();
  const fingerprints: Record<string, string> = {};
  const issues: LocatedIssue[] = [];
  for (const { path, ref, place } of refs) {
    const key = secretKeyOf(ref);
    if (!key || values.has(key)) continue;
    try {
      const value = await resolveSecret(ref, env);
      values.set(key, value);
      if (fingerprintKey) fingerprints[key] = secretFingerprint(value, fingerprintKey);
    } catch (err) {
      issues.push({ path, message: (err as Error).message, ...place });
    }
  }
  if (issues.length > 0) throw new VigieError('CONFIG', `${issues.length} secret(s) indisponible(s) / ${issues.length} secret(s) unavailable`, { issues });
  return { values, fingerprints };
}
