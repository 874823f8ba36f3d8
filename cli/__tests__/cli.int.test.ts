import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const vigie = (...args: string[]) => spawnSync(process.execPath, ['bin/vigie.mjs', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, VIGIE_LOG_LEVEL: 'silent' } });

describe('vigie CLI', () => {
  it('check-config reports three mistakes with their paths and lines, exit code 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-cfg-'));
    const file = join(dir, 'vigie.yml');
    writeFileSync(file, readFileSync(join(root, 'vigie.example.yml'), 'utf8')
      .replace('timezone: Europe/Paris', 'timezone: Europe/Pariss')
      .replace('every: 5m', 'every: often')
      .replace('target: ent-grand-est\n    entUrl: http://college', 'target: ent-inconnu\n    entUrl: http://college'));
    const res = vigie('check-config', file);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/3 problème\(s\)/);
    expect(res.stderr).toMatch(/vigie\.yml:6: timezone: fuseau horaire IANA attendu, par exemple Europe\/Paris \/ expected an IANA time zone/);
    expect(res.stderr).toMatch(/vigie\.yml:\d+: schedules\[0\]\.every: durée attendue .* \/ expected a duration/);
    expect(res.stderr).toMatch(/vigie\.yml:\d+: tenants\[1\]\.target: cible inconnue \/ unknown target "ent-inconnu"/);
  });

  it('check-config accepts the example and warns about secrets missing from this environment', () => {
    const res = vigie('check-config', join(root, 'vigie.example.yml'));
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/configuration valide/);
    expect(res.stdout).toMatch(/VIGIE_PROF_LYCEE_PASSWORD is not set/);
  });

  it('says which file it cannot read, and prints help', () => {
    const res = vigie('check-config', '/nonexistent/vigie.yml');
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('/nonexistent/vigie.yml');
    const help = vigie('run', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--tenant');
    const unknown = vigie('frobnicate');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("commande inconnue : 'frobnicate' / unknown command 'frobnicate'");
  });
});
