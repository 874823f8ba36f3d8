/**
 * Our own faults, typed (CONVENTIONS.md "Typed errors"). Failures of the monitored ENT are data (a `down` run), never
 * a VigieError. Callers branch on `code`, never on message text. The collector's error middleware maps codes to HTTP
 * statuses with {@link httpStatusOf}.
 */
export type VigieErrorCode =
  | 'CONFIG'
  | 'VALIDATION'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

/** A problem with one field of an input, `path` in dotted/bracket form (`schedules[2].every`). */
export interface Issue {
  path: string;
  message: string;
  /** For an unknown key, the key itself (under `path`): where it is written is the place to point at. */
  key?: string;
}

export class VigieError extends Error {
  readonly code: VigieErrorCode;
  /** Every problem found, for inputs validated as a whole (config files, imports). */
  readonly issues: readonly Issue[];
  /** For `RATE_LIMITED` and `UNAVAILABLE`: when to try again, in seconds (HTTP `Retry-After`). */
  readonly retryAfterSeconds?: number;

  constructor(code: VigieErrorCode, message: string, options: { cause?: unknown; issues?: Issue[]; retryAfterSeconds?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VigieError';
    this.code = code;
    this.issues = options.issues ?? [];
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

const STATUS: Record<VigieErrorCode, number> = {
  CONFIG: 400,
  VALIDATION: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** HTTP status for an error code (unknown errors are 500). */
export function httpStatusOf(err: unknown): number {
  return err instanceof VigieError ? STATUS[err.code] : 500;
}

export function isVigieError(err: unknown, code?: VigieErrorCode): err is VigieError {
  return err instanceof VigieError && (code === undefined || err.code === code);
}
