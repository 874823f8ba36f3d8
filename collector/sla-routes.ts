import express, { type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import { toIssues } from '../core/config/validate.js';
import { VigieError } from '../core/errors.js';
import {
  auditQuerySchema,
  correctionBodySchema,
  incidentBodySchema,
  periodQuerySchema,
  slaQuerySchema,
  withdrawBodySchema,
  type AuditQuery,
  type CorrectionBody,
  type IncidentBody,
  type PeriodQuery,
  type SlaQuery,
  type WithdrawBody,
} from './sla-schemas.js';

/** What the SLA routes call; `cli/` implements it over the store and the engine (cli/sla-backend.ts). */
export interface SlaHandlers {
  sla(query: SlaQuery): Promise<unknown>;
  status(): Promise<unknown>;
  addCorrection(body: CorrectionBody): Promise<unknown>;
  withdrawCorrection(id: number, body: WithdrawBody): Promise<unknown>;
  listCorrections(query: PeriodQuery): Promise<unknown>;
  addIncident(body: IncidentBody): Promise<unknown>;
  listIncidents(query: PeriodQuery): Promise<unknown>;
  listAudit(query: AuditQuery): Promise<unknown>;
}

/** Parses input with a schema; a failure is a 400 (`VALIDATION`) naming each field. */
export function parseOr400<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issues = toIssues(result.error);
    throw new VigieError('VALIDATION', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
  }
  return result.data;
}

/**
 * The SLA API, mounted at `/api/v1` (DESIGN.md §4): `GET /sla`, `GET /status`, `GET|POST /corrections`,
 * `POST /corrections/:id/withdraw`, `GET|POST /incidents`, `GET /audit`. Bad input → 400 naming the field.
 */
export function createSlaRouter(handlers: SlaHandlers, opts: { writeGuard?: RequestHandler } = {}): Router {
  const router = express.Router();
  // Writes (corrections, incidents) change reported figures: the composition root guards them (token).
  const guard: RequestHandler = opts.writeGuard ?? ((_req, _res, next) => next());
  router.post(['/corrections', '/corrections/:id/withdraw', '/incidents'], guard);
  router.get('/sla', async (req, res) => {
    res.json(await handlers.sla(parseOr400(slaQuerySchema, req.query)));
  });
  router.get('/status', async (_req, res) => {
    res.json(await handlers.status());
  });
  router.get('/corrections', async (req, res) => {
    res.json(await handlers.listCorrections(parseOr400(periodQuerySchema, req.query)));
  });
  router.post('/corrections', async (req, res) => {
    res.status(201).json(await handlers.addCorrection(parseOr400(correctionBodySchema, req.body)));
  });
  router.post('/corrections/:id/withdraw', async (req, res) => {
    const id = parseOr400(z.coerce.number().int().positive(), req.params.id);
    res.json(await handlers.withdrawCorrection(id, parseOr400(withdrawBodySchema, req.body)));
  });
  router.get('/incidents', async (req, res) => {
    res.json(await handlers.listIncidents(parseOr400(periodQuerySchema, req.query)));
  });
  router.post('/incidents', async (req, res) => {
    res.status(201).json(await handlers.addIncident(parseOr400(incidentBodySchema, req.body)));
  });
  router.get('/audit', async (req, res) => {
    res.json(await handlers.listAudit(parseOr400(auditQuerySchema, req.query)));
  });
  return router;
}
