import { createReadStream, createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { MONTH_FROM, replayConfig, writeReplay } from '../../cli/__tests__/replay-fixture.js';
import { builtInJourneys } from '../../probes/journeys/index.js';

/** The files of one replay: the JSONL of runs, the vigie.yml (JSON is valid YAML) and the line count. */
export interface ReplayFiles {
  runsFile: string;
  configFile: string;
  lines: number;
  tenants: number;
  journeys: string[];
  days: number;
}

const DAY_MS = 24 * 3600_000;

/**
 * Writes the replay of issue 4's acceptance test (cli/__tests__/replay-fixture.ts: a month of 5-minute runs from
 * 2026-10-01 Paris, runs and failed steps only, outages, errors, missing slots, pauses) into `dir`, for the first
 * `journeys` built-in journeys × `tenants` tenants. With `days` < 31 the month is cut to its first `days` × 24 h
 * (the fixture only writes whole months, so the cut is a filter over its output).
 */
export async function writeReplayFiles(dir: string, opts: { tenants: number; journeys: number; days: number }): Promise<ReplayFiles> {
  const journeys = Object.keys(builtInJourneys).slice(0, opts.journeys);
  if (journeys.length < opts.journeys) throw new Error(`--journeys: at most ${Object.keys(builtInJourneys).length} (the built-in journeys)`);
  const configFile = join(dir, 'vigie.yml');
  writeFileSync(configFile, JSON.stringify(replayConfig({ tenants: opts.tenants, journeys })));
  const runsFile = join(dir, 'runs.jsonl');
  if (opts.days >= 31) {
    const { lines } = await writeReplay(runsFile, { tenants: opts.tenants, journeys });
    return { runsFile, configFile, lines, tenants: opts.tenants, journeys, days: 31 };
  }
  const full = join(dir, 'month.jsonl');
  await writeReplay(full, { tenants: opts.tenants, journeys });
  // scheduledAt is an ISO string in UTC ('…Z'), so a string comparison orders instants.
  const cut = new Date(MONTH_FROM + opts.days * DAY_MS).toISOString();
  const out = createWriteStream(runsFile);
  let lines = 0;
  for await (const line of createInterface({ input: createReadStream(full, 'utf8'), crlfDelay: Infinity })) {
    const at = /"scheduledAt":"([^"]+)"/.exec(line)?.[1];
    if (at === undefined || at >= cut) continue;
    lines += 1;
    if (!out.write(`${line}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  return { runsFile, configFile, lines, tenants: opts.tenants, journeys, days: opts.days };
}
