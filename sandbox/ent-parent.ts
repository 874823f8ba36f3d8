import { wrongChild } from './fixtures.js';
import type { ParentPage } from './faults.js';
import { esc } from './html.js';
import { sendHtml } from './http-util.js';
import { entPage, type EntCtx } from './ent-page.js';
import { hourLabel, parseLessonId, subjectOf } from './timetable.js';

/**
 * Parent (and pupil) pages for the followed child: `/absences` (one `[data-absence-pupil]` row per absence that has
 * propagated), `/notes` (`li[data-grade]` "Matière : note") and `/cahier-de-textes` (`li[data-homework]`
 * "Matière : travail"). The wrong-data fault shows another child's name and figures instead.
 */
export function handleParentPage(ctx: EntCtx, which: ParentPage): void {
  const childId = ctx.account.pupilId ?? '';
  const child = ctx.establishment.testClass.pupils.find((p) => p.id === childId);
  const wrong = ctx.world.faults.wrongDataOn(which);
  const childName = wrong ? wrongChild.name : (child?.name ?? childId);
  const who = `<p data-child>Élève : <span class="pupil-name">${esc(childName)}</span></p>`;
  let title: string;
  let content: string;
  if (which === 'absences') {
    title = 'Absences';
    content = wrong ? absencesList('INCONNU-01', [fakeAbsence(ctx)]) : absencesList(childId, visibleAbsences(ctx, childId));
  } else if (which === 'notes') {
    title = 'Notes';
    const grades = wrong ? wrongChild.grades : ctx.establishment.expected.grades;
    content = `<ul data-testid="grades">${grades
      .map((g) => `<li data-grade data-subject="${esc(g.subject)}">${esc(g.subject)} : ${esc(g.value)}</li>`)
      .join('\n')}</ul>`;
  } else {
    title = 'Cahier de textes';
    const homework = wrong ? wrongChild.homework : ctx.establishment.expected.homework;
    content = `<ul data-testid="homework">${homework
      .map((h) => `<li data-homework data-subject="${esc(h.subject)}">${esc(h.subject)} : ${esc(h.text)}</li>`)
      .join('\n')}</ul>`;
  }
  sendHtml(ctx.res, 200, entPage(ctx, title, `<h1>${title}</h1>${who}${content}`));
}

interface ShownAbsence {
  lessonId: string;
  date: string;
  hour: number;
}

function visibleAbsences(ctx: EntCtx, pupilId: string): ShownAbsence[] {
  const nowMs = ctx.world.baseNow().getTime();
  return ctx.world.store.absences
    .filter(
      (a) =>
        a.uai === ctx.establishment.uai &&
        a.pupilId === pupilId &&
        a.visibleAt !== null &&
        Date.parse(a.visibleAt) <= nowMs,
    )
    .flatMap((a) => {
      const lesson = parseLessonId(a.lessonId);
      return lesson ? [{ lessonId: a.lessonId, date: lesson.date, hour: lesson.hour }] : [];
    });
}

function fakeAbsence(ctx: EntCtx): ShownAbsence {
  return { lessonId: `AUTRE-${ctx.establishment.uai}`, date: '2026-01-05', hour: 8 };
}

function absencesList(pupilId: string, absences: ShownAbsence[]): string {
  if (absences.length === 0) return '<p data-testid="no-absence">Aucune absence.</p>';
  const rows = absences
    .map(
      (a) =>
        `<tr data-absence-pupil="${esc(pupilId)}" data-lesson="${esc(a.lessonId)}"><td>${esc(a.date)}</td><td>${hourLabel(a.hour)}</td><td>${esc(subjectOf(a.hour))}</td><td>Absence</td></tr>`,
    )
    .join('\n');
  return `<table data-testid="absences"><thead><tr><th>Date</th><th>Heure</th><th>Cours</th><th>Motif</th></tr></thead><tbody>
${rows}
</tbody></table>`;
}
