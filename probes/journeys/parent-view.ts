import { errors } from 'playwright-core';
import { JourneyFailure, StepSkipped, journey, type JourneyContext } from '../journey.js';
import { loginAs } from './login-chain.js';

/**
 * `parent-view` (DESIGN.md §2, issue 3): a parent logs in (pupils/parents identity provider) and opens the absences,
 * grades and homework pages of the profile (`parent.absencesUrl`, `gradesUrl`, `homeworkUrl`), each a soft check that
 * the page shows the expected test data: the followed pupil's name (from `testData`, when given) and the texts of
 * `journeys.parent-view.options.expect.{absences,grades,homework}` (arrays of strings, exact substrings). The run is
 * `down` at the first page showing something else, every wrong page listed.
 */

type PageKey = 'absences' | 'grades' | 'homework';

function expectedTexts(ctx: JourneyContext, key: PageKey): string[] {
  const expect = ctx.options.expect;
  const list = typeof expect === 'object' && expect !== null ? (expect as Record<string, unknown>)[key] : undefined;
  return Array.isArray(list) ? list.filter((t): t is string => typeof t === 'string' && t.length > 0) : [];
}

function pupilName(ctx: JourneyContext): string | undefined {
  const id = ctx.persona.pupil;
  if (!id) return undefined;
  return ctx.testData.classes.flatMap((c) => c.pupils).find((p) => p.id === id)?.name;
}

export const parentViewJourney = journey('parent-view', {
  description: 'Vue parent : absences, notes et cahier de textes avec les données de test attendues',
  run: async (ctx) => {
    const parent = ctx.profile.parent;
    if (!parent) throw new JourneyFailure('infra', 'the profile has no parent pages');
    await loginAs(ctx, ctx.page, ctx.persona);
    const name = pupilName(ctx);
    const pages: [PageKey, string | undefined][] = [
      ['absences', parent.absencesUrl],
      ['grades', parent.gradesUrl],
      ['homework', parent.homeworkUrl],
    ];
    for (const [key, template] of pages) {
      await ctx.check(key, async () => {
        if (!template) throw new StepSkipped(`no ${key} page in the profile`);
        await ctx.goto(ctx.page, ctx.url(template, { pupil: ctx.persona.pupil ?? '' }));
        for (const text of [...(name ? [name] : []), ...expectedTexts(ctx, key)]) {
          try {
            await ctx.page.getByText(text, { exact: false }).first().waitFor({ state: 'visible', timeout: ctx.stepTimeoutMs });
          } catch (err) {
            if (err instanceof errors.TimeoutError) throw new JourneyFailure('assertion', `the ${key} page does not show the expected test data ("${text}")`);
            throw err;
          }
        }
      });
    }
  },
});
