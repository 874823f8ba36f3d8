import type { JourneySettings } from '../core/config/schema.js';
import type { RunTrigger } from '../core/run-types.js';
import type { JourneyDefinition, JourneyRunContext } from './journey.js';

/**
 * What the scheduler (or `vigie run`) asks a runner to do: one run of one journey for one slot. Secrets in
 * `context.persona(s)` are already resolved by the CLI; the runner keeps them out of results, logs and screenshots.
 */
export interface RunRequest {
  scheduleId: string;
  journeyId: string;
  /** The journey to run (built-in from `probes/journeys/index.ts`, or loaded by `loadJourney`). */
  journey: JourneyDefinition;
  /** Target (ENT platform) id. */
  target: string;
  /** Tenant UAI. */
  tenant: string;
  /** Location id (`local` by default). */
  location: string;
  trigger: RunTrigger;
  /** Slot start (key of the run); for a manual run, when it was asked for. */
  scheduledAt: Date;
  /** End of the slot: a retry starts only if now + timeout ≤ slotEnd. `null` for manual runs. */
  slotEnd: Date | null;
  revisionId: number | null;
  /** The journey's settings from the revision (timeouts, thresholds, retry, options). */
  settings: JourneySettings;
  context: JourneyRunContext;
  /** True when the scheduler started the run late (passed through to the result). */
  late?: boolean;
  /**
   * Aborted on shutdown: the journey gets the runner's grace to run its cleanup, then the run ends `error`
   * ("interrupted").
   */
  signal?: AbortSignal;
}
