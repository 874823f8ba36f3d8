import type http from 'node:http';
import { ZodError, z } from 'zod';
import type { SandboxClock, SandboxRoster, SandboxState } from './controls.js';
import type { FaultController } from './faults.js';
import { readBody, sendJson } from './http-util.js';

/**
 * The fault/admin API on its own loopback port (JSON in, JSON out; see sandbox/README.md for curl examples):
 *
 * | route | body | effect |
 * |---|---|---|
 * | `GET /faults` | | current fault state |
 * | `PUT /faults` | fault state | replaces the whole state (missing keys back to default) |
 * | `POST /faults` (or `PATCH`) | partial state | replaces the keys given |
 * | `POST /faults/reset` | | every fault off |
 * | `GET /clock`, `POST /clock` | `{ "at": ISO }` or `{ "at": null }` | fixes / releases the ENT's clock |
 * | `POST /roster` | `{ uai, classId, pupil: { id, name } }` or `{ "reset": true }` | adds a non-test pupil / resets |
 * | `POST /roster/reset` | | removes added pupils |
 * | `GET /state` | | sheets, absences, roster additions, session counts, clock |
 * | `POST /state/reset` | | forgets sheets, absences and roster additions |
 *
 * Bad input answers 400 `{ error, issues }`; unknown routes 404.
 */
export interface AdminDeps {
  faults: FaultController;
  clock: SandboxClock;
  roster: SandboxRoster;
  state: SandboxState;
  log(line: string): void;
}

const clockBody = z.object({ at: z.string().nullable() }).strict();
const rosterBody = z.union([
  z.object({ reset: z.literal(true) }).strict(),
  z
    .object({ uai: z.string(), classId: z.string(), pupil: z.object({ id: z.string().min(1), name: z.string().min(1) }) })
    .strict(),
]);

export function createAdminListener(deps: AdminDeps): http.RequestListener {
  return (req, res) => {
    void route(deps, req, res).catch((error: unknown) => {
      if (error instanceof ZodError) {
        return sendJson(res, 400, { error: 'invalid body', issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
      }
      if (error instanceof SyntaxError || error instanceof RangeError) return sendJson(res, 400, { error: error.message });
      deps.log(`admin error: ${String(error)}`);
      sendJson(res, 500, { error: 'internal error' });
    });
  };
}

async function json(req: http.IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  return text.trim() === '' ? {} : (JSON.parse(text) as unknown);
}

async function route(deps: AdminDeps, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const path = new URL(req.url ?? '/', 'http://admin').pathname.replace(/\/+$/, '') || '/';
  const key = `${method} ${path}`;
  switch (key) {
    case 'GET /faults':
      return sendJson(res, 200, deps.faults.get());
    case 'PUT /faults':
      return sendJson(res, 200, deps.faults.replace((await json(req)) as never));
    case 'POST /faults':
    case 'PATCH /faults':
      return sendJson(res, 200, deps.faults.set((await json(req)) as never));
    case 'POST /faults/reset':
      return sendJson(res, 200, deps.faults.reset());
    case 'GET /clock':
      return sendJson(res, 200, clockJson(deps.clock));
    case 'POST /clock': {
      const body = clockBody.parse(await json(req));
      if (body.at === null) deps.clock.release();
      else deps.clock.fix(body.at);
      return sendJson(res, 200, clockJson(deps.clock));
    }
    case 'POST /roster': {
      const body = rosterBody.parse(await json(req));
      if ('reset' in body) deps.roster.reset();
      else deps.roster.add(body.uai, body.classId, body.pupil);
      return sendJson(res, 200, deps.state.snapshot().rosterAdditions);
    }
    case 'POST /roster/reset':
      deps.roster.reset();
      return sendJson(res, 200, {});
    case 'GET /state':
      return sendJson(res, 200, deps.state.snapshot());
    case 'POST /state/reset':
      deps.state.resetData();
      return sendJson(res, 200, deps.state.snapshot());
    case 'GET /':
      return sendJson(res, 200, {
        routes: ['GET /faults', 'PUT /faults', 'POST /faults', 'POST /faults/reset', 'GET /clock', 'POST /clock', 'POST /roster', 'POST /roster/reset', 'GET /state', 'POST /state/reset'],
      });
    default:
      return sendJson(res, 404, { error: `no route ${key}` });
  }
}

function clockJson(clock: SandboxClock): { now: string; fixedAt: string | null } {
  return { now: clock.now().toISOString(), fixedAt: clock.fixedAt()?.toISOString() ?? null };
}
