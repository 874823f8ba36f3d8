import { describeReplay } from './replay-suite.js';

// Issue 4's replay acceptance at its size: a month of 5-minute runs for 2 journeys × 20 tenants (~350 000 runs;
// about a minute here, import ~25 s). `npm run test:soak` runs twice that (sla-replay.soak.test.ts, ~700 000 runs).
describeReplay(20);
