import { afterAll, afterEach, beforeEach } from 'vitest';
import pino from 'pino';
import type { AlertsConfig } from '../../core/config/alerts.js';
import type { VigieConfig } from '../../core/config/schema.js';
import type { Store } from '../../db/index.js';
import { closeSharedPglite, freshPgliteStore } from '../../db/__tests__/shared-pglite.js';
import { createEngine } from '../../engine/index.js';
import { startAlerting, type AlertingOptions } from '../service.js';
import { startSmtp } from './smtp.js';

/**
 * The setting of an alert scenario test file: a fresh store (one PGlite per file, emptied per test) and a real SMTP
 * server per test, both on `ctx`. Registers the file's hooks; call it at the top level.
 */
export function alertScenario(smtpOptions: Parameters<typeof startSmtp>[0] = {}) {
  const ctx = {} as { store: Store; smtp: Awaited<ReturnType<typeof startSmtp>> };
  beforeEach(async () => {
    ctx.store = await freshPgliteStore();
    ctx.smtp = await startSmtp(smtpOptions);
  });
  afterEach(() => ctx.smtp?.close());
  afterAll(closeSharedPglite);
  return ctx;
}

/** The alerting loop of `vigie start` over `store` at the injected time `clock.now` (no timer fires in a test). */
export function scenarioAlerting(store: Store, config: VigieConfig, clock: { now: number }, more: Partial<Pick<AlertingOptions, 'secrets' | 'status'>> = {}) {
  const engine = createEngine(store, { clock: () => new Date(clock.now) });
  return startAlerting({
    config: config as VigieConfig & { alerts: AlertsConfig },
    repo: store.alerts,
    slots: (r) => engine.slots(r),
    secrets: more.secrets ?? { webhooks: new Map() },
    ...(more.status ? { status: more.status } : {}),
    logger: pino({ level: 'silent' }),
    clock: () => clock.now,
  });
}
