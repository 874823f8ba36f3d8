/**
 * The sandbox timetable: the test class has a one-hour lesson at every hour of the local day (Europe/Paris), so a
 * roll call can be probed at any time, day or night. A lesson id is `<classId>-<YYYYMMDD>-<HH>` in local time; the
 * lesson whose hour contains the sandbox clock is current. On the fall-back night the repeated 02 h maps to one lesson
 * (one sheet), as a school would have it.
 */

export const SCHOOL_TIME_ZONE = 'Europe/Paris';

const SUBJECTS = ['Mathématiques', 'Français', 'Histoire-géographie', 'Anglais', 'Physique-chimie', 'SVT'];

export interface Lesson {
  id: string;
  classId: string;
  /** Local date `YYYY-MM-DD`. */
  date: string;
  /** Local hour 0–23. */
  hour: number;
  subject: string;
  current: boolean;
}

const partsFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: SCHOOL_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  hourCycle: 'h23',
});

/** Local date (`YYYY-MM-DD`) and hour of an instant in the school's time zone. */
export function localDateHour(at: Date): { date: string; hour: number } {
  const parts = Object.fromEntries(partsFormat.formatToParts(at).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

/** The 24 lessons of `classId` on the local day of `at`, the one of `at`'s hour flagged current. */
export function lessonsOfDay(classId: string, at: Date): Lesson[] {
  const { date, hour: currentHour } = localDateHour(at);
  const compact = date.replace(/-/g, '');
  return Array.from({ length: 24 }, (_, hour) => ({
    id: `${classId}-${compact}-${String(hour).padStart(2, '0')}`,
    classId,
    date,
    hour,
    subject: subjectOf(hour),
    current: hour === currentHour,
  }));
}

/** Splits a lesson id; undefined when it is not one. */
export function parseLessonId(id: string): { classId: string; date: string; hour: number } | undefined {
  const m = /^(.+)-(\d{4})(\d{2})(\d{2})-(\d{2})$/.exec(id);
  if (!m) return undefined;
  const hour = Number(m[5]);
  if (hour > 23) return undefined;
  // Every group of the pattern is mandatory, so all are set when it matches.
  return { classId: m[1]!, date: `${m[2]}-${m[3]}-${m[4]}`, hour };
}

/** "08 h – 09 h" label of a lesson hour. */
export function hourLabel(hour: number): string {
  const pad = (h: number) => String(h % 24).padStart(2, '0');
  return `${pad(hour)} h – ${pad(hour + 1)} h`;
}

/** Subject of a lesson hour (same rule as the timetable). */
export function subjectOf(hour: number): string {
  const subject = SUBJECTS[hour % SUBJECTS.length];
  if (subject === undefined) throw new RangeError(`invalid lesson hour: ${hour}`);
  return subject;
}
