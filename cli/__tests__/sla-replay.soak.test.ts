import { describeReplay } from './replay-suite.js';

// Issue 4's replay acceptance at its size (2 journeys × 20 tenants, ~350 000 runs; import ~25 s), then the ~700 000-run
// replay the import speed is sized for (2 journeys × 40 tenants). CI runs a 4-tenant one (sla-replay.int.test.ts).
describeReplay(20);
describeReplay(40);
