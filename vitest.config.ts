import { defineConfig } from 'vitest/config';
import SlowestFiles from './scripts/slowest-reporter.js';

/**
 * Test projects (CONVENTIONS.md "Tests"), run one group after the other (unit, integration, serial):
 * - unit: `*.test.ts`, no services, fully parallel;
 * - integration: `*.int.test.ts`, real PostgreSQL, PGlite, Chromium and the sandbox ENT; few files at once because
 *   the machine has 2 cores and each file may start its own Chromium;
 * - serial: `*.serial.test.ts`, tests that kill processes, start their own services or measure memory: one at a time;
 * - soak: `*.soak.test.ts`, full-length scenarios, only with `npm run test:soak` (VIGIE_SOAK=1).
 */
const soak = process.env.VIGIE_SOAK === '1';
const ignore = ['**/node_modules/**', '**/.vigie/**', 'dist/**'];

export default defineConfig({
  test: {
    // The default report, then the ten slowest files (scripts/slowest-reporter.ts).
    reporters: ['default', new SlowestFiles()],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: [...ignore, '**/*.int.test.ts', '**/*.serial.test.ts', '**/*.soak.test.ts'],
          testTimeout: 20_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude: ignore,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'serial',
          include: ['**/*.serial.test.ts'],
          exclude: ignore,
          testTimeout: 300_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
      ...(soak
        ? [{ test: { name: 'soak', include: ['**/*.soak.test.ts'], exclude: ignore, testTimeout: 4 * 3600_000, fileParallelism: false, sequence: { groupOrder: 3 } } }]
        : []),
    ],
  },
});
