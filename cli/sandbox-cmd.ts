import { startSandbox } from '../sandbox/index.js';
import { sandboxFixtures } from '../sandbox/fixtures.js';
import { waitForStop } from './lifecycle.js';

/** `vigie sandbox`: runs the sandbox ENT until a stop request (cli/lifecycle.ts) and prints its URLs and test accounts. */
export async function runSandbox(opts: { port: number; adminPort: number; preset: 'default' | 'realistic' }): Promise<number> {
  const sandbox = await startSandbox({ port: opts.port, adminPort: opts.adminPort, preset: opts.preset });
  console.log(sandboxBanner(opts.preset, sandbox.urls, sandbox.adminUrl));
  await waitForStop({ env: process.env, onSecondRequest: () => process.exit(1) });
  await sandbox.close();
  console.log('ENT bac à sable arrêté / sandbox ENT stopped.');
  return 0;
}

/**
 * The start-up text of `vigie sandbox`: URLs, then test accounts. The label column is as wide as the longest label
 * (establishment names are never cut), so the URLs line up whatever the fixtures' names.
 */
export function sandboxBanner(preset: string, urls: { sso: string; ents: Record<string, string> }, adminUrl: string): string {
  const rows: [string, string][] = [
    ['SSO (CAS)', urls.sso],
    ...sandboxFixtures.establishments.map((e): [string, string] => [e.name, `${urls.ents[e.uai]}  (UAI ${e.uai})`]),
    ['API de pannes / fault API', `${adminUrl}   (boucle locale / loopback only)`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const accounts = sandboxFixtures.establishments.flatMap((e) => Object.values(e.accounts));
  const userWidth = Math.max(...accounts.map((a) => a.username.length));
  return [
    `ENT bac à sable Vigie (préréglage ${preset}) / Vigie sandbox ENT (${preset} preset)`,
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    'Comptes de test (identifiant / mot de passe) / test accounts (username / password):',
    ...sandboxFixtures.establishments.flatMap((e) => Object.values(e.accounts).map((a) => `  ${e.uai} ${a.role.padEnd(8)} ${a.username.padEnd(userWidth)} / ${a.password}`)),
    'Ctrl+C pour arrêter / to stop.',
  ].join('\n');
}
