import type { Issue } from '../errors.js';
import { personaRole } from '../profile.js';
import { indexed, obj, str, strings, type Raw } from './raw.js';
import { BUILT_IN_JOURNEYS } from './builtin-journeys.js';

export { BUILT_IN_JOURNEYS };

/**
 * Cross-reference checks of a raw (not yet validated) `vigie.yml` value: duplicate ids (locations, targets, tenants,
 * personas, schedules, contracts), references to unknown targets, tenants, personas, locations and journeys, an
 * in-school location whose UAI is no tenant's, a schedule acting with a persona of another establishment or with a
 * persona of the wrong role under a role name (`personas: { parent: … }`), a parent's pupil missing from the test
 * data. Tolerates any shape (a broken field is reported by the schema, not here), so that every problem of a file is
 * reported in one go. Each issue's path names the offending field; messages are French then English.
 * Journey, step and profile references are checked in journey-references.ts.
 */
export function referenceIssues(raw: unknown): Issue[] {
  if (!raw || typeof raw !== 'object') return [];
  const cfg = raw as Raw;
  const issues: Issue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });

  const locations = cfg.locations === undefined ? indexed([{ id: 'local', kind: 'reference' }]) : indexed(cfg.locations);
  const ids = (items: [Raw, number][], key: string, section: string): Set<string> => {
    const seen = new Set<string>();
    for (const [item, i] of items) {
      const value = str(item[key]);
      if (value === undefined) continue;
      if (seen.has(value)) add(`${section}[${i}].${key}`, `${key === 'uai' ? 'UAI' : 'identifiant'} en double / duplicate ${key} "${value}"`);
      seen.add(value);
    }
    return seen;
  };
  const tenantItems = indexed(cfg.tenants);
  const personaItems = indexed(cfg.personas);
  const locationIds = ids(locations, 'id', 'locations');
  const targets = ids(indexed(cfg.targets), 'id', 'targets');
  const tenants = ids(tenantItems, 'uai', 'tenants');
  ids(personaItems, 'id', 'personas');
  ids(indexed(cfg.schedules), 'id', 'schedules');
  ids(indexed(cfg.contracts), 'id', 'contracts');
  const unknownTarget = (path: string, id: string) => add(path, `cible inconnue / unknown target "${id}"`);
  const unknownTenant = (path: string, uai: string) => add(path, `établissement inconnu / unknown tenant "${uai}"`);

  if (Array.isArray(cfg.locations) && !locations.some(([l]) => (l.kind ?? 'reference') === 'reference')) {
    add('locations', 'il faut au moins un lieu de référence / at least one reference location is needed');
  }
  for (const [l, i] of locations) {
    const uai = str(l.uai);
    if (l.kind === 'in-school' && uai !== undefined && !tenants.has(uai)) {
      add(`locations[${i}].uai`, `aucun établissement de l'UAI "${uai}" / no tenant has UAI "${uai}" (an in-school location runs inside one of the tenants)`);
    }
  }
  for (const [t, i] of tenantItems) {
    const target = str(t.target);
    if (target !== undefined && !targets.has(target)) unknownTarget(`tenants[${i}].target`, target);
  }
  for (const [p, i] of personaItems) {
    const tenant = str(p.tenant);
    if (tenant !== undefined && !tenants.has(tenant)) unknownTenant(`personas[${i}].tenant`, tenant);
  }

  // Test pupils by tenant, for a parent's `pupil`.
  const pupilsOf = new Map<string, Set<string>>();
  for (const [t] of tenantItems) {
    const uai = str(t.uai);
    if (uai === undefined) continue;
    const pupils = indexed(obj(t.testData).classes).flatMap(([c]) => indexed(c.pupils).map(([p]) => str(p.id)));
    pupilsOf.set(uai, new Set(pupils.filter((id): id is string => id !== undefined)));
  }
  const personaById = new Map(personaItems.map(([p]) => [str(p.id), p] as const));
  for (const [p, i] of personaItems) {
    const pupil = str(p.pupil);
    const tenant = str(p.tenant);
    if (p.role !== 'parent' || pupil === undefined) continue;
    if (tenant !== undefined) {
      if (tenants.has(tenant) && !pupilsOf.get(tenant)?.has(pupil)) {
        add(`personas[${i}].pupil`, `élève absent des données de test de ${tenant} / pupil "${pupil}" is not in the test data of tenant ${tenant} (tenants[].testData.classes[].pupils)`);
      }
    } else if (![...pupilsOf.values()].some((set) => set.has(pupil))) {
      add(`personas[${i}].pupil`, `élève absent des données de test / pupil "${pupil}" is in no tenant's test data (tenants[].testData.classes[].pupils)`);
    }
  }

  const journeys = obj(cfg.journeys);
  const roles = personaRole.options as readonly string[];
  for (const [s, i] of indexed(cfg.schedules)) {
    const journey = str(s.journey);
    if (journey !== undefined && !(BUILT_IN_JOURNEYS as readonly string[]).includes(journey) && str(obj(journeys[journey]).module) === undefined) {
      add(`schedules[${i}].journey`, `parcours inconnu / unknown journey "${journey}" (built-in: ${BUILT_IN_JOURNEYS.join(', ')}; others need journeys.${journey}.module)`);
    }
    const tenant = str(s.tenant);
    if (tenant !== undefined && !tenants.has(tenant)) unknownTenant(`schedules[${i}].tenant`, tenant);
    // Every persona the schedule acts as: the acting one, then the others by role name.
    const acting: [string, string | undefined, unknown][] = [[`schedules[${i}].persona`, undefined, s.persona]];
    const others = Object.entries(obj(s.personas)).map(([role, pid]): [string, string | undefined, unknown] => [`schedules[${i}].personas.${role}`, role, pid]);
    for (const [path, role, pid] of [...acting, ...others]) {
      if (typeof pid !== 'string') continue;
      const persona = personaById.get(pid);
      if (!persona) {
        add(path, `persona inconnue / unknown persona "${pid}"`);
        continue;
      }
      const own = str(persona.tenant);
      if (tenant !== undefined && own !== undefined && own !== tenant && tenants.has(tenant)) {
        add(path, `persona "${pid}" d'un autre établissement (${own}) / persona "${pid}" belongs to another tenant (${own}), not ${tenant}`);
      }
      if (role !== undefined && roles.includes(role) && typeof persona.role === 'string' && persona.role !== role) {
        add(path, `persona "${pid}" de rôle ${persona.role}, pas ${role} / persona "${pid}" has role ${persona.role}, not ${role}`);
      }
      const pupil = str(persona.pupil);
      if (persona.role === 'parent' && pupil !== undefined && own === undefined && tenant !== undefined && tenants.has(tenant) && !pupilsOf.get(tenant)?.has(pupil)) {
        add(path, `élève absent des données de test de ${tenant} / pupil "${pupil}" of parent "${pid}" is not in the test data of tenant ${tenant}`);
      }
    }
    const locs = s.locations === undefined ? [['local', 0] as [string, number]] : strings(s.locations);
    for (const [l, j] of locs) if (!locationIds.has(l)) add(`schedules[${i}].locations[${j}]`, `lieu inconnu / unknown location "${l}"`);
  }

  // Contracts: the targets they cover and the scope of their maintenance windows.
  for (const [c, i] of indexed(cfg.contracts)) {
    for (const [t, j] of strings(c.targets)) if (!targets.has(t)) unknownTarget(`contracts[${i}].targets[${j}]`, t);
    for (const [w, k] of indexed(c.maintenance)) {
      const scope = obj(w.scope);
      for (const [t, j] of strings(scope.targets)) if (!targets.has(t)) unknownTarget(`contracts[${i}].maintenance[${k}].scope.targets[${j}]`, t);
      for (const [u, j] of strings(scope.tenants)) if (!tenants.has(u)) unknownTenant(`contracts[${i}].maintenance[${k}].scope.tenants[${j}]`, u);
    }
  }
  return issues;
}
