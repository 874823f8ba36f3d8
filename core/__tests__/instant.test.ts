import { describe, expect, it } from 'vitest';
import { parseDateTime } from '../calendar/parse-date-time.js';
import { isVigieError } from '../errors.js';
import { assertInstant, instantProblem, MAX_FUTURE_MS, MIN_INSTANT_MS, parseInstantInput, readInstant } from '../instant.js';
import { runResultSchema, storableTextProblem } from '../run-schema.js';

const NOW = Date.parse('2026-12-02T05:00:00Z');

describe('the shared instant bounds (issue 8 item 3)', () => {
  it('reads years 0–99 as written, not as 1900–1999 (Date.UTC)', () => {
    expect(new Date(parseDateTime('0099-10-05T06:00:00Z', 'UTC')!.ms).toISOString()).toBe('0099-10-05T06:00:00.000Z');
    expect(new Date(parseDateTime('0000-01-01T00:00:00Z', 'UTC')!.ms).toISOString()).toBe('0000-01-01T00:00:00.000Z');
    // Year 0 is a leap year in the proleptic calendar (1900 was not): its 29 February exists.
    expect(parseDateTime('0000-02-29T00:00:00Z', 'UTC')).not.toBeNull();
    expect(parseDateTime('2026-10-05T08:00:00+02:00', 'UTC')!.ms).toBe(Date.parse('2026-10-05T06:00:00Z'));
  });

  it.each([
    ['0099-10-05T06:00:00Z', /0099-10-05T06:00:00.000Z is before 2000/],
    ['0000-01-01T00:00:00Z', /before 2000/],
    ['1999-12-31T23:59:59Z', /before 2000/],
    ['2000-01-01T00:30:00+01:00', /before 2000/],
    ['2099-01-05T06:05:00Z', /more than a day in the future/],
    ['2026-12-03T05:00:00.001Z', /more than a day in the future/],
    ['2026-02-30T06:00:00Z', /expected an ISO-8601 instant/],
    ['2026-10-05T06:00:00', /without offset is ambiguous/],
  ])('refuses %s with the reason', (text, message) => {
    const r = readInstant(text, { requireOffset: true, now: NOW });
    expect(r.ms).toBeUndefined();
    expect(r.problem).toMatch(message);
  });

  it('accepts 2000-01-01 and now + 1 day exactly; without now, the future is a query period and passes', () => {
    expect(readInstant('2000-01-01T00:00:00Z', { requireOffset: true, now: NOW }).ms).toBe(MIN_INSTANT_MS);
    expect(readInstant('2026-12-03T05:00:00Z', { requireOffset: true, now: NOW }).ms).toBe(NOW + MAX_FUTURE_MS);
    expect(readInstant('2099-01-01').ms).toBeDefined();
    expect(readInstant('1999-12-31').problem).toMatch(/before 2000/);
    expect(readInstant(42).problem).toMatch(/expected/);
    expect(instantProblem(Number.NaN)).toBe('instant invalide / not a valid instant');
  });

  it('throws VALIDATION naming the field', () => {
    try {
      parseInstantInput('0099-10-05', '--from');
      expect.unreachable();
    } catch (err) {
      expect(isVigieError(err, 'VALIDATION')).toBe(true);
      expect((err as Error).message).toMatch(/^--from: .*before 2000/);
    }
    expect(() => assertInstant(new Date('1900-01-01T00:00:00Z'), 'revision createdAt')).toThrow(/revision createdAt: .*before 2000/);
  });

  it('refuses a local time skipped by a DST change, naming the field and the jump (not moved to 03:00)', () => {
    expect(() => parseInstantInput('2026-03-29T02:30', '--to', { zone: 'Europe/Paris' })).toThrow(
      /^--to: l'heure locale "2026-03-29T02:30" n'existe pas dans le fuseau Europe\/Paris \(changement d'heure : les horloges passent de 02:00 à 03:00\) ; .* \/ local time "2026-03-29T02:30" does not exist in Europe\/Paris \(DST change: clocks jump from 02:00 to 03:00\); /,
    );
    expect(readInstant('2026-03-08T02:15', { zone: 'America/New_York' }).problem).toMatch(/does not exist in America\/New_York .*from 02:00 to 03:00/);
    // Lord Howe moves by 30 minutes: 02:15 is in its gap, 02:30 is not.
    expect(readInstant('2026-10-04T02:15', { zone: 'Australia/Lord_Howe' }).problem).toMatch(/from 02:00 to 02:30/);
    expect(readInstant('2026-10-04T02:30', { zone: 'Australia/Lord_Howe' }).ms).toBeDefined();
    expect(parseDateTime('2026-03-29T02:30', 'Europe/Paris')).toMatchObject({ gap: { from: '02:00', to: '03:00' } });
    expect(parseDateTime('2026-03-29T03:00', 'Europe/Paris')!.gap).toBeUndefined();
  });
});

describe('the run schema refuses what PostgreSQL would refuse, at the field', () => {
  const run = (fields: object) => ({ scheduleId: 's', journey: 'login', target: 'ent', tenant: 't', location: 'local', trigger: 'scheduled', scheduledAt: '2026-10-05T06:00:00Z', revisionId: null, status: 'up', startedAt: '2026-10-05T06:00:00Z', durationMs: 1, late: false, attempts: [], ...fields });
  const paths = (input: object) => {
    const r = runResultSchema.safeParse(run(input));
    return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
  };

  it('NUL characters and lone surrogates in texts, ids and keys', () => {
    expect(storableTextProblem('a\u0000b')).toMatch(/NUL/);
    expect(storableTextProblem('\uD800x')).toBe('contient une demi-paire UTF-16 isolée (U+D800) à la position 0 : Unicode invalide / contains a lone UTF-16 surrogate (U+D800) at position 0: not valid Unicode');
    expect(storableTextProblem('x\uDC00')).toMatch(/U\+DC00/);
    expect(storableTextProblem('😀 é \uFFFD')).toBeNull();
    expect(paths({ reason: 'x\u0000' })).toEqual(['reason']);
    expect(paths({ location: '\uDFFF' })).toEqual(['location']);
    const attempt = { attempt: 1, location: 'local', status: 'down', startedAt: '2026-10-05T06:00:00Z', durationMs: 1, measures: {}, flags: ['ok', 'a\u0000'], steps: [{ name: 'landing', index: 0, status: 'failed', soft: false, startedAt: '2026-10-05T06:00:00Z', durationMs: 1, error: { message: '\uD83D', kind: 'timeout' } }] };
    expect(paths({ attempts: [attempt] }).sort()).toEqual(['attempts.0.flags.1', 'attempts.0.steps.0.error.message']);
    expect(paths({ attempts: [{ ...attempt, flags: [], steps: [], measures: { 'k\u0000': 1 } }] })[0]).toMatch(/^attempts\.0\.measures/);
  });

  it('durations beyond the integer columns, and instants before 2000', () => {
    expect(paths({ durationMs: 2 ** 31 })).toEqual(['durationMs']);
    expect(paths({ durationMs: 2 ** 31 - 1 })).toEqual([]);
    expect(paths({ scheduledAt: '0099-10-05T06:00:00Z' })).toEqual(['scheduledAt']);
  });
});
