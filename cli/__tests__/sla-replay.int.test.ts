import { describeReplay } from './replay-suite.js';

// Scaled down for CI (2 journeys × 4 tenants, a full month: ~70 000 runs): the full 2 × 20 (~350 000 runs) runs
// under `npm run test:soak` (sla-replay.soak.test.ts), since importing it takes about a minute on a loaded machine.
describeReplay(4);
