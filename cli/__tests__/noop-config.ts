import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

/**
 * Writes `<dir>/vigie.yml`: one schedule `id` of the `noop` journey (fixtures/noop.journey.ts: one instant step, no
 * browser) every `every`, collector on a free port, store in `dataDir`; the persona's password comes from env
 * `passwordEnv`; `extra` adds top-level keys (`alerts:`). For tests that need `vigie start` probing fast and cheaply.
 * Returns the file's path.
 */
export function writeNoopConfig(dir: string, opts: { id: string; every: string; dataDir: string; passwordEnv: string; extra?: Record<string, unknown> }): string {
  const file = join(dir, 'vigie.yml');
  writeFileSync(file, stringify({
    targets: [{ id: 'sb', name: 'Bac à sable', profile: 'sandbox', ssoUrl: 'http://sso.localhost:1' }],
    tenants: [{ uai: '0519990G', name: 'Lycée', target: 'sb', entUrl: 'http://lycee.localhost:1', academie: 'Reims', departement: '51', zone: 'B' }],
    personas: [{ id: 'prof', role: 'teacher', tenant: '0519990G', username: 'prof', password: { env: opts.passwordEnv } }],
    journeys: { noop: { module: './noop.journey.mts', timeout: '1s' } },
    schedules: [{ id: opts.id, journey: 'noop', tenant: '0519990G', persona: 'prof', every: opts.every }],
    server: { port: 0 },
    storage: { dataDir: opts.dataDir },
    ...opts.extra,
  }));
  writeFileSync(join(dir, 'noop.journey.mts'), `export { default } from ${JSON.stringify(new URL('./fixtures/noop.journey.ts', import.meta.url).pathname)};\n`);
  return file;
}
