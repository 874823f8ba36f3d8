import type { Issue } from '../errors.js';
import type { EntProfile } from '../profile.js';
import { BUILT_IN_JOURNEYS, builtInJourneySteps, isBuiltInJourney } from './builtin-journeys.js';
import { indexed, obj, str, strings, type Raw } from './raw.js';

/**
 * What the caller knows beyond the file. core/ may not import probes/ (DESIGN.md §4), so the process that can
 * (cli/config-load.ts) passes the built-in ENT profiles in; without them the profile ids and the login-stage step
 * names of built-in profiles are not checked.
 */
export interface ReferenceOptions {
  /** Built-in ENT profiles by id (probes/profiles/index.ts `builtInProfiles`), referenced by `targets[].profile`. */
  builtInProfiles?: Readonly<Record<string, { login: { stages: readonly Pick<EntProfile['login']['stages'][number], 'name'>[] } }>>;
}

/**
 * Journey, step and profile references of a raw `vigie.yml` value (tolerant of any shape, like references.ts):
 * - `targets[i].profile` naming no built-in profile (when {@link ReferenceOptions.builtInProfiles} is given);
 * - a `journeys.<id>` entry that is neither built-in nor a user journey (`module`);
 * - a journey id unknown in a clause's `journeys`, `latency` keys, or a maintenance window's `scope.journeys`;
 * - a step name no built-in journey records in `journeys.<id>.stepThresholdsMs` or a clause's
 *   `latency.<id>.steps`: the steps of built-in journeys are known (builtin-journeys.ts, login stages from the
 *   targets' profiles), those of user journeys only to their module, so these are not checked; nor are they when a
 *   target's profile cannot be read (an unknown built-in id, or no built-in profiles passed).
 * Messages are French then English.
 */
export function journeyReferenceIssues(raw: unknown, options: ReferenceOptions = {}): Issue[] {
  if (!raw || typeof raw !== 'object') return [];
  const cfg = raw as Raw;
  const issues: Issue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const profiles = options.builtInProfiles;

  // Login stage names over every target's profile; undefined once one cannot be read.
  let stageNames: Set<string> | undefined = new Set<string>();
  for (const [t, i] of indexed(cfg.targets)) {
    const profile = t.profile;
    let stages: unknown;
    if (typeof profile === 'string') {
      const known = profiles?.[profile];
      if (profiles && !known) {
        const list = Object.keys(profiles).join(', ');
        add(`targets[${i}].profile`, `profil intégré inconnu / unknown built-in profile "${profile}" (built-in: ${list}; or describe the profile inline)`);
      }
      stages = known?.login.stages;
    } else {
      stages = obj(obj(profile).login).stages;
    }
    const names = Array.isArray(stages) ? indexed(stages).map(([s]) => str(s.name)) : [undefined];
    if (stageNames && names.every((n) => n !== undefined)) for (const n of names) stageNames.add(n as string);
    else stageNames = undefined;
  }

  const journeys = obj(cfg.journeys);
  // An empty `module` is input-checks.ts's to report (an empty path), not an unknown journey.
  const userJourneys = new Set(Object.keys(journeys).filter((id) => str(obj(journeys[id]).module) !== undefined));
  const known = (id: string) => isBuiltInJourney(id) || userJourneys.has(id);
  const unknownJourney = (path: string, id: string) =>
    add(path, `parcours inconnu / unknown journey "${id}" (built-in: ${BUILT_IN_JOURNEYS.join(', ')}; a user journey needs journeys.${id}.module)`);
  /** Checks the step names under `path` against journey `id`'s steps, when they are known. */
  const checkSteps = (id: string, steps: unknown, path: string) => {
    if (!isBuiltInJourney(id) || userJourneys.has(id) || !stageNames) return;
    const allowed = builtInJourneySteps(id, [...stageNames]);
    for (const step of Object.keys(obj(steps))) {
      if (!allowed.includes(step)) add(`${path}.${step}`, `étape inconnue du parcours ${id} / unknown step "${step}" of journey ${id} (steps: ${allowed.join(', ')})`);
    }
  };

  for (const [id, settings] of Object.entries(journeys)) {
    if (!known(id)) unknownJourney(`journeys.${id}`, id);
    else checkSteps(id, obj(settings).stepThresholdsMs, `journeys.${id}.stepThresholdsMs`);
  }
  for (const [c, i] of indexed(cfg.contracts)) {
    for (const [clause, k] of indexed(c.clauses)) {
      const at = `contracts[${i}].clauses[${k}]`;
      for (const [j, m] of strings(clause.journeys)) if (!known(j)) unknownJourney(`${at}.journeys[${m}]`, j);
      for (const [j, objective] of Object.entries(obj(clause.latency))) {
        if (!known(j)) unknownJourney(`${at}.latency.${j}`, j);
        else checkSteps(j, obj(objective).steps, `${at}.latency.${j}.steps`);
      }
    }
    for (const [w, k] of indexed(c.maintenance)) {
      for (const [j, m] of strings(obj(w.scope).journeys)) if (!known(j)) unknownJourney(`contracts[${i}].maintenance[${k}].scope.journeys[${m}]`, j);
    }
  }
  return issues;
}
