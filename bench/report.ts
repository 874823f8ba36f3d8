import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { migrate } from '../db/migrate.js';
import { createPgDb } from '../db/pg-db.js';
import { createStore } from '../db/index.js';
import { createEngine, parseJson, type SlaReport } from '../engine/index.js';
import { buildReportModel, renderHtml, renderPdf } from '../reports/index.js';
import type { BenchOptions, BenchReport, Benchmark } from './benchmark.js';
import { createDataSet } from './engine-sla/setup.js';
import { periodOf } from './sla-sql/generate.js';
import { formatTable } from './stats.js';
import { withDatabase } from './standalone.js';

/**
 * Benchmark `report` (issue 11): the region report of 50 lycées × 4 journeys of 5-minute runs for October 2026
 * (bench/engine-sla's deterministic month in a private database on the local PostgreSQL, dropped at the end), stage
 * by stage — the SLA query (engine, by establishment and by day), the model, the HTML (ECharts SVG), the PDF (Chromium)
 * — with the PDF stage's share of the whole. Target: the whole under 60 s on this machine. Printed, never enforced.
 */
const ADMIN_URL = 'postgres://root@127.0.0.1:5432/test';
const TARGET_SECONDS = 60;
const STAGES = ['query', 'model', 'html', 'pdf'] as const;

export const benchmark: Benchmark = {
  name: 'report',
  description: 'the region report of 50 establishments × 4 journeys, one month of 5-minute runs: query, model, HTML, PDF (share of the PDF)',
  run: (o) => runReportBench({ tenants: 50, journeys: 4, rounds: o.runs === undefined ? 2 : Math.min(o.runs, 5) }, o),
};

export async function runReportBench(s: { tenants: number; journeys: number; rounds: number }, o: Pick<BenchOptions, 'progress'>): Promise<BenchReport> {
  const dbName = `vigie_bench_report_${randomBytes(4).toString('hex')}`;
  const admin = createPgDb(ADMIN_URL, { max: 1, applicationName: 'vigie-bench' });
  const url = withDatabase(ADMIN_URL, dbName);
  try {
    await admin.query(`CREATE DATABASE ${dbName}`);
    const db = createPgDb(url, { max: 4, applicationName: 'vigie-bench' });
    try {
      await migrate(db);
      const period = await periodOf(db, { fromDate: '2026-10-01', days: 31, timeZone: 'Europe/Paris' });
      const setup = await createDataSet(db, period, s.tenants, s.journeys, o.progress);
      const engine = createEngine(createStore(db), { clock: () => new Date('2026-11-02T06:00:00Z') });
      const rounds: Record<(typeof STAGES)[number], number>[] = [];
      for (let round = 1; round <= s.rounds; round++) {
        o.progress(`report: round ${round}/${s.rounds}…`);
        const t: Partial<Record<(typeof STAGES)[number], number>> = {};
        let at = performance.now();
        const lap = (stage: (typeof STAGES)[number]) => {
          const now = performance.now();
          t[stage] = (now - at) / 1000;
          at = now;
        };
        const report = parseJson<SlaReport>(await engine.slaReport({ contract: 'region', month: '2026-10', by: 'tenant', daily: true }));
        lap('query');
        const model = buildReportModel({ report, previous: null, audience: 'region', lang: 'fr', vigieVersion: 'bench' });
        lap('model');
        const html = renderHtml(model);
        lap('html');
        await renderPdf(html, model, { chromiumPath: process.env.VIGIE_CHROMIUM ?? '/usr/bin/chromium' });
        lap('pdf');
        rounds.push(t as Record<(typeof STAGES)[number], number>);
      }
      await engine.close();
      const best = Object.fromEntries(STAGES.map((st) => [st, Math.min(...rounds.map((r) => r[st]))])) as Record<(typeof STAGES)[number], number>;
      const total = STAGES.reduce((a, st) => a + best[st], 0);
      const rows = STAGES.map((st) => [st, best[st].toFixed(2), `${((best[st] / total) * 100).toFixed(1)} %`]);
      const text = [
        `report: ${s.tenants} establishments × ${s.journeys} journeys, October 2026, 5-minute runs (${setup.rows} rows), best of ${s.rounds}`,
        formatTable(['stage', 'seconds', 'share'], [...rows, ['total', total.toFixed(2), '100 %']]),
        `PDF stage: ${((best.pdf / total) * 100).toFixed(1)} % of the whole; target: under ${TARGET_SECONDS} s — ${total < TARGET_SECONDS ? 'met' : 'MISSED'}`,
      ].join('\n');
      return { text, data: { config: s, rows: setup.rows, rounds, best, totalSeconds: total, targetSeconds: TARGET_SECONDS } };
    } finally {
      await db.close();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch((err: unknown) => o.progress(`could not drop ${dbName}: ${String(err)}`));
    await admin.close();
  }
}
