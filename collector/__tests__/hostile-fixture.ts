import pino, { type Logger } from 'pino';
import type { Store } from '../../db/index.js';
import { createSlaInputs } from '../../engine/index.js';
import { createAdminRouter } from '../admin-routes.js';
import { createCollectorApp } from '../app.js';
import { attachContext, requireToken } from '../auth.js';
import { createMetrics } from '../metrics.js';
import { createSlaRouter } from '../sla-routes.js';

/**
 * The collector as `vigie start` builds it (cli/start.ts): the app, the SLA routes behind the write guard and the
 * admin API, with the real SLA inputs (engine/inputs.ts) over a recording in-memory store that behaves as
 * PostgreSQL does with text: a NUL makes it throw (a 500 if it ever gets there), a lone surrogate is stored altered.
 */

export const TOKEN = 'h'.repeat(40);

/** Repository methods that change what is stored. */
const WRITES = new Set(['save', 'insert', 'insertBatch', 'add', 'withdraw', 'import', 'append', 'pause', 'resume']);

/** What reached the store: every write (stored, then), and every call PostgreSQL would have refused. */
export interface StoreRecord {
  writes: { call: string; args: unknown[] }[];
  refused: string[];
  reads: number;
}

/** Whether any string in `value` (keys included) holds a NUL: PostgreSQL refuses it in text and jsonb. */
function holdsNul(value: unknown): boolean {
  const stack = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string' && v.includes('\u0000')) return true;
    if (v && typeof v === 'object') for (const [k, child] of Object.entries(v)) {
      if (k.includes('\u0000')) return true;
      stack.push(child);
    }
  }
  return false;
}

function readResult(call: string): unknown {
  if (call === 'runs.list') return { runs: [], nextCursor: null };
  if (call === 'revisions.firstSeenTimes') return {};
  if (/\.(list|listInForce)$/.test(call)) return [];
  if (call === 'runs.get') return { id: 1 };
  if (call === 'runs.screenshot') return new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
  return null; // revisions.get, latest, has: nothing stored
}

function writeResult(call: string): unknown {
  if (call === 'runs.insertBatch') return { inserted: 1, duplicates: 0 };
  if (call === 'calendars.import') return { inserted: true, calendar: { id: 1 } };
  if (call === 'audit.append') return undefined;
  return { id: 1, contentSha256: 'f'.repeat(64) };
}

/** A Store of recording fakes: reads find nothing, writes are kept in `record.writes`. */
export function recordingStore(record: StoreRecord): Store {
  const repository = (name: string) =>
    new Proxy({}, {
      get: (_t, method) => async (...args: unknown[]) => {
        const call = `${name}.${String(method)}`;
        if (holdsNul(args)) {
          record.refused.push(call);
          throw new Error('invalid byte sequence for encoding "UTF8": 0x00'); // what pg says: not a VigieError
        }
        if (!WRITES.has(String(method))) {
          record.reads++;
          return readResult(call);
        }
        record.writes.push({ call, args });
        return writeResult(call);
      },
    });
  const repos = ['revisions', 'runs', 'pauses', 'calendars', 'corrections', 'incidents', 'audit'];
  return Object.fromEntries(repos.map((r) => [r, repository(r)])) as unknown as Store;
}

/** The app with every router of `vigie start`, its store record, and the engine's calls. */
export function buildCollector(opts: { logger?: Logger; engineStatus?: () => Promise<string> } = {}) {
  const record: StoreRecord = { writes: [], refused: [], reads: 0 };
  const store = recordingStore(record);
  const inputs = createSlaInputs(store);
  // The engine thread reads the store with the query's values: a NUL reaching it is a refused query.
  const engine = {
    slaReport: async (q: unknown) => store.runs.list(q as never).then(() => '{"clauses":[]}'),
    status: opts.engineStatus ?? (async () => '{"rows":[]}'),
  };
  const admin = createAdminRouter(TOKEN, {
    async runManual(_ctx, journey, tenant, persona) {
      await store.runs.insert({ journey, tenant, persona } as never);
      return { status: 'up' } as never;
    },
    pause: (_ctx, id, author, reason) => store.pauses.pause(id, new Date(), author, reason),
    resume: (_ctx, id, author) => store.pauses.resume(id, new Date(), author),
    sla: { engine, inputs },
  });
  const app = createCollectorApp({
    store,
    metrics: createMetrics(),
    logger: opts.logger ?? pino({ level: 'silent' }),
    attachContext: attachContext(TOKEN),
    health: async () => ({ store: 'pglite' }),
    routers: [
      { path: '/api/v1', router: createSlaRouter({ engine, inputs }, { writeGuard: requireToken(TOKEN, { loopbackOnly: false }) }) },
      { path: '/api/v1/admin', router: admin },
    ],
  });
  return { app, record };
}

/** A pino logger keeping its records (parsed) in `lines`. */
export function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

const FROM = '2026-10-05T06:00:00Z';
const TO = '2026-10-05T07:00:00Z';

/**
 * Every route of the collector with a request it accepts (a token holder's): one mutation away from a write for the
 * POSTs. `:x` segments are parameters.
 */
export const ROUTES: { method: 'GET' | 'POST'; path: string; query?: Record<string, string>; body?: Record<string, unknown> }[] = [
  { method: 'GET', path: '/healthz' },
  { method: 'GET', path: '/metrics' },
  { method: 'GET', path: '/api/v1/runs', query: { journey: 'login', tenant: '0519990G', limit: '10' } },
  { method: 'GET', path: '/api/v1/runs/:1' },
  { method: 'GET', path: '/api/v1/runs/:1/attempts/:1/screenshot.png' },
  { method: 'GET', path: '/api/v1/sla', query: { contract: 'region', month: '2026-10' } },
  { method: 'GET', path: '/api/v1/status' },
  { method: 'GET', path: '/api/v1/corrections', query: { from: FROM, to: TO } },
  { method: 'POST', path: '/api/v1/corrections', body: { from: FROM, to: TO, reason: 'panne du réseau académique', author: 'eve', scope: { tenants: ['0519990G'] } } },
  { method: 'POST', path: '/api/v1/corrections/:1/withdraw', body: { author: 'eve', reason: 'erreur de saisie' } },
  { method: 'GET', path: '/api/v1/incidents', query: { from: FROM } },
  { method: 'POST', path: '/api/v1/incidents', body: { from: FROM, description: 'ENT lent', author: 'eve' } },
  { method: 'GET', path: '/api/v1/audit', query: { actor: 'eve', limit: '5' } },
  { method: 'POST', path: '/api/v1/admin/runs', body: { journey: 'login', tenant: '0519990G', persona: 'prof-lycee' } },
  { method: 'POST', path: '/api/v1/admin/schedules/:login-lycee/pause', body: { author: 'ops', reason: 'travaux' } },
  { method: 'POST', path: '/api/v1/admin/schedules/:login-lycee/resume', body: { author: 'ops' } },
  { method: 'POST', path: '/api/v1/admin/runs/import', body: { runs: [{ scheduleId: 'login-lycee', scheduledAt: FROM, status: 'up' }] } },
  { method: 'POST', path: '/api/v1/admin/calendars', body: { location: 'local', source: 'zone-b.ics', actor: 'ops', calendar: { holidays: [{ name: 'Toussaint', firstDay: '2026-10-17', endDay: '2026-11-02', schoolYear: '2026-2027', zone: 'B' }], covered: [{ from: '2026-09-01', to: '2027-07-04' }] } } },
  { method: 'POST', path: '/api/v1/admin/revisions', body: { snapshot: { timezone: 'Europe/Paris' }, createdAt: FROM } },
  { method: 'POST', path: '/api/v1/admin/audit', body: { actor: 'ops', action: 'calendar.import', details: { file: 'zone-b.ics' } } },
  { method: 'GET', path: '/api/v1/admin/timezone' },
  { method: 'POST', path: '/api/v1/admin/corrections', body: { from: FROM, to: TO, reason: 'maintenance', author: 'ops' } },
];

/** A route's path with its parameters filled in (`:1` → `1`). */
export function filledPath(path: string): string {
  return path.replace(/:([^/]+)/g, '$1');
}
