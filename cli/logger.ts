import pino, { type Logger } from 'pino';

/**
 * The process logger. JSON lines by default (for log shippers); `VIGIE_LOG_LEVEL` sets the level. Secrets are
 * redacted by path as a second line of defence: no code logs them on purpose.
 */
export function createLogger(env: NodeJS.ProcessEnv, name = 'vigie'): Logger {
  return pino({
    name,
    level: env.VIGIE_LOG_LEVEL ?? 'info',
    redact: { paths: ['password', '*.password', '*.*.password', 'token', '*.token', 'authorization', '*.authorization', 'headers.authorization'], censor: '[secret]' },
  });
}
