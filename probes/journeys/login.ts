import { journey } from '../journey.js';
import { loginAs } from './login-chain.js';

/**
 * `login` (DESIGN.md §2): the persona opens the ENT, goes through the profile's login chain (WAYF, identity provider,
 * credentials, extra pages) and lands on the ENT home. Steps: `open-ent`, then one per profile stage.
 */
export const loginJourney = journey('login', {
  description: "Connexion à l'ENT par le SSO et le fournisseur d'identité",
  run: async (ctx) => {
    await loginAs(ctx, ctx.page, ctx.persona);
  },
});
