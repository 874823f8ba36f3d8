/**
 * What the config needs to know of the built-in journeys (probes/journeys/, DESIGN.md §2) to check the step names a
 * threshold may use, without importing probes/ (core imports nothing: DESIGN.md §4). The table mirrors the literal
 * names of `ctx.step`, `ctx.check` and `ctx.cleanup` in probes/journeys/*.ts; core/config/__tests__ reads those
 * sources and fails when the two drift apart.
 */

/** Ids of the built-in journeys; any other journey needs `journeys.<id>.module`. */
export const BUILT_IN_JOURNEYS = ['login', 'logout', 'roll-call', 'parent-view'] as const;
export type BuiltInJourney = (typeof BUILT_IN_JOURNEYS)[number];

/**
 * The steps a built-in journey records: `loginPrefixes` are the login chains it runs (`''` the acting persona's,
 * `'parent:'` the parent's in roll-call), each recording `<prefix>open-ent` then `<prefix><stage name>` for every
 * stage of the target's profile (`login.stages[].name`); `fixed` are its own steps, checks and cleanup steps.
 */
export const BUILT_IN_JOURNEY_STEPS: Readonly<Record<BuiltInJourney, { loginPrefixes: readonly string[]; fixed: readonly string[] }>> = {
  login: { loginPrefixes: [''], fixed: [] },
  logout: { loginPrefixes: [''], fixed: ['logout', 'ent-session-ended', 'sso-session-ended', 'idp-session-ended', 'sso-cookie-replay'] },
  'roll-call': {
    loginPrefixes: ['', 'parent:'],
    fixed: ['open-timetable', 'open-lesson', 'check-roster', 'repair-sheet', 'mark-absent', 'validate', 'verify-saved', 'parent:absence', 'restore'],
  },
  'parent-view': { loginPrefixes: [''], fixed: ['absences', 'grades', 'homework'] },
};

/** First step of every login chain (probes/journeys/login-chain.ts), before the profile's stages. */
export const LOGIN_OPEN_STEP = 'open-ent';

/** True for the id of a built-in journey. */
export function isBuiltInJourney(id: string): id is BuiltInJourney {
  return (BUILT_IN_JOURNEYS as readonly string[]).includes(id);
}

/**
 * Every step name a built-in journey may record under the given login stage names (the union over the profiles of
 * the targets it may run against), in recording order, without duplicates.
 */
export function builtInJourneySteps(journey: BuiltInJourney, stageNames: readonly string[]): string[] {
  const { loginPrefixes, fixed } = BUILT_IN_JOURNEY_STEPS[journey];
  const chain = (prefix: string) => [LOGIN_OPEN_STEP, ...stageNames].map((s) => `${prefix}${s}`);
  return [...new Set([...chain(loginPrefixes[0] ?? ''), ...fixed, ...loginPrefixes.slice(1).flatMap(chain)])];
}
