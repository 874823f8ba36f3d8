import pino from 'pino';
import { journeySettingsSchema, type JourneySettings } from '../../../core/config/schema.js';
import type { JourneyDefinition, Persona } from '../../journey.js';
import type { RunRequest } from '../../run-request.js';
import { sandboxProfile } from '../../profiles/sandbox.js';
import type { SandboxHandle } from '../../../sandbox/index.js';

/** Test helpers: a RunRequest against the real sandbox, and a silent logger. */

export const silentLogger = pino({ level: 'silent' });

export const CHROMIUM = '/usr/bin/chromium';

export function settings(input: Partial<Record<keyof JourneySettings, unknown>> = {}): JourneySettings {
  return journeySettingsSchema.parse({ timeout: 30, stepTimeout: 8, ...input });
}

/** A request for `journey` on the sandbox's establishment `index` (0 = lycée, 1 = collège). */
export function sandboxRequest(
  sb: SandboxHandle,
  journey: JourneyDefinition,
  options: { index?: number; settings?: JourneySettings; slotEnd?: Date | null; role?: 'teacher' | 'parent'; signal?: AbortSignal } = {},
): RunRequest {
  const est = sb.fixtures.establishments[options.index ?? 0]!;
  const persona = (role: 'teacher' | 'parent' | 'pupil'): Persona => {
    const a = est.accounts[role];
    return { id: `${role}-${est.uai}`, role, username: a.username, password: a.password, ...(a.pupilId ? { pupil: a.pupilId } : {}) };
  };
  const now = new Date();
  return {
    scheduleId: `test-${journey.id}`,
    journeyId: journey.id,
    journey,
    target: 'sandbox',
    tenant: est.uai,
    location: 'local',
    trigger: 'scheduled',
    scheduledAt: now,
    slotEnd: options.slotEnd === undefined ? new Date(now.getTime() + 10 * 60_000) : options.slotEnd,
    revisionId: null,
    settings: options.settings ?? settings(),
    context: {
      profile: sandboxProfile,
      ssoUrl: sb.urls.sso,
      entUrl: sb.urls.ents[est.uai]!,
      persona: persona(options.role ?? 'teacher'),
      personas: { parent: persona('parent') },
      testData: { classes: [{ id: est.testClass.id, name: est.testClass.name, pupils: est.testClass.pupils.map((p) => ({ id: p.id, name: p.name })) }] },
    },
    ...(options.signal ? { signal: options.signal } : {}),
  };
}
