import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBufferedSink, type ResultWriter } from '../result-sink.js';
import { createFileSpool } from '../result-spool.js';
import type { RunResult } from '../../core/run-types.js';
import { VigieError } from '../../core/errors.js';

const silent = pino({ level: 'silent' });
const dirs: string[] = [];
const spoolDir = () => {
  const d = join(mkdtempSync(join(tmpdir(), 'vigie-spool-')), 'spool');
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(join(d, '..'), { recursive: true, force: true });
});

const result = (slot: string, over: Partial<RunResult> = {}): RunResult => ({
  scheduleId: 's', journey: 'login', target: 't', tenant: '0510001T', location: 'local', trigger: 'scheduled',
  scheduledAt: slot, revisionId: 1, status: 'up', startedAt: slot, durationMs: 1, late: false, attempts: [], ...over,
});

/** A store that is down until `up` is set, recording what it stored (with the revision key it was given). */
function store() {
  const state = { up: false, written: [] as { slot: string; key?: string }[] };
  const writer: ResultWriter = {
    async write(r, key) {
      if (!state.up) throw new VigieError('UNAVAILABLE', 'connection refused');
      state.written.push({ slot: r.scheduledAt, ...(key ? { key } : {}) });
      return { duplicate: false };
    },
  };
  return { state, writer };
}

describe('result spool (issue 8 item 5)', () => {
  it('results buffered during an outage survive a restart: the next process writes them first, in order, once', async () => {
    const dir = spoolDir();
    const first = store();
    const before = createBufferedSink({ writer: first.writer, logger: silent, spool: await createFileSpool(dir), retryMs: 5, maxRetryMs: 10 });
    expect(await before.restore()).toEqual([]);
    before.push(result('1'));
    before.push(result('2'), 'sha-of-revision');
    before.push(result('3'));
    expect(await before.flush(100)).toBe(3); // the store is still down when the process stops
    expect(readdirSync(dir).filter((n) => n.endsWith('.json'))).toHaveLength(3);

    const second = store();
    second.state.up = true;
    const after = createBufferedSink({ writer: second.writer, logger: silent, spool: await createFileSpool(dir) });
    expect((await after.restore()).map((e) => e.revisionKey ?? null)).toEqual([null, 'sha-of-revision', null]);
    after.push(result('4'));
    expect(await after.flush(2000)).toBe(0);
    expect(second.state.written).toEqual([{ slot: '1' }, { slot: '2', key: 'sha-of-revision' }, { slot: '3' }, { slot: '4' }]);
    await new Promise((r) => setTimeout(r, 50)); // removals are not awaited by flush
    expect(readdirSync(dir)).toEqual([]);
  });

  it('tells which slots wait in it, so a restart does not run them again (found by a hostile tester)', async () => {
    const sink = createBufferedSink({ writer: store().writer, logger: silent, spool: await createFileSpool(spoolDir()), retryMs: 5, maxRetryMs: 10 });
    sink.push(result('2026-12-02T05:27:15.000Z'));
    expect(sink.holds('s', 'local', new Date('2026-12-02T05:27:15Z'))).toBe(true);
    expect(sink.holds('s', 'local', new Date('2026-12-02T05:27:30Z'))).toBe(false);
    expect(sink.holds('s', 'other', new Date('2026-12-02T05:27:15Z'))).toBe(false);
    await sink.flush(50);
  });

  it('keeps bytes (screenshots) exact, files 0600 in a 0700 folder, and sets an unreadable file aside', async () => {
    const dir = spoolDir();
    const spool = await createFileSpool(dir);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255, 7]);
    const withShot = result('1', {
      attempts: [{ attempt: 1, location: 'local', status: 'down', startedAt: '1', durationMs: 1, measures: {}, flags: [], steps: [], evidence: { step: 'x', screenshotPng: png } }],
    });
    const id = await spool.save(withShot);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, `${id}.json`)).mode & 0o777).toBe(0o600);
    writeFileSync(join(dir, '9999999999999999.json'), '{"result": ');
    // Valid JSON that is no spooled result (found by a hostile tester: `{}` made every start crash).
    const junk: [string, string][] = [['9999999999999997', '{}'], ['9999999999999998', '{"result":null}'], ['9999999999999996', '[]']];
    for (const [n, text] of junk) writeFileSync(join(dir, `${n}.json`), text);
    const { entries, unreadable } = await (await createFileSpool(dir)).load();
    expect(unreadable).toEqual(['9999999999999996.json', '9999999999999997.json', '9999999999999998.json', '9999999999999999.json']);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.result.attempts[0]!.evidence!.screenshotPng).toEqual(png);
    expect(readdirSync(dir).sort()).toEqual([`${id}.json`, ...['6', '7', '8', '9'].map((d) => `999999999999999${d}.json.bad`)]);
  });

  it('keeps a screenshot given as a Node Buffer (what the runner makes), and reads back files holding Buffer JSON', async () => {
    // Found by a hostile tester: JSON.stringify calls Buffer.toJSON before the replacer, so the spool kept
    // {"type":"Buffer","data":[…]} and the store refused the restored result ("expected PNG bytes"): dropped.
    const dir = spoolDir();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]);
    const shot = (screenshotPng: Uint8Array) => result('1', {
      attempts: [{ attempt: 1, location: 'local', status: 'down', startedAt: '1', durationMs: 1, measures: {}, flags: [], steps: [], evidence: { step: 'x', screenshotPng } }],
    });
    await (await createFileSpool(dir)).save(shot(png));
    writeFileSync(join(dir, '0000000000000099.json'), JSON.stringify({ result: shot(png) }));
    const { entries } = await (await createFileSpool(dir)).load();
    expect(entries).toHaveLength(2);
    for (const e of entries) {
      const bytes = e.result.attempts[0]!.evidence!.screenshotPng!;
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect([...bytes]).toEqual([...png]);
    }
  });

  it('a new spool never reuses the name of a file left by a previous process', async () => {
    const dir = spoolDir();
    const a = await (await createFileSpool(dir)).save(result('1'));
    const b = await (await createFileSpool(dir)).save(result('2'));
    expect(b > a).toBe(true);
    expect((await (await createFileSpool(dir)).load()).entries.map((e) => e.result.scheduledAt)).toEqual(['1', '2']);
  });
});
