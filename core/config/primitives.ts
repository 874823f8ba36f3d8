import { z } from 'zod';
import { checkDurationBounds, parseDurationSeconds, type DurationBounds } from '../duration.js';
import { isIanaZone } from '../cron-zone.js';

/** zod building blocks shared by the config schemas (`schema.ts`, `contract.ts`). */

/** An id: letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
export const id = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'identifiant attendu, fait de lettres, de chiffres, ".", "_" ou "-" / expected an id made of letters, digits, ".", "_" or "-"');

/**
 * A duration such as `1500ms`, `30s`, `5m`, `1h30m`, `1d` or a number of seconds, parsed to seconds
 * (core/duration.ts) and checked against the field's bounds. Every duration field has bounds: an unbounded one let
 * `timeout: 100000d` through, which overflowed setTimeout and failed every run at once.
 * @param aboveMax message shown instead of the generic one when the value is above the upper bound.
 */
export function durationIn(bounds: DurationBounds, aboveMax?: string) {
  return z.union([z.string(), z.number()]).transform((value, ctx) => {
    let seconds: number;
    try {
      seconds = parseDurationSeconds(value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
    const problem = checkDurationBounds(seconds, bounds);
    if (problem) {
      const tooBig = seconds >= bounds.min;
      ctx.addIssue({ code: 'custom', message: tooBig && aboveMax ? aboveMax : problem });
      return z.NEVER;
    }
    return seconds;
  });
}

/**
 * `z.strictObject` whose unknown-key message names the keys and lists the expected ones, so that a typo such as
 * `evrey: 5m` is reported (`unrecognized key "evrey"; expected: id, journey, …`) instead of silently dropped.
 * The issue's path is the enclosing object (zod reports unknown keys there).
 */
export function strictObject<T extends z.core.$ZodLooseShape>(shape: T) {
  const expected = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      const s = issue.keys.length > 1 ? 's' : '';
      const keys = issue.keys.map((k) => `"${k}"`).join(', ');
      return `clé${s} inconnue${s} ${keys} ; clés possibles : ${expected} / unrecognized key${s} ${keys}; expected: ${expected}`;
    },
  });
}

/** An IANA time zone name (`Europe/Paris`, `Indian/Reunion`), checked with the zone rules Vigie computes with. */
export const timeZone = z.string().refine(isIanaZone, 'fuseau horaire IANA attendu, par exemple Europe/Paris / expected an IANA time zone such as Europe/Paris');
