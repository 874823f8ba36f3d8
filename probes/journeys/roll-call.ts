import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import { JourneyFailure, journey, type JourneyContext, type TestData } from '../journey.js';
import { rollCallLeaseKey } from '../lease.js';
import { loginAs } from './login-chain.js';

/**
 * `roll-call` (DESIGN.md §2, issue 2 and 3): the teacher opens the current lesson of the test class, marks the test
 * pupil absent, validates, reloads and verifies the absence was saved; then the parent of that pupil polls the absences
 * page until the absence shows (the propagation delay, measured as `propagationMs`) or a deadline passes (`down`, kind
 * `propagation`); the sheet is restored in a `finally`. A sheet found dirty is repaired first and flagged
 * `dirtyStart`. A roster holding anyone not listed as test data aborts before any change (`error`, kind `safety`).
 * One lease per (tenant, class) keeps two runs off the same sheet.
 *
 * Options (`journeys.roll-call.options`): `class` (test class id, default the first), `propagation` (false = skip the
 * parent side), `propagationDeadline` (seconds, default 30), `pollInterval` (seconds, default 2).
 */

interface RollCallOptions {
  classId?: string;
  propagation: boolean;
  propagationDeadlineMs: number;
  pollIntervalMs: number;
}

function readOptions(options: Record<string, unknown>): RollCallOptions {
  const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback);
  return {
    classId: typeof options.class === 'string' ? options.class : undefined,
    propagation: options.propagation !== false,
    propagationDeadlineMs: num(options.propagationDeadline, 30) * 1000,
    pollIntervalMs: num(options.pollInterval, 2) * 1000,
  };
}

function testClass(testData: TestData, classId: string | undefined) {
  const cls = classId ? testData.classes.find((c) => c.id === classId) : testData.classes[0];
  if (!cls) throw new JourneyFailure('safety', classId ? `class "${classId}" is not test data` : 'no test class in testData: nothing may be touched');
  return cls;
}

export const rollCallJourney = journey('roll-call', {
  description: "Appel : absence saisie, enregistrée, vue par le parent, puis feuille restaurée",
  run: async (ctx) => {
    const opts = readOptions(ctx.options);
    const cls = testClass(ctx.testData, opts.classId);
    const pupil = cls.pupils[0]!;
    const allowed = new Set(cls.pupils.map((p) => p.id));
    const rc = ctx.profile.rollCall;
    const sel = (template: string, pupilId = pupil.id) => ctx.url(template, { class: cls.id, pupil: pupilId });

    const lease = await ctx.leases.acquire(rollCallLeaseKey(ctx.tenant, cls.id), {
      ttlMs: ctx.settings.timeout * 1000 + 60_000,
      waitMs: ctx.stepTimeoutMs,
      signal: ctx.signal,
    });
    if (!lease) throw new JourneyFailure('infra', `the roll-call sheet of ${cls.id} is held by another run`);

    const page = ctx.page;
    let sheetUrl: string | undefined;
    let touched = false;
    try {
      await loginAs(ctx, page, ctx.persona);
      await ctx.step('open-timetable', () => ctx.goto(page, ctx.url(rc.timetableUrl)));
      await ctx.step('open-lesson', async () => {
        await page.locator(sel(rc.currentLessonSelector)).first().click();
        await page.locator(rc.rosterRowSelector).first().waitFor({ state: 'visible' });
        sheetUrl = withoutQuery(page.url());
      });
      const onRoster = await ctx.step('check-roster', async () => {
        const ids = await page
          .locator(rc.rosterRowSelector)
          .evaluateAll((rows, attr) => rows.map((r) => r.getAttribute(attr) ?? ''), rc.pupilIdAttribute);
        const strangers = ids.filter((id) => !allowed.has(id));
        // Count only: the names and ids of real pupils are personal data and stay out of results.
        if (strangers.length > 0) throw new JourneyFailure('safety', `the roster holds ${strangers.length} pupil(s) not listed as test data; nothing was changed`);
        if (!ids.includes(pupil.id)) throw new JourneyFailure('assertion', `test pupil ${pupil.id} is not on the roster`);
        return ids;
      });
      const dirty: string[] = [];
      for (const id of onRoster) if (await page.locator(sel(rc.absentSelector, id)).isChecked()) dirty.push(id);
      if (dirty.length > 0) {
        ctx.flag('dirtyStart');
        touched = true;
        await ctx.step('repair-sheet', async () => {
          for (const id of dirty) await page.locator(sel(rc.absentSelector, id)).uncheck();
          await validate(ctx, page);
        });
      }
      await ctx.step('mark-absent', () => page.locator(sel(rc.absentSelector)).check());
      touched = true;
      await ctx.step('validate', () => validate(ctx, page));
      const savedAt = performance.now();
      await ctx.step('verify-saved', async () => {
        await ctx.goto(page, sheetUrl!);
        await page.locator(rc.rosterRowSelector).first().waitFor({ state: 'visible' });
        if (!(await page.locator(sel(rc.absentSelector)).isChecked())) {
          throw new JourneyFailure('assertion', 'absence not saved: after reload the sheet shows the pupil present');
        }
      });
      const parent = ctx.personas.parent;
      if (opts.propagation && parent && ctx.profile.parent) {
        const { page: parentPage } = await ctx.newContext();
        await loginAs(ctx, parentPage, parent, { prefix: 'parent:' });
        await ctx.step('parent:absence', () => waitForAbsence(ctx, parentPage, sel(ctx.profile.parent!.absenceSelector), savedAt, opts));
      }
    } finally {
      if (touched && sheetUrl) {
        await ctx.cleanup('restore', async () => {
          await ctx.goto(page, sheetUrl!);
          await page.locator(rc.rosterRowSelector).first().waitFor({ state: 'visible' });
          for (const p of cls.pupils) {
            const box = page.locator(sel(rc.absentSelector, p.id));
            if ((await box.count()) > 0 && (await box.isChecked())) await box.uncheck();
          }
          await validate(ctx, page);
        });
      }
      await lease.release();
    }
  },
});

async function validate(ctx: JourneyContext, page: Page): Promise<void> {
  await page.locator(ctx.profile.rollCall.validateSelector).first().click();
  await page.locator(ctx.profile.rollCall.savedSelector).first().waitFor({ state: 'visible' });
}

/** Polls the parent's absences page until the absence shows; records `propagationMs` from the validated save. */
async function waitForAbsence(ctx: JourneyContext, page: Page, selector: string, savedAt: number, opts: RollCallOptions): Promise<void> {
  const url = ctx.url(ctx.profile.parent!.absencesUrl);
  for (;;) {
    await ctx.goto(page, url);
    if ((await page.locator(selector).count()) > 0) {
      ctx.measure('propagationMs', Math.round(performance.now() - savedAt));
      return;
    }
    const waited = performance.now() - savedAt;
    if (waited + opts.pollIntervalMs > opts.propagationDeadlineMs || ctx.signal.aborted) {
      throw new JourneyFailure('propagation', `absence not shown to the parent ${Math.round(waited / 1000)} s after the roll call was saved`);
    }
    await new Promise((resolve) => setTimeout(resolve, opts.pollIntervalMs));
  }
}

function withoutQuery(url: string): string {
  const u = new URL(url);
  u.search = '';
  u.hash = '';
  return u.toString();
}
