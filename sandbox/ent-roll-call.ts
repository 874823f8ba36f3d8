import type { SandboxEstablishment, SandboxPupil } from './fixtures.js';
import { esc } from './html.js';
import { readForm, redirect, sendHtml } from './http-util.js';
import { entPage, type EntCtx } from './ent-page.js';
import { hourLabel, lessonsOfDay, parseLessonId, subjectOf } from './timetable.js';
import type { World } from './world.js';

/**
 * Teacher pages: `/emploi-du-temps` (a lesson of the test class at every hour, the current one flagged) and
 * `/appel/<lessonId>` (the roll-call sheet: everyone present by default, checked = absent, "Valider l'appel").
 * A save records absences for the parent pages according to the propagation fault; the lost-save fault acknowledges
 * the save and stores nothing.
 */

/** The class roster: the test pupils plus any non-test pupil added through `POST /roster`. */
export function rosterOf(world: World, establishment: SandboxEstablishment, classId: string): SandboxPupil[] {
  if (classId !== establishment.testClass.id) return [];
  return [...establishment.testClass.pupils, ...(world.store.extraPupils.get(`${establishment.uai}/${classId}`) ?? [])];
}

export function handleTimetable(ctx: EntCtx): void {
  const cls = ctx.establishment.testClass;
  const items = lessonsOfDay(cls.id, ctx.world.schoolNow())
    .map(
      (l) =>
        `<li data-lesson="${esc(l.id)}" data-class="${esc(l.classId)}" data-current="${l.current}"><a href="/appel/${encodeURIComponent(l.id)}">${hourLabel(l.hour)} · ${esc(l.subject)} · ${esc(cls.name)}</a>${l.current ? ' <em>(en cours)</em>' : ''}</li>`,
    )
    .join('\n');
  const body = `<h1>Emploi du temps</h1><ul data-testid="timetable">\n${items}\n</ul>`;
  sendHtml(ctx.res, 200, entPage(ctx, 'Emploi du temps', body));
}

export async function handleRollCall(ctx: EntCtx, lessonId: string): Promise<void> {
  const lesson = parseLessonId(lessonId);
  const roster = lesson ? rosterOf(ctx.world, ctx.establishment, lesson.classId) : [];
  if (!lesson || roster.length === 0) {
    return sendHtml(ctx.res, 404, entPage(ctx, 'Cours introuvable', '<p class="error" data-error="lesson">Cours introuvable.</p>'));
  }
  const store = ctx.world.store;
  const key = store.sheetKey(ctx.establishment.uai, lessonId);
  if (ctx.method === 'POST') {
    const form = await readForm(ctx.req);
    const ids = new Set(roster.map((p) => p.id));
    const absent = [...new Set(form.getAll('absent'))].filter((id) => ids.has(id));
    if (!ctx.world.faults.current().rollCallLost) saveSheet(ctx.world, ctx.establishment.uai, lessonId, lesson.classId, absent);
    return redirect(ctx.res, `/appel/${encodeURIComponent(lessonId)}?enregistre=1`, 303);
  }
  if (ctx.method !== 'GET') return sendHtml(ctx.res, 405, entPage(ctx, 'Erreur', '<p data-error="method">Méthode non autorisée.</p>'));
  const absent = new Set(store.sheets.get(key)?.absent ?? []);
  const rows = roster
    .map(
      (p) =>
        `<tr data-pupil="${esc(p.id)}"><td class="pupil-name">${esc(p.name)}</td><td><input type="checkbox" name="absent" value="${esc(p.id)}" aria-label="Absent"${absent.has(p.id) ? ' checked' : ''}></td></tr>`,
    )
    .join('\n');
  const saved = ctx.url.searchParams.get('enregistre') === '1' ? '<p data-saved role="status">Appel enregistré</p>' : '';
  const body = `<h1>Appel — ${esc(ctx.establishment.testClass.name)}</h1>
<p>${esc(subjectOf(lesson.hour))}, ${esc(lesson.date)}, ${hourLabel(lesson.hour)}</p>
${saved}
<form method="post" action="/appel/${encodeURIComponent(lessonId)}">
<table><thead><tr><th>Élève</th><th>Absent</th></tr></thead><tbody>
${rows}
</tbody></table>
<p><button id="valider" type="submit">Valider l'appel</button></p>
</form>`;
  sendHtml(ctx.res, 200, entPage(ctx, 'Appel', body));
}

/** Stores a sheet and updates the absences the parent pages derive from it. */
function saveSheet(world: World, uai: string, lessonId: string, classId: string, absent: string[]): void {
  const store = world.store;
  const key = store.sheetKey(uai, lessonId);
  const previous = store.sheets.get(key);
  const nowMs = world.baseNow().getTime();
  store.sheets.set(key, {
    uai,
    lessonId,
    classId,
    absent,
    savedAt: new Date(nowMs).toISOString(),
    saves: (previous?.saves ?? 0) + 1,
  });
  const stillAbsent = new Set(absent);
  // Pupils marked present again lose their absence at once; new absences reach the parent per the propagation fault.
  store.absences = store.absences.filter((a) => !(a.uai === uai && a.lessonId === lessonId && !stillAbsent.has(a.pupilId)));
  const propagation = world.faults.current().propagation;
  for (const pupilId of absent) {
    if (store.absences.some((a) => a.uai === uai && a.lessonId === lessonId && a.pupilId === pupilId)) continue;
    const visibleAt =
      propagation === null ? nowMs : 'lost' in propagation ? null : nowMs + propagation.delaySeconds * 1000;
    store.absences.push({
      uai,
      pupilId,
      lessonId,
      recordedAt: new Date(nowMs).toISOString(),
      visibleAt: visibleAt === null ? null : new Date(visibleAt).toISOString(),
    });
  }
}
