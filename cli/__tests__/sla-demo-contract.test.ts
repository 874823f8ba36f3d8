import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../core/config/validate.js';
import { sandboxFixtures } from '../../sandbox/fixtures.js';
import { demoConfig } from '../demo.js';

describe('demo contract', () => {
  it('gives the demo config a valid contract "demo": 24/7 login + roll call, school hours, logout', () => {
    const ents = Object.fromEntries(sandboxFixtures.establishments.map((e) => [e.uai, `http://${e.uai}.localhost:1`]));
    const config = validateConfig(demoConfig(sandboxFixtures, { sso: 'http://sso.localhost:1', ents }, { journeys: ['login', 'roll-call', 'logout', 'parent-view'], port: 0, dataDir: '/tmp/x' }));
    const demo = config.contracts.find((c) => c.id === 'demo');
    expect(demo?.clauses.map((c) => [c.id, c.journeys, c.serviceHours === '24/7'])).toEqual([
      ['disponibilite-24-7', ['login', 'roll-call'], true],
      ['disponibilite-scolaire', ['login', 'roll-call', 'parent-view'], false],
      ['deconnexion', ['logout'], true],
    ]);
  });
});
