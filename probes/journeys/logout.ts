import { errors, type Page } from 'playwright-core';
import { JourneyFailure, StepSkipped, journey } from '../journey.js';
import { landingSelector, loginAs } from './login-chain.js';

/**
 * `logout` (DESIGN.md §2, issue 3): log in, log out through the ENT's own button, then four soft checks in the same
 * browser context, each failing with kind `security` when it finds a live session:
 * (a) `ent-session-ended`: the ENT home asks for login again;
 * (b) `sso-session-ended`: the SSO `/login` asks for credentials instead of silently issuing a ticket;
 * (c) `idp-session-ended`: the identity provider that took the credentials asks for them again (its URL from the
 *     profile's `logout.idpLoginUrls[role]`, else the page where the credentials were typed, query removed);
 * (d) `sso-cookie-replay`: the SSO cookie captured before logout, replayed in a fresh context, is refused.
 * The run is `down` at the first failed check with every failure listed; the cookies left after logout are recorded
 * (names and domains, never values). A failure before the checks (login, logout button) is a hard failure.
 *
 * Option `checkWaitMs` (default 5000): how long a check waits for the login form or the live session to show once the
 * page loaded.
 */
export const logoutJourney = journey('logout', {
  description: 'Déconnexion effective : ENT, SSO, fournisseur d’identité, cookie rejoué',
  run: async (ctx) => {
    const { profile, page, persona } = ctx;
    const lo = profile.logout;
    const waitMs = typeof ctx.options.checkWaitMs === 'number' ? ctx.options.checkWaitMs : 5_000;
    const landing = landingSelector(ctx, persona.role);
    if (!landing) throw new JourneyFailure('infra', 'the profile has no landing check (expect stage) for this role');
    const asked = lo.credentialsSelector ?? lo.loggedOutSelector;

    const login = await loginAs(ctx, page, persona);
    const before = await ctx.browserContext.cookies();
    const ssoCookie = lo.ssoCookieName ? before.find((c) => c.name === lo.ssoCookieName) : undefined;

    await ctx.step('logout', async () => {
      await page.locator(lo.selector).first().click();
      await page.waitForLoadState('load');
    });
    ctx.recordCookies(await ctx.browserContext.cookies());

    await ctx.check('ent-session-ended', async () => {
      await ctx.goto(page, ctx.url(profile.login.startUrl));
      await expectAsked(page, lo.loggedOutSelector, landing, waitMs, 'the ENT home still shows the session after logout');
    });
    await ctx.check('sso-session-ended', async () => {
      if (!lo.ssoLoginUrl) throw new StepSkipped('no ssoLoginUrl in the profile');
      await ctx.goto(page, ctx.url(lo.ssoLoginUrl));
      await expectAsked(page, asked, landing, waitMs, 'the SSO issued a ticket without asking for credentials after logout');
    });
    await ctx.check('idp-session-ended', async () => {
      const template = lo.idpLoginUrls?.[persona.role];
      const url = template ? ctx.url(template) : login.credentialsUrl;
      if (!url) throw new StepSkipped('no identity-provider URL for this role');
      await ctx.goto(page, url);
      await expectAsked(page, asked, landing, waitMs, 'the identity provider still holds the session after logout');
    });
    await ctx.check('sso-cookie-replay', async () => {
      if (!lo.ssoLoginUrl || !ssoCookie) throw new StepSkipped('no SSO cookie to replay');
      const fresh = await ctx.newContext();
      await fresh.context.addCookies([ssoCookie]);
      await ctx.goto(fresh.page, ctx.url(lo.ssoLoginUrl));
      await expectAsked(fresh.page, asked, landing, waitMs, 'the SSO accepted the session cookie replayed after logout');
      await fresh.context.close();
    });
  },
});

/**
 * Passes when the page asks for credentials (or shows the logged-out marker); fails with kind `security` when the
 * landing page of a live session shows, or when nothing asks for credentials within `waitMs`.
 */
async function expectAsked(page: Page, askedSelector: string, landing: string, waitMs: number, message: string): Promise<void> {
  const asked = page.locator(askedSelector).first();
  const live = page.locator(landing).first();
  try {
    await asked.or(live).first().waitFor({ state: 'visible', timeout: waitMs });
  } catch (err) {
    if (!(err instanceof errors.TimeoutError)) throw err;
  }
  if (await live.isVisible()) throw new JourneyFailure('security', message);
  if (!(await asked.isVisible())) throw new JourneyFailure('security', `${message} (no login form shown)`);
}


