/**
 * Who asks, and what they may do: every handler of the HTTP API and of the admin API receives one (CONVENTIONS.md
 * "One composition root per process": the collector builds it from the request, `cli/` for its own commands). The
 * access-control work fills `scopes` from API tokens (`ingest:<location>`, `read:tenant:<uai>`,
 * `read:contract:<id>`, `admin`); until then the admin token gives `admin` and anonymous readers get none.
 */
export interface RequestContext {
  /** Who is acting, for audit entries and logs: `token:admin`, `anonymous`, `cli:<user>`. Never a secret. */
  actor: string;
  /** What the actor may do; `admin` may do everything. */
  scopes: readonly string[];
}

/** A context for a local command run by an operator on the machine (full rights: it could open the store itself). */
export function operatorContext(user: string): RequestContext {
  return { actor: `cli:${user}`, scopes: ['admin'] };
}

/** The context of an unauthenticated HTTP request. */
export const ANONYMOUS: RequestContext = Object.freeze({ actor: 'anonymous', scopes: Object.freeze([]) as readonly string[] });

/** Whether the context holds `scope` (or `admin`). */
export function hasScope(ctx: RequestContext, scope: string): boolean {
  return ctx.scopes.includes('admin') || ctx.scopes.includes(scope);
}
