import pino from 'pino';
import { createInProcessQueue } from '../queue.js';
import { describeJobQueueConformance } from './queue-conformance.js';

// This suite found that a handler throwing before returning its promise escaped the queue (its slot's key stayed
// taken for ever, later jobs stalled): fixed, the handler is called inside the promise chain.
describeJobQueueConformance('in-process', ({ concurrency, handler }) => createInProcessQueue({ concurrency, handler, logger: pino({ level: 'silent' }) }));
