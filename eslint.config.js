// ESLint flat config. The import rules enforce the "may import" column of DESIGN.md §4: each top-level folder may
// import only the folders listed there (and npm packages). core/ additionally may not touch I/O, env or the clock.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ALL = ['core', 'db', 'engine', 'probes', 'collector', 'alerts', 'reports', 'dashboards', 'sandbox', 'cli'];
/** folder → folders it may import (DESIGN.md §4). */
const MAY_IMPORT = {
  core: [],
  db: ['core'],
  engine: ['core', 'db'],
  probes: ['core'],
  collector: ['core', 'db', 'engine'],
  alerts: ['core', 'db', 'engine'],
  reports: ['core', 'db', 'engine'],
  sandbox: [],
  bench: ALL,
  cli: ALL,
};

/**
 * Imports refused beyond the folder rules: the SLA computation lives in engine/ (issue 7), so cli/ (argument parsing
 * and printing) may not reach core/sla or core/calendar, and the parts above the engine use its public index only.
 */
const ENGINE_INTERNALS = { group: ['../engine/*', '!../engine/index.js'], message: 'import engine/ through engine/index.js (its public API).' };
const EXTRA = {
  cli: [{ group: ['../core/sla/*', '../core/calendar/*'], message: 'cli/ computes no SLA figure: it asks engine/ (DESIGN.md §4, issue 7).' }, ENGINE_INTERNALS],
  collector: [ENGINE_INTERNALS],
  alerts: [ENGINE_INTERNALS],
  reports: [ENGINE_INTERNALS],
};

const boundaries = Object.entries(MAY_IMPORT).map(([folder, allowed]) => {
  const forbidden = ALL.filter((f) => f !== folder && !allowed.includes(f));
  const patterns = forbidden.flatMap((f) => [
    { group: [`../${f}/*`, `../../${f}/*`, `../../../${f}/*`, `../${f}`, `../../${f}`], message: `${folder}/ may not import ${f}/ (DESIGN.md §4).` },
  ]);
  patterns.push(...(EXTRA[folder] ?? []));
  if (folder === 'core') {
    patterns.push({ group: ['node:fs', 'node:fs/*', 'fs', 'node:child_process', 'node:net', 'node:http', 'pg', 'playwright-core', 'express'], message: 'core/ is pure: no I/O (DESIGN.md §4).' });
  }
  return {
    files: [`${folder}/**/*.ts`],
    ignores: [`${folder}/**/__tests__/**`],
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  };
});

export default tseslint.config(
  { ignores: ['node_modules/**', '.vigie/**', 'coverage/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  ...boundaries,
  {
    files: ['core/**/*.ts'],
    ignores: ['core/**/__tests__/**'],
    rules: {
      'no-restricted-globals': ['error', { name: 'process', message: 'core/ reads no env (DESIGN.md §4).' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'core/ has no clock: take `now` as an argument.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'core/ has no clock: take `now` as an argument.' },
      ],
    },
  },
  // Type-aware rules (issue 7): a promise nobody awaits loses its error; an async function where a callback's result is
  // ignored (an event handler, a setTimeout) does the same; a switch over a union must handle every member.
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  { files: ['**/*.mjs', '**/*.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } } },
  { files: ['cli/**/*.ts', 'bench/**/*.ts', 'sandbox/**/*.ts', 'scripts/**', '**/__tests__/**/*.ts'], rules: { 'no-console': 'off' } },
);
