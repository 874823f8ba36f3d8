import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { VigieError } from '../core/errors.js';
import type { VigieConfig } from '../core/config/schema.js';
import { isJourneyDefinition, type JourneyDefinition } from './journey.js';
import { builtInJourneys } from './journeys/index.js';

/**
 * Compiled Vigie (dist/, `.js` modules) has no TypeScript loader, yet a user journey may be TypeScript or import
 * Vigie's own sources (`probes/journey.ts`): register tsx once before the first user module. From the sources
 * (tsx, vitest: this file is `.ts`) the loader already in place is kept.
 */
let tsLoader: Promise<void> | null = null;
function ensureTypeScriptLoader(): Promise<void> {
  if (!import.meta.url.endsWith('.js')) return Promise.resolve();
  tsLoader ??= import('tsx/esm/api').then(({ register }) => {
    register();
  });
  return tsLoader;
}

/**
 * Loads the journeys a config uses: built-in ones, plus user modules (`journeys.<id>.module`, a path relative to the
 * config file) whose default export is made with `journey()`.
 * @throws VigieError `CONFIG` naming the journey and module.
 */
export async function loadJourneys(config: VigieConfig, baseDir: string): Promise<Record<string, JourneyDefinition>> {
  const journeys: Record<string, JourneyDefinition> = { ...builtInJourneys };
  for (const [id, settings] of Object.entries(config.journeys)) {
    if (!settings.module) continue;
    const path = resolve(baseDir, settings.module);
    let mod: { default?: unknown };
    try {
      await ensureTypeScriptLoader();
      mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
    } catch (err) {
      // A .ts file outside an ESM package is read as CommonJS: point the user at .mts/.mjs.
      const ts = /\.ts$/.test(path);
      const hintFr = ts ? ' (nommez-le .mts ou .mjs, ou placez-le dans un dossier dont le package.json dit "type": "module")' : '';
      const hintEn = ts ? ' (name it .mts or .mjs, or put it in a folder whose package.json says "type": "module")' : '';
      const reason = (err as Error).message.split('\n')[0];
      throw new VigieError('CONFIG', `journeys.${id}.module: impossible de charger ${path} : ${reason}${hintFr} / cannot load ${path}: ${reason}${hintEn}`, { cause: err });
    }
    if (!isJourneyDefinition(mod.default)) throw new VigieError('CONFIG', `journeys.${id}.module: ${path} doit exporter par défaut journey('${id}', …) / ${path} must export default journey('${id}', …)`);
    journeys[id] = mod.default;
  }
  return journeys;
}
