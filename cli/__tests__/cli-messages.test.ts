import { describe, expect, it } from 'vitest';
import { CommanderError } from 'commander';
import { exitCodeOf, usageMessage } from '../main.js';
import { sandboxBanner } from '../sandbox-cmd.js';
import { bilingualConflict } from '../pause-cmd.js';
import { resolveRunSecrets } from '../runtime.js';
import { parseConfigText } from '../config-load.js';
import { VigieError } from '../../core/errors.js';
import { sandboxFixtures } from '../../sandbox/fixtures.js';
import { readFileSync } from 'node:fs';

describe('CLI messages and exit codes', () => {
  it('maps what the user typed wrong to exit 2 and runtime failures to exit 1', () => {
    expect(['CONFIG', 'VALIDATION', 'NOT_FOUND'].map((c) => exitCodeOf(c as never))).toEqual([2, 2, 2]);
    expect(['CONFLICT', 'UNAVAILABLE', 'INTERNAL', 'UNAUTHORIZED'].map((c) => exitCodeOf(c as never))).toEqual([1, 1, 1, 1]);
  });

  it('gives commander usage errors in French, then English, with a help hint', () => {
    const err = new CommanderError(1, 'commander.missingMandatoryOptionValue', "error: required option '-t, --tenant <uai>' not specified");
    expect(usageMessage(err, 'vigie run')).toBe(
      "Erreur d’utilisation / usage error: option obligatoire absente : '-t, --tenant <uai>' / required option '-t, --tenant <uai>' not specified\nAide / help: vigie run --help",
    );
  });

  it('makes pause conflicts bilingual and keeps their code', () => {
    const err = bilingualConflict(new VigieError('CONFLICT', 'schedule login-lycee is already paused'), 'pause', 'login-lycee') as VigieError;
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toBe('la planification login-lycee est déjà en pause / schedule login-lycee is already paused');
    const other = new VigieError('NOT_FOUND', 'x');
    expect(bilingualConflict(other, 'resume', 'x')).toBe(other);
    // The store's conflicts are French then English already: kept as they are, not given the French of another case.
    const before = new VigieError('CONFLICT', "l'heure de reprise est avant la pause (2026-10-05T06:00:00.000Z) / resume time is before the pause (2026-10-05T06:00:00.000Z)");
    expect(bilingualConflict(before, 'resume', 'login-lycee')).toBe(before);
  });

  it('prints whole establishment names in the sandbox banner, URLs aligned', () => {
    const urls = { sso: 'http://sso.localhost:7080', ents: Object.fromEntries(sandboxFixtures.establishments.map((e) => [e.uai, `http://${e.entHost}:7080`])) };
    const banner = sandboxBanner('default', urls, 'http://127.0.0.1:7081');
    const lines = banner.split('\n');
    for (const e of sandboxFixtures.establishments) expect(banner).toContain(`${e.name} `);
    const urlColumns = lines.filter((l) => l.includes('http://')).map((l) => l.indexOf('http://'));
    expect(new Set(urlColumns).size).toBe(1);
  });
});

describe('secrets of a manual run', () => {
  const example = readFileSync(new URL('../../vigie.example.yml', import.meta.url), 'utf8');

  it('needs only the secrets of the personas the run uses; a missing unrelated file does not block it', async () => {
    const config = parseConfigText(example.replace('password: { env: VIGIE_PROF_COLLEGE_PASSWORD }', 'password: { file: /nonexistent/vigie-secret }'));
    const env = { VIGIE_PROF_LYCEE_PASSWORD: 'a', VIGIE_PARENT_LYCEE_PASSWORD: 'b' };
    const { values } = await resolveRunSecrets(config, env, ['prof-lycee'], null);
    expect([...values.keys()]).toEqual(['env:VIGIE_PROF_LYCEE_PASSWORD']);
    await expect(resolveRunSecrets(config, env, ['prof-college'], null)).rejects.toMatchObject({ code: 'CONFIG' });
  });
});
