import express, { type Router } from 'express';
import { z } from 'zod';
import type { SchoolCalendar } from '../core/calendar/school-calendar.js';
import { parseInput } from '../core/config/validate.js';
import type { RequestContext } from '../core/request-context.js';
import type { RunResult } from '../core/run-types.js';
import type { SchedulePause } from '../db/index.js';
import type { SlaInputs } from '../engine/index.js';
import { requireToken } from './auth.js';
import { contextOf, createSlaRouter, type SlaRouteDeps } from './sla-routes.js';

/**
 * What the loopback admin API of a running `vigie start` does for other commands (`vigie run`, `pause`, `sla`,
 * `import`, `calendar import`, `correction`, …) while that process holds the embedded store (DESIGN.md §4).
 */
export interface AdminHandlers {
  runManual(ctx: RequestContext, journey: string, tenant: string, persona?: string): Promise<RunResult>;
  pause(ctx: RequestContext, scheduleId: string, author: string, reason?: string): Promise<SchedulePause>;
  resume(ctx: RequestContext, scheduleId: string, author: string): Promise<SchedulePause>;
  /** SLA figures and inputs over the store this process holds. */
  sla?: SlaRouteDeps & { inputs: SlaInputs };
}

const author = z.string().trim().min(1).max(200);
const pauseBody = z.object({ author, reason: z.string().max(1000).optional() }).strict();
const resumeBody = z.object({ author }).strict();
const runBody = z.object({ journey: z.string().min(1).max(200), tenant: z.string().min(1).max(200), persona: z.string().min(1).max(200).optional() }).strict();
const calendarBody = z
  .object({
    location: z.string().trim().min(1).max(200),
    source: z.string().min(1).max(1000),
    actor: author,
    calendar: z.object({
      holidays: z.array(z.object({ name: z.string(), firstDay: z.string(), endDay: z.string(), schoolYear: z.string(), zone: z.string().nullable() })).max(10_000),
      covered: z.array(z.object({ from: z.string(), to: z.string() })).max(1000),
    }),
  })
  .strict();
/** `importedBy`: the author given to `vigie import --author` (else the request's actor marks the revision). */
const revisionBody = z.object({ snapshot: z.record(z.string(), z.unknown()), createdAt: z.string().max(40), importedBy: author.optional() }).strict();
// Each run is checked by the store's writer with the one run schema (core/run-schema.ts), naming `runs[i].field`.
const importRunsBody = z.object({ runs: z.array(z.unknown()).max(10_000) }).strict();
const auditBody = z.object({ actor: author, action: z.string().min(1).max(200), subject: z.string().max(500).optional(), details: z.record(z.string(), z.unknown()).optional() }).strict();

/**
 * The admin API, mounted at `/api/v1/admin`: only loopback clients holding the token of `<dataDir>/admin.json`. Typed
 * routes, one per operation: `POST /runs` (manual run), `POST /schedules/:id/pause|resume`, the SLA routes
 * (`GET /sla`, `GET /status`, corrections, incidents, audit: collector/sla-routes.ts), and the imports:
 * `POST /calendars`, `POST /revisions`, `POST /runs/import`, `POST /audit`, `GET /timezone`.
 */
export function createAdminRouter(token: string, handlers: AdminHandlers): Router {
  const router = express.Router();
  router.use(requireToken(token, { loopbackOnly: true }));
  router.post('/runs', async (req, res) => {
    const b = parseInput(runBody, req.body);
    res.json(await handlers.runManual(contextOf(res), b.journey, b.tenant, b.persona));
  });
  router.post('/schedules/:id/pause', async (req, res) => {
    const b = parseInput(pauseBody, req.body);
    res.json(await handlers.pause(contextOf(res), req.params.id, b.author, b.reason));
  });
  router.post('/schedules/:id/resume', async (req, res) => {
    const b = parseInput(resumeBody, req.body);
    res.json(await handlers.resume(contextOf(res), req.params.id, b.author));
  });
  const sla = handlers.sla;
  if (sla) {
    router.post('/runs/import', async (req, res) => {
      const b = parseInput(importRunsBody, req.body);
      res.json(await sla.inputs.importRuns(contextOf(res), b.runs as RunResult[]));
    });
    router.post('/calendars', async (req, res) => {
      const b = parseInput(calendarBody, req.body);
      res.json(await sla.inputs.importCalendar(contextOf(res), { ...b, calendar: b.calendar as SchoolCalendar }));
    });
    router.post('/revisions', async (req, res) => {
      res.json(await sla.inputs.importRevision(contextOf(res), parseInput(revisionBody, req.body)));
    });
    router.post('/audit', async (req, res) => {
      await sla.inputs.appendAudit(contextOf(res), parseInput(auditBody, req.body));
      res.json({ ok: true });
    });
    router.get('/timezone', async (_req, res) => {
      res.json({ timezone: await sla.inputs.timezone(contextOf(res)) });
    });
    router.use(createSlaRouter(sla));
  }
  return router;
}
