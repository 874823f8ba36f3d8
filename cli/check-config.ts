import { isVigieError } from '../core/errors.js';
import { resolveAlertSecrets } from './alerts-setup.js';
import { formatConfigError, loadConfigFile, resolveSecrets, type LocatedIssue } from './config-load.js';

/**
 * `vigie check-config <file>`: every problem of the file at once (exit 2), or a summary (exit 0). What a valid file
 * may not mean (core/config/warnings.ts: a non-loopback `server.host`, a step timeout capping a longer journey
 * timeout, a roll call without parent) is printed as warnings with their lines; so are secrets that cannot be read
 * in this environment: the file is valid, the environment of `vigie start` must provide them. Exit code 0 either way.
 */
export async function checkConfig(file: string): Promise<number> {
  try {
    let warnings: LocatedIssue[] = [];
    const config = await loadConfigFile(file, { onWarnings: (found) => (warnings = found) });
    console.log(
      `${file} : configuration valide / valid — ${config.targets.length} cible(s), ${config.tenants.length} établissement(s), ` +
        `${config.personas.length} persona(s), ${config.schedules.length} planification(s), ${config.contracts.length} contrat(s).`,
    );
    if (warnings.length > 0) {
      console.log(`Attention / warning — ${warnings.length} point(s) à vérifier / to check:`);
      for (const w of warnings) console.log(`  ${w.line ? `${file}:${w.line}` : file}: ${w.path}: ${w.message}`);
    }
    // Nothing is stored: no fingerprint key is needed (none is created).
    const missing: LocatedIssue[] = [];
    for (const resolveAll of [() => resolveSecrets(config, process.env, null), () => resolveAlertSecrets(config, process.env, null)]) {
      try {
        await resolveAll();
      } catch (err) {
        if (!isVigieError(err, 'CONFIG')) throw err;
        missing.push(...(err.issues as LocatedIssue[]));
      }
    }
    // A secret that is there but unusable (a DKIM key that is no private key) is an error, not a warning.
    const invalid = missing.filter((i) => (i as { invalid?: boolean }).invalid === true);
    if (invalid.length > 0) {
      console.error(`Erreur de configuration / configuration error:\n${invalid.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
      return 2;
    }
    if (missing.length > 0) {
      console.log('Attention / warning — secrets non disponibles dans cet environnement / secrets not available in this environment:');
      for (const issue of missing) console.log(`  ${issue.line ? `${issue.source ?? file}:${issue.line}: ` : ''}${issue.path}: ${issue.message}`);
    }
    return 0;
  } catch (err) {
    if (isVigieError(err, 'CONFIG')) {
      console.error(err.issues.length > 0 ? formatConfigError(err, file) : `Erreur de configuration / configuration error: ${err.message}`);
      return 2;
    }
    throw err;
  }
}
