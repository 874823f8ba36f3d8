// Entry of the SLA engine's worker thread (engine/thread/host.ts). A worker thread has its own module loader: from
// dist/ (compiled, scripts/build.mjs) it loads worker.js beside it; from the sources it registers tsx again before
// loading the TypeScript worker. Plain JavaScript on purpose, like db/pglite-worker.mjs: vitest and tsx load .ts
// differently.
import { existsSync } from 'node:fs';

const compiled = new URL('./worker.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./worker.ts');
}
