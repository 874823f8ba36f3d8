/**
 * Which recorded step a server-side request belongs to, to know how many times an injected latency lands in a step.
 * The sandbox's latency fault matches a route (host + path), and in the sandbox login several requests hit the ENT
 * home route `/` (the first redirect to the SSO, the ticket check, the home page itself): the latency injected in a
 * step is the fault's latency times the number of matching requests answered while that step ran.
 */

/** A step's time window, as recorded in a StepResult (`startedAt` ISO instant, `durationMs`). */
export interface StepWindow {
  name: string;
  startedAt: string;
  durationMs: number;
}

/**
 * Counts, for each step, the requests whose answer was sent (`atMs`, epoch ms) within [start, start + duration] of the
 * step; a request outside every window is not counted. Both clocks are the same process's wall clock at ms
 * resolution, so an answer sent in the very millisecond a step ends counts for that step.
 */
export function countRequestsPerStep(steps: readonly StepWindow[], answeredAtMs: readonly number[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const step of steps) {
    const start = Date.parse(step.startedAt);
    const end = start + Math.ceil(step.durationMs);
    const n = answeredAtMs.filter((t) => t >= start && t <= end).length;
    counts.set(step.name, (counts.get(step.name) ?? 0) + n);
  }
  return counts;
}
