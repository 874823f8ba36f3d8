import { VigieError } from '../core/errors.js';
import { secretKeyOf } from '../core/config/revision.js';
import type { EntProfile } from '../core/profile.js';
import type { PersonaConfig, ScheduleConfig, VigieConfig, JourneySettings } from '../core/config/schema.js';
import { journeySettingsSchema } from '../core/config/schema.js';
import type { JourneyRunContext, Persona } from './journey.js';
import { builtInProfiles } from './profiles/index.js';

/**
 * Turns config entries into what the runner needs for one run: profile, URLs, personas with their secrets, test
 * data and journey settings. Secrets are looked up in `secrets` (resolved once at start) and live only in memory.
 */
export interface RunPlanner {
  contextFor(schedule: Pick<ScheduleConfig, 'tenant' | 'persona' | 'personas'>): JourneyRunContext;
  settingsFor(journey: string): JourneySettings;
  targetOf(tenant: string): string;
}

/**
 * A planner over a validated config and the secrets resolved at start (`secrets`: reference key such as `env:NAME` →
 * value). @throws (from its methods) VigieError `NOT_FOUND` for an unknown tenant or persona, `CONFIG` for an unknown
 * built-in profile or a secret that was not resolved.
 */
export function createRunPlanner(config: VigieConfig, secrets: Map<string, string>): RunPlanner {
  const reveal = (value: PersonaConfig['username']): string => {
    if (typeof value === 'string') return value;
    const key = secretKeyOf(value)!;
    const secret = secrets.get(key);
    if (secret === undefined) throw new VigieError('CONFIG', `secret ${key} non lu / was not resolved`);
    return secret;
  };
  const persona = (id: string): Persona => {
    const p = config.personas.find((x) => x.id === id);
    if (!p) throw new VigieError('NOT_FOUND', `persona inconnue / unknown persona "${id}" (connues / known: ${config.personas.map((x) => x.id).join(', ')})`);
    return { id: p.id, role: p.role, username: reveal(p.username), password: reveal(p.password), ...(p.pupil ? { pupil: p.pupil } : {}) };
  };
  const tenantOf = (uai: string) => {
    const t = config.tenants.find((x) => x.uai === uai);
    if (!t) throw new VigieError('NOT_FOUND', `établissement inconnu / unknown tenant "${uai}" (connus / known: ${config.tenants.map((x) => x.uai).join(', ')})`);
    return t;
  };
  const profileOf = (targetId: string): { profile: EntProfile; ssoUrl: string } => {
    const target = config.targets.find((t) => t.id === targetId)!;
    const profile = typeof target.profile === 'string' ? builtInProfiles[target.profile] : target.profile;
    if (!profile) throw new VigieError('CONFIG', `cible / target ${target.id}: profil inconnu / unknown profile "${String(target.profile)}" (intégrés / built-in: ${Object.keys(builtInProfiles).join(', ')})`);
    return { profile, ssoUrl: target.ssoUrl };
  };
  return {
    contextFor(schedule) {
      const tenant = tenantOf(schedule.tenant);
      const { profile, ssoUrl } = profileOf(tenant.target);
      return {
        profile,
        ssoUrl,
        entUrl: tenant.entUrl,
        persona: persona(schedule.persona),
        personas: Object.fromEntries(Object.entries(schedule.personas).map(([role, id]) => [role, persona(id)])),
        testData: tenant.testData,
      };
    },
    settingsFor(journey) {
      return config.journeys[journey] ?? journeySettingsSchema.parse({});
    },
    targetOf: (uai) => tenantOf(uai).target,
  };
}
