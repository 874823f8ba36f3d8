import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { BUILT_IN_JOURNEYS, BUILT_IN_JOURNEY_STEPS, LOGIN_OPEN_STEP, builtInJourneySteps } from '../builtin-journeys.js';

/**
 * core/config/builtin-journeys.ts repeats the step names of probes/journeys (core may not import probes): this reads
 * those sources and fails when a journey gains, loses or renames a step the table does not know.
 */
const dir = new URL('../../../probes/journeys/', import.meta.url);
const source = (file: string) => readFileSync(new URL(file, dir), 'utf8');

/** Literal names given to ctx.step / ctx.check / ctx.cleanup, and the members of a `type PageKey = '…' | …` union. */
function literalSteps(text: string): string[] {
  const names = [...text.matchAll(/ctx\.(?:step|check|cleanup)\(\s*'([^']+)'/g)].map((m) => m[1]!);
  const pageKeys = /type PageKey = ([^;]+);/.exec(text)?.[1];
  if (pageKeys) names.push(...[...pageKeys.matchAll(/'([^']+)'/g)].map((m) => m[1]!));
  return [...new Set(names)].sort();
}

describe('built-in journey steps (mirror of probes/journeys)', () => {
  it('lists the built-in journeys of probes/journeys', () => {
    const ids = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [...source(f).matchAll(/journey\('([a-z-]+)'/g)].map((m) => m[1]!));
    expect(ids.sort()).toEqual([...BUILT_IN_JOURNEYS].sort());
  });

  it.each(BUILT_IN_JOURNEYS.map((id) => [id]))('%s: the fixed steps are the literal ones of its source', (id) => {
    expect([...BUILT_IN_JOURNEY_STEPS[id].fixed].sort()).toEqual(literalSteps(source(`${id}.ts`)));
  });

  it('login chains: open-ent then each stage, with the prefix the journey gives', () => {
    const chain = source('login-chain.ts');
    expect(chain).toContain(`ctx.step(\`\${prefix}${LOGIN_OPEN_STEP}\``);
    expect(chain).toContain('`${prefix}${stage.name}`');
    for (const id of BUILT_IN_JOURNEYS) {
      const calls = [...source(`${id}.ts`).matchAll(/loginAs\(ctx, [^)]*?(?:\{ prefix: '([^']*)' \})?\)/g)].map((m) => m[1] ?? '');
      expect(calls, id).toEqual([...BUILT_IN_JOURNEY_STEPS[id].loginPrefixes]);
    }
  });

  it('gives every step name of a journey for given stage names', () => {
    expect(builtInJourneySteps('login', ['wayf', 'landing'])).toEqual(['open-ent', 'wayf', 'landing']);
    expect(builtInJourneySteps('roll-call', ['landing'])).toEqual([
      'open-ent', 'landing', 'open-timetable', 'open-lesson', 'check-roster', 'repair-sheet', 'mark-absent', 'validate', 'verify-saved', 'parent:absence', 'restore',
      'parent:open-ent', 'parent:landing',
    ]);
  });
});
