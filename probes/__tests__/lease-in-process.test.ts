import { createInProcessLeaseManager } from '../lease.js';
import { describeLeaseConformance } from './lease-conformance.js';

// The in-process specifics (an injected clock for expiry) stay in lease.test.ts. This suite found that a waiter
// lost its place in line at each 200 ms poll (a release then woke a later waiter): fixed, waiters keep their place.
describeLeaseConformance('in-process', () => createInProcessLeaseManager());
