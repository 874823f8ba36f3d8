import { z } from 'zod';
import type { Issue } from '../errors.js';
import { indexed, obj, str, type Raw } from './raw.js';

/**
 * Field checks of a raw `vigie.yml` value that the schema (schema.ts) leaves out on purpose: stored config revisions
 * are parsed with that schema when read (revision.ts), and a revision stored before a check existed must stay
 * readable, so checks added later run here, on files only (`validateConfig`). Tolerant of any shape, like
 * references.ts. Refused, each at its field's path, French then English:
 * - `server.host` empty, or not a host name or an IP address ({@link checkListenHost});
 * - an empty or blank path: `storage.dataDir`, `runner.chromiumPath`, `journeys.<id>.module`, a secret's `file`;
 * - an empty or blank contract `currency`;
 * - a tenant `zone` that is no school-calendar location of the ministry ({@link CALENDAR_LOCATIONS});
 * - NUL (U+0000) or a lone UTF-16 surrogate in any string or key: PostgreSQL refuses both in text and jsonb, so the
 *   revision could not be stored (and a NUL cuts C strings such as paths and Chromium arguments).
 */

/**
 * The school-calendar locations of the ministry's dataset `fr-en-calendrier-scolaire` (data.education.gouv.fr, field
 * `zones`): what `tenants[].zone` may name, written as there or without its `Zone ` prefix, accents or case.
 */
export const CALENDAR_LOCATIONS = [
  'Zone A', 'Zone B', 'Zone C', 'Corse', 'Guadeloupe', 'Guyane', 'Martinique', 'Mayotte', 'Nouvelle Calédonie', 'Polynésie', 'Réunion',
  'Saint Pierre et Miquelon', 'Wallis et Futuna',
] as const;

/**
 * Same key as db/school-calendars.ts `normalizeCalendarLocation` (how an imported calendar is looked up): accents and a
 * `Zone ` prefix dropped, upper case. Repeated here because core/ may not import db/.
 */
function calendarKey(value: string): string {
  return value.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/^\s*zone\s+/i, '').trim().toUpperCase();
}
const CALENDAR_KEYS = new Set(CALENDAR_LOCATIONS.map(calendarKey));

/** True when `zone` names one of {@link CALENDAR_LOCATIONS} (`B`, `Zone B`, `zone b`, `Reunion`, `Réunion`). */
export function isCalendarLocation(zone: string): boolean {
  return CALENDAR_KEYS.has(calendarKey(zone));
}

const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

/**
 * Checks a listen address (`server.host`): an IPv4 or IPv6 address (without brackets), or a host name of letters,
 * digits and `-` in dot-separated labels of 1 to 63 characters whose last label is not all digits (`1.2.3` is no
 * address: resolvers would read it as 1.2.0.3).
 * @returns null when valid, else what is wrong (English; callers add the French).
 */
export function checkListenHost(host: string): string | null {
  if (host.trim() === '') return 'empty';
  if (z.ipv4().safeParse(host).success || z.ipv6().safeParse(host).success) return null;
  const labels = host.replace(/\.$/, '').split('.');
  if (host.length <= 253 && labels.every((l) => HOST_LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1]!)) return null;
  return 'expected a host name or an IP address, without scheme, port, brackets or path';
}

/** True for a loopback listen address: `localhost`, 127.0.0.0/8, `::1` (also written as IPv4-mapped `::ffff:127.…`). */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(h) || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** A NUL or a UTF-16 surrogate without its pair. */
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Issues of the checks listed in this module's header, in document order of the sections. */
export function inputIssues(raw: unknown): Issue[] {
  const issues: Issue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  walkStrings(raw, '', add);
  if (!raw || typeof raw !== 'object') return issues;
  const cfg = raw as Raw;

  const host = str(obj(cfg.server).host);
  if (host !== undefined) {
    const problem = checkListenHost(host);
    if (problem === 'empty') add('server.host', "adresse d'écoute vide / empty listen address (default 127.0.0.1; an empty one would listen on every interface)");
    else if (problem) add('server.host', `adresse d'écoute invalide / invalid listen address "${host}": ${problem}`);
  }
  const emptyPath = (path: string, value: unknown) => {
    if (typeof value === 'string' && value.trim() === '') add(path, 'chemin vide / empty path');
  };
  emptyPath('storage.dataDir', obj(cfg.storage).dataDir);
  emptyPath('runner.chromiumPath', obj(cfg.runner).chromiumPath);
  for (const [id, settings] of Object.entries(obj(cfg.journeys))) emptyPath(`journeys.${id}.module`, obj(settings).module);
  for (const [p, i] of indexed(cfg.personas)) {
    for (const field of ['username', 'password']) emptyPath(`personas[${i}].${field}.file`, obj(p[field]).file);
  }
  for (const [t, i] of indexed(cfg.tenants)) {
    const zone = str(t.zone);
    if (zone !== undefined && zone.trim() !== '' && !isCalendarLocation(zone)) {
      add(`tenants[${i}].zone`, `zone inconnue / unknown zone "${zone}" (a school-calendar location: A, B, C, ${CALENDAR_LOCATIONS.slice(3).join(', ')})`);
    }
  }
  for (const [c, i] of indexed(cfg.contracts)) {
    if (typeof c.currency === 'string' && c.currency.trim() === '') add(`contracts[${i}].currency`, 'devise vide / empty currency (default EUR)');
  }
  return issues;
}

/** A date or date-time in the config's forms (`2026-09-01`, `2026-09-01T08:00`, with seconds or an offset). */
const DATE_LIKE = /^(\d{4})-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * Reports every string (and key) under `value` holding NUL or a lone surrogate, and every date before 2000 (the one
 * instant bound of core/instant.ts: contract start dates, exceptions and maintenance windows), at its path.
 */
function walkStrings(value: unknown, path: string, add: (path: string, message: string) => void): void {
  if (typeof value === 'string') {
    if (UNSTORABLE.test(value)) add(path || '(root)', unstorable(value));
    const year = DATE_LIKE.exec(value)?.[1];
    if (year !== undefined && Number(year) < 2000) {
      add(path || '(root)', `date avant 2000 refusée / a date before 2000 is refused: "${value}" (core/instant.ts: nothing Vigie records is older)`);
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => walkStrings(v, `${path}[${i}]`, add));
  } else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value as Raw)) {
      if (UNSTORABLE.test(key)) add(path || '(root)', `clé / key ${JSON.stringify(key)}: ${unstorable(key)}`);
      walkStrings(v, path ? `${path}.${key}` : key, add);
    }
  }
}

function unstorable(text: string): string {
  return text.includes('\0')
    ? 'caractère NUL interdit / NUL character (U+0000) not allowed'
    : 'demi-paire UTF-16 isolée interdite / lone UTF-16 surrogate not allowed';
}
