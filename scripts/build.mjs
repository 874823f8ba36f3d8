#!/usr/bin/env node
// `npm run build` (and `prepare`, so `npm ci && npm start` runs compiled JavaScript): compiles the sources to dist/
// with tsconfig.build.json, copies what the compiled code reads beside it (migrations, worker entry points, the
// shipped school calendars), and stamps dist/build.json with the sources' state (bin/build-state.mjs). Without
// typescript installed (`npm ci --omit=dev`), it says so and leaves Vigie running from its sources through tsx.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT, sourceState } from '../bin/build-state.mjs';

let tsc;
try {
  tsc = createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
} catch {
  console.log('build: typescript absent — Vigie tournera depuis ses sources (tsx) / typescript missing: Vigie runs from its sources (tsx)');
  process.exit(0);
}
const before = sourceState();
const dist = join(ROOT, 'dist');
rmSync(dist, { recursive: true, force: true });
const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) {
  rmSync(dist, { recursive: true, force: true });
  console.error('build: échec de la compilation / compilation failed');
  process.exit(r.status ?? 1);
}
for (const path of ['db/migrations', 'db/pglite-worker.mjs', 'engine/thread/entry.mjs', 'data']) {
  if (existsSync(join(ROOT, path))) cpSync(join(ROOT, path), join(dist, path), { recursive: true });
}
// Stamped with the state read before compiling: a source edited meanwhile makes the build stale, never wrongly fresh.
writeFileSync(join(dist, 'build.json'), `${JSON.stringify({ builtAt: new Date().toISOString(), sources: before }, null, 2)}\n`);
console.log(`build: dist/ (${before.files} fichiers source / source files)`);
