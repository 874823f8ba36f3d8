import type { VigieConfig } from '../core/config/schema.js';
import type { Issue } from '../core/errors.js';
import { VigieError } from '../core/errors.js';
import { uaiProblem } from '../core/uai.js';

/** Scope keys of a correction or a manual incident (collector/sla-schemas.ts `scopeSchema`). */
export const SCOPE_KEYS = ['tenants', 'journeys', 'targets', 'clauses'] as const;
export type ScopeKey = (typeof SCOPE_KEYS)[number];

/** What each scope key names, in French, with the agreement of "inconnu", for messages (`cible "…" inconnue`). */
const SCOPE_NOUNS: Record<ScopeKey, [string, string]> = { tenants: ['établissement', 'inconnu'], journeys: ['parcours', 'inconnu'], targets: ['cible', 'inconnue'], clauses: ['clause', 'inconnue'] };

/** Journeys every config has (DESIGN.md §5), even when no schedule uses them yet. */
const BUILT_IN_JOURNEYS = ['login', 'logout', 'roll-call', 'parent-view'];

/** The ids a scope may name, from the latest stored config revision (null: no revision, only UAIs are checked). */
export function knownScopeIds(config: VigieConfig | null): Record<ScopeKey, Set<string>> | null {
  if (!config) return null;
  return {
    tenants: new Set((config.tenants ?? []).map((t) => t.uai)),
    targets: new Set((config.targets ?? []).map((t) => t.id)),
    journeys: new Set([...BUILT_IN_JOURNEYS, ...Object.keys(config.journeys ?? {}), ...(config.schedules ?? []).map((s) => s.journey)]),
    clauses: new Set((config.contracts ?? []).flatMap((c) => (c.clauses ?? []).map((cl) => cl.id))),
  };
}

/**
 * Checks a correction's or incident's scope: known keys only, well-formed UAIs (core/uai.ts), and every id present in
 * the latest stored config revision (a typo would otherwise store a correction that silently applies to nothing).
 * @throws VigieError `VALIDATION` naming each bad entry, e.g. `scope.tenants[0]`.
 */
export function assertScope(scope: Record<string, readonly string[] | undefined>, config: VigieConfig | null): void {
  const known = knownScopeIds(config);
  const issues: Issue[] = [];
  for (const [key, values] of Object.entries(scope)) {
    if (!(SCOPE_KEYS as readonly string[]).includes(key)) {
      issues.push({ path: `scope.${key}`, message: `clé de portée inconnue (clés possibles : ${SCOPE_KEYS.join(', ')}) / unknown scope key (expected ${SCOPE_KEYS.join(', ')})` });
      continue;
    }
    (values ?? []).forEach((v, i) => {
      const path = `scope.${key}[${i}]`;
      const bad = key === 'tenants' ? uaiProblem(v) : null;
      if (bad) issues.push({ path, message: `UAI "${v}" invalide : ${bad.fr} / invalid UAI "${v}": ${bad.en}` });
      else if (known && !known[key as ScopeKey].has(v)) {
        const list = [...known[key as ScopeKey]];
        const shown = list.slice(0, 20).join(', ');
        const [fr, en] = [list.length ? ` (identifiants connus : ${shown})` : '', list.length ? ` (known: ${shown})` : ''];
        const [noun, unknown] = SCOPE_NOUNS[key as ScopeKey];
        issues.push({ path, message: `${noun} "${v}" ${unknown} dans la dernière révision de la configuration${fr} / unknown ${key.slice(0, -1)} "${v}" in the latest config revision${en}` });
      }
    });
  }
  if (issues.length > 0) throw new VigieError('VALIDATION', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
}
