import type { RunResult } from '../core/run-types.js';
import type { RunRepository } from './store.js';

/**
 * The result writer of a process that holds the store (`vigie start`, the collector's ingest): probes/result-sink.ts
 * `ResultWriter`, written here structurally (db/ may not import probes/). Contract, from that port: `write` resolves
 * once the result is durable, `{ duplicate: true }` when the slot already had a result (not an error); a database
 * outage rejects with VigieError `UNAVAILABLE` (db.ts classifies it), so the sink keeps the result and retries; any
 * other rejection (the run schema refused the result) means retrying would not help.
 */
export function createStoreResultWriter(runs: Pick<RunRepository, 'insert'>): { write(result: RunResult): Promise<{ duplicate: boolean }> } {
  return {
    async write(result) {
      const outcome = await runs.insert(result);
      return { duplicate: !outcome.inserted };
    },
  };
}
