import type { Logger } from 'pino';
import { VigieError } from '../core/errors.js';
import type { ScheduleConfig, VigieConfig } from '../core/config/schema.js';
import type { RunResult } from '../core/run-types.js';
import type { JourneyDefinition } from './journey.js';
import type { ScheduledJob } from './queue.js';
import type { RunPlanner } from './run-plan.js';
import type { Runner } from './runner.js';

/**
 * The probe worker's side of a run (DESIGN.md §4 "worker: runner + Playwright/Chromium"): from a queued slot (or a
 * manual request) to a {@link RunResult}, with the schedule's journey, target, personas and settings from the
 * revision's config ({@link RunPlanner}). The same code runs in `vigie start` and, later, in `vigie worker`.
 */

/** Default persona roles of built-in journeys, for `vigie run` without a matching schedule. */
const ROLES: Record<string, { persona: string[]; extra?: Record<string, string> }> = {
  login: { persona: ['teacher', 'staff', 'parent', 'pupil'] },
  logout: { persona: ['teacher', 'staff', 'parent', 'pupil'] },
  'roll-call': { persona: ['teacher'], extra: { parent: 'parent' } },
  'parent-view': { persona: ['parent'] },
};

/**
 * Who a manual run acts as: `--persona`, else the persona(s) of a schedule of that journey and tenant, else the
 * first persona of the tenant with a fitting role.
 */
export function manualSchedule(config: VigieConfig, journey: string, tenant: string, personaId?: string): Pick<ScheduleConfig, 'tenant' | 'persona' | 'personas'> {
  if (!config.tenants.some((t) => t.uai === tenant)) {
    throw new VigieError('NOT_FOUND', `établissement inconnu / unknown tenant "${tenant}" (connus / known: ${config.tenants.map((t) => t.uai).join(', ')})`);
  }
  if (personaId && !config.personas.some((p) => p.id === personaId)) {
    throw new VigieError('NOT_FOUND', `persona inconnue / unknown persona "${personaId}" (connues / known: ${config.personas.map((p) => p.id).join(', ')})`);
  }
  const schedule = config.schedules.find((s) => s.journey === journey && s.tenant === tenant);
  if (personaId) return { tenant, persona: personaId, personas: schedule?.personas ?? {} };
  if (schedule) return { tenant, persona: schedule.persona, personas: schedule.personas };
  const roles = ROLES[journey] ?? { persona: ['teacher', 'staff', 'parent', 'pupil'] };
  const pick = (wanted: string[]) => config.personas.find((p) => p.tenant === tenant && wanted.includes(p.role)) ?? config.personas.find((p) => wanted.includes(p.role));
  const main = pick(roles.persona);
  if (!main) throw new VigieError('CONFIG', `aucune persona pour ${journey} à ${tenant} : ajoutez-en une, ou passez --persona / no persona for ${journey} at ${tenant}: add one, or pass --persona`);
  const personas: Record<string, string> = {};
  for (const [name, role] of Object.entries(roles.extra ?? {})) {
    const p = pick([role]);
    if (p) personas[name] = p.id;
  }
  return { tenant, persona: main.id, personas };
}

/** The journey of a manual run, checked before anything starts. @throws VigieError `NOT_FOUND` listing the known ones. */
export function journeyNamed(journeys: Record<string, JourneyDefinition>, id: string): JourneyDefinition {
  const journey = Object.hasOwn(journeys, id) ? journeys[id] : undefined;
  if (!journey) throw new VigieError('NOT_FOUND', `parcours inconnu / unknown journey "${id}" (connus / known: ${Object.keys(journeys).join(', ')})`);
  return journey;
}

/** Persona ids a manual run acts as: the main one and the named extra ones (e.g. the parent of roll-call). */
export function personasOf(schedule: Pick<ScheduleConfig, 'persona' | 'personas'>): string[] {
  return [schedule.persona, ...Object.values(schedule.personas)];
}

/** What a probe worker does with a job: one scheduled slot, or a manual run. */
export interface Executor {
  /** Runs one scheduled slot (queue handler). */
  runJob(job: ScheduledJob, signal: AbortSignal): Promise<RunResult>;
  /** Runs a journey now, outside SLA slots (`vigie run`). */
  runManual(journey: string, tenant: string, personaId?: string, signal?: AbortSignal): Promise<RunResult>;
}

/**
 * The executor of one worker: looks the schedule up in the config, builds the run request (profile, personas with
 * secrets, settings: {@link RunPlanner}) and hands it to the runner. `revisionId` is the config revision the runs go
 * under, or a function giving it at each run (null while the store has not stored it yet: cli/store-readiness.ts). @throws VigieError `NOT_FOUND` for an unknown schedule, journey, tenant or persona.
 */
export function createExecutor(deps: {
  config: VigieConfig;
  planner: RunPlanner;
  journeys: Record<string, JourneyDefinition>;
  runner: Runner;
  revisionId: number | null | (() => number | null);
  now?: () => Date;
  logger: Logger;
}): Executor {
  const now = deps.now ?? (() => new Date());
  const journeyOf = (id: string) => journeyNamed(deps.journeys, id);
  const revisionId = () => (typeof deps.revisionId === 'function' ? deps.revisionId() : deps.revisionId);
  return {
    async runJob(job, signal) {
      const schedule = deps.config.schedules.find((s) => s.id === job.scheduleId);
      if (!schedule) throw new VigieError('NOT_FOUND', `planification inconnue / unknown schedule ${job.scheduleId}`);
      const result = await deps.runner.run({
        scheduleId: schedule.id,
        journeyId: schedule.journey,
        journey: journeyOf(schedule.journey),
        target: deps.planner.targetOf(schedule.tenant),
        tenant: schedule.tenant,
        location: job.location,
        trigger: 'scheduled',
        scheduledAt: job.slotStart,
        slotEnd: job.slotEnd,
        revisionId: revisionId(),
        settings: deps.planner.settingsFor(schedule.journey),
        context: deps.planner.contextFor(schedule),
        signal,
      });
      return { ...result, late: result.late || job.late };
    },
    async runManual(journey, tenant, personaId, signal) {
      // Journey first: `vigie run nosuch` names the journey, whatever the tenant.
      journeyOf(journey);
      const schedule = manualSchedule(deps.config, journey, tenant, personaId);
      const at = now();
      return deps.runner.run({
        scheduleId: `manual:${journey}:${tenant}`,
        journeyId: journey,
        journey: journeyOf(journey),
        target: deps.planner.targetOf(tenant),
        tenant,
        location: deps.config.locations.find((l) => l.kind === 'reference')?.id ?? 'local',
        trigger: 'manual',
        scheduledAt: at,
        slotEnd: null,
        revisionId: revisionId(),
        settings: deps.planner.settingsFor(journey),
        context: deps.planner.contextFor(schedule),
        signal,
      });
    },
  };
}

/** How far a run's start may be from its planned time before it is reported (issue 8 item 4), ms. */
export const START_DRIFT_WARN_MS = 60_000;

/**
 * The gap between a run's start on the probe host's clock (`result.startedAt`) and its planned time (`job.runAt`:
 * slot start plus offset), in ms (positive: started late), when it exceeds {@link START_DRIFT_WARN_MS}; else null. A
 * queue that could not start the run in time, or a host clock that is wrong, both show here: either way the slot's
 * timing evidence deserves a look. A job the scheduler flagged `late` gives null: its lateness is on record.
 */
export function startDriftMs(job: Pick<ScheduledJob, 'runAt'> & Partial<Pick<ScheduledJob, 'late'>>, result: Pick<RunResult, 'startedAt'>): number | null {
  // A slot run late on purpose (the current slot at start, a full queue) is flagged `late` already.
  if (job.late) return null;
  const drift = Date.parse(result.startedAt) - job.runAt.getTime();
  return Math.abs(drift) > START_DRIFT_WARN_MS ? drift : null;
}
