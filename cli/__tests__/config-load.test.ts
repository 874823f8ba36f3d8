import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseConfigText, resolveSecrets, type LocatedIssue } from '../config-load.js';
import { isVigieError } from '../../core/errors.js';
import { revisionSnapshot } from '../../core/config/revision.js';

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
    expect(byPath['tenants[0].departement'].message).toContain('département code');
    const lines = broken.split('\n');
    expect(lines[byPath['tenants[0].departement'].line! - 1]).toContain('"5"');
    expect(lines[byPath['schedules[0].persona'].line! - 1]).toContain('prof-inconnu');
    expect(lines[byPath['schedules[0].every'].line! - 1]).toContain('5 minutes');
  });

  it('checks the UAI check letter', () => {
    const issues = problems(example.replace('uai: "0519990G"', 'uai: "0519990X"'));
    expect(issues.find((i) => i.path === 'tenants[0].uai')?.message).toContain('check letter should be G');
  });

  it('reports YAML syntax errors with their line', () => {
    const issues = problems('targets:\n  - id: a\n   name: b\n');
    expect(issues[0].path).toBe('(yaml)');
    expect(issues[0].line).toBeGreaterThan(0);
  });

  it('stores secrets as references and hashes, never values', async () => {
    const config = parseConfigText(example);
    const env = Object.fromEntries(config.personas.flatMap((p) => [p.username, p.password]).filter((r) => typeof r === 'object' && 'env' in r).map((r) => [(r as { env: string }).env, 'sécret-très-long-123']));
    const { values, hashes } = await resolveSecrets(config, env);
    expect(values.size).toBeGreaterThan(0);
    const snapshot = JSON.stringify(revisionSnapshot(config, hashes));
    expect(snapshot).not.toContain('sécret-très-long-123');
    expect(snapshot).toContain('"sha256":"');
  });

  it('lists every missing secret at once', async () => {
    const config = parseConfigText(example);
    await expect(resolveSecrets(config, {})).rejects.toMatchObject({ code: 'CONFIG', issues: expect.arrayContaining([expect.objectContaining({ path: 'personas[0].password' }), expect.objectContaining({ path: 'personas[1].password' })]) });
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
    expect(issues[0].message + issues[1].message).toMatch(/cron pattern in the time zone/);
  });
});
