import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { createPgDb } from '../../db/pg-db.js';
import { createStore } from '../../db/store.js';
import { createEngine, createEngineThread, createSources, loadSeries, parseJson, schedulesOf, type SlaReport } from '../../engine/index.js';
import { chunkSchedules } from '../../engine/load-series.js';

/**
 * One measured stage of `bench/engine-sla.ts`, in a process of its own so that its peak memory (max RSS) is its own:
 * `node --import tsx bench/engine-sla/stage.ts <stage> <database url> <from ISO> <to ISO>`. Prints one JSON line:
 * `{ stage, seconds, rows, maxRssMiB, … }`.
 *
 * - `floor`: `count(*)` of the period's scheduled runs, in SQL (what any computation must at least read);
 * - `read`: the engine's store read alone: every schedule's runs through `runs.listScheduled`, chunk by chunk;
 * - `series`: read + each series' slot states (`loadSeries`), windows applied (none here);
 * - `report`: the whole SLA report of the month through `createEngine` (read, series, every clause's figures,
 *   episodes, gaps, latency, penalties), stringified as the API sends it;
 * - `thread`: the same through `createEngineThread` (a worker thread with its own pool), as `vigie start` runs it.
 */
const [stage, url, from, to] = process.argv.slice(2);
if (!stage || !url || !from || !to) throw new Error('usage: stage.ts <floor|read|series|report|thread> <url> <from> <to>');
const NOW = new Date(Date.parse(to) + 86_400_000);
const query = { contract: 'region', month: '2026-10' };

const db = createPgDb(url, { max: 2, applicationName: 'vigie-bench-engine' });
const store = createStore(db);
const t0 = performance.now();
let rows = 0;
let extra: Record<string, unknown> = {};
try {
  if (stage === 'floor') {
    const r = await db.query<{ n: string }>(`SELECT count(*) AS n FROM runs WHERE trigger = 'scheduled' AND scheduled_at >= $1 AND scheduled_at < $2`, [from, to]);
    rows = Number(r.rows[0]!.n);
  } else if (stage === 'read') {
    const sources = createSources(store);
    const schedules = schedulesOf(await sources.revisions.inForce(Date.parse(from), Date.parse(to)));
    const lead = Math.max(...schedules.map((s) => s.maxSlotMs));
    for (const chunk of chunkSchedules(schedules, Date.parse(from) - lead, Date.parse(to))) {
      rows += (await store.runs.listScheduled(chunk.map((s) => s.scheduleId), new Date(Date.parse(from) - lead), new Date(to))).length;
    }
  } else if (stage === 'series') {
    const loaded = await loadSeries(createSources(store), { from: Date.parse(from), to: Date.parse(to), now: NOW.getTime() });
    let slots = 0;
    for await (const s of loaded.series()) {
      rows += s.runs.length;
      slots += s.base.slots.length;
    }
    extra = { slots };
  } else if (stage === 'report' || stage === 'thread') {
    const engine = stage === 'report' ? createEngine(store, { clock: () => NOW }) : createEngineThread({ db: { kind: 'postgres', url }, clock: () => NOW, logger: pino({ level: 'silent' }) });
    const text = await engine.slaReport(query);
    await engine.close();
    const report = parseJson<SlaReport>(text);
    extra = {
      jsonMiB: Math.round(((typeof text === 'string' ? Buffer.byteLength(text) : text.byteLength) / 2 ** 20) * 10) / 10,
      clauses: report.clauses.map((c) => ({ id: c.id, series: c.series.length, availabilityPercent: c.raw.figures.availabilityPercent, coveragePercent: c.raw.figures.coveragePercent, episodes: c.episodes.length, dataGaps: c.dataGaps.length, penalty: c.penalties?.total ?? null })),
    };
  } else throw new Error(`unknown stage ${stage}`);
} finally {
  await store.close();
}
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ stage, seconds, rows, maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024), ...extra }));
