import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../core/run-types.js';
import type { Db } from '../db.js';
import { createPgDb } from '../pg-db.js';
import { createPgliteDb } from '../pglite-db.js';
import { createStore, type Store } from '../store.js';
import { makeRun, unique } from './run-fixture.js';

/**
 * `vigie import` is all-or-nothing per file (issue 8 item 3): `store.runs.importFile` writes the revision, every
 * batch and the audit entry in one transaction, on PGlite and on the local PostgreSQL 15 (a schema of its own,
 * dropped afterwards). A revision of an import is marked imported (migration 004), and the windows it brings count
 * as announced at the import's time, not at its first slot.
 */
const URL = process.env.VIGIE_TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const schema = `vigie_import_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
let admin: Db;
beforeAll(async () => {
  admin = createPgDb(URL, { max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
});
afterAll(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.close();
});

const IMPORTED_AT = new Date('2026-12-02T05:00:00Z');
const slot = (i: number) => new Date(Date.parse('2026-10-05T06:00:00Z') + i * 300_000).toISOString();
const window = { id: 'w', kind: 'one-off', start: '2026-10-06T08:00', end: '2026-10-06T09:00', mode: 'exclude' };

function describeImportFile(name: string, makeDb: () => Db | Promise<Db>) {
  describe(name, () => {
    let store: Store;
    beforeAll(async () => {
      store = createStore(await makeDb());
      await store.migrate();
    });
    afterAll(async () => store?.close());

    const counts = async (scheduleId: string) => ({
      runs: (await store.runs.list({ schedule: scheduleId, limit: 500 })).runs.length,
      revisions: (await store.revisions.latest())?.id ?? 0,
      audit: (await store.audit.list({ action: 'runs.import', limit: 1000 })).length,
    });
    const file = (scheduleId: string, batches: RunResult[][], snapshot: object = { schedules: [{ id: scheduleId }] }) => ({
      revision: { snapshot, createdAt: new Date(slot(0)), imported: { at: IMPORTED_AT, by: 'alice' } },
      batches: (async function* () {
        yield* batches;
      })(),
      audit: { at: IMPORTED_AT, actor: 'alice', subject: 'runs.jsonl', details: { lines: batches.flat().length } },
    });
    const runs = (scheduleId: string, from: number, n: number) => Array.from({ length: n }, (_, i) => makeRun({ scheduleId, scheduledAt: slot(from + i), startedAt: slot(from + i) }));

    it('stores revision (marked imported by its author), runs and audit entry together; re-import reuses the revision', async () => {
      const id = unique('import-ok');
      const out = await store.runs.importFile(file(id, [runs(id, 0, 3), runs(id, 3, 2)]));
      expect(out).toMatchObject({ inserted: 5, duplicates: 0, revisionReused: false });
      const revision = await store.revisions.get(out.revisionId);
      expect(revision).toMatchObject({ createdAt: slot(0), imported: { at: IMPORTED_AT.toISOString(), by: 'alice' } });
      const [entry] = await store.audit.list({ action: 'runs.import', limit: 1 });
      expect(entry).toMatchObject({ actor: 'alice', subject: 'runs.jsonl', details: { lines: 5, inserted: 5, duplicates: 0, revisionId: out.revisionId } });
      const again = await store.runs.importFile(file(id, [runs(id, 0, 5)]));
      expect(again).toMatchObject({ inserted: 0, duplicates: 5, revisionReused: true, revisionId: out.revisionId });
      const plain = await store.revisions.save({ schedules: [] }, new Date('2026-10-01T00:00:00Z'));
      expect((await store.revisions.get(plain.id))?.imported).toBeNull();
    });

    it('stores nothing of the file when a batch fails after others were written: no run, no revision, no audit entry', async () => {
      const id = unique('import-fail');
      const before = await counts(id);
      const failing = {
        ...file(id, []),
        batches: (async function* () {
          yield runs(id, 0, 3);
          yield runs(id, 3, 3);
          throw new Error('disk gone while reading line 7');
        })(),
      };
      await expect(store.runs.importFile(failing)).rejects.toThrow('disk gone');
      // A batch the run schema refuses (the store's own check: a NUL the import line reader would have named).
      const nul = file(id, [runs(id, 0, 2), [makeRun({ scheduleId: id, scheduledAt: slot(9), reason: 'a\u0000b' })]]);
      await expect(store.runs.importFile(nul)).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/runs\[0\]\.reason: .*NUL/) });
      expect(await counts(id)).toEqual(before);
    });

    it('refuses to date a revision before 2000 (nothing back-dates one to 1900)', async () => {
      await expect(store.revisions.save({}, new Date('1900-01-01T00:00:00Z'))).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/before 2000/) });
      const f = file(unique('old'), []);
      await expect(store.runs.importFile({ ...f, revision: { ...f.revision, createdAt: new Date('1999-10-05T06:00:00Z') } })).rejects.toMatchObject({ code: 'VALIDATION' });
    });

    it("announces an imported revision's windows at the import time; its tenants and schedules date back to its first slot", async () => {
      const contract = unique('contract');
      const id = unique('sched');
      const snapshot = { tenants: [{ uai: id }], schedules: [{ id }], contracts: [{ id: contract, maintenance: [window] }] };
      await store.runs.importFile(file(id, [runs(id, 0, 1)], snapshot));
      const seen = await store.revisions.firstSeenTimes();
      expect(seen.schedules.get(id)).toBe(Date.parse(slot(0)));
      expect(seen.tenants.get(id)).toBe(Date.parse(slot(0)));
      const key = [...seen.windows.keys()].find((k) => k.startsWith(`${contract}\u0000`));
      expect(seen.windows.get(key!)).toBe(IMPORTED_AT.getTime());
    });
  });
}

describeImportFile('PGlite in a worker thread (in memory)', () => createPgliteDb());
describeImportFile('PostgreSQL 15 (pg pool)', () => createPgDb(URL, { schema, max: 2 }));
