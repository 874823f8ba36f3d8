import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillTemplate } from '../../core/profile.js';
import { sandboxProfile } from '../../probes/profiles/sandbox.js';
import { startSandbox, type SandboxAccount, type SandboxHandle } from '../index.js';

/**
 * Real Chromium through the sandbox with the selectors of probes/profiles/sandbox.ts (the markup contract): a teacher
 * logs in through the staff IdP and takes the roll call, a parent logs in through the pupils/parents IdP and sees the
 * absence, then the teacher restores the sheet and logs out. One browser for the file.
 */
let sb: SandboxHandle;
let browser: Browser;
const lycee = () => sb.fixtures.establishments[0]!;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, adminPort: 0 });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  await sb?.close();
});

const values = () => ({
  ent: sb.urls.ents[lycee().uai]!,
  sso: sb.urls.sso,
  class: lycee().testClass.id,
  pupil: lycee().accounts.parent.pupilId!,
});

/** The profile's login chain for one account, as a probe runs it. */
async function loginAs(context: BrowserContext, account: SandboxAccount, v: Record<string, string> = values()): Promise<Page> {
  const page = await context.newPage();
  await page.goto(fillTemplate(sandboxProfile.login.startUrl, v));
  for (const stage of sandboxProfile.login.stages) {
    if (stage.roles && !stage.roles.includes(account.role)) continue;
    if (stage.action === 'click') await page.click(stage.selector);
    else if (stage.action === 'credentials') {
      await page.fill(stage.usernameSelector, account.username);
      await page.fill(stage.passwordSelector, account.password);
      await page.click(stage.submitSelector);
    } else {
      await page.locator(stage.selector).waitFor();
      expect(await page.locator(stage.selector).textContent()).toContain(stage.text ?? '');
    }
  }
  expect(await page.locator('[data-testid="home"]').textContent()).toContain(`Bienvenue, ${account.displayName}`);
  return page;
}

describe('sandbox in Chromium', () => {
  it('takes a roll call as a teacher and shows the absence to the parent', async () => {
    const rc = sandboxProfile.rollCall;
    const v = values();
    const teacherContext = await browser.newContext();
    const parentContext = await browser.newContext();
    try {
      const teacher = await loginAs(teacherContext, lycee().accounts.teacher);
      const cookies = await teacherContext.cookies();
      expect(cookies.find((c) => c.name === 'CASTGC')?.domain).toBe('sso.localhost');
      expect(cookies.find((c) => c.name === 'AGENTSESSION')?.domain).toBe('idp-agents.localhost');

      await teacher.goto(fillTemplate(rc.timetableUrl, v));
      await teacher.click(fillTemplate(rc.currentLessonSelector, v));
      expect(await teacher.locator(rc.rosterRowSelector).count()).toBe(lycee().testClass.pupils.length);
      const absent = teacher.locator(fillTemplate(rc.absentSelector, v));
      expect(await absent.isChecked()).toBe(false);
      await absent.check();
      await teacher.click(rc.validateSelector);
      expect(await teacher.locator(rc.savedSelector).textContent()).toBe('Appel enregistré');
      await teacher.reload();
      expect(await teacher.locator(fillTemplate(rc.absentSelector, v)).isChecked()).toBe(true);

      const parent = await loginAs(parentContext, lycee().accounts.parent);
      await parent.goto(fillTemplate(sandboxProfile.parent!.absencesUrl, v));
      expect(await parent.locator(fillTemplate(sandboxProfile.parent!.absenceSelector, v)).count()).toBe(1);

      await teacher.locator(fillTemplate(rc.absentSelector, v)).uncheck();
      await teacher.click(rc.validateSelector);
      await teacher.locator(rc.savedSelector).waitFor();
      expect(sb.state.sheets()[0]?.absent).toEqual([]);
      await parent.reload();
      expect(await parent.locator(fillTemplate(sandboxProfile.parent!.absenceSelector, v)).count()).toBe(0);

      // Logout through the ENT's own button lands on the WAYF again (single logout on by default).
      await teacher.click(sandboxProfile.logout.selector);
      await teacher.locator(sandboxProfile.logout.loggedOutSelector).first().waitFor();
      await teacher.goto(fillTemplate(sandboxProfile.logout.ssoLoginUrl!, v));
      await teacher.locator(sandboxProfile.logout.credentialsSelector!).first().waitFor();
      expect(new URL(teacher.url()).hostname).toBe('sso.localhost');
      expect(sb.state.sessions()).toMatchObject({ idpAgents: 0 });
    } finally {
      await teacherContext.close();
      await parentContext.close();
    }
  });

  it('after logout: IdP asks again with single logout, logs in silently without it; the old CASTGC is refused', async () => {
    const realistic = await startSandbox({ port: 0, adminPort: 0, preset: 'realistic' });
    try {
      for (const handle of [sb, realistic]) {
        const est = handle.fixtures.establishments[1]!;
        const v = { ent: handle.urls.ents[est.uai]!, sso: handle.urls.sso };
        const context = await browser.newContext();
        const fresh = await browser.newContext();
        try {
          const page = await loginAs(context, est.accounts.teacher, v);
          const tgt = (await context.cookies()).find((c) => c.name === sandboxProfile.logout.ssoCookieName)!;
          await page.click(sandboxProfile.logout.selector);
          await page.locator(sandboxProfile.logout.loggedOutSelector).first().waitFor();
          await page.click('[data-wayf="personnels"]');
          await page.waitForURL((u) => u.hostname !== 'sso.localhost');
          await page.locator('#password, [data-testid="home"]').first().waitFor();
          const silent = (await page.locator('[data-testid="home"]').count()) === 1;
          expect(silent, `singleLogout=${handle.singleLogout}`).toBe(!handle.singleLogout);

          await fresh.addCookies([tgt]);
          const replay = await fresh.newPage();
          await replay.goto(fillTemplate(sandboxProfile.logout.ssoLoginUrl!, v));
          expect(await replay.locator('[data-wayf]').count()).toBe(2);
        } finally {
          await context.close();
          await fresh.close();
        }
      }
    } finally {
      await realistic.close();
    }
  });
});
