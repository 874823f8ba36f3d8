import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVigieError } from '../../core/errors.js';
import { sqlStateOf, type Db } from '../db.js';
import { migrate, readMigrations } from '../migrate.js';
import { createStore, type Store } from '../store.js';
import { describeRunQueries } from './run-queries-conformance.js';
import { describePauses } from './pauses-conformance.js';
import { describeSlaStorage } from './sla-storage-conformance.js';
import { makeAttempt, makeRun, makeStep, unique } from './run-fixture.js';

/**
 * The one suite every {@link Db} adapter passes (CONVENTIONS.md "Ports and adapters"). `makeDb` is called once per
 * suite and must return a Db on an empty database (or schema); tests share it and keep apart through unique
 * schedule, tenant and journey names.
 */
export function describeStoreConformance(name: string, makeDb: () => Promise<Db>): void {
  describe(`store conformance: ${name}`, () => {
    const ctx = {} as { db: Db; store: Store };
    let firstMigration: { applied: string[] };

    beforeAll(async () => {
      ctx.db = await makeDb();
      ctx.store = createStore(ctx.db);
      firstMigration = await ctx.store.migrate();
    });
    afterAll(async () => {
      await ctx.store?.close();
    });

    describe('Db executor', () => {
      it('runs a parameterless multi-statement script and returns the last rows', async () => {
        const { rows } = await ctx.db.query<{ b: number }>('SELECT 1 AS a; SELECT 2 AS b');
        expect(rows).toEqual([{ b: 2 }]);
      });

      it('commits, rolls back on throw, and nests through savepoints', async () => {
        const table = unique('scratch').replace(/-/g, '_');
        await ctx.db.query(`CREATE TABLE ${table} (v int)`);
        await ctx.db.transaction((tx) => tx.query(`INSERT INTO ${table} VALUES (1)`));
        await expect(
          ctx.db.transaction(async (tx) => {
            await tx.query(`INSERT INTO ${table} VALUES (2)`);
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        await ctx.db.transaction(async (tx) => {
          await tx.query(`INSERT INTO ${table} VALUES (3)`);
          await tx
            .transaction(async (inner) => {
              await inner.query(`INSERT INTO ${table} VALUES (4)`);
              throw new Error('inner');
            })
            .catch(() => undefined);
        });
        const { rows } = await ctx.db.query<{ v: number }>(`SELECT v FROM ${table} ORDER BY v`);
        expect(rows.map((r) => r.v)).toEqual([1, 3]);
        await ctx.db.query(`DROP TABLE ${table}`);
      });

      it('reports PostgreSQL errors with their SQLSTATE', async () => {
        const err = await ctx.db.query('SELECT * FROM no_such_table_here').catch((e: unknown) => e);
        expect(sqlStateOf(err)).toBe('42P01');
      });

      it('reports a database refusing writes as UNAVAILABLE, so callers retry later (F22)', async () => {
        const err = await ctx.db
          .transaction(async (tx) => {
            await tx.query('SET TRANSACTION READ ONLY');
            await tx.query('CREATE TABLE read_only_probe (v int)');
          })
          .catch((e: unknown) => e);
        expect(isVigieError(err, 'UNAVAILABLE')).toBe(true);
        expect(sqlStateOf((err as Error).cause)).toBe('25006');
      });
    });

    describe('migrations', () => {
      it('applies every file once, and a second run is a no-op', async () => {
        const names = readMigrations().map((m) => m.name);
        expect(names[0]).toBe('001-initial');
        expect(firstMigration.applied).toEqual(names);
        expect(await ctx.store.migrate()).toEqual({ applied: [] });
        const { rows } = await ctx.db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
        expect(rows.map((r) => r.name)).toEqual(names);
      });

      it('refuses an applied migration whose file was edited', async () => {
        const [first] = readMigrations();
        if (!first) throw new Error('no migration file');
        const edited = { ...first, sql: `${first.sql}\n-- edited`, sha256: 'f'.repeat(64) };
        const err = await migrate(ctx.db, [edited]).catch((e: unknown) => e);
        expect(isVigieError(err, 'INTERNAL')).toBe(true);
      });
    });

    describe('config revisions', () => {
      it('stores a dated snapshot with the hash of its canonical JSON', async () => {
        const createdAt = new Date('2025-11-14T12:59:00.000Z');
        const saved = await ctx.store.revisions.save({ tenants: [{ uai: '0670001A' }], a: { y: 2, x: 1 } }, createdAt);
        const canonical = '{"a":{"x":1,"y":2},"tenants":[{"uai":"0670001A"}]}';
        expect(saved.contentSha256).toBe(createHash('sha256').update(canonical).digest('hex'));
        const again = await ctx.store.revisions.save({ a: { x: 1, y: 2 }, tenants: [{ uai: '0670001A' }] }, createdAt);
        expect(again.id).toBeGreaterThan(saved.id); // one dated revision per start, even unchanged
        expect(again.contentSha256).toBe(saved.contentSha256);
        expect(await ctx.store.revisions.get(saved.id)).toEqual({
          id: saved.id,
          createdAt: '2025-11-14T12:59:00.000Z',
          contentSha256: saved.contentSha256,
          snapshot: { a: { x: 1, y: 2 }, tenants: [{ uai: '0670001A' }] },
          imported: null,
        });
        expect(await ctx.store.revisions.get(saved.id + 1000)).toBeNull();
      });
    });

    describe('insertRun', () => {
      it('stores a run with its attempts, steps and evidence, and reads them back', async () => {
        const revision = await ctx.store.revisions.save({ v: 1 }, new Date('2025-11-14T12:00:00Z'));
        const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255, 7]);
        const run = makeRun({
          scheduleId: unique('sched'),
          revisionId: revision.id,
          kind: undefined,
          attempts: [
            makeAttempt(1, {
              status: 'down',
              kind: 'http',
              reason: 'HTTP 502 on /login',
              steps: [
                makeStep(0),
                makeStep(1, { status: 'failed', error: { message: 'HTTP 502', kind: 'http', httpStatus: 502 } }),
              ],
              measures: { propagationMs: 10 },
              flags: ['dirtyStart'],
              evidence: {
                step: 'wayf',
                url: 'https://sso.sandbox.localhost/login',
                cookies: [{ name: 'CASTGC', domain: 'sso.sandbox.localhost' }],
                failures: [{ step: 'wayf', message: 'HTTP 502', kind: 'http' }],
                screenshotPng: png,
              },
            }),
            makeAttempt(2, { location: 'lycee-1', measures: { propagationMs: 20, saveMs: 5 }, flags: ['dirtyStart', 'x'] }),
          ],
        });
        const out = await ctx.store.runs.insert(run);
        expect(out.inserted).toBe(true);
        const detail = await ctx.store.runs.get(out.id!);
        expect(detail).toMatchObject({
          id: out.id,
          scheduleId: run.scheduleId,
          trigger: 'scheduled',
          scheduledAt: '2025-11-14T13:00:00.000Z',
          startedAt: '2025-11-14T13:00:00.120Z',
          revisionId: revision.id,
          status: 'up',
          kind: null,
          durationMs: 1235,
          flags: ['dirtyStart', 'x'],
          measures: { propagationMs: 20, saveMs: 5 },
          attemptsCount: 2,
        });
        expect(detail!.attempts.map((a) => [a.attempt, a.location, a.status, a.kind, a.steps.length])).toEqual([
          [1, 'local', 'down', 'http', 2],
          [2, 'lycee-1', 'up', null, 4],
        ]);
        expect(detail!.attempts[0]?.steps[1]).toEqual({
          index: 1,
          name: 'wayf',
          status: 'failed',
          soft: false,
          startedAt: '2025-11-14T13:00:01.000Z',
          durationMs: 200,
          thresholdMs: null,
          error: { message: 'HTTP 502', kind: 'http', httpStatus: 502 },
        });
        expect(detail!.attempts[0]?.evidence).toMatchObject({
          step: 'wayf',
          url: 'https://sso.sandbox.localhost/login',
          cookies: [{ name: 'CASTGC', domain: 'sso.sandbox.localhost' }],
          failures: [{ step: 'wayf', message: 'HTTP 502', kind: 'http' }],
          screenshotBytes: png.length,
        });
        expect(detail!.attempts[1]?.evidence).toBeNull();
        expect(JSON.stringify(detail)).not.toContain('screenshot"'); // no bytes in the detail
        const shot = await ctx.store.runs.screenshot(out.id!, 1);
        expect(shot).toBeInstanceOf(Uint8Array);
        expect(Array.from(shot!)).toEqual(Array.from(png));
        expect(await ctx.store.runs.screenshot(out.id!, 2)).toBeNull();
      });

      it('rejects a second result for a slot without writing any of it, and counts it', async () => {
        const scheduleId = unique('sched');
        const first = await ctx.store.runs.insert(makeRun({ scheduleId }));
        const before = ctx.store.runs.duplicateRejections();
        const second = await ctx.store.runs.insert(
          makeRun({ scheduleId, status: 'down', attempts: [makeAttempt(1, { status: 'down' }), makeAttempt(2)] }),
        );
        expect(second).toEqual({ inserted: false, id: null });
        expect(ctx.store.runs.duplicateRejections()).toBe(before + 1);
        const page = await ctx.store.runs.list({ schedule: scheduleId });
        expect(page.runs.map((r) => [r.id, r.status, r.attemptsCount])).toEqual([[first.id, 'up', 1]]);
        const counts = await ctx.db.query<{ attempts: unknown; steps: unknown }>(
          `SELECT (SELECT count(*) FROM attempts WHERE run_id = $1) AS attempts,
                  (SELECT count(*) FROM steps WHERE run_id = $1) AS steps`,
          [first.id],
        );
        expect(counts.rows.map((r) => [Number(r.attempts), Number(r.steps)])).toEqual([[1, 4]]);
        const rejections = await ctx.db.query<{ reason: string }>(
          'SELECT reason FROM ingest_rejections WHERE schedule_id = $1',
          [scheduleId],
        );
        expect(rejections.rows).toEqual([{ reason: 'duplicate' }]);
      });

      it('lets exactly one of several concurrent writers of a slot win', async () => {
        const scheduleId = unique('sched');
        const outcomes = await Promise.all([1, 2, 3].map(() => ctx.store.runs.insert(makeRun({ scheduleId }))));
        expect(outcomes.filter((o) => o.inserted)).toHaveLength(1);
        expect((await ctx.store.runs.list({ schedule: scheduleId })).runs).toHaveLength(1);
      });

      it('keys scheduled runs by location, and never rejects manual runs', async () => {
        const scheduleId = unique('sched');
        const outcomes = [
          await ctx.store.runs.insert(makeRun({ scheduleId })),
          await ctx.store.runs.insert(makeRun({ scheduleId, location: 'lycee-1' })),
          await ctx.store.runs.insert(makeRun({ scheduleId, trigger: 'manual' })),
          await ctx.store.runs.insert(makeRun({ scheduleId, trigger: 'manual' })),
        ];
        expect(outcomes.map((o) => o.inserted)).toEqual([true, true, true, true]);
      });

      it('writes nothing when any part of the run fails', async () => {
        const scheduleId = unique('sched');
        const bad = makeRun({
          scheduleId,
          // Two steps with one index: the run schema lets it through, the steps' primary key does not.
          attempts: [makeAttempt(1), makeAttempt(2, { steps: [makeStep(0), makeStep(0)] })],
        });
        const err = await ctx.store.runs.insert(bad).catch((e: unknown) => e);
        expect(sqlStateOf(err)).toBe('23505'); // unique violation on steps, after runs/attempts were written
        expect(await ctx.store.runs.has(scheduleId, 'local', new Date(bad.scheduledAt))).toBe(false);
        const orphans = await ctx.db.query(
          `SELECT 1 FROM attempts a WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = a.run_id)`,
        );
        expect(orphans.rows).toHaveLength(0);
      });

      it('refuses a run with an instant that does not parse', async () => {
        const err = await ctx.store.runs.insert(makeRun({ scheduledAt: 'yesterday' })).catch((e: unknown) => e);
        expect(isVigieError(err, 'VALIDATION')).toBe(true);
      });

      it('checks every run with the one run schema, naming the field, before any SQL', async () => {
        const scheduleId = unique('schema');
        const bad = makeRun({ scheduleId, attempts: [makeAttempt(1, { steps: [makeStep(0, { status: 'bogus' as 'passed' })] })] });
        const err = await ctx.store.runs.insert(bad).catch((e: unknown) => e);
        expect(isVigieError(err, 'VALIDATION')).toBe(true);
        expect((err as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(['attempts[0].steps[0].status']);
        const batch = await ctx.store.runs.insertBatch([makeRun({ scheduleId }), makeRun({ scheduleId, startedAt: '2026-10-05T08:00:00' })]).catch((e: unknown) => e);
        expect((batch as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(['runs[1].startedAt']);
        expect(await ctx.store.runs.has(scheduleId, 'local', new Date(bad.scheduledAt))).toBe(false);
      });

      it('answers hasRun for scheduled slots only', async () => {
        const scheduleId = unique('sched');
        await ctx.store.runs.insert(makeRun({ scheduleId }));
        await ctx.store.runs.insert(makeRun({ scheduleId, trigger: 'manual', location: 'lycee-1' }));
        const at = new Date('2025-11-14T13:00:00.000Z');
        expect(await ctx.store.runs.has(scheduleId, 'local', at)).toBe(true);
        expect(await ctx.store.runs.has(scheduleId, 'local', new Date(at.getTime() + 60_000))).toBe(false);
        expect(await ctx.store.runs.has(scheduleId, 'lycee-1', at)).toBe(false);
      });

      it('returns null for an unknown run or screenshot', async () => {
        expect(await ctx.store.runs.get(2_000_000_000)).toBeNull();
        expect(await ctx.store.runs.screenshot(2_000_000_000, 1)).toBeNull();
      });
    });

    describeRunQueries(ctx);
    describePauses(ctx);
    describeSlaStorage(ctx);
  });
}
