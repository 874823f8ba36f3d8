import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../index.js';
import { Client, login } from './client.js';

let nowMs = Date.parse('2026-11-29T09:30:00Z'); // 10:30 in Paris
let sb: SandboxHandle;
const lycee = () => sb.fixtures.establishments[0]!;
const ent = () => sb.urls.ents[lycee().uai];
let teacher: Client;
let parent: Client;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, adminPort: 0, now: () => new Date(nowMs) });
  teacher = new Client(sb.port);
  await login(teacher, sb, lycee().uai, lycee().accounts.teacher);
  parent = new Client(sb.port);
  await login(parent, sb, lycee().uai, lycee().accounts.parent);
});
afterAll(async () => {
  await sb.close();
});
beforeEach(() => {
  sb.faults.reset();
  sb.state.resetData();
  sb.clock.release();
});

/** Id of the lesson flagged current on the timetable. */
async function currentLesson(): Promise<string> {
  const page = await teacher.get(`${ent()}/emploi-du-temps`);
  const current = [...page.body.matchAll(/<li data-lesson="([^"]+)" data-class="TEST-2NDE" data-current="true"><a href="\/appel\/([^"]+)">/g)];
  expect(current).toHaveLength(1);
  const [, lessonId, linked] = current[0]!; // both groups are mandatory
  expect(linked).toBe(lessonId);
  return lessonId!;
}

function absentIds(html: string): string[] {
  return [...html.matchAll(/<input type="checkbox" name="absent" value="([^"]+)" aria-label="Absent" checked>/g)].map((m) => m[1]!);
}

async function validate(lessonId: string, absent: string[]): Promise<string> {
  const answer = await teacher.follow(teacher.request('POST', `${ent()}/appel/${lessonId}`, { absent }));
  expect(answer.body).toContain('<p data-saved');
  expect(answer.body).toContain('Appel enregistré');
  return answer.body;
}

describe('timetable', () => {
  it('has 24 hourly lessons of the test class and flags the one of the sandbox clock', async () => {
    const page = await teacher.get(`${ent()}/emploi-du-temps`);
    expect(page.body.match(/data-lesson=/g)).toHaveLength(24);
    expect(await currentLesson()).toBe('TEST-2NDE-20261129-10');
    sb.clock.fix('2026-11-29T22:45:00Z'); // 23:45 in Paris: a lesson late at night too
    expect(await currentLesson()).toBe('TEST-2NDE-20261129-23');
    sb.clock.fix('2026-07-01T00:10:00Z'); // summer time: 02:10 in Paris
    expect(await currentLesson()).toBe('TEST-2NDE-20260701-02');
  });

  it('is for teachers only', async () => {
    expect((await parent.get(`${ent()}/emploi-du-temps`)).status).toBe(403);
    expect((await parent.get(`${ent()}/appel/TEST-2NDE-20261129-10`)).status).toBe(403);
  });
});

describe('roll call', () => {
  it('starts with everyone present, saves absences, shows them to the parent, and restores', async () => {
    const lesson = await currentLesson();
    const sheet = await teacher.get(`${ent()}/appel/${lesson}`);
    for (const p of lycee().testClass.pupils) {
      expect(sheet.body).toContain(`<tr data-pupil="${p.id}"><td class="pupil-name">${p.name}</td>`);
    }
    expect(absentIds(sheet.body)).toEqual([]);
    expect(sheet.body).toContain('<button id="valider" type="submit">Valider l\'appel</button>');
    expect(sheet.body).not.toContain('<p data-saved');

    const child = lycee().accounts.parent.pupilId!;
    expect((await parent.get(`${ent()}/absences`)).body).not.toContain(`data-absence-pupil="${child}"`);

    const saved = await validate(lesson, [child]);
    expect(absentIds(saved)).toEqual([child]);
    expect(absentIds((await teacher.get(`${ent()}/appel/${lesson}`)).body)).toEqual([child]);
    expect(sb.state.sheets()).toMatchObject([{ uai: lycee().uai, lessonId: lesson, absent: [child], saves: 1 }]);
    const absences = await parent.get(`${ent()}/absences`);
    expect(absences.body).toContain(`<tr data-absence-pupil="${child}" data-lesson="${lesson}">`);

    await validate(lesson, []);
    expect(absentIds((await teacher.get(`${ent()}/appel/${lesson}`)).body)).toEqual([]);
    expect((await parent.get(`${ent()}/absences`)).body).not.toContain(`data-absence-pupil="${child}"`);
    expect(sb.state.absences()).toEqual([]);
  });

  it('acknowledges but loses the save with the rollCallLost fault', async () => {
    const lesson = await currentLesson();
    sb.faults.set({ rollCallLost: true });
    const saved = await validate(lesson, ['LYC-E02']);
    expect(absentIds(saved)).toEqual([]);
    expect(sb.state.sheets()).toEqual([]);
    sb.faults.reset();
    expect(absentIds(await validate(lesson, ['LYC-E02']))).toEqual(['LYC-E02']);
  });

  it('ignores ids that are not on the roster and shows added non-test pupils', async () => {
    const lesson = await currentLesson();
    expect(absentIds(await validate(lesson, ['NOBODY', 'LYC-E03']))).toEqual(['LYC-E03']);
    sb.roster.add(lycee().uai, 'TEST-2NDE', { id: 'REAL-001', name: 'Élève Réel' });
    const sheet = await teacher.get(`${ent()}/appel/${lesson}`);
    expect(sheet.body.match(/<tr data-pupil=/g)).toHaveLength(4);
    expect(sheet.body).toContain('<tr data-pupil="REAL-001">');
    sb.roster.reset();
    expect((await teacher.get(`${ent()}/appel/${lesson}`)).body).not.toContain('REAL-001');
    expect(() => sb.roster.add('0000000A', 'TEST-2NDE', { id: 'x', name: 'y' })).toThrow(/unknown UAI/);
  });

  it('answers 404 for a lesson of another class', async () => {
    expect((await teacher.get(`${ent()}/appel/2NDE-3-20261129-10`)).status).toBe(404);
    expect((await teacher.get(`${ent()}/appel/nonsense`)).status).toBe(404);
  });
});

describe('absence propagation', () => {
  it('shows the absence to the parent only after the delay', async () => {
    const lesson = await currentLesson();
    const child = lycee().accounts.parent.pupilId!;
    sb.faults.set({ propagation: { delaySeconds: 20 } });
    await validate(lesson, [child]);
    nowMs += 19_000;
    expect((await parent.get(`${ent()}/absences`)).body).not.toContain(`data-absence-pupil="${child}"`);
    nowMs += 2_000;
    expect((await parent.get(`${ent()}/absences`)).body).toContain(`data-absence-pupil="${child}"`);
  });

  it('never shows a lost absence', async () => {
    const lesson = await currentLesson();
    const child = lycee().accounts.parent.pupilId!;
    sb.faults.set({ propagation: { lost: true } });
    await validate(lesson, [child]);
    nowMs += 3600_000;
    expect((await parent.get(`${ent()}/absences`)).body).not.toContain(`data-absence-pupil="${child}"`);
    expect(sb.state.absences()).toMatchObject([{ pupilId: child, visibleAt: null }]);
  });
});

describe('parent pages', () => {
  it('show the expected grades and homework, and another child with the wrong-data fault', async () => {
    const notes = await parent.get(`${ent()}/notes`);
    for (const g of lycee().expected.grades) expect(notes.body).toContain(`${g.subject} : ${g.value}`);
    const homework = await parent.get(`${ent()}/cahier-de-textes`);
    for (const h of lycee().expected.homework) expect(homework.body).toContain(`${h.subject} : ${h.text}`);
    expect(homework.body).toContain('<span class="pupil-name">Léa Testard</span>');

    sb.faults.set({ wrongData: { pages: ['notes'] } });
    const wrong = await parent.get(`${ent()}/notes`);
    expect(wrong.body).not.toContain(`${lycee().expected.grades[0]!.subject} : ${lycee().expected.grades[0]!.value}`);
    expect(wrong.body).not.toContain('Léa Testard</span>');
    expect((await parent.get(`${ent()}/cahier-de-textes`)).body).toContain(lycee().expected.homework[0]!.text);
    sb.faults.set({ wrongData: {} });
    expect((await parent.get(`${ent()}/cahier-de-textes`)).body).not.toContain(lycee().expected.homework[0]!.text);
  });

  it('are not for teachers', async () => {
    expect((await teacher.get(`${ent()}/absences`)).status).toBe(403);
  });
});
