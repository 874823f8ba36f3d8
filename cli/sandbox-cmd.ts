import { startSandbox } from '../sandbox/index.js';
import { sandboxFixtures } from '../sandbox/fixtures.js';

/** `vigie sandbox`: runs the sandbox ENT until SIGINT/SIGTERM and prints its URLs and test accounts. */
export async function runSandbox(opts: { port: number; adminPort: number; preset: 'default' | 'realistic' }): Promise<number> {
  const sandbox = await startSandbox({ port: opts.port, adminPort: opts.adminPort, preset: opts.preset });
  const lines = [
    `ENT bac à sable Vigie (préréglage ${opts.preset}) / Vigie sandbox ENT (${opts.preset} preset)`,
    `  SSO (CAS)          ${sandbox.urls.sso}`,
    ...sandboxFixtures.establishments.map((e) => `  ${e.name.padEnd(18).slice(0, 18)} ${sandbox.urls.ents[e.uai]}  (UAI ${e.uai})`),
    `  API de pannes      ${sandbox.adminUrl}   (boucle locale / loopback only)`,
    'Comptes de test / test accounts:',
    ...sandboxFixtures.establishments.flatMap((e) => Object.values(e.accounts).map((a) => `  ${e.uai} ${a.role.padEnd(8)} ${a.username} / ${a.password}`)),
    'Ctrl+C pour arrêter / to stop.',
  ];
  console.log(lines.join('\n'));
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void sandbox.close().then(done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
