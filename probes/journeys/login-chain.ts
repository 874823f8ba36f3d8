import { errors, type Page } from 'playwright-core';
import type { LoginStage } from '../../core/profile.js';
import { stripQuery } from '../classify.js';
import { JourneyFailure, StepSkipped, type JourneyContext, type Persona } from '../journey.js';

/**
 * The login chain driven by the profile (DESIGN.md §2 `login`): open `login.startUrl`, then each stage of
 * `login.stages` in order as one step, keeping the stages of the persona's role. An optional stage whose element does
 * not show within its `waitMs` is recorded as skipped (a WAYF remembered by a cookie, a consent page shown once). No
 * URL, selector or text of any ENT lives here. When the credentials stage names a `credentialsErrorSelector`, the
 * stages after it end at once with kind `credentials` if the identity provider shows it (the login was refused).
 */

export interface LoginOptions {
  /** Prefix of the step names, to tell a second login apart (`parent:` in roll-call). */
  prefix?: string;
}

/** Stages of the profile for a role, in order. */
export function stagesFor(stages: readonly LoginStage[], role: Persona['role']): LoginStage[] {
  return stages.filter((s) => s.roles === undefined || s.roles.includes(role));
}

/** What the login chain saw. */
export interface LoginInfo {
  /** URL (query string removed) of the page that asked for the credentials: the identity provider's login page. */
  credentialsUrl?: string;
}

/** Logs `persona` in on `page`; ends on the landing check. Throws (a failed step) when the chain breaks. */
export async function loginAs(ctx: JourneyContext, page: Page, persona: Persona, options: LoginOptions = {}): Promise<LoginInfo> {
  const prefix = options.prefix ?? '';
  const { login } = ctx.profile;
  const info: LoginInfo = {};
  await ctx.step(`${prefix}open-ent`, () => ctx.goto(page, ctx.url(login.startUrl)));
  // Once credentials are submitted, every later stage also watches for the provider's "credentials refused" element.
  let rejectedSelector: string | undefined;
  for (const stage of stagesFor(login.stages, persona.role)) {
    const watch = rejectedSelector;
    await ctx.step(
      `${prefix}${stage.name}`,
      () => (watch === undefined ? runStage(ctx, page, stage, persona, info) : failOnRejection(page, watch, runStage(ctx, page, stage, persona, info))),
      { secret: stage.action === 'credentials' },
    );
    if (stage.action === 'credentials') rejectedSelector = stage.credentialsErrorSelector;
  }
  return info;
}

/** Reason of a login refused by the identity provider; it names no account and no secret. */
export const CREDENTIALS_REJECTED = "identifiants refusés par le fournisseur d'identité / credentials rejected";

/** How often the "credentials refused" element is looked for while a stage after the credentials waits, in ms. */
const REJECTION_POLL_MS = 150;

/**
 * Runs `work` (a stage after the credentials) while looking for `selector`, the identity provider's "credentials
 * refused" element. If that shows first, fails at once with kind `credentials` (an `error`, our side: a wrong or
 * expired test account is not an outage of the provider, DESIGN.md §5) instead of letting the landing check time out
 * as `down`. A cancellable `isVisible()` poll rather than a second `waitFor`, so nothing keeps polling the page once
 * the stage has ended.
 */
export async function failOnRejection<T>(page: Page, selector: string, work: Promise<T>): Promise<T> {
  let done = false;
  const rejected = (async () => {
    while (!done) {
      const visible = await page
        .locator(selector)
        .first()
        .isVisible()
        .catch(() => false); // a page navigating or closed: not shown (yet)
      if (visible) return true;
      await new Promise((resolve) => setTimeout(resolve, REJECTION_POLL_MS));
    }
    return false;
  })();
  work.catch(() => undefined); // when the rejection wins, the stage's own wait settles later and no longer matters
  try {
    const first = await Promise.race([work.then((value) => ({ value })), rejected.then((shown) => (shown ? 'rejected' : 'stopped'))]);
    if (first === 'rejected') throw new JourneyFailure('credentials', CREDENTIALS_REJECTED);
    if (first === 'stopped') return await work; // unreachable: the poll only stops once `work` has settled
    return first.value;
  } finally {
    done = true;
  }
}

/**
 * Clicks `selector`, an element whose click leaves the page (a WAYF choice, a profile button, the credentials submit).
 * By default Playwright's `click()` also waits for a navigation the click starts, but only when Chromium reports it
 * before the click returns: a race, so the load of the next page (redirects, ticket validation, the ENT home) was
 * charged one run in three to the clicking stage and otherwise to the next one (issue 8: 3 s on the ENT home gave
 * `credentials` 6.3 s and `landing` 118 ms). A step's time is the time of what it waits for, so:
 * - the actionability checks run first (`trial: true`: visible, stable, enabled, receiving events), in this step;
 * - the step then hands its time on ({@link JourneyContext.handOff}) and the click is dispatched (`force`, the checks
 *   are done; `noWaitAfter`, documented as becoming the default in playwright-core 1.64's `Locator.click`): the
 *   dispatch, the request it sets off and any delay of this process meanwhile (a loaded CI machine once held a click's
 *   return 800 ms, the next page's load then counted in the WAYF step) belong to the next step, which waits for the
 *   page the click leads to.
 */
async function clickLeavingPage(ctx: JourneyContext, page: Page, selector: string): Promise<void> {
  const target = page.locator(selector).first();
  await target.click({ trial: true });
  ctx.handOff();
  await target.click({ force: true, noWaitAfter: true });
}

async function runStage(ctx: JourneyContext, page: Page, stage: LoginStage, persona: Persona, info: LoginInfo): Promise<void> {
  const waitMs = stage.waitMs ?? ctx.stepTimeoutMs;
  const first = stage.action === 'credentials' ? stage.usernameSelector : stage.selector;
  try {
    await waitVisible(page, first, waitMs);
  } catch (err) {
    if (stage.optional && err instanceof errors.TimeoutError) throw new StepSkipped(`"${first}" did not show within ${waitMs} ms`);
    if (err instanceof errors.TimeoutError) throw new JourneyFailure('assertion', `"${first}" not visible within ${waitMs} ms`, { cause: err });
    throw err;
  }
  switch (stage.action) {
    case 'click':
      await clickLeavingPage(ctx, page, stage.selector);
      return;
    case 'credentials':
      info.credentialsUrl = stripQuery(page.url());
      // Secrets: the values are typed, never logged; failures of this step carry selectors only.
      await page.locator(stage.usernameSelector).first().fill(persona.username);
      await page.locator(stage.passwordSelector).first().fill(persona.password);
      await clickLeavingPage(ctx, page, stage.submitSelector);
      return;
    case 'expect':
      if (stage.text !== undefined) await expectText(ctx, page, stage.selector, stage.text);
      return;
  }
}

/**
 * Waits until `selector` is visible. Playwright's `waitFor` re-checks on a backing-off schedule (up to 500 ms apart)
 * while the page navigates, which would add tens to hundreds of ms to the step that loads a page; so the locator is
 * also checked at each DOMContentLoaded of the page, when a user would see it (measured in bench/login-overhead.ts).
 */
export async function waitVisible(page: Page, selector: string, timeoutMs: number): Promise<void> {
  const locator = page.locator(selector).first();
  const polling = locator.waitFor({ state: 'visible', timeout: timeoutMs });
  polling.catch(() => undefined); // settled later when the early check wins; its outcome then no longer matters
  let onLoad = () => {};
  const early = new Promise<void>((resolve) => {
    onLoad = () => void locator.isVisible().then((visible) => visible && resolve(), () => undefined);
  });
  page.on('domcontentloaded', onLoad);
  try {
    await Promise.race([polling, early]);
  } finally {
    page.off('domcontentloaded', onLoad);
  }
}

/** Waits until `selector` shows `text`; fails with kind `assertion` naming both. */
export async function expectText(ctx: JourneyContext, page: Page, selector: string, text: string): Promise<void> {
  try {
    await page.locator(selector).filter({ hasText: text }).first().waitFor({ state: 'visible', timeout: ctx.stepTimeoutMs });
  } catch (err) {
    if (err instanceof errors.TimeoutError) throw new JourneyFailure('assertion', `text "${text}" not visible in "${selector}"`, { cause: err });
    throw err;
  }
}

/** The landing check of the profile for a role (its last `expect` stage), used to detect a live session. */
export function landingSelector(ctx: JourneyContext, role: Persona['role']): string | undefined {
  return stagesFor(ctx.profile.login.stages, role)
    .filter((s) => s.action === 'expect')
    .at(-1)?.selector;
}
