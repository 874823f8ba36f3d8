import { describeReplay } from './replay-suite.js';

// The full replay of issue 4's acceptance: a month of 5-minute runs for 2 journeys × 20 tenants.
describeReplay(20);
