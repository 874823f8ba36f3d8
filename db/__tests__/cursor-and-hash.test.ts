import { describe, expect, it } from 'vitest';
import { isVigieError } from '../../core/errors.js';
import { canonicalJson } from '../revisions.js';
import { decodeCursor, encodeCursor } from '../run-reader.js';

describe('listRuns cursor', () => {
  it('round-trips the last row key', () => {
    const cursor = encodeCursor('2025-10-26T01:30:00.000Z', 42);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/); // safe in a query string
    expect(decodeCursor(cursor)).toEqual({ scheduledAt: '2025-10-26T01:30:00.000Z', id: 42 });
  });

  it.each(['', 'abc', Buffer.from('2025-01-01T00:00:00Z|x').toString('base64url'), Buffer.from('nope|1').toString('base64url')])(
    'refuses %j',
    (cursor) => {
      let err: unknown;
      try {
        decodeCursor(cursor);
      } catch (e) {
        err = e;
      }
      expect(isVigieError(err, 'VALIDATION')).toBe(true);
    },
  );
});

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: [{ z: 1, y: 2 }, 3], a: { d: null, c: 'x' } })).toBe(
      '{"a":{"c":"x","d":null},"b":[{"y":2,"z":1},3]}',
    );
  });

  it('refuses what is not JSON', () => {
    expect(() => canonicalJson(undefined)).toThrow('not JSON');
  });
});
