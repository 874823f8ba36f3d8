import { createPgliteDb, createStore } from '../../db/index.js';
import { createEngine } from '../index.js';
import { describeEngineConformance } from './engine-conformance.js';

/** The engine in the caller's thread (what `vigie sla` uses when no `vigie start` holds the store), on PGlite. */
describeEngineConformance(
  'in this thread (PGlite)',
  async (store, clock) => createEngine(store, { clock }),
  async () => {
    const store = createStore(await createPgliteDb());
    await store.migrate();
    return store;
  },
);
