import { afterAll, describe, expect, it, vi } from 'vitest';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FINGERPRINT_KEY_FILE, formatConfigError, loadConfigFile, loadFingerprintKey, parseConfigText, resolveSecrets, type LocatedIssue } from '../config-load.js';
import { isVigieError } from '../../core/errors.js';
import { revisionSnapshot } from '../../core/config/revision.js';
import { validateConfig } from '../../core/config/validate.js';
import { demoConfig } from '../demo.js';
import { sandboxFixtures } from '../../sandbox/fixtures.js';

const example = readFileSync(new URL('../../vigie.example.yml', import.meta.url), 'utf8');

function problems(text: string): LocatedIssue[] {
  try {
    parseConfigText(text);
  } catch (err) {
    if (isVigieError(err, 'CONFIG')) return err.issues as LocatedIssue[];
    throw err;
  }
  throw new Error('expected the config to be rejected');
}

describe('config loading', () => {
  it('accepts the shipped example', () => {
    const config = parseConfigText(example);
    expect(config.tenants.length).toBeGreaterThanOrEqual(2);
    expect(config.schedules.every((s) => s.locations.includes('local'))).toBe(true);
    expect(Object.isFrozen(config.schedules[0])).toBe(true);
  });

  it('reports three mistakes at once, each with its path and line', () => {
    const broken = example
      .replace('academie: Reims\n    departement: "51"', 'academie: Reims\n    departement: "5"') // bad département
      .replace('every: 5m', 'every: 5 minutes') // bad duration
      .replace('persona: prof-lycee', 'persona: prof-inconnu'); // unknown persona
    const issues = problems(broken);
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i]));
    expect(Object.keys(byPath).sort()).toEqual(['schedules[0].every', 'schedules[0].persona', 'tenants[0].departement']);
    expect(byPath['tenants[0].departement']?.message).toContain('département code');
    const lines = broken.split('\n');
    expect(lines[byPath['tenants[0].departement']!.line! - 1]).toContain('"5"');
    expect(lines[byPath['schedules[0].persona']!.line! - 1]).toContain('prof-inconnu');
    expect(lines[byPath['schedules[0].every']!.line! - 1]).toContain('5 minutes');
  });

  it('checks the UAI check letter', () => {
    const issues = problems(example.replace('uai: "0519990G"', 'uai: "0519990X"'));
    expect(issues.find((i) => i.path === 'tenants[0].uai')?.message).toContain('check letter should be G');
  });

  it('reports YAML syntax errors with their line', () => {
    const issues = problems('targets:\n  - id: a\n   name: b\n');
    expect(issues[0]?.path).toBe('(yaml)');
    expect(issues[0]?.line).toBeGreaterThan(0);
  });

  it('stores secrets as references and keyed fingerprints, never values nor plain hashes', async () => {
    const config = parseConfigText(example);
    const secret = 'sécret-très-long-123';
    const env = Object.fromEntries(config.personas.flatMap((p) => [p.username, p.password]).filter((r) => typeof r === 'object' && 'env' in r).map((r) => [(r as { env: string }).env, secret]));
    const key = randomBytes(32);
    const { values, fingerprints } = await resolveSecrets(config, env, key);
    expect(values.size).toBeGreaterThan(0);
    const snapshot = JSON.stringify(revisionSnapshot(config, fingerprints));
    expect(snapshot).not.toContain(secret);
    // The unsalted SHA-256 a database reader could dictionary-attack is gone; the keyed HMAC is there.
    expect(snapshot).not.toContain(createHash('sha256').update(secret).digest('hex'));
    expect(snapshot).not.toContain('"sha256"');
    expect(snapshot).toContain(`"hmacSha256":"${createHmac('sha256', key).update(secret).digest('hex')}"`);
    // Same key, same fingerprints (change detection across revisions); another key, other fingerprints.
    expect((await resolveSecrets(config, env, key)).fingerprints).toEqual(fingerprints);
    const other = (await resolveSecrets(config, env, randomBytes(32))).fingerprints;
    expect(Object.keys(other)).toEqual(Object.keys(fingerprints));
    for (const k of Object.keys(other)) expect(other[k]).not.toBe(fingerprints[k]);
    // Without a key (check-config) nothing is fingerprinted.
    expect((await resolveSecrets(config, env, null)).fingerprints).toEqual({});
  });

  it('lists every missing secret at once', async () => {
    const config = parseConfigText(example);
    await expect(resolveSecrets(config, {}, null)).rejects.toMatchObject({ code: 'CONFIG', issues: expect.arrayContaining([expect.objectContaining({ path: 'personas[0].password' }), expect.objectContaining({ path: 'personas[1].password' })]) });
  });

  it('names the file and line of a secret file that cannot be read, also for a re-validated copy (vigie start --port)', async () => {
    const text = example.replace('password: { env: VIGIE_PROF_COLLEGE_PASSWORD }', 'password:\n      file: /nonexistent/vigie-secret');
    const line = text.split('\n').findIndex((l) => l.includes('/nonexistent/vigie-secret')) + 1;
    const config = parseConfigText(text, 'etc/vigie.yml');
    const env = { VIGIE_PROF_LYCEE_PASSWORD: 'a', VIGIE_PARENT_LYCEE_PASSWORD: 'b' };
    const err = await resolveSecrets(config, env, null).catch((e: unknown) => e);
    expect(isVigieError(err, 'CONFIG')).toBe(true);
    const issues = (err as { issues: LocatedIssue[] }).issues;
    expect(issues).toEqual([{ path: 'personas[2].password', line, source: 'etc/vigie.yml', message: 'fichier secret /nonexistent/vigie-secret illisible : ENOENT / cannot read secret file /nonexistent/vigie-secret: ENOENT' }]);
    expect(formatConfigError(err as never, 'config')).toContain(`etc/vigie.yml:${line}: personas[2].password: fichier secret /nonexistent/vigie-secret illisible : ENOENT / cannot read secret file`);
    // `vigie start --port` validates a clone: new objects, same references, same line.
    const copy = validateConfig(structuredClone(config));
    expect(((await resolveSecrets(copy, env, null).catch((e: unknown) => e)) as { issues: LocatedIssue[] }).issues[0]).toMatchObject({ line, source: 'etc/vigie.yml' });
    // A variable not set gets its line too.
    const unset = ((await resolveSecrets(config, { VIGIE_PARENT_LYCEE_PASSWORD: 'b' }, null).catch((e: unknown) => e)) as { issues: LocatedIssue[] }).issues;
    expect(unset[0]).toMatchObject({ path: 'personas[0].password', line: text.split('\n').findIndex((l) => l.includes('VIGIE_PROF_LYCEE_PASSWORD')) + 1, message: expect.stringMatching(/^variable d'environnement VIGIE_PROF_LYCEE_PASSWORD non définie \/ environment variable VIGIE_PROF_LYCEE_PASSWORD is not set$/) });
  });

  it('reports unknown keys below the top level with their path and line', () => {
    const broken = example.replace('every: 5m', 'evrey: 5m').replace(/^runner:\n/m, 'runner:\n  bogusKey: 1\n');
    expect(broken).toContain('bogusKey');
    const issues = problems(broken);
    const runner = issues.find((i) => i.path === 'runner');
    expect(runner?.message).toMatch(/unrecognized key "bogusKey"/);
    expect(broken.split('\n')[runner!.line! - 1]).toContain('bogusKey');
    const evrey = issues.find((i) => i.path === 'schedules[0]');
    expect(evrey?.message).toMatch(/unrecognized key "evrey"/);
    // The line of the unknown key itself, not of its object's first key (an id: line above it).
    expect(broken.split('\n')[evrey!.line! - 1]).toContain('evrey: 5m');
  });

  it('refuses a journey module that is not there, and a file that is not UTF-8, with the file, line and field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-config-files-'));
    try {
      const file = join(dir, 'm.yml');
      writeFileSync(file, example.replace(/^journeys:\n/m, 'journeys:\n  homework:\n    module: ./nope.mts\n'));
      const err = await loadConfigFile(file).catch((e: unknown) => e);
      expect(isVigieError(err, 'CONFIG')).toBe(true);
      const text = formatConfigError(err as never, 'config');
      const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('module: ./nope.mts')) + 1;
      expect(text).toContain(`${file}:${line}: journeys.homework.module: module introuvable / module not found: ${join(dir, 'nope.mts')}`);
      writeFileSync(join(dir, 'nope.mts'), 'export default null;\n');
      await expect(loadConfigFile(file)).resolves.toBeDefined();
      // Latin-1 bytes in a tenant's name, line 3.
      const latin1 = join(dir, 'l.yml');
      writeFileSync(latin1, Buffer.concat([Buffer.from('timezone: Europe/Paris\n# ok\nx: '), Buffer.from([0xe9]), Buffer.from('\n')]));
      const bad = await loadConfigFile(latin1).catch((e: unknown) => e);
      expect(formatConfigError(bad as never, 'config')).toContain(`${latin1}:3: (fichier / file): octets UTF-8 invalides`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('points an unknown top-level key at its own line, not at the first key of the file', () => {
    const broken = `${example}\nbogusKey: 1\n`;
    const root = problems(broken).find((i) => i.path === '(root)');
    expect(root?.message).toMatch(/unrecognized key "bogusKey"/);
    expect(broken.split('\n')[root!.line! - 1]).toBe('bogusKey: 1');
  });

  it('accepts the ms unit and refuses a timeout setTimeout cannot hold, naming the field', () => {
    const timeoutLine = /^(\s+)timeout: .*$/m;
    expect(example).toMatch(timeoutLine);
    const issues = problems(example.replace(timeoutLine, '$1timeout: 100000d'));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toMatch(/^journeys\.[a-z-]+\.timeout$/);
    expect(issues[0]?.message).toMatch(/at most 1h/);
    const journey = issues[0]!.path.split('.')[1]!; // the path was just matched against journeys.<id>.timeout
    const config = parseConfigText(example.replace(/^(\s+)stepTimeout: .*$/m, '$1stepTimeout: 1500ms'));
    expect(config.journeys[journey]?.stepTimeout).toBe(1.5);
  });

  it('validates the demo configuration', () => {
    const ents = Object.fromEntries(sandboxFixtures.establishments.map((e) => [e.uai, `http://${e.kind}.localhost:7080`]));
    const input = demoConfig(sandboxFixtures, { sso: 'http://sso.localhost:7080', ents }, { journeys: ['login', 'roll-call', 'parent-view', 'logout'], port: 0, dataDir: '/tmp/x' });
    expect(validateConfig(input).schedules.length).toBeGreaterThan(0);
  });
});

describe('fingerprint key', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-fp-'));
    dirs.push(dir);
    return join(dir, 'data');
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('is created once in the data folder, mode 0600, and reused', async () => {
    const dataDir = tempDir();
    const key = await loadFingerprintKey(dataDir, {});
    expect(key).toHaveLength(32);
    const file = join(dataDir, FINGERPRINT_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(key.toString('hex'));
    expect((await loadFingerprintKey(dataDir, {})).equals(key)).toBe(true);
    expect((await loadFingerprintKey(tempDir(), {})).equals(key)).toBe(false);
  });

  it('comes from VIGIE_FINGERPRINT_KEY when set (no file written), and refuses a short one', async () => {
    const dataDir = tempDir();
    const key = await loadFingerprintKey(dataDir, { VIGIE_FINGERPRINT_KEY: 'une-clé-partagée-assez-longue' });
    expect(key.equals(Buffer.from('une-clé-partagée-assez-longue'))).toBe(true);
    expect(existsSync(join(dataDir, FINGERPRINT_KEY_FILE))).toBe(false);
    await expect(loadFingerprintKey(dataDir, { VIGIE_FINGERPRINT_KEY: 'court' })).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringContaining('VIGIE_FINGERPRINT_KEY') });
  });

  it('refuses a malformed key file rather than replacing it', async () => {
    const dataDir = tempDir();
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, FINGERPRINT_KEY_FILE), 'not hex\n');
    await expect(loadFingerprintKey(dataDir, {})).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringContaining('64 hexadecimal') });
    expect(readFileSync(join(dataDir, FINGERPRINT_KEY_FILE), 'utf8')).toBe('not hex\n');
  });
});

describe('schedule rules', () => {
  it('refuses `every` of a day or more (a calendar duration needs a cron pattern) and bad cron patterns', () => {
    const base = readFileSync(new URL('../../vigie.example.yml', import.meta.url), 'utf8');
    const issues = (() => {
      try {
        parseConfigText(base.replace('every: 5m', 'every: 1d').replace('cron: "*/15 7-18 * * 1-5"', 'cron: "*/15 25 * * *"'));
      } catch (err) {
        return (err as { issues: LocatedIssue[] }).issues;
      }
      return [];
    })();
    expect(issues.map((i) => i.path).sort()).toEqual(['schedules[0].every', 'schedules[1].cron']);
    expect(issues[0]!.message + issues[1]!.message).toMatch(/cron pattern in the time zone/);
  });
});

describe('YAML aliases (issue 8 item 6)', () => {
  // Nine levels of nine aliases each: 9^9 "lol" once expanded. yaml throws a bare ReferenceError for it.
  const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (const [prev, name] of [...'abcdefgh'].map((c, i) => [c, 'bcdefghi'[i]!])) laughs.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  const billionLaughs = `${laughs.join('\n')}\n`;

  it('refuses a "billion laughs" file as a config problem naming it and its line, fast', () => {
    const started = performance.now();
    const issues = problems(billionLaughs);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: '(yaml)', line: 3 });
    expect(issues[0]!.message).toMatch(/aliases expand too much .*billion laughs/);
  });

  it('makes `vigie check-config` exit 2 with that message, not a stack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-yaml-'));
    const file = join(dir, 'laughs.yml');
    writeFileSync(file, billionLaughs);
    const { checkConfig } = await import('../check-config.js');
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')));
    try {
      expect(await checkConfig(file)).toBe(2);
    } finally {
      spy.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(errors.join('\n')).toContain(`${file}:3: (yaml): alias YAML trop développés`);
    expect(errors.join('\n')).not.toMatch(/ReferenceError|\n\s+at /);
  });

  it('names an alias used before its anchor', () => {
    expect(problems('timezone: *zone\nx: &zone Europe/Paris\n')).toEqual([{ path: '(yaml)', line: 1, message: expect.stringContaining('(*zone)') }]);
  });

  it('still accepts aliases within the bound (one anchor reused)', () => {
    const every = (text: string) => parseConfigText(text).schedules.map((s) => (s as { every?: unknown }).every);
    const plain = every(example);
    expect(plain).toEqual(expect.arrayContaining([300, 900])); // seconds
    // The schedule of `every: 15m` now takes the anchor's 5m.
    expect(every(example.replace('every: 5m', 'every: &every 5m').replace('every: 15m', 'every: *every'))).toEqual(plain.map((v) => (v === 900 ? 300 : v)));
  });
});
