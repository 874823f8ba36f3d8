import { validateConfig } from '../../core/config/validate.js';
import type { RunResult, RunStatus } from '../../core/run-types.js';

/** The one establishment and schedule of the alert scenario tests (1-minute login slots). */
export const TENANT = '0510100G';
export const SCHEDULE = 'login-lycee';
export const MIN = 60_000;

/** The config of the scenarios: one establishment, its login every minute; `extra` adds or replaces top-level keys. */
export function oneSeriesConfig(extra: Record<string, unknown> = {}) {
  return validateConfig({
    timezone: 'UTC',
    targets: [{ id: 'ent', name: 'ENT', profile: 'sandbox', ssoUrl: 'http://sso.localhost:7080' }],
    tenants: [{ uai: TENANT, name: 'Lycée Test', target: 'ent', entUrl: 'http://lycee.localhost:7080', academie: 'Reims', departement: '51', zone: 'B' }],
    personas: [{ id: 'prof', role: 'teacher', username: 'prof', password: { env: 'X' } }],
    journeys: { login: { timeout: '45s' } },
    schedules: [{ id: SCHEDULE, journey: 'login', tenant: TENANT, persona: 'prof', every: '1m' }],
    ...extra,
  });
}

/** The scheduled run of the slot starting at `t` (epoch ms) with `status` (`down`: kind http; `degraded`: 3.2 s). */
export function runAt(t: number, status: RunStatus): RunResult {
  const iso = new Date(t).toISOString();
  return { scheduleId: SCHEDULE, journey: 'login', target: 'ent', tenant: TENANT, location: 'local', trigger: 'scheduled', scheduledAt: iso, revisionId: null, status, ...(status === 'down' ? { kind: 'http' as const } : {}), startedAt: iso, durationMs: status === 'degraded' ? 3200 : 900, late: false, attempts: [] };
}
