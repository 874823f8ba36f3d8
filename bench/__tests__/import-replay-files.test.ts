import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeReplayFiles } from '../import-replay/replay-files.js';

describe('import-replay: replay files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-bench-replay-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('cuts the month to its first N days, counts the lines it kept, and writes a config with every schedule', async () => {
    const files = await writeReplayFiles(dir, { tenants: 2, journeys: 2, days: 2 });
    const lines = readFileSync(files.runsFile, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(files.lines);
    const times = lines.map((l) => Date.parse((JSON.parse(l) as { scheduledAt: string }).scheduledAt));
    // 2026-10-01 00:00 Paris = 2026-09-30T22:00Z; two days later = 2026-10-02T22:00Z.
    expect(Math.max(...times)).toBeLessThan(Date.UTC(2026, 9, 2, 22, 0));
    expect(Math.max(...times)).toBeGreaterThanOrEqual(Date.UTC(2026, 9, 2, 21, 0));
    // 4 series × 576 slots, less the missing and paused ones.
    expect(files.lines).toBeGreaterThan(4 * 576 * 0.8);
    expect(files.lines).toBeLessThanOrEqual(4 * 576);
    const config = JSON.parse(readFileSync(files.configFile, 'utf8')) as { schedules: unknown[] };
    expect(config.schedules).toHaveLength(4);
  });
});
