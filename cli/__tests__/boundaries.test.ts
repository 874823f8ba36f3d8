import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

/** DESIGN.md §4 "may import": the ESLint config must refuse imports across forbidden folders. */
const eslint = new ESLint({ cwd: new URL('../../', import.meta.url).pathname });

async function errors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('folder boundaries (ESLint)', () => {
  it.each([
    ['core/x.ts', "import { a } from '../db/store.js';\nexport const b = a;\n", 'core/ may not import db/'],
    ['db/x.ts', "import { a } from '../probes/runner.js';\nexport const b = a;\n", 'db/ may not import probes/'],
    ['probes/x.ts', "import { a } from '../db/store.js';\nexport const b = a;\n", 'probes/ may not import db/'],
    ['sandbox/x.ts', "import { a } from '../core/uai.js';\nexport const b = a;\n", 'sandbox/ may not import core/'],
    ['collector/x.ts', "import { a } from '../probes/runner.js';\nexport const b = a;\n", 'collector/ may not import probes/'],
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
  ])('%s may import what DESIGN.md allows', async (file, code) => {
    expect(await errors(file, code)).toEqual([]);
  });
});
