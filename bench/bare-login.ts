import type { Browser } from 'playwright-core';
import type { EntProfile, PersonaRole } from '../core/profile.js';

/**
 * The baseline of the overhead benchmark: the `login` journey written as a bare playwright-core script, without any of
 * Vigie's machinery (no runner, browser pool, step recorder, observers, leases, timeout race or result). It makes the
 * same Playwright calls as `probes/journeys/login-chain.ts` with the same selectors, read from the profile: open the
 * ENT start URL, then for each login stage of the persona's role wait for its first element to be visible and act
 * (click, or fill both fields and submit, or wait for the landing text). Fresh context per run, closed at the end.
 */

export interface BareLoginOptions {
  profile: EntProfile;
  /** ENT base URL (no trailing slash); `{ent}` in the profile's start URL. */
  entUrl: string;
  /** SSO base URL; `{sso}` in the profile's templates. */
  ssoUrl: string;
  persona: { role: PersonaRole; username: string; password: string };
  /** Timeout of each wait, ms (the journey's step timeout). */
  stepTimeoutMs: number;
}

/** Logs in once in a fresh context of `browser`; throws (Playwright's error) when a wait times out. */
export async function bareLogin(browser: Browser, o: BareLoginOptions): Promise<void> {
  const context = await browser.newContext();
  try {
    context.setDefaultTimeout(o.stepTimeoutMs);
    context.setDefaultNavigationTimeout(o.stepTimeoutMs);
    const page = await context.newPage();
    const startUrl = o.profile.login.startUrl.replaceAll('{ent}', o.entUrl).replaceAll('{sso}', o.ssoUrl);
    await page.goto(startUrl);
    for (const stage of o.profile.login.stages) {
      if (stage.roles !== undefined && !stage.roles.includes(o.persona.role)) continue;
      const first = stage.action === 'credentials' ? stage.usernameSelector : stage.selector;
      await page.locator(first).first().waitFor({ state: 'visible', timeout: stage.waitMs ?? o.stepTimeoutMs });
      if (stage.action === 'click') {
        await page.locator(stage.selector).first().click();
      } else if (stage.action === 'credentials') {
        await page.locator(stage.usernameSelector).first().fill(o.persona.username);
        await page.locator(stage.passwordSelector).first().fill(o.persona.password);
        await page.locator(stage.submitSelector).first().click();
      } else if (stage.text !== undefined) {
        await page.locator(stage.selector).filter({ hasText: stage.text }).first().waitFor({ state: 'visible' });
      }
    }
  } finally {
    await context.close();
  }
}
