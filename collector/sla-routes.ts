import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import { parseInput } from '../core/config/validate.js';
import { ANONYMOUS, type RequestContext } from '../core/request-context.js';
import { slaQuerySchema, type EngineComputations, type SlaInputs } from '../engine/index.js';

/** What the SLA routes call: the engine's computations and its inputs (engine/). */
export interface SlaRouteDeps {
  engine: Pick<EngineComputations, 'slaReport' | 'status'>;
  inputs: Pick<SlaInputs, 'addCorrection' | 'withdrawCorrection' | 'listCorrections' | 'addIncident' | 'listIncidents' | 'listAudit' | 'listAlertIncidents' | 'acknowledgeAlertIncident' | 'addAlertNote'>;
}

/** The request context the collector attached (collector/auth.ts `attachContext`), anonymous when none. */
export function contextOf(res: Response): RequestContext {
  return (res.locals.ctx as RequestContext | undefined) ?? ANONYMOUS;
}

/** Sends engine JSON (text or UTF-8 bytes) as is: a large report is not parsed and stringified again on this thread. */
function sendJson(res: Response, json: string | Uint8Array, status = 200): void {
  res.status(status).type('application/json').send(typeof json === 'string' ? json : Buffer.from(json.buffer, json.byteOffset, json.byteLength));
}

const positiveId = z.string().regex(/^[1-9]\d{0,15}$/, 'nombre entier positif attendu / expected a positive whole number').transform(Number);

/**
 * The SLA API (DESIGN.md §4), mounted at `/api/v1` (and, token-guarded, under the admin API): `GET /sla`,
 * `GET /status`, `GET|POST /corrections`, `POST /corrections/:id/withdraw`, `GET|POST /incidents`, `GET /audit`,
 * `GET /alerts/incidents`, `POST /alerts/incidents/:id/ack`, `POST /alerts/incidents/:id/notes`.
 * Bad input → 400 naming the field (the inputs parse with engine/schemas.ts); a busy engine → 429 with `Retry-After`.
 * Handlers get the request context (`res.locals.ctx`, set by the collector's auth middleware).
 */
export function createSlaRouter(deps: SlaRouteDeps, opts: { writeGuard?: RequestHandler } = {}): Router {
  const router = express.Router();
  // Writes (corrections, incidents) change reported figures: the composition root guards them (token).
  const guard: RequestHandler = opts.writeGuard ?? ((_req, _res, next) => next());
  router.post(['/corrections', '/corrections/:id/withdraw', '/incidents', '/alerts/incidents/:id/ack', '/alerts/incidents/:id/notes'], guard);
  router.get('/sla', async (req: Request, res) => {
    sendJson(res, await deps.engine.slaReport(parseInput(slaQuerySchema, req.query)));
  });
  router.get('/status', async (_req, res) => {
    sendJson(res, await deps.engine.status());
  });
  router.get('/corrections', async (req, res) => {
    res.json(await deps.inputs.listCorrections(contextOf(res), req.query as never));
  });
  router.post('/corrections', async (req, res) => {
    res.status(201).json(await deps.inputs.addCorrection(contextOf(res), req.body as never));
  });
  router.post('/corrections/:id/withdraw', async (req, res) => {
    const id = parseInput(positiveId, req.params.id);
    res.json(await deps.inputs.withdrawCorrection(contextOf(res), id, req.body as never));
  });
  router.get('/incidents', async (req, res) => {
    res.json(await deps.inputs.listIncidents(contextOf(res), req.query as never));
  });
  router.post('/incidents', async (req, res) => {
    res.status(201).json(await deps.inputs.addIncident(contextOf(res), req.body as never));
  });
  router.get('/audit', async (req, res) => {
    res.json(await deps.inputs.listAudit(contextOf(res), req.query as never));
  });
  router.get('/alerts/incidents', async (req, res) => {
    res.json(await deps.inputs.listAlertIncidents(contextOf(res), req.query as never));
  });
  router.post('/alerts/incidents/:id/ack', async (req, res) => {
    res.json(await deps.inputs.acknowledgeAlertIncident(contextOf(res), parseInput(positiveId, req.params.id), req.body as never));
  });
  router.post('/alerts/incidents/:id/notes', async (req, res) => {
    res.status(201).json(await deps.inputs.addAlertNote(contextOf(res), parseInput(positiveId, req.params.id), req.body as never));
  });
  return router;
}
