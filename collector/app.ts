import { isUtf8 } from 'node:buffer';
import express, { type ErrorRequestHandler, type Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { VigieError } from '../core/errors.js';
import { parseInput } from '../core/config/validate.js';
import { readInstant } from '../core/instant.js';
import type { RunRepository } from '../db/index.js';
import { ACCEPTED_ENCODINGS, classifyError, rejectUnstorableInput } from './hostile-input.js';
import type { Metrics } from './metrics.js';

/**
 * The collector's HTTP app (DESIGN.md §4). A factory: it never listens (tests use supertest; `cli/` listens). Other
 * parts mount their routers through `routers` (admin API, alerts, reports) so there is one app per process.
 */

export interface CollectorDeps {
  /** The run reads of the store (db/): list, detail, screenshot. */
  store: { runs: Pick<RunRepository, 'list' | 'get' | 'screenshot'> };
  metrics: Metrics;
  logger: Logger;
  /** Extra health facts (store reachable, scheduler running, buffered results). */
  health?: () => Promise<Record<string, unknown>>;
  routers?: { path: string; router: Router }[];
  /** Sets the request context (`res.locals.ctx`) before any route: collector/auth.ts `attachContext`. */
  attachContext?: express.RequestHandler;
}

/** A decimal id in a path (`0x1`, `1e3` or `-1` are refused). */
const positiveId = z.string().regex(/^[1-9]\d{0,15}$/, 'nombre entier positif attendu / expected a positive whole number').transform(Number);

/** An instant of a filter, read by core's one strict reader (years before 2000 refused; a filter may end later). */
const isoDate = z.string().transform((s, ctx) => {
  const r = readInstant(s, { requireOffset: true });
  if (r.problem !== undefined) {
    ctx.addIssue({ code: 'custom', message: r.problem });
    return z.NEVER;
  }
  return new Date(r.ms);
});

/** The query of `GET /api/v1/runs` (strict: an unknown parameter is a 400 naming it). */
export const runFilterSchema = z
  .object({
    journey: z.string().min(1).optional(),
    tenant: z.string().min(1).optional(),
    schedule: z.string().min(1).optional(),
    location: z.string().min(1).optional(),
    status: z.enum(['up', 'degraded', 'down', 'error']).optional(),
    trigger: z.enum(['scheduled', 'manual']).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
    cursor: z.string().min(1).max(200).optional(),
  })
  .strict();

/** The collector's app: health, metrics, run reads, the routers given, and the error middleware. Never listens. */
export function createCollectorApp(deps: CollectorDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(
    express.json({
      limit: '5mb',
      // Read as UTF-8, invalid bytes would become U+FFFD in a stored reason or author: refused instead.
      verify: (_req, _res, buf) => {
        if (!isUtf8(buf)) throw Object.assign(new Error('invalid UTF-8'), { status: 400, type: 'body.invalid.utf8' });
      },
    }),
  );
  // A write whose body is not JSON (form encoding, text/plain) would reach its handler as "no body": say why.
  app.use((req, _res, next) => {
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (['POST', 'PUT', 'PATCH'].includes(req.method) && hasBody && !req.is('application/json')) {
      next(Object.assign(new Error('not JSON'), { status: 415, type: 'content-type.unsupported' }));
      return;
    }
    next();
  });
  // Before any route: nothing with a NUL, a lone surrogate or bad percent-encoding reaches a handler or the store.
  app.use(rejectUnstorableInput());
  if (deps.attachContext) app.use(deps.attachContext);

  app.get('/healthz', async (_req, res) => {
    const extra = (await deps.health?.().catch((err: unknown) => ({ error: String(err) }))) ?? {};
    const ok = !('error' in extra) && extra.store !== 'unavailable';
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', ...extra });
  });

  app.get('/metrics', async (_req, res) => {
    // prom-client's event-loop mean and stddev are NaN before their first sample: a sample that is no number is left
    // out (a gap), never served (F7: no gauge shows NaN or ±Inf).
    const text = (await deps.metrics.registry.metrics()).split('\n').filter((l) => l.startsWith('#') || !/ (NaN|[+-]?Inf)$/i.test(l)).join('\n');
    res.type(deps.metrics.registry.contentType).send(text);
  });

  app.get('/api/v1/runs', async (req, res) => {
    const filter = parseInput(runFilterSchema, req.query);
    res.json(await deps.store.runs.list(filter));
  });

  app.get('/api/v1/runs/:id', async (req, res) => {
    const { id } = parseInput(z.object({ id: positiveId }), req.params);
    const run = await deps.store.runs.get(id);
    if (!run) throw new VigieError('NOT_FOUND', `aucune exécution ${id} / no run ${id}`);
    res.json(run);
  });

  app.get('/api/v1/runs/:id/attempts/:attempt/screenshot.png', async (req, res) => {
    const { id, attempt } = parseInput(z.object({ id: positiveId, attempt: positiveId }), req.params);
    const png = await deps.store.runs.screenshot(id, attempt);
    if (!png) throw new VigieError('NOT_FOUND', `aucune capture d'écran pour l'exécution ${id}, tentative ${attempt} / no screenshot for run ${id} attempt ${attempt}`);
    res.type('png').send(Buffer.from(png));
  });

  for (const { path, router } of deps.routers ?? []) app.use(path, router);

  app.use((_req, _res, next) => next(new VigieError('NOT_FOUND', 'route inconnue / no such route')));
  // One log line per failed request: a client error at warn without a stack (it is not ours to debug), a bug at error
  // with its stack. A path is cut at 200 characters: a hostile one may be 16 KB.
  const onError: ErrorRequestHandler = (rawErr, req, res, _next) => {
    const { status, error, type } = classifyError(rawErr, req);
    const where = { method: req.method, path: req.path.slice(0, 200) };
    if (error && status < 500) deps.logger.warn({ ...where, status, code: error.code, type }, error.message);
    else deps.logger.error({ ...where, status, err: rawErr }, 'request failed');
    // Too late for a status: cut the response (Express's default handler would log the error a second time).
    if (res.headersSent) return void res.destroy();
    if (type === 'encoding.unsupported') res.set('Accept-Encoding', ACCEPTED_ENCODINGS);
    if (error?.retryAfterSeconds !== undefined) res.set('Retry-After', String(error.retryAfterSeconds));
    const body = error ? { error: error.code, message: error.message, issues: error.issues } : { error: 'INTERNAL', message: 'erreur interne / internal error' };
    res.status(status).json(body);
  };
  app.use(onError);
  return app;
}
