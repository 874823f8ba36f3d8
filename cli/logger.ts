import { DateTime } from 'luxon';
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { isConnectionError } from '../db/db.js';

/** How log lines are written: `json` (one object a line, for log shippers) or `pretty` (for a person at a terminal). */
export type LogFormat = 'json' | 'pretty';

/**
 * The log format: `VIGIE_LOG_FORMAT` (`json` or `pretty`) when set, else `pretty` when standard output is a terminal
 * and `json` otherwise (a pipe, a file, a container's log driver).
 */
export function logFormat(env: NodeJS.ProcessEnv, isTty: boolean = process.stdout.isTTY === true): LogFormat {
  const asked = env.VIGIE_LOG_FORMAT;
  if (asked === 'json' || asked === 'pretty') return asked;
  return isTty ? 'pretty' : 'json';
}

/**
 * pino's `err` serializer, quieter: the message quotes each cause only when the error's own message does not already
 * (a VigieError made of a driver error repeats its text: pino printed `database unavailable: connect ECONNREFUSED …:
 * connect ECONNREFUSED …`), and an error meaning a database or peer cannot be reached (db/db.ts `isConnectionError`:
 * ECONNREFUSED, a lost connection, …) has no stack trace: it is an outage, not a bug, and it may be logged often.
 */
export function serializeError(err: unknown): unknown {
  const out = pino.stdSerializers.err(err as Error) as unknown;
  if (!(err instanceof Error) || !out || typeof out !== 'object') return out;
  let message = err.message;
  const seen = new Set<unknown>([err]);
  for (let cause = err.cause; cause instanceof Error && !seen.has(cause); cause = cause.cause) {
    seen.add(cause);
    if (cause.message && !message.includes(cause.message)) message += `: ${cause.message}`;
  }
  const fields = out as { message?: string; stack?: string; causeCode?: string; aggregateErrors?: { stack?: string }[] };
  fields.message = message;
  if (isConnectionError(err)) {
    delete fields.stack;
    for (const each of fields.aggregateErrors ?? []) delete each.stack;
    const code = [...seen].map((e) => (e as { code?: unknown }).code).find((c) => typeof c === 'string' && c !== 'UNAVAILABLE');
    if (typeof code === 'string') fields.causeCode = code;
  }
  return out;
}

/**
 * The process logger (pino). `VIGIE_LOG_LEVEL` sets the level (default `info`), `VIGIE_LOG_FORMAT` the format
 * ({@link logFormat}). Every line carries its local time with its offset (`"time":"2026-12-02T19:30:00.123+01:00"`,
 * the machine's zone, `TZ` honoured), never a bare epoch; pretty lines print it as `2026-12-02 19:30:00.123 +01:00`.
 * Pretty printing (pino-pretty as a synchronous stream) happens only at a terminal. Secrets are redacted by path as
 * a second line of defence: no code logs them on purpose. Errors under `err` go through {@link serializeError} (no
 * repeated text, no stack trace for an unreachable database). `destination` replaces standard output (tests).
 */
export function createLogger(env: NodeJS.ProcessEnv, name = 'vigie', destination?: DestinationStream, isTty?: boolean): Logger {
  const options = {
    name,
    level: env.VIGIE_LOG_LEVEL ?? 'info',
    timestamp: () => `,"time":"${DateTime.now().toISO()}"`,
    serializers: { err: serializeError },
    redact: { paths: ['password', '*.password', '*.*.password', 'token', '*.token', 'authorization', '*.authorization', 'headers.authorization'], censor: '[secret]' },
  };
  if (logFormat(env, isTty ?? process.stdout.isTTY === true) === 'json') return destination ? pino(options, destination) : pino(options);
  const stream = pretty({
    colorize: isTty ?? process.stdout.isTTY === true,
    sync: true,
    ignore: 'pid,hostname',
    translateTime: false,
    // `time` is already local ISO with its offset: shown as it is, a space for the T.
    customPrettifiers: { time: (t) => String(t).replace('T', ' ').replace(/([+-]\d\d:\d\d|Z)$/, ' $1') },
    ...(destination ? { destination } : {}),
  });
  return pino(options, stream);
}
