/** The platform rule of DESIGN.md §5: share of a target's establishments in an incident at once. */
export interface PlatformRule {
  /** More than this share of the establishments (0–1) must be in an incident. */
  share: number;
  /** And at least this many establishments (≥ 2: one establishment is never a platform). */
  minTenants: number;
}

/**
 * Whether `inIncident` establishments in an incident at once, out of `establishments` probed for one target's
 * journey, make a platform incident (DESIGN.md §5: "when more than a set share of a target's tenants fail in the same
 * slots, one platform incident groups them"). Strictly more than the share: with two establishments and share 0.5,
 * one alone is its own incident, both are the platform's.
 */
export function isPlatformOutage(inIncident: number, establishments: number, rule: PlatformRule): boolean {
  if (establishments <= 0 || inIncident < Math.max(2, rule.minTenants)) return false;
  return inIncident / establishments > rule.share;
}

/**
 * Whether the routing of an incident opened at the slot starting `openedAt` can be decided at `now`: every series of
 * its group has its slot containing `openedAt` evaluated (`evaluatedUntil` beyond it), or the group wait
 * (`decideAfter`) is over — results that are later still are not waited for.
 */
export function routingReady(openedAt: number, decideAfter: number, groupEvaluatedUntil: readonly number[], now: number): boolean {
  return now >= decideAfter || groupEvaluatedUntil.every((until) => until > openedAt);
}
