import { describeReplay } from './replay-suite.js';

// The ~700 000-run replay the import speed is sized for: a month of 5-minute runs for 2 journeys × 40 tenants.
describeReplay(40);
