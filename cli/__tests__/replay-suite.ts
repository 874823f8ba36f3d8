import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDb } from '../../db/pg-db.js';
import { createStore } from '../../db/store.js';
import { expectedFigures, replayConfig, writeReplay, type Expected } from './replay-fixture.js';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const BASE = process.env.VIGIE_TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

interface SumsJson {
  countedMinutes: number;
  upMinutes: number;
  downMinutes: number;
  unknownMinutes: number;
  notMonitoredMinutes: number;
  byState: Record<string, number>;
}
interface ClauseJson {
  id: string;
  raw: { sums: SumsJson; figures: { availabilityPercent: number | null; coveragePercent: number | null } };
  corrected: { sums: SumsJson };
  calendarMissing: string[];
  tenants: { probed: string[] };
  schedule: Record<string, number | null>;
}

/**
 * The replay acceptance test (issue 4): a generated month of 5-minute runs → `vigie import` (child process, into a
 * database of its own on the local PostgreSQL) → operator pauses stored → `vigie sla --format json`, compared with the
 * figures computed in the test from the generated data (replay-fixture.ts, not through core/sla).
 */
export function describeReplay(tenants: number, journeys: readonly string[] = ['login', 'logout']): void {
  describe(`replay: a month of 5-minute runs, ${journeys.length} journeys × ${tenants} tenants`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-replay-'));
    const dbName = `vigie_replay_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const url = BASE.replace(/\/[^/]*$/, `/${dbName}`);
    const env = { ...process.env, DATABASE_URL: url, VIGIE_LOG_LEVEL: 'silent' };
    const vigie = (...args: string[]) => run(process.execPath, ['bin/vigie.mjs', ...args], { cwd: root, env, maxBuffer: 256 * 1024 * 1024 });
    const admin = createPgDb(BASE, { max: 1 });
    let generated: Awaited<ReturnType<typeof writeReplay>>;
    let expected: Record<'h24' | 'scolaire', Expected>;
    let importMs = 0;

    beforeAll(async () => {
      await admin.query(`CREATE DATABASE ${dbName}`);
      writeFileSync(join(dir, 'vigie.yml'), JSON.stringify(replayConfig({ tenants, journeys })));
      generated = await writeReplay(join(dir, 'runs.jsonl'), { tenants, journeys });
      expected = { h24: expectedFigures(generated.outcomes, 'h24'), scolaire: expectedFigures(generated.outcomes, 'scolaire') };
    });
    afterAll(async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
      await admin.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('imports every line, then stores the pauses', async () => {
      const t0 = Date.now();
      const res = await vigie('import', join(dir, 'runs.jsonl'), '--config', join(dir, 'vigie.yml'));
      importMs = Date.now() - t0;
      expect(res.stdout).toContain(`${generated.lines} insérées (inserted), 0 déjà présentes (duplicates), 0 lignes rejetées`);
      const db = createPgDb(url, { max: 1 });
      const store = createStore(db);
      try {
        for (const p of generated.pauses) {
          await store.pauses.pause(p.scheduleId, new Date(p.start), 'replay');
          await store.pauses.resume(p.scheduleId, new Date(p.end), 'replay');
        }
      } finally {
        await store.close();
      }
      console.info(`replay import: ${generated.lines} runs in ${importMs} ms`);
    });

    it('vigie sla gives the availability, coverage and minutes by state computed from the JSONL', async () => {
      const res = await vigie('sla', '--contract', 'replay', '--month', '2026-10', '--format', 'json');
      const report = JSON.parse(res.stdout) as { clauses: ClauseJson[] };
      for (const id of ['h24', 'scolaire'] as const) {
        const clause = report.clauses.find((c) => c.id === id)!;
        const exp = expected[id];
        const sums = clause.raw.sums;
        // The generated month puts every slot state in the clause, so each count below is a real check.
        for (const state of ['up', 'degraded', 'down', 'error', 'missed', 'paused']) expect(exp.byState[state] ?? 0, `${id} ${state} generated`).toBeGreaterThan(0);
        expect(sums.notMonitoredMinutes, id).toBe(0);
        expect({ counted: sums.countedMinutes, up: sums.upMinutes, down: sums.downMinutes, unknown: sums.unknownMinutes }, id).toEqual({ counted: exp.counted, up: exp.up, down: exp.down, unknown: exp.unknown });
        for (const state of ['up', 'degraded', 'down', 'error', 'missed', 'paused']) expect(sums.byState[state] ?? 0, `${id} ${state}`).toBe(exp.byState[state] ?? 0);
        // Published percentages carry 4 decimals (cli/sla-output.ts round4).
        expect(clause.raw.figures.availabilityPercent!).toBeCloseTo(exp.availability!, 4);
        expect(clause.raw.figures.coveragePercent!).toBeCloseTo(exp.coverage!, 4);
        expect(clause.corrected.sums.countedMinutes).toBe(exp.counted);
        expect(clause.calendarMissing).toEqual([]);
        expect(clause.tenants.probed.length).toBe(tenants);
        // Schedule adherence counts the slots of the clause's counted minutes (one location per schedule here).
        expect(clause.schedule, id).toMatchObject(exp.schedule);
      }
      // The 24/7 month of October 2026 lasts 44 700 minutes per series (25 October has 25 hours).
      expect(expected.h24.counted).toBe(44_700 * tenants * journeys.length);
    });

    it('re-importing the same file inserts nothing', async () => {
      const res = await vigie('import', join(dir, 'runs.jsonl'), '--config', join(dir, 'vigie.yml'));
      expect(res.stdout).toContain(`0 insérées (inserted), ${generated.lines} déjà présentes (duplicates)`);
      const db = createPgDb(url, { max: 1 });
      try {
        const { rows } = await db.query<{ n: unknown; revs: unknown }>('SELECT (SELECT count(*) FROM runs) AS n, (SELECT count(*) FROM config_revisions) AS revs');
        expect(Number(rows[0]?.n)).toBe(generated.lines);
        expect(Number(rows[0]?.revs)).toBe(1);
      } finally {
        await db.close();
      }
    });
  });
}
