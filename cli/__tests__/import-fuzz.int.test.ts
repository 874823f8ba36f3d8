import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../core/config/validate.js';
import { importRuns } from '../import-cmd.js';
import { createLineReader } from '../import-line.js';
import { openStore } from '../store-open.js';
import { replayConfig, scheduleId, tenantUai } from './replay-fixture.js';

/**
 * Property (issue 8 acceptance, the import-line half): ≥ 10 000 malformed import lines — NUL characters, lone
 * surrogates, years before 2000 (0099-10-05), far-future instants, impossible dates, wrong types, over-long strings
 * and lines, bad JSON — in a few files mixed with valid lines, through the real `vigie import` path (`importRuns`)
 * into an embedded PGlite store: nothing throws; every malformed line is rejected with an issue naming its line and
 * the field that was broken; without `--skip-invalid` nothing is stored; with it, only the valid lines are.
 * Reproduce a failure with the seed fast-check prints (`FUZZ_SEED=<n>`).
 */
const FILES = 5;
const BAD_PER_FILE = 2_050;
const GOOD_PER_FILE = 3;
const dir = mkdtempSync(join(tmpdir(), 'vigie-import-fuzz-'));
const dataDir = join(dir, 'data');
const cfgFile = join(dir, 'vigie.yml');
const raw = replayConfig({ tenants: 1, journeys: ['login'] });
const config = validateConfig(raw);
const id = scheduleId('login', tenantUai(0));
const logger = pino({ level: 'silent' });
const savedUrl = process.env.DATABASE_URL;
const SLOT = 300_000;
// Malformed lines use slots from 1 September 2026; the valid extra lines of file k use slots of August, never reused.
const BAD_FROM = Date.parse('2026-09-01T00:00:00Z');
const GOOD_FROM = Date.parse('2026-08-01T00:00:00Z');
const iso = (t: number) => new Date(t).toISOString();

/** A valid line with one failed attempt of one step, so every nested path exists. */
const baseLine = (slot: number) => ({
  scheduleId: id,
  scheduledAt: iso(BAD_FROM + slot * SLOT),
  status: 'down',
  kind: 'timeout',
  reason: 'timeout',
  durationMs: 60_000,
  attempts: [{ attempt: 1, status: 'down', kind: 'timeout', flags: ['slow'], steps: [{ name: 'landing', status: 'failed', durationMs: 60_000, error: { message: 'timeout', kind: 'timeout' } }] }],
});
type Path = (string | number)[];
const pathText = (p: Path) => p.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${k}` : k), '');
function setAt(obj: Record<string, unknown>, path: Path, value: unknown): void {
  let cur = obj as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  cur[path[path.length - 1]!] = value;
}

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const insertInto = (bad: fc.Arbitrary<string>) => fc.tuple(fc.string({ maxLength: 20 }), bad, fc.string({ maxLength: 20 })).map(([a, b, c]) => a + b + c);
const wrongType = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant({}), fc.array(fc.integer(), { maxLength: 3 }));
/** Strings PostgreSQL refuses (NUL, lone surrogate) or longer than the field's limit, and values of another type. */
const badText = (limit: number) =>
  fc.oneof(insertInto(fc.constant('\u0000')), insertInto(loneSurrogate), fc.integer({ min: limit + 1, max: limit + 5_000 }).map((n) => 'x'.repeat(n)), wrongType);
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const badInstant = fc.oneof(
  fc.constant('0099-10-05T06:00:00Z'),
  fc.tuple(fc.integer({ min: 0, max: 1999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })).map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}T06:00:00Z`),
  fc.integer({ min: 2, max: 3_000_000 }).map((days) => iso(Math.min(Date.now() + days * 86_400_000, Date.parse('9999-12-31T00:00:00Z')))),
  fc.constantFrom('2026-02-30T06:00:00Z', '2026-13-01T00:00:00Z', '2026-10-05T24:00:00Z', '2026-10-05T06:00:00', '2026-10-05', 'yesterday', '', '2026-10-05T06:00:00+25:00'),
  wrongType,
);
const badDuration = fc.oneof(fc.double({ max: -Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true }), fc.double({ min: 2 ** 31, max: 1e300, noNaN: true }), fc.string({ maxLength: 5 }), fc.constant(null));
const badStatus = fc.oneof(fc.string({ maxLength: 10 }).filter((s) => !['up', 'degraded', 'down', 'error'].includes(s)), wrongType);

/** Which field a mutation breaks, and with what. */
const mutations: [Path, fc.Arbitrary<unknown>][] = [
  [['reason'], badText(2000)],
  [['attempts', 0, 'reason'], badText(2000)],
  [['attempts', 0, 'steps', 0, 'name'], badText(200)],
  [['attempts', 0, 'steps', 0, 'error', 'message'], badText(2000)],
  [['attempts', 0, 'flags', 0], badText(200)],
  [['location'], badText(200)],
  [['scheduledAt'], badInstant],
  [['startedAt'], badInstant],
  [['attempts', 0, 'startedAt'], badInstant],
  [['attempts', 0, 'steps', 0, 'startedAt'], badInstant],
  [['status'], badStatus],
  [['attempts', 0, 'status'], badStatus],
  [['durationMs'], badDuration],
  [['attempts', 0, 'steps', 0, 'durationMs'], badDuration],
  [['attempts', 0, 'steps', 0, 'thresholdMs'], badDuration],
  [['scheduleId'], fc.oneof(fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s !== id), wrongType)],
];
interface Bad {
  text: string;
  /** The path an issue of this line must name. */
  path: string;
}
const fieldMutation: fc.Arbitrary<Bad> = fc
  .tuple(fc.integer({ min: 0, max: 9_999 }), fc.integer({ min: 0, max: mutations.length - 1 }))
  .chain(([slot, m]) => {
    const [path, value] = mutations[m]!;
    return value.map((v) => {
      const line = baseLine(slot) as Record<string, unknown>;
      setAt(line, path, v);
      return { text: JSON.stringify(line), path: pathText(path) };
    });
  });
const oneLine = (s: string) => s.replace(/[\r\n]/g, ' ');
const badJson: fc.Arbitrary<Bad> = fc.oneof(
  // A strict prefix of an object's JSON is never JSON.
  { weight: 30, arbitrary: fc.tuple(fc.integer({ min: 0, max: 9_999 }), fc.double({ min: 0, max: 1, noNaN: true })).map(([slot, cut]) => {
    const full = JSON.stringify(baseLine(slot));
    return { text: full.slice(0, 1 + Math.floor(cut * (full.length - 2))), path: '(line)' };
  }) },
  { weight: 30, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }).map((s) => ({ text: `x${oneLine(s)}`, path: '(line)' })) },
  // JSON, but not an object (the 1 MB one: longer than a line may be).
  { weight: 30, arbitrary: fc.oneof(fc.array(fc.integer(), { maxLength: 4 }), fc.integer(), fc.string({ maxLength: 10 }), fc.constant(null)).map((v) => ({ text: JSON.stringify(v), path: '(line)' })) },
  { arbitrary: fc.constant({ text: `{"reason":"${'y'.repeat(1_000_001)}"}`, path: '(line)' }), weight: 1 },
);
const badLine: fc.Arbitrary<Bad> = fc.oneof({ arbitrary: fieldMutation, weight: 4 }, { arbitrary: badJson, weight: 1 });

let good = 0;
const goodLine = () => JSON.stringify({ scheduleId: id, scheduledAt: iso(GOOD_FROM + good++ * SLOT), status: 'up', durationMs: 900 });

/** What the store holds, for "nothing stored changes": every run with its attempts and steps, and the revisions. */
async function storedState(): Promise<{ runs: unknown[]; revisions: unknown[]; audit: number }> {
  const handle = await openStore({ env: {}, dataDir, logger });
  try {
    const { store } = handle;
    const page = await store.runs.list({ schedule: id, limit: 500 });
    const runs = await Promise.all(page.runs.map((r) => store.runs.get(r.id)));
    const revisions = await store.revisions.listInForce(new Date('2000-01-01T00:00:00Z'), new Date(Date.now() + 86_400_000));
    return { runs, revisions, audit: (await store.audit.list({ action: 'runs.import', limit: 1000 })).length };
  } finally {
    await handle.close();
  }
}

beforeAll(async () => {
  delete process.env.DATABASE_URL;
  process.env.VIGIE_REPLAY_PASSWORD = 'fuzz';
  writeFileSync(cfgFile, JSON.stringify({ ...raw, storage: { dataDir } }));
  // Something stored beforehand, with attempts and steps, that no malformed line may change.
  const base = join(dir, 'base.jsonl');
  writeFileSync(base, Array.from({ length: 20 }, (_, i) => JSON.stringify(baseLine(i * 7))).join('\n'));
  const out = await importRuns(base, { config: cfgFile, author: 'fuzz' });
  expect(out).toMatchObject({ outcome: 'stored', inserted: 20 });
});
afterAll(() => {
  if (savedUrl !== undefined) process.env.DATABASE_URL = savedUrl;
  rmSync(dir, { recursive: true, force: true });
});

describe('vigie import: ≥ 10 000 malformed lines (property)', () => {
  it('rejects every one naming its line and field, never throws, and stores nothing of a file that has one', async () => {
    const before = await storedState();
    const reader = createLineReader(config);
    let files = 0;
    let badLines = 0;
    const details = await fc.check(
      fc.asyncProperty(fc.array(badLine, { minLength: BAD_PER_FILE, maxLength: BAD_PER_FILE }), async (bads) => {
        files += 1;
        // The valid lines go at random-looking but fixed places among the bad ones.
        const lines: string[] = bads.map((b) => b.text);
        const goods = Array.from({ length: GOOD_PER_FILE }, goodLine);
        goods.forEach((g, i) => lines.splice(Math.floor(((i + 1) * lines.length) / (GOOD_PER_FILE + 1)), 0, g));
        const badAt = new Map<number, Bad>();
        let k = 0;
        lines.forEach((text, i) => {
          if (!goods.includes(text)) badAt.set(i + 1, bads[k++]!);
        });
        // Every bad line, through the reader `vigie import` uses: issues of that line, one at the broken field.
        for (const [n, bad] of badAt) {
          const r = reader(bad.text, n);
          expect(r.run, `line ${n}: ${bad.text.slice(0, 200)}`).toBeUndefined();
          expect(r.issues!.every((i) => i.line === n && i.path.length > 0 && i.message.length > 0)).toBe(true);
          expect(r.issues!.map((i) => i.path), bad.text.slice(0, 200)).toContain(bad.path);
        }
        badLines += badAt.size;
        const file = join(dir, `fuzz-${files}.jsonl`);
        writeFileSync(file, lines.join('\n'));
        const refused = await importRuns(file, { config: cfgFile, author: 'fuzz' });
        expect(refused).toMatchObject({ outcome: 'refused', lines: lines.length, rejected: badAt.size, inserted: 0, revisionId: null, audited: true });
        expect(new Set(refused.issues.map((i) => i.line)).size).toBeGreaterThan(0);
        expect(refused.issues.every((i) => badAt.has(i.line))).toBe(true);
        const skipped = await importRuns(file, { config: cfgFile, author: 'fuzz', skipInvalid: true });
        expect(skipped).toMatchObject({ outcome: 'stored', rejected: badAt.size, inserted: GOOD_PER_FILE, duplicates: 0 });
        const goodLines = [...Array(lines.length).keys()].map((i) => i + 1).filter((n) => !badAt.has(n));
        expect(skipped.committedLines.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i))).toEqual(goodLines);
      }),
      { numRuns: FILES, endOnFailure: true, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );
    // The counterexample is a whole file of lines: report the seed and the failed assertion only.
    if (details.failed) throw new Error(`property failed (FUZZ_SEED=${details.seed}): ${String(details.errorInstance).slice(0, 2000)}`);
    expect(badLines).toBeGreaterThanOrEqual(10_000);
    const after = await storedState();
    // Nothing stored changed: the runs stored before are as they were, the only new ones are the valid lines of
    // --skip-invalid, and every import (refused ones included) left its audit entry.
    const goodSlots = new Set(Array.from({ length: good }, (_, i) => iso(GOOD_FROM + i * SLOT)));
    const afterRuns = after.runs as { scheduledAt: string }[];
    expect(afterRuns.filter((r) => !goodSlots.has(r.scheduledAt))).toEqual(before.runs);
    expect(afterRuns.filter((r) => goodSlots.has(r.scheduledAt))).toHaveLength(FILES * GOOD_PER_FILE);
    expect(after.audit).toBe(before.audit + 2 * FILES);
    expect(after.revisions.length).toBeLessThanOrEqual(before.revisions.length + 1);
  }, 180_000);
});
