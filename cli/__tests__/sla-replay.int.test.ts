import { describeReplay } from './replay-suite.js';

// Issue 4's replay acceptance, CI size: a month of 5-minute runs for 2 journeys × 4 tenants (~70 000 runs, a few
// seconds), the same checks as at full size: every figure against the one computed from the generated JSONL
// (replay-fixture.ts, not through core/sla), with every slot state present in both clauses (down, error, missed,
// degraded and operator pauses, also within school hours). `npm run test:soak` runs it at its acceptance size
// (20 tenants, ~350 000 runs) and at the size the import speed is sized for (40 tenants), sla-replay.soak.test.ts.
describeReplay(4);
