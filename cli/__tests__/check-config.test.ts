import { afterAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkConfig } from '../check-config.js';

/**
 * `vigie check-config` on the shipped example with the mistakes of issue 8 items 2 and 7: exit code 2, each problem
 * with its file, line and path; the warnings of a valid file with theirs, exit code 0.
 */
const example = readFileSync(new URL('../../vigie.example.yml', import.meta.url), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'vigie-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs check-config on `text`; returns the exit code, what it printed, and the file's lines. */
async function run(text: string, name: string): Promise<{ code: number; out: string; err: string; file: string; lines: string[] }> {
  const file = join(dir, name);
  writeFileSync(file, text);
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(args.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void err.push(args.join(' ')));
  try {
    return { code: await checkConfig(file), out: out.join('\n'), err: err.join('\n'), file, lines: text.split('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** The line number check-config printed for `path`, checked to hold `expected`. */
function lineOf(res: { err: string; file: string; lines: string[] }, path: string, expected: string): number {
  const match = new RegExp(`${res.file.replace(/[.]/g, '\\.')}:(\\d+): ${path.replace(/[.[\]]/g, '\\$&')}: `).exec(res.err);
  expect(match, `${path} in\n${res.err}`).not.toBeNull();
  const line = Number(match![1]);
  expect(res.lines[line - 1]).toContain(expected);
  return line;
}

const replace = (text: string, pairs: [string | RegExp, string][]) =>
  pairs.reduce((t, [from, to]) => {
    const next = t.replace(from, to);
    if (next === t) throw new Error(`the example has no ${String(from)}`);
    return next;
  }, text);

describe('vigie check-config (issue 8 items 2 and 7)', () => {
  it('refuses what users get wrong, each with its path and line, exit code 2', async () => {
    const broken = replace(example, [
      ['host: 127.0.0.1', 'host: "http://vigie:8080"'],
      ['dataDir: .vigie/data', 'dataDir: ""'],
      ['landing: 3000', 'landng: 3000'],
      ['zone: B\n    kind: lycee', 'zone: Zone D\n    kind: lycee'],
      ['pupil: LYC-E01', 'pupil: COL-E01'],
      ['personas: { parent: parent-lycee }', 'personas: { parent: prof-college }'],
      ['currency: EUR', 'currency: ""'],
      ['name: Lycée bac à sable Vigie', 'name: "Lycée\\0"'],
      ['    every: 5m\n    offset: 10s', '    every: 5m\n    offset: 4m30s'],
      [/^ {2}- id: marche-ent-grand-est\n/m, '  - { id: marche-ent-grand-est, startDate: 2026-09-01, clauses: [{ id: k, name: K, journeys: [login], targetPercent: 99 }] }\n  - id: marche-ent-grand-est\n'],
      ['    name: Sonde de référence (datacentre de la région)', '    name: Sonde de référence\n  - { id: cdi, kind: in-school, uai: "0519992J" }'],
    ]);
    const res = await run(broken, 'broken.yml');
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/Configuration invalide — 12 problème\(s\) \/ invalid configuration — 12 problem\(s\)/);
    lineOf(res, 'server.host', 'http://vigie:8080');
    lineOf(res, 'storage.dataDir', 'dataDir: ""');
    lineOf(res, 'journeys.login.stepThresholdsMs.landng', 'landng');
    // The login stages of the built-in sandbox profile (probes/profiles) are the step names offered.
    expect(res.err).toMatch(/unknown step "landng" of journey login \(steps: open-ent, [a-z-]+, .*landing\)/);
    lineOf(res, 'tenants[0].zone', 'Zone D');
    lineOf(res, 'tenants[0].name', 'Lycée\\0');
    lineOf(res, 'personas[1].pupil', 'COL-E01');
    lineOf(res, 'schedules[1].personas.parent', 'prof-college');
    expect(res.err).toMatch(/schedules\[1\]\.personas\.parent: .*has role teacher, not parent/);
    lineOf(res, 'schedules[0].offset', '4m30s');
    expect(res.err).toContain('journeys.login.timeout (1m) + schedules[0].offset (4m30s) doit être plus court que le créneau (5m)');
    lineOf(res, 'contracts[1].id', 'marche-ent-grand-est');
    lineOf(res, 'contracts[1].currency', 'currency: ""');
    lineOf(res, 'locations[1].uai', '0519992J');
  });

  it('refuses an unknown built-in profile, naming the built-in ones (from probes/profiles)', async () => {
    const res = await run(replace(example, [['profile: sandbox', 'profile: sandbx']]), 'profile.yml');
    expect(res.code).toBe(2);
    lineOf(res, 'targets[0].profile', 'sandbx');
    expect(res.err).toMatch(/1 problème\(s\).*\n.*profil intégré inconnu \/ unknown built-in profile "sandbx" \(built-in: sandbox;/);
  });

  it('accepts the example, with its warnings and lines, exit code 0', async () => {
    // The shipped example writes its stepTimeouts; without the roll-call's, the warning must show.
    const res = await run(replace(example, [['host: 127.0.0.1', 'host: 0.0.0.0'], ['    stepTimeout: 20s\n', '']]), 'valid.yml');
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/configuration valide \/ valid/);
    const warning = (path: string) => new RegExp(`${res.file.replace(/[.]/g, '\\.')}:(\\d+): ${path.replace(/[.[\]]/g, '\\$&')}: (.*)`).exec(res.out);
    const host = warning('server.host');
    expect(res.lines[Number(host![1]) - 1]).toContain('host: 0.0.0.0');
    expect(host![2]).toMatch(/put access control and TLS in front/);
    const timeout = warning('journeys.roll-call.timeout');
    expect(res.lines[Number(timeout![1]) - 1]).toContain('timeout: 90s');
    expect(timeout![2]).toMatch(/still limited to the default stepTimeout \(15s\) within this 1m30s timeout/);
    expect(res.out).toMatch(/VIGIE_PROF_LYCEE_PASSWORD is not set/);
    expect(res.err).toBe('');
  });
});
