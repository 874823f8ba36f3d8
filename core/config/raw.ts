/**
 * Readers of a raw (not yet validated) `vigie.yml` value, for the checks that run beside the schema (references.ts,
 * journey-references.ts, input-checks.ts, timing.ts, warnings.ts). Each tolerates any shape: a broken field is the
 * schema's to report, so these return "nothing" for it rather than throwing.
 */

/** A raw object. */
export type Raw = Record<string, unknown>;

/** The objects of an array (anything else dropped); `[]` when `v` is not an array. */
export const arr = (v: unknown): Raw[] => (Array.isArray(v) ? v.filter((x): x is Raw => !!x && typeof x === 'object' && !Array.isArray(x)) : []);

/** Like {@link arr}, keeping each object's index in the original array (for issue paths). */
export const indexed = (v: unknown): [Raw, number][] =>
  Array.isArray(v) ? v.flatMap((x, i): [Raw, number][] => (!!x && typeof x === 'object' && !Array.isArray(x) ? [[x as Raw, i]] : [])) : [];

/** `v` when it is a string. */
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** `v` when it is a plain object, else `{}`. */
export const obj = (v: unknown): Raw => (!!v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});

/** The strings of an array, with their indexes. */
export const strings = (v: unknown): [string, number][] => (Array.isArray(v) ? v.flatMap((x, i): [string, number][] => (typeof x === 'string' ? [[x, i]] : [])) : []);
