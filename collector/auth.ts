import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { VigieError } from '../core/errors.js';
import { ANONYMOUS, type RequestContext } from '../core/request-context.js';

/** The context of a holder of the admin token (`<dataDir>/admin.json` or `VIGIE_API_TOKEN`). */
export const ADMIN_TOKEN_CONTEXT: RequestContext = Object.freeze({ actor: 'token:admin', scopes: Object.freeze(['admin']) as readonly string[] });

function isLoopback(address: string | undefined): boolean {
  return !!address && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}

/** Whether `Authorization` is exactly `Bearer <token>` (compared in constant time). */
function bearerMatches(header: string | undefined, token: string): boolean {
  const expected = Buffer.from(`Bearer ${token}`);
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Middleware setting the request context (`res.locals.ctx`, core/request-context.ts): the admin token's context when
 * the request carries it, else anonymous. Access rules then read the context, never the header.
 */
export function attachContext(token: string): RequestHandler {
  return (req, res, next) => {
    res.locals.ctx = bearerMatches(req.get('authorization'), token) ? ADMIN_TOKEN_CONTEXT : ANONYMOUS;
    next();
  };
}

/**
 * Middleware accepting only requests with `Authorization: Bearer <token>` (compared in constant time); with
 * `loopbackOnly`, only from a loopback address. Sets the admin context on the request.
 * @throws (to the error middleware) VigieError `FORBIDDEN` (not loopback), `UNAUTHORIZED` (bad or missing token).
 */
export function requireToken(token: string, opts: { loopbackOnly: boolean }): RequestHandler {
  return (req, res, next) => {
    if (opts.loopbackOnly && !isLoopback(req.socket.remoteAddress)) return next(new VigieError('FORBIDDEN', "API d'administration : boucle locale uniquement / admin API: loopback only"));
    if (!bearerMatches(req.get('authorization'), token)) return next(new VigieError('UNAUTHORIZED', 'jeton absent ou invalide / bad or missing token (Authorization: Bearer <token> of admin.json or VIGIE_API_TOKEN)'));
    res.locals.ctx = ADMIN_TOKEN_CONTEXT;
    next();
  };
}
