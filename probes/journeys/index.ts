import type { JourneyDefinition } from '../journey.js';
import { loginJourney } from './login.js';
import { logoutJourney } from './logout.js';
import { parentViewJourney } from './parent-view.js';
import { rollCallJourney } from './roll-call.js';

/**
 * The built-in journeys, by id (DESIGN.md §2). Plain values, no registration by import side effect: to add a
 * built-in journey, write `probes/journeys/<id>.ts` exporting `journey('<id>', …)` and list it here. User journeys are
 * modules named in the config (`journeys.<id>.module`) whose default export is a `journey(…)`.
 */
export const builtInJourneys: Readonly<Record<string, JourneyDefinition>> = Object.freeze({
  [loginJourney.id]: loginJourney,
  [logoutJourney.id]: logoutJourney,
  [rollCallJourney.id]: rollCallJourney,
  [parentViewJourney.id]: parentViewJourney,
});
