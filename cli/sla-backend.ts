import type { ContractConfig } from '../core/config/contract.js';
import type { Store } from '../db/index.js';
import { createEngine, createSlaInputs, type EngineComputations, type JsonText, type SlaInputs } from '../engine/index.js';
import { callAdmin, callAdminText, type AdminEndpoint } from './admin-api.js';

/**
 * What the SLA commands use, whether they opened the store themselves or go through a running `vigie start` (its
 * admin API, DESIGN.md §4): the engine's computations and its inputs. Both sides parse inputs with the same schemas
 * (engine/schemas.ts), so a command refuses the same bad input either way.
 */
export interface SlaBackend {
  engine: Pick<EngineComputations, 'slaReport' | 'status'>;
  inputs: SlaInputs;
}

/** The backend over an open store, in this process. `clock` and `contracts` (from `--config`) are injectable. */
export function createLocalSlaBackend(store: Store, opts: { clock?: () => Date; contracts?: readonly ContractConfig[]; calendarDir?: string | null } = {}): SlaBackend {
  return { engine: createEngine(store, opts), inputs: createSlaInputs(store, opts) };
}

/** The backend through a running `vigie start` (its admin API, typed routes: collector/admin-routes.ts). */
export function createRemoteSlaBackend(endpoint: AdminEndpoint): SlaBackend {
  const get = <T>(path: string, query?: unknown) => callAdmin<T>(endpoint, 'GET', path, query);
  const post = <T>(path: string, body: unknown) => callAdmin<T>(endpoint, 'POST', path, body);
  return {
    engine: {
      slaReport: async (query) => (await callAdminText(endpoint, 'GET', '/sla', query)) as JsonText<never>,
      status: async () => (await callAdminText(endpoint, 'GET', '/status')) as JsonText<never>,
    },
    inputs: {
      addCorrection: (_ctx, body) => post('/corrections', body),
      withdrawCorrection: (_ctx, id, body) => post(`/corrections/${id}/withdraw`, body),
      listCorrections: (_ctx, query) => get('/corrections', query),
      addIncident: (_ctx, body) => post('/incidents', body),
      listIncidents: (_ctx, query) => get('/incidents', query),
      listAudit: (_ctx, query) => get('/audit', query),
      listAlertIncidents: (_ctx, query) => get('/alerts/incidents', query),
      acknowledgeAlertIncident: (_ctx, id, body) => post(`/alerts/incidents/${id}/ack`, body),
      addAlertNote: (_ctx, id, body) => post(`/alerts/incidents/${id}/notes`, body),
      importCalendar: (_ctx, input) => post('/calendars', input),
      // The running vigie start marks the revision imported by `importedBy` (the --author), else by its request's
      // actor. No importRunFile: see SlaInputs (batches, exact report).
      importRevision: (_ctx, input) => post('/revisions', { snapshot: input.snapshot, createdAt: input.createdAt, ...(input.importedBy ? { importedBy: input.importedBy } : {}) }),
      importRuns: (_ctx, runs) => post('/runs/import', { runs }),
      appendAudit: async (_ctx, entry) => {
        await post('/audit', entry);
      },
      timezone: async () => (await get<{ timezone: string }>('/timezone')).timezone,
    },
  };
}
