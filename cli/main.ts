import { Command, CommanderError, Option } from 'commander';
import { isVigieError, type VigieErrorCode } from '../core/errors.js';
import { useBilingualMessages } from '../core/config/messages.js';
import { formatConfigError } from './config-load.js';
import { vigieVersion } from './version.js';

/**
 * The `vigie` command. Exit codes: 0 success (for `run`: the journey was up), 1 the journey was not up or a runtime
 * failure, 2 bad configuration or usage.
 */
export async function main(argv: string[]): Promise<number> {
  useBilingualMessages();
  let code = 0;
  const program = new Command('vigie')
    .description(
      'Vigie — supervision et conformité SLA des ENT scolaires (monitoring and SLA compliance for French school ENTs).\n' +
        'Sans --config, Vigie lance la démo : le bac à sable ENT et des sondes toutes les minutes.',
    )
    .version(vigieVersion(), '-V, --version', 'affiche la version / output the version number')
    .helpOption('-h, --help', 'affiche l’aide / display help')
    .helpCommand('help [command]', 'aide d’une commande / help for a command')
    // Usage errors are printed by the catch below (short, French then English), not by commander.
    .configureOutput({ outputError: () => {} })
    .exitOverride();

  program
    .command('start')
    .description('démarre Vigie (planificateur, sondes, collecteur) / start Vigie (scheduler, probes, collector)')
    .option('-c, --config <file>', 'fichier de configuration vigie.yml (sans lui : la démo / without it: the demo)')
    .option('--data-dir <dir>', 'dossier des données embarquées (remplace storage.dataDir) / embedded data folder')
    .option('--port <port>', 'port HTTP du collecteur (remplace server.port ; 0 = port libre) / collector HTTP port', parsePort)
    .option(...SANDBOX_PORT_OPTION)
    .option(...FAULT_PORT_OPTION)
    .action(async (opts: { config?: string; dataDir?: string; port?: number; sandboxPort?: number; faultPort?: number }) => {
      const { runStart } = await import('./start.js');
      code = await runStart(opts);
    });

  program
    .command('sandbox')
    .description("lance l'ENT bac à sable et son API de pannes / run the sandbox ENT and its fault API")
    .option('--port <port>', 'port des hôtes *.localhost / port of the *.localhost hosts', parsePort, 7080)
    .option('--admin-port <port>', "port de l'API de pannes (boucle locale) / fault API port (loopback)", parsePort, 7081)
    .addOption(new Option('--preset <preset>', 'réglages / settings').choices(['default', 'realistic']).default('default'))
    .action(async (opts: { port: number; adminPort: number; preset: 'default' | 'realistic' }) => {
      const { runSandbox } = await import('./sandbox-cmd.js');
      code = await runSandbox(opts);
    });

  program
    .command('run')
    .description('exécute un parcours une fois et affiche chaque étape / run one journey once and print each step')
    .argument('<journey>', 'parcours / journey: login, roll-call, logout, parent-view, …')
    .requiredOption('-t, --tenant <uai>', "UAI de l'établissement / establishment UAI")
    .option('-c, --config <file>', 'fichier de configuration (sans lui : la démo) / config file (without it: the demo)')
    .option('--persona <id>', 'persona à utiliser (défaut : celle de la planification du parcours) / persona to use')
    .option('--data-dir <dir>', 'dossier des données embarquées / embedded data folder')
    .option('--json', 'affiche le résultat complet en JSON / print the full result as JSON')
    .option(...SANDBOX_PORT_OPTION)
    .option(...FAULT_PORT_OPTION)
    .action(async (journey: string, opts: import('./run-cmd.js').RunOptions) => {
      const { runOnce } = await import('./run-cmd.js');
      code = await runOnce(journey, opts);
    });

  for (const action of ['pause', 'resume'] as const) {
    const cmd = program
      .command(action)
      .description(action === 'pause' ? 'met une planification en pause (temps compté « en pause ») / pause a schedule' : 'reprend une planification / resume a schedule')
      .argument('<schedule>', 'id de la planification / schedule id')
      .option('-c, --config <file>', 'fichier de configuration (sans lui : la démo) / config file (without it: the demo)')
      .option('--data-dir <dir>', 'dossier des données embarquées / embedded data folder')
      .option('--author <name>', 'auteur (défaut : utilisateur courant) / author (default: current user)');
    // Only a pause has a reason (stored with it); a resume just closes the open pause.
    if (action === 'pause') cmd.option('--reason <text>', 'motif de la pause / reason for the pause');
    cmd.action(async (schedule: string, opts: { config?: string; dataDir?: string; author?: string; reason?: string }) => {
      const { runPause } = await import('./pause-cmd.js');
      code = await runPause(action, schedule, opts);
    });
  }

  program
    .command('import')
    .description('importe des exécutions historiques (JSON Lines) / import historical runs (JSON Lines)')
    .argument('<file>', 'runs.jsonl : un objet par ligne, instants avec Z ou décalage (voir README « SLA ») / one object per line, instants with Z or an offset')
    .requiredOption('-c, --config <file>', 'configuration des planifications (stockée comme révision) / config stored as a revision')
    .option('--data-dir <dir>', 'dossier des données embarquées / embedded data folder')
    .option('--author <name>', 'auteur (journal d’audit) / author (audit trail)')
    .option('--batch-size <n>', 'exécutions par instruction SQL / runs per SQL statement', parsePositiveInt)
    .option('--skip-invalid', 'stocker les lignes valides même si d’autres sont rejetées / store the valid lines even when others are rejected')
    .action(async (file: string, opts: { config: string; dataDir?: string; author?: string; batchSize?: number; skipInvalid?: boolean }) => {
      const { runImport } = await import('./import-cmd.js');
      code = await runImport(file, opts);
    });

  program
    .command('calendar')
    .description('calendriers scolaires / school calendars')
    .command('import')
    .description('importe le calendrier scolaire du ministère (ICS ou JSON) / import the ministry school calendar')
    .argument('<file>', 'Zone-B.ics ou export JSON / or a JSON export')
    .option('--zone <zone>', 'zone (A, B, C, Corse…) ; défaut : celle du fichier / default: the file’s')
    .option('--academie <name>', 'export JSON : ne garder que cette académie / keep only this académie')
    .option('-c, --config <file>', 'fichier de configuration (dossier des données) / config file (data folder)')
    .option('--data-dir <dir>', 'dossier des données embarquées / embedded data folder')
    .option('--author <name>', 'auteur (journal d’audit) / author (audit trail)')
    .option('--force', 'importer même si la zone du fichier diffère de --zone / import even if the file names another zone')
    .action(async (file: string, opts: { zone?: string; academie?: string; config?: string; dataDir?: string; author?: string; force?: boolean }) => {
      const { runCalendarImport } = await import('./calendar-cmd.js');
      code = await runCalendarImport(file, opts);
    });

  program
    .command('sla')
    .description('chiffres SLA d’un contrat, bruts et corrigés / SLA figures of a contract, raw and corrected')
    .requiredOption('--contract <id>', 'id du contrat (contracts[].id) / contract id')
    .option('--month <yyyy-MM>', 'mois local, ex. 2026-10 / local month')
    .option('--from <date>', 'début (2026-10-05, 2026-10-05T08:00 locale, ou instant ISO) / start (local date or time, or ISO instant)')
    .option('--to <date>', 'fin exclue / end (excluded)')
    .option('--school-year <yyyy-yyyy>', 'année scolaire, ex. 2026-2027 (1er sept. → 1er sept.) / school year')
    .option('--tenant <uai>', 'un établissement / one establishment')
    .option('--clause <id>', 'une clause / one clause')
    .addOption(new Option('--by <what>', 'détail par établissement / figures per establishment too').choices(['tenant']))
    .addOption(new Option('--format <format>', 'sortie / output').choices(['table', 'json', 'csv']).default('table'))
    .addOption(new Option('--lang <lang>', 'libellés / labels').choices(['fr', 'en']).default('fr'))
    .option('-c, --config <file>', 'fichier de configuration (contrats, dossier des données) / config file (contracts, data folder)')
    .option('--data-dir <dir>', 'dossier des données embarquées / embedded data folder')
    .action(async (opts: import('./sla-cmd.js').SlaOptions) => {
      const { runSla } = await import('./sla-cmd.js');
      code = await runSla(opts);
    });

  program
    .command('report')
    .description('rapport de dysfonctionnements et SLA (HTML, PDF, CSV, JSON) / dysfunction and SLA report')
    .requiredOption('--contract <id>', 'id du contrat (contracts[].id) / contract id')
    .option('--month <yyyy-MM>', 'mois local, ex. 2026-10 / local month')
    .option('--from <date>', 'début (date ou heure locale, ou instant ISO) / start (local date or time, or ISO instant)')
    .option('--to <date>', 'fin exclue / end (excluded)')
    .option('--school-year <yyyy-yyyy>', 'année scolaire, ex. 2026-2027 / school year')
    .addOption(new Option('--audience <who>', 'destinataires / audience').choices(['region', 'union', 'establishment']).default('region'))
    .option('--tenant <uai>', 'l’établissement d’un rapport --audience establishment / the school of an establishment report')
    .option('--format <formats>', 'html,pdf,csv,json ou all / formats, comma-separated, or all', 'all')
    .requiredOption('--out <dir>', 'dossier de sortie / output folder')
    .addOption(new Option('--lang <lang>', 'langue / language').choices(['fr', 'en']).default('fr'))
    .option('--no-previous', 'sans comparaison avec la période précédente / no comparison with the previous period')
    .option('-c, --config <file>', 'fichier de configuration (contrats, dossier des données, Chromium) / config file')
    .option('--data-dir <dir>', 'dossier des données embarquées / embedded data folder')
    .action(async (opts: import('./report-cmd.js').ReportOptions) => {
      const { runReport } = await import('./report-cmd.js');
      code = await runReport(opts);
    });

  const storeOptions = (cmd: Command) =>
    cmd.option('-c, --config <file>', 'fichier de configuration (dossier des données) / config file (data folder)').option('--data-dir <dir>', 'dossier des données embarquées / embedded data folder').option('--json', 'sortie JSON / JSON output');
  const correction = program.command('correction').description('corrections : périodes exclues après coup / periods excluded after the fact');
  storeOptions(
    correction
      .command('add')
      .description('ajoute une correction / add a correction')
      .requiredOption('--from <instant>', 'début, heure locale du fuseau de la config sans décalage (ex. 2026-10-05T08:00) / start, local time of the config zone unless an offset is given')
      .requiredOption('--to <instant>', 'fin (même règle) / end (same rule)')
      .requiredOption('--reason <text>', 'motif / reason')
      .option('--scope <scope>', 'portée / scope: tenants=0510001A,…;journeys=login;clauses=…;targets=… (défaut : tout / default: all)')
      .option('--author <name>', 'auteur (défaut : utilisateur courant) / author (default: current user)'),
  ).action(async (opts: import('./corrections-cmd.js').EntryOptions) => {
    const { runCorrectionAdd } = await import('./corrections-cmd.js');
    code = await runCorrectionAdd(opts);
  });
  storeOptions(correction.command('list').description('liste les corrections (retirées comprises) / list corrections').option('--from <instant>').option('--to <instant>')).action(
    async (opts: { from?: string; to?: string; json?: boolean; config?: string; dataDir?: string }) => {
      const { runCorrectionList } = await import('./corrections-cmd.js');
      code = await runCorrectionList(opts);
    },
  );
  storeOptions(
    correction.command('withdraw').description('retire une correction (rien n’est effacé) / withdraw a correction').argument('<id>').option('--reason <text>').option('--author <name>'),
  ).action(async (id: string, opts: { reason?: string; author?: string; json?: boolean; config?: string; dataDir?: string }) => {
    const { runCorrectionWithdraw } = await import('./corrections-cmd.js');
    code = await runCorrectionWithdraw(id, opts);
  });

  const incident = program.command('incident').description('incidents déclarés à la main (chronologie, hors chiffres) / manual incidents');
  storeOptions(
    incident
      .command('add')
      .description('déclare un incident / declare an incident')
      .requiredOption('--from <instant>', 'début, heure locale sans décalage / start, local time unless an offset is given')
      .option('--to <instant>', 'fin (absent : en cours) / end (absent: ongoing)')
      .requiredOption('--reason <text>', 'description de l’incident / incident description')
      .option('--scope <scope>', 'portée (comme pour correction add) / scope (as for correction add)')
      .option('--author <name>', 'auteur / author'),
  ).action(async (opts: import('./corrections-cmd.js').EntryOptions) => {
    const { runIncidentAdd } = await import('./corrections-cmd.js');
    code = await runIncidentAdd(opts);
  });
  storeOptions(incident.command('list').description('liste les incidents déclarés / list manual incidents').option('--from <instant>').option('--to <instant>')).action(
    async (opts: { from?: string; to?: string; json?: boolean; config?: string; dataDir?: string }) => {
      const { runIncidentList } = await import('./corrections-cmd.js');
      code = await runIncidentList(opts);
    },
  );

  storeOptions(
    program
      .command('audit')
      .description('journal d’audit : qui a fait quoi, quand / audit trail')
      .option('--from <instant>', 'début (heure locale sans décalage) / from (local time unless an offset is given)')
      .option('--to <instant>', 'fin / to')
      .option('--actor <name>', 'auteur / actor')
      .option('--action <action>', 'ex. correction.add, ou un préfixe « correction. » / or a prefix')
      .option('--limit <n>', 'nombre maximal de lignes / maximum number of entries'),
  ).action(async (opts: { from?: string; to?: string; actor?: string; action?: string; limit?: string; json?: boolean; config?: string; dataDir?: string }) => {
    const { runAudit } = await import('./sla-cmd.js');
    code = await runAudit(opts);
  });

  storeOptions(
    program
      .command('incidents')
      .description('incidents d’alerte et envoi de leurs avis / alert incidents and the delivery of their notices')
      .option('--tenant <uai>', 'un établissement / one establishment')
      .option('--open', 'seulement ceux en cours / open ones only'),
  ).action(async (opts: import('./incidents-cmd.js').IncidentsOptions) => {
    const { runIncidents } = await import('./incidents-cmd.js');
    code = await runIncidents(opts);
  });
  const alertIncidents = program.commands.find((c) => c.name() === 'incidents')!;
  // `incidents` and its subcommands share --config/--data-dir/--json: commander gives them to the parent wherever they
  // are written, so a subcommand takes the parent's too (a new user's `incidents ack 7 --config vigie.yml` opened the
  // demo store and answered "unknown incident").
  const withParent = <T extends { config?: string; dataDir?: string; json?: boolean }>(opts: T): T => {
    const parent = alertIncidents.opts<{ config?: string; dataDir?: string; json?: boolean }>();
    return { ...opts, config: opts.config ?? parent.config, dataDir: opts.dataDir ?? parent.dataDir, json: opts.json ?? parent.json };
  };
  storeOptions(alertIncidents.command('ack').description('prend en charge un incident / acknowledge an incident').argument('<id>').option('--author <name>', 'auteur / author')).action(
    async (id: string, opts: import('./incidents-cmd.js').IncidentActionOptions) => {
      const { runIncidentAction } = await import('./incidents-cmd.js');
      code = await runIncidentAction('ack', id, withParent(opts));
    },
  );
  storeOptions(
    alertIncidents.command('note').description('ajoute une note à un incident / add a note to an incident').argument('<id>').requiredOption('--text <text>', 'la note / the note').option('--author <name>', 'auteur / author'),
  ).action(async (id: string, opts: import('./incidents-cmd.js').IncidentActionOptions) => {
    const { runIncidentAction } = await import('./incidents-cmd.js');
    code = await runIncidentAction('note', id, withParent(opts));
  });

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
      // --help and --version end here with exit code 0; `vigie` alone prints its help (code commander.help) and is a usage error.
      if (err.exitCode === 0) return 0;
      if (err.code !== 'commander.help') console.error(usageMessage(err, commandPath(program, argv)));
      return 2;
    }
    if (isVigieError(err, 'CONFIG')) {
      console.error(err.issues.length > 0 ? formatConfigError(err, 'config') : `Erreur de configuration / configuration error: ${err.message}`);
      return 2;
    }
    if (isVigieError(err)) {
      console.error(`Erreur / error (${err.code}): ${err.message}`);
      return exitCodeOf(err.code);
    }
    console.error(err);
    return 1;
  }
}

/**
 * Exit code of a VigieError (README « Commandes »): what the user typed is wrong — a bad config or input, an unknown
 * journey, tenant, persona or schedule — is a usage error (2), also when the error comes back from the admin API of a
 * running `vigie start`; anything else is a runtime failure (1).
 */
export function exitCodeOf(code: VigieErrorCode): 1 | 2 {
  return code === 'CONFIG' || code === 'VALIDATION' || code === 'NOT_FOUND' ? 2 : 1;
}

/** French words for commander's usage errors (its own messages, kept as the English half, are English only). */
const USAGE_FR: Record<string, string> = {
  'commander.missingMandatoryOptionValue': 'option obligatoire absente',
  'commander.missingArgument': 'argument obligatoire absent',
  'commander.optionMissingArgument': 'valeur absente pour l’option',
  'commander.unknownOption': 'option inconnue',
  'commander.unknownCommand': 'commande inconnue',
  'commander.excessArguments': 'trop d’arguments',
  'commander.invalidArgument': 'valeur invalide',
  'commander.conflictingOption': 'options incompatibles',
};

/**
 * A usage error in two short lines, French first then English, and where to find help — instead of commander's
 * English-only line followed by the whole help page.
 */
export function usageMessage(err: CommanderError, command: string): string {
  const english = err.message.replace(/^error: /, '');
  const french = USAGE_FR[err.code];
  // Our own parsers (parsePort…) already write both languages.
  const quoted = /'[^']+'/.exec(english)?.[0];
  const text = french ? `${french}${quoted ? ` : ${quoted}` : ''} / ${english}` : english;
  return `Erreur d’utilisation / usage error: ${text}\nAide / help: ${command} --help`;
}

/** `vigie run`, `vigie calendar import`…: the (sub)command the arguments name, for the help hint. */
function commandPath(program: Command, argv: string[]): string {
  const names = [program.name()];
  let cmd: Command | undefined = program;
  for (const arg of argv) {
    if (arg.startsWith('-')) continue;
    cmd = cmd.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (!cmd) break;
    names.push(cmd.name());
  }
  return names.join(' ');
}

/** The demo's sandbox ports, on `start` and `run` without `--config` (0 = free port, e.g. beside another demo). */
const SANDBOX_PORT_OPTION = ['--sandbox-port <port>', 'démo : port des hôtes du bac à sable (défaut 7080 ; 0 = port libre) / demo: sandbox port', parsePort] as const;
const FAULT_PORT_OPTION = ['--fault-port <port>', 'démo : port de l’API de pannes (défaut 7081 ; 0 = port libre) / demo: fault API port', parsePort] as const;

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new CommanderError(2, 'vigie.int', `entier positif attendu / expected a positive integer: ${value}`);
  return n;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CommanderError(2, 'vigie.port', `port invalide / invalid port: ${value}`);
  return port;
}
