import type { Issue } from '../errors.js';

/**
 * Cross-reference checks of a raw (not yet validated) `vigie.yml` value: duplicate ids, references to unknown
 * targets, tenants, personas, locations and journeys. Tolerates any shape (a broken field is reported by the schema,
 * not here), so that every problem of a file is reported in one go.
 */
export const BUILT_IN_JOURNEYS = ['login', 'logout', 'roll-call', 'parent-view'] as const;

type Raw = Record<string, unknown>;
const arr = (v: unknown): Raw[] => (Array.isArray(v) ? v.filter((x): x is Raw => !!x && typeof x === 'object') : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function referenceIssues(raw: unknown): Issue[] {
  if (!raw || typeof raw !== 'object') return [];
  const cfg = raw as Raw;
  const issues: Issue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });

  const locations = cfg.locations === undefined ? [{ id: 'local', kind: 'reference' }] : arr(cfg.locations);
  const ids = (items: Raw[], key: string, section: string): Set<string> => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      const value = str(item[key]);
      if (value === undefined) return;
      if (seen.has(value)) add(`${section}[${i}].${key}`, `duplicate ${key} "${value}"`);
      seen.add(value);
    });
    return seen;
  };
  const locationIds = ids(locations, 'id', 'locations');
  const targets = ids(arr(cfg.targets), 'id', 'targets');
  const tenants = ids(arr(cfg.tenants), 'uai', 'tenants');
  const personas = ids(arr(cfg.personas), 'id', 'personas');
  ids(arr(cfg.schedules), 'id', 'schedules');

  if (Array.isArray(cfg.locations) && !locations.some((l) => (l.kind ?? 'reference') === 'reference')) {
    add('locations', 'at least one reference location is needed');
  }
  arr(cfg.tenants).forEach((t, i) => {
    const target = str(t.target);
    if (target !== undefined && !targets.has(target)) add(`tenants[${i}].target`, `unknown target "${target}"`);
  });
  arr(cfg.personas).forEach((p, i) => {
    const tenant = str(p.tenant);
    if (tenant !== undefined && !tenants.has(tenant)) add(`personas[${i}].tenant`, `unknown tenant "${tenant}"`);
  });
  const journeys = cfg.journeys && typeof cfg.journeys === 'object' ? (cfg.journeys as Record<string, Raw>) : {};
  arr(cfg.schedules).forEach((s, i) => {
    const journey = str(s.journey);
    if (journey !== undefined && !(BUILT_IN_JOURNEYS as readonly string[]).includes(journey) && !str(journeys[journey]?.module)) {
      add(`schedules[${i}].journey`, `unknown journey "${journey}" (built-in: ${BUILT_IN_JOURNEYS.join(', ')}; others need journeys.${journey}.module)`);
    }
    const tenant = str(s.tenant);
    if (tenant !== undefined && !tenants.has(tenant)) add(`schedules[${i}].tenant`, `unknown tenant "${tenant}"`);
    const persona = str(s.persona);
    if (persona !== undefined && !personas.has(persona)) add(`schedules[${i}].persona`, `unknown persona "${persona}"`);
    if (s.personas && typeof s.personas === 'object') {
      for (const [role, pid] of Object.entries(s.personas as Raw)) {
        if (typeof pid === 'string' && !personas.has(pid)) add(`schedules[${i}].personas.${role}`, `unknown persona "${pid}"`);
      }
    }
    const locs = s.locations === undefined ? ['local'] : Array.isArray(s.locations) ? s.locations : [];
    locs.forEach((l, j) => {
      if (typeof l === 'string' && !locationIds.has(l)) add(`schedules[${i}].locations[${j}]`, `unknown location "${l}"`);
    });
  });
  return issues;
}
