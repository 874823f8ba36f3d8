import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints the slowest test files at the end of a run (issue 9 item 7: keep `npm test` under 8 minutes on an idle
 * machine as the suite grows): the ten longest, with their project and share of the summed file time. A file's time
 * is vitest's own (`diagnostic().duration`: collection and tests, setup included).
 */
export default class SlowestFiles implements Reporter {
  constructor(private readonly count = 10) {}

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const rows = modules.map((m) => ({ file: m.relativeModuleId, project: m.project.name, ms: m.diagnostic().duration })).sort((a, b) => b.ms - a.ms);
    if (rows.length === 0) return;
    const total = rows.reduce((s, r) => s + r.ms, 0);
    const lines = rows.slice(0, this.count).map((r) => `  ${(r.ms / 1000).toFixed(1).padStart(6)} s  ${(total > 0 ? ((r.ms / total) * 100).toFixed(0) : '-').padStart(3)} %  ${r.project.padEnd(11)} ${r.file}`);
    process.stdout.write(`\nFichiers les plus lents / slowest files (${rows.length} fichiers, ${(total / 1000).toFixed(0)} s cumulées / summed):\n${lines.join('\n')}\n`);
  }
}
