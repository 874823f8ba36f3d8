// Entry of the SLA engine's worker thread (engine/thread/host.ts). Vigie ships TypeScript sources run through tsx's
// loader (bin/vigie.mjs); a worker thread has its own module loader, so it registers tsx again before loading the
// TypeScript worker. Plain JavaScript on purpose, like db/pglite-worker.mjs: vitest and tsx load .ts differently.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
