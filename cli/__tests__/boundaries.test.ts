import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

/** DESIGN.md §4 "may import": the ESLint config must refuse imports across forbidden folders. */
// The sample files below do not exist, so the type-aware rules (which need the TypeScript project) are off here:
// only the import rules are under test.
const eslint = new ESLint({
  cwd: new URL('../../', import.meta.url).pathname,
  overrideConfig: [
    {
      files: ['**/*.ts'],
      languageOptions: { parserOptions: { projectService: false } },
      rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off', '@typescript-eslint/switch-exhaustiveness-check': 'off' },
    },
  ],
});

async function errors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  if (!result) throw new Error('ESLint returned no result for one text');
  return result.messages.filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('folder boundaries (ESLint)', () => {
  it.each([
    ['core/x.ts', "import { a } from '../db/store.js';\nexport const b = a;\n", 'core/ may not import db/'],
    ['db/x.ts', "import { a } from '../probes/runner.js';\nexport const b = a;\n", 'db/ may not import probes/'],
    ['probes/x.ts', "import { a } from '../db/store.js';\nexport const b = a;\n", 'probes/ may not import db/'],
    ['sandbox/x.ts', "import { a } from '../core/uai.js';\nexport const b = a;\n", 'sandbox/ may not import core/'],
    ['collector/x.ts', "import { a } from '../probes/runner.js';\nexport const b = a;\n", 'collector/ may not import probes/'],
    ['collector/x.ts', "import { a } from '../cli/start.js';\nexport const b = a;\n", 'collector/ may not import cli/'],
    ['engine/x.ts', "import { a } from '../probes/runner.js';\nexport const b = a;\n", 'engine/ may not import probes/'],
    ['engine/x.ts', "import { a } from '../collector/app.js';\nexport const b = a;\n", 'engine/ may not import collector/'],
    ['db/x.ts', "import { a } from '../engine/index.js';\nexport const b = a;\n", 'db/ may not import engine/'],
    // The SLA computation is engine/'s: cli/ parses arguments and prints (issue 7).
    ['cli/x.ts', "import { computeClauseReport } from '../core/sla/index.js';\nexport const b = computeClauseReport;\n", 'cli/ computes no SLA figure'],
    ['cli/x.ts', "import { countedIntervals } from '../core/calendar/clause-calendar.js';\nexport const b = countedIntervals;\n", 'cli/ computes no SLA figure'],
    ['cli/x.ts', "import { computeSlaReport } from '../engine/sla-report.js';\nexport const b = computeSlaReport;\n", 'engine/index.js'],
    ['collector/x.ts', "import { loadSeries } from '../engine/load-series.js';\nexport const b = loadSeries;\n", 'engine/index.js'],
    ['core/x.ts', "import { readFileSync } from 'node:fs';\nexport const b = readFileSync;\n", 'core/ is pure'],
  ])('%s: %s is refused', async (file, code, message) => {
    expect((await errors(file, code)).join('\n')).toContain(message);
  });

  it('refuses env and clock reads in core', async () => {
    const found = await errors('core/x.ts', 'export const a = process.env.X;\nexport const b = Date.now();\n');
    expect(found.join('\n')).toMatch(/reads no env/);
    expect(found.join('\n')).toMatch(/no clock/);
  });

  it.each([
    ['collector/x.ts', "import { a } from '../db/store.js';\nexport const b = a;\n"],
    ['cli/x.ts', "import { a } from '../probes/runner.js';\nexport const b = a;\n"],
    ['probes/x.ts', "import { a } from '../core/uai.js';\nexport const b = a;\n"],
    ['collector/x.ts', "import { createEngine } from '../engine/index.js';\nexport const b = createEngine;\n"],
    ['engine/x.ts', "import { createStore } from '../db/index.js';\nexport const b = createStore;\n"],
    ['cli/x.ts', "import { createEngine } from '../engine/index.js';\nexport const b = createEngine;\n"],
  ])('%s may import what DESIGN.md allows', async (file, code) => {
    expect(await errors(file, code)).toEqual([]);
  });
});

describe('cli/ holds no SLA computation', () => {
  it('no file of cli/ imports core/sla, core/calendar or an engine internal (the lint rule above, on the real files)', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = new URL('../', import.meta.url).pathname;
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    const offending = files.filter((f) => /from '\.\.\/(core\/(sla|calendar)\/|engine\/(?!index\.js))/.test(readFileSync(`${dir}${f}`, 'utf8')));
    expect(offending).toEqual([]);
    // And the SLA service really is gone from cli/.
    expect(files.filter((f) => /^sla-(service|calendars|period|output|scope)\.ts$/.test(f))).toEqual([]);
  });
});

describe('type-aware lint rules (issue 7)', () => {
  // Linted as the text of a real file of the project, so that the TypeScript program knows it.
  const typed = new ESLint({ cwd: new URL('../../', import.meta.url).pathname });
  const lint = async (code: string) => {
    const [result] = await typed.lintText(code, { filePath: 'core/errors.ts' });
    return (result?.messages ?? []).map((m) => m.ruleId);
  };
  it('refuses a floating promise, an async callback where void is expected, and a switch missing a case', async () => {
    expect(await lint('export async function f(): Promise<number> { return 1; }\nf();\n')).toContain('@typescript-eslint/no-floating-promises');
    expect(await lint("export function g(fn: () => void): void { fn(); }\ng(async () => { await Promise.resolve(); });\n")).toContain('@typescript-eslint/no-misused-promises');
    expect(await lint("export function h(s: 'a' | 'b'): number {\n  switch (s) {\n    case 'a':\n      return 1;\n  }\n  return 0;\n}\n")).toContain('@typescript-eslint/switch-exhaustiveness-check');
  }, 60_000);
});
