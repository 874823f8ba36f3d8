import type { Issue } from '../errors.js';
import { formatDuration } from '../duration.js';
import { checkListenHost, isLoopbackHost } from './input-checks.js';
import { journeySettingsSchema } from './schema.js';
import { indexed, obj, str, type Raw } from './raw.js';

/** Default of `journeys.<id>.stepTimeout`, seconds (from the schema, so the warning never disagrees with it). */
const DEFAULT_STEP_TIMEOUT = journeySettingsSchema.parse({}).stepTimeout;

/**
 * What a valid `vigie.yml` may not mean, printed by `vigie check-config` as warnings (exit code still 0), each at its
 * field's path, French then English:
 * - `server.host` not a loopback address: the collector's API (runs, SLA figures, admin routes) is then reachable
 *   from the network, with neither access control nor TLS of its own: put a reverse proxy in front that has both;
 * - a journey whose explicit `timeout` is longer than the default `stepTimeout`, without a `stepTimeout`: every wait
 *   of a step (navigation, selector) still gives up at the default step timeout, whatever the journey timeout says;
 *   writing `stepTimeout` (even the default value) says it is meant;
 * - a `stepTimeout` not shorter than the journey's `timeout` (found by a hostile tester: `10m` within `60s`): a
 *   stuck step then always ends at the journey timeout, so its own limit never applies;
 * - a roll-call schedule without `personas.parent` while `journeys.roll-call.options.propagation` is not false: the
 *   roll call then does not check that the parent sees the absence (probes/journeys/roll-call.ts skips that part).
 * Takes the raw value (it must tell an explicit field from a default) of a file that validated.
 */
export function configWarnings(raw: unknown): Issue[] {
  if (!raw || typeof raw !== 'object') return [];
  const cfg = raw as Raw;
  const warnings: Issue[] = [];
  const add = (path: string, message: string) => warnings.push({ path, message });

  const host = str(obj(cfg.server).host) ?? '127.0.0.1';
  if (checkListenHost(host) === null && !isLoopbackHost(host)) {
    add(
      'server.host',
      `"${host}" n'est pas une adresse de bouclage : l'API est joignable depuis le réseau, placez devant un contrôle d'accès et TLS (proxy inverse) / ` +
        `"${host}" is not a loopback address: the API is reachable from the network, put access control and TLS in front of it (a reverse proxy)`,
    );
  }

  const journeys = obj(cfg.journeys);
  for (const [id, rawSettings] of Object.entries(journeys)) {
    const settings = journeySettingsSchema.safeParse(rawSettings);
    const given = obj(rawSettings);
    if (settings.success && given.stepTimeout !== undefined && settings.data.stepTimeout >= settings.data.timeout) {
      add(
        `journeys.${id}.stepTimeout`,
        `stepTimeout (${formatDuration(settings.data.stepTimeout)}) n'est pas plus court que timeout (${formatDuration(settings.data.timeout)}) : une étape bloquée finit au timeout du parcours, pas à son propre délai / ` +
          `stepTimeout is not shorter than timeout: a stuck step ends at the journey timeout (kind timeout for the whole run), never at its own`,
      );
    }
    if (!settings.success || given.timeout === undefined || given.stepTimeout !== undefined) continue;
    if (settings.data.timeout > DEFAULT_STEP_TIMEOUT) {
      const step = formatDuration(DEFAULT_STEP_TIMEOUT);
      add(
        `journeys.${id}.timeout`,
        `chaque attente d'une étape reste limitée à stepTimeout (${step} par défaut) / each wait of a step is still limited to the default stepTimeout (${step}) ` +
          `within this ${formatDuration(settings.data.timeout)} timeout; write journeys.${id}.stepTimeout to say so`,
      );
    }
  }

  const propagation = obj(obj(journeys['roll-call']).options).propagation !== false;
  for (const [s, i] of indexed(cfg.schedules)) {
    if (s.journey !== 'roll-call' || !propagation || str(obj(s.personas).parent) !== undefined) continue;
    add(
      `schedules[${i}].personas`,
      "appel sans parent : la propagation de l'absence au parent n'est pas vérifiée / roll call without personas.parent: the absence's propagation to the parent is not checked " +
        '(or set journeys.roll-call.options.propagation: false to say so)',
    );
  }
  return warnings;
}
