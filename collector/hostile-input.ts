import * as zlib from 'node:zlib';
import type { Request, RequestHandler } from 'express';
import { VigieError, httpStatusOf, type Issue, type VigieErrorCode } from '../core/errors.js';

/**
 * Hostile or broken input is the client's fault (issue 8 item 6): a 4xx with a short message, never a 500, and never
 * a string PostgreSQL refuses (a NUL) or would silently alter (a lone UTF-16 surrogate, stored as U+FFFD) reaching the
 * store. Two halves: {@link rejectUnstorableInput} checks path, query and JSON body before any route, and
 * {@link classifyError} maps the errors of Express and body-parser that carry a 4xx status to that status.
 */

/** How deep a JSON body may nest: a config snapshot is under 10 levels; deeper is an attack on recursive code. */
export const MAX_BODY_DEPTH = 64;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored as is, in each language, or null when it can. */
function unstorable(s: string): { fr: string; en: string } | null {
  if (s.includes('\u0000')) return { fr: 'contient un caractère NUL (U+0000)', en: 'contains a NUL character (U+0000)' };
  if (LONE_SURROGATE.test(s)) return { fr: 'contient une demi-paire UTF-16 isolée', en: 'contains a lone UTF-16 surrogate' };
  return null;
}

/** {@link unstorable}'s reason as one message, French then English (`field name` first for a key). */
const reason = (why: { fr: string; en: string }, key = false) => (key ? `nom de champ qui ${why.fr} / field name ${why.en}` : `${why.fr} / ${why.en}`);

/** A field name fit for a message: NUL shown as `\0`, at most 100 characters. */
function shown(name: string): string {
  const clean = name.replaceAll('\u0000', '\\0');
  return clean.length > 100 ? `${clean.slice(0, 100)}…` : clean;
}

function refuse(where: 'chemin / path' | 'requête / query' | 'corps / body', issue: Issue): VigieError {
  const [fr, en] = where.split(' / ');
  return new VigieError('VALIDATION', `${fr} invalide (${issue.path}) / invalid ${en} (${issue.path}): ${issue.message}`, { issues: [issue] });
}

/** Decodes one percent-encoded URL component, or null when its encoding is bad. */
function decoded(component: string): string | null {
  try {
    return decodeURIComponent(component);
  } catch {
    return null;
  }
}

function checkPath(path: string): VigieError | null {
  for (const segment of path.split('/')) {
    const text = decoded(segment);
    if (text === null) return refuse('chemin / path', { path: '(path)', message: `encodage pourcent invalide dans le segment "${shown(segment)}" / bad percent-encoding in segment "${shown(segment)}"` });
    const why = unstorable(text);
    if (why) return refuse('chemin / path', { path: '(path)', message: reason(why) });
  }
  return null;
}

/** The raw query string is checked pair by pair (`+` is a space), whatever query parser Express uses. */
function checkQuery(url: string): VigieError | null {
  const at = url.indexOf('?');
  if (at < 0) return null;
  for (const pair of url.slice(at + 1).split('&')) {
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const key = decoded(rawKey.replace(/\+/g, ' '));
    const value = eq < 0 ? '' : decoded(pair.slice(eq + 1).replace(/\+/g, ' '));
    const name = shown(key ?? rawKey);
    if (key === null || value === null) return refuse('requête / query', { path: name, message: 'encodage pourcent invalide / bad percent-encoding' });
    const why = unstorable(key) ?? unstorable(value);
    if (why) return refuse('requête / query', { path: name, message: reason(why) });
  }
  return null;
}

function join(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${shown(key)}` : shown(key);
}

/** Walks a parsed JSON body without recursion (a deep body must not overflow the stack here). */
function checkBody(body: unknown): VigieError | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: body, path: '', depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { value, path, depth } = item;
    if (typeof value === 'string') {
      const why = unstorable(value);
      if (why) return refuse('corps / body', { path: path || '(body)', message: reason(why) });
    } else if (value !== null && typeof value === 'object') {
      if (depth >= MAX_BODY_DEPTH) return refuse('corps / body', { path: path || '(body)', message: `imbriqué sur plus de ${MAX_BODY_DEPTH} niveaux / nested deeper than ${MAX_BODY_DEPTH} levels` });
      const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
      for (const [key, child] of entries) {
        if (typeof key === 'string') {
          const why = unstorable(key);
          if (why) return refuse('corps / body', { path: join(path, key), message: reason(why, true) });
        }
        stack.push({ value: child, path: join(path, key), depth: depth + 1 });
      }
    }
  }
  return null;
}

/**
 * Middleware, mounted after the JSON body parser and before every route: the request's path segments and query
 * pairs must decode (percent-encoding) and, like every string of a JSON body (keys included), hold no NUL and no lone
 * surrogate; a JSON body nests at most {@link MAX_BODY_DEPTH} levels.
 * @throws (to the error middleware) VigieError `VALIDATION` (HTTP 400) naming the field: `(path)`, the query key, or
 *   the body path (`scope.tenants[0]`).
 */
export function rejectUnstorableInput(): RequestHandler {
  return (req, _res, next) => {
    next(checkPath(req.path) ?? checkQuery(req.originalUrl) ?? checkBody(req.body) ?? undefined);
  };
}

/** The content codings body-parser decodes (RFC 7694: a 415 for an unknown coding lists them in `Accept-Encoding`). */
export const ACCEPTED_ENCODINGS = ['gzip', 'deflate', 'br', ...('createZstdDecompress' in zlib ? ['zstd'] : [])].join(', ');

/** Short bilingual messages for the error types of body-parser (its `type` field) and of Express's router. */
const MESSAGES: Record<string, string> = {
  'entity.parse.failed': 'corps de requête JSON invalide / request body is not valid JSON',
  'entity.too.large': 'corps de requête trop gros (5 Mo au plus) / request body too large (5 MB at most)',
  'encoding.unsupported': `encodage de contenu non pris en charge (Content-Encoding: ${ACCEPTED_ENCODINGS}) / unsupported Content-Encoding (accepted: ${ACCEPTED_ENCODINGS})`,
  'charset.unsupported': 'jeu de caractères non pris en charge (utf-8 attendu) / unsupported charset (utf-8 expected)',
  'request.aborted': 'requête interrompue par le client / request aborted by the client',
  'request.size.invalid': 'taille du corps différente de Content-Length / body size does not match Content-Length',
  'parameters.too.many': 'trop de paramètres / too many parameters',
  'entity.verify.failed': 'corps de requête refusé / request body refused',
  'uri.malformed': 'encodage pourcent invalide dans le chemin / bad percent-encoding in the path',
  'body.undecodable': 'corps compressé illisible / compressed request body cannot be decoded',
  'body.invalid.utf8': 'corps de requête en UTF-8 invalide / request body is not valid UTF-8',
  'content-type.unsupported': 'Content-Type application/json attendu / Content-Type application/json expected',
};

const CODE_OF: Partial<Record<number, VigieErrorCode>> = { 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT', 429: 'RATE_LIMITED' };

/** The 4xx a foreign error carries (`status` or `statusCode`, as http-errors and Express set them), else null. */
function clientStatusOf(err: unknown): number | null {
  if (err === null || typeof err !== 'object') return null;
  const { status, statusCode } = err as { status?: unknown; statusCode?: unknown };
  const s = typeof status === 'number' ? status : statusCode;
  return typeof s === 'number' && Number.isInteger(s) && s >= 400 && s <= 499 ? s : null;
}

/** What the error middleware answers: the status, the error to show, and `type` (for the log and headers). */
export interface ClassifiedError {
  status: number;
  /** The error as the client sees it; null for a bug (a 500 whose detail stays in the log). */
  error: VigieError | null;
  /** body-parser's `type`, `uri.malformed` or `body.undecodable` for mapped foreign errors. */
  type?: string;
}

/**
 * Classifies an error reaching the error middleware. A VigieError keeps its code's status (core/errors.ts
 * `httpStatusOf`); a foreign error carrying a 4xx `status`/`statusCode` (body-parser, Express's URIError for a
 * path parameter that does not decode) keeps that status and becomes a VigieError (`VALIDATION`, or the code of
 * 401/403/404/409/429) with a short bilingual message, the original as `cause`; anything else is a bug: 500.
 */
export function classifyError(err: unknown, req: Request): ClassifiedError {
  if (err instanceof VigieError) return { status: httpStatusOf(err), error: err };
  const status = clientStatusOf(err);
  if (status === null) return { status: 500, error: null };
  let type = (err as { type?: unknown }).type;
  if (typeof type !== 'string') {
    const coding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (err instanceof URIError) type = 'uri.malformed';
    else if (status === 400 && coding !== 'identity') type = 'body.undecodable';
  }
  const known = typeof type === 'string' ? MESSAGES[type] : undefined;
  const message = known ?? `requête refusée (HTTP ${status}) / request refused (HTTP ${status})`;
  const issues = status === 413 || type === 'entity.parse.failed' || type === 'body.undecodable' || type === 'body.invalid.utf8' ? [{ path: '(body)', message }] : [];
  return { status, error: new VigieError(CODE_OF[status] ?? 'VALIDATION', message, { issues, cause: err }), ...(typeof type === 'string' ? { type } : {}) };
}
