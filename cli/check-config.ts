import { isVigieError } from '../core/errors.js';
import { formatConfigError, loadConfigFile, resolveSecrets } from './config-load.js';

/**
 * `vigie check-config <file>`: every problem of the file at once (exit 2), or a summary (exit 0). Secrets that cannot
 * be read in this environment are warnings: the file is valid, the environment of `vigie start` must provide them.
 */
export async function checkConfig(file: string): Promise<number> {
  try {
    const config = await loadConfigFile(file);
    console.log(
      `${file} : configuration valide / valid — ${config.targets.length} cible(s), ${config.tenants.length} établissement(s), ` +
        `${config.personas.length} persona(s), ${config.schedules.length} planification(s), ${config.contracts.length} contrat(s).`,
    );
    try {
      await resolveSecrets(config, process.env, null); // nothing stored: no fingerprint key needed (none created)
    } catch (err) {
      if (!isVigieError(err, 'CONFIG')) throw err;
      console.log('Attention / warning — secrets non disponibles dans cet environnement :');
      for (const issue of err.issues) console.log(`  ${issue.path}: ${issue.message}`);
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
