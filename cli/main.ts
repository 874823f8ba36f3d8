import { Command, CommanderError, Option } from 'commander';
import { isVigieError } from '../core/errors.js';
import { formatConfigError } from './config-load.js';

/**
 * The `vigie` command. Exit codes: 0 success (for `run`: the journey was up), 1 the journey was not up or a runtime
 * failure, 2 bad configuration or usage.
 */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = new Command('vigie')
    .description(
      'Vigie — supervision et conformité SLA des ENT scolaires (monitoring and SLA compliance for French school ENTs).\n' +
        'Sans --config, Vigie lance la démo : le bac à sable ENT et des sondes toutes les minutes.',
    )
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('start')
    .description('démarre Vigie (planificateur, sondes, collecteur) / start Vigie (scheduler, probes, collector)')
    .option('-c, --config <file>', 'fichier de configuration vigie.yml (sans lui : la démo / without it: the demo)')
    .option('--data-dir <dir>', 'dossier des données embarquées (remplace storage.dataDir)')
    .option('--port <port>', 'port HTTP du collecteur (remplace server.port ; 0 = port libre)', parsePort)
    .option('--sandbox-port <port>', 'démo : port des hôtes du bac à sable (défaut 7080 ; 0 = port libre)', parsePort)
    .option('--fault-port <port>', 'démo : port de l’API de pannes (défaut 7081 ; 0 = port libre)', parsePort)
    .action(async (opts: { config?: string; dataDir?: string; port?: number; sandboxPort?: number; faultPort?: number }) => {
      const { runStart } = await import('./start.js');
      code = await runStart(opts);
    });

  program
    .command('sandbox')
    .description("lance l'ENT bac à sable et son API de pannes / run the sandbox ENT and its fault API")
    .option('--port <port>', 'port des hôtes *.localhost', parsePort, 7080)
    .option('--admin-port <port>', "port de l'API de pannes (boucle locale)", parsePort, 7081)
    .addOption(new Option('--preset <preset>', 'réglages').choices(['default', 'realistic']).default('default'))
    .action(async (opts: { port: number; adminPort: number; preset: 'default' | 'realistic' }) => {
      const { runSandbox } = await import('./sandbox-cmd.js');
      code = await runSandbox(opts);
    });

  program
    .command('run')
    .description('exécute un parcours une fois et affiche chaque étape / run one journey once and print each step')
    .argument('<journey>', 'parcours : login, roll-call, logout, parent-view, …')
    .requiredOption('-t, --tenant <uai>', "UAI de l'établissement")
    .option('-c, --config <file>', 'fichier de configuration (sans lui : la démo)')
    .option('--persona <id>', 'persona à utiliser (défaut : celle de la planification du parcours)')
    .option('--data-dir <dir>', 'dossier des données embarquées')
    .option('--json', 'affiche le résultat complet en JSON')
    .action(async (journey: string, opts: { tenant: string; config?: string; persona?: string; dataDir?: string; json?: boolean }) => {
      const { runOnce } = await import('./run-cmd.js');
      code = await runOnce(journey, opts);
    });

  for (const action of ['pause', 'resume'] as const) {
    program
      .command(action)
      .description(action === 'pause' ? 'met une planification en pause (temps compté « en pause ») / pause a schedule' : 'reprend une planification / resume a schedule')
      .argument('<schedule>', 'id de la planification')
      .option('-c, --config <file>', 'fichier de configuration (sans lui : la démo)')
      .option('--data-dir <dir>', 'dossier des données embarquées')
      .option('--author <name>', 'auteur (défaut : utilisateur courant)')
      .option('--reason <text>', 'motif (pause)')
      .action(async (schedule: string, opts: { config?: string; dataDir?: string; author?: string; reason?: string }) => {
        const { runPause } = await import('./pause-cmd.js');
        code = await runPause(action, schedule, opts);
      });
  }

  program
    .command('check-config')
    .description('vérifie un fichier de configuration et liste tous ses problèmes / validate a config file')
    .argument('<file>', 'vigie.yml')
    .action(async (file: string) => {
      const { checkConfig } = await import('./check-config.js');
      code = await checkConfig(file);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : 2;
    }
    if (isVigieError(err, 'CONFIG')) {
      console.error(err.issues.length > 0 ? formatConfigError(err, 'config') : `Erreur de configuration / configuration error: ${err.message}`);
      return 2;
    }
    if (isVigieError(err)) {
      console.error(`Erreur / error (${err.code}): ${err.message}`);
      return 1;
    }
    console.error(err);
    return 1;
  }
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CommanderError(2, 'vigie.port', `port invalide / invalid port: ${value}`);
  return port;
}
