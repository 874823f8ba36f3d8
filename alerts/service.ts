import type { Logger } from 'pino';
import type { AlertsConfig } from '../core/config/alerts.js';
import type { VigieConfig } from '../core/config/schema.js';
import { weeklyServiceIntervals } from '../core/calendar/service-hours.js';
import type { AlertIncident, AlertRepository } from '../db/index.js';
import type { SeriesSlots, SlotStreamRequest, StatusReport } from '../engine/index.js';
import { createEmailSender } from './email.js';
import { createAlertEvaluator, type EvaluationSummary } from './evaluator.js';
import { deliverDue, type NoticeSender } from './outbox.js';
import { routingFromConfig } from './routing.js';
import { createQuietPolicy, digestDay } from './quiet.js';
import { createStoreAlert } from './store-alert.js';
import { createWatchdog } from './watchdog.js';
import type { TemplateContext } from './templates.js';
import { createWebhookSender, PermanentDeliveryError } from './webhook.js';

/** Least interval between two watchdog passes, ms (a pass computes the whole current status). */
export const WATCHDOG_EVERY_MS = 15_000;

/** What {@link startAlerting} needs: the config, the store's alert repository, the engine's slot stream, secrets. */
export interface AlertingOptions {
  config: VigieConfig & { alerts: AlertsConfig };
  repo: AlertRepository;
  slots(req: Omit<SlotStreamRequest, 'now'>): Promise<SeriesSlots[]>;
  /** The engine's current status (the watchdog reads its freshness); absent: no watchdog. */
  status?(): Promise<StatusReport>;
  /**
   * The file outbox of the "store unavailable" alert (alerts/store-alert.ts), e.g. `<dataDir>/internal-outbox.json`;
   * absent: that alert is not raised.
   */
  storeAlertFile?: string;
  /** Resolved secrets: the SMTP password, the DKIM private key and each webhook's secret by id. */
  secrets: { smtpPassword?: string; dkimPrivateKey?: string; webhooks: ReadonlyMap<string, string> };
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** The clock, epoch ms (tests inject one). */
  clock?: () => number;
}

/** The alerting loop of `vigie start`: `tick` runs one pass now (tests), `close` stops it and releases the channels. */
export interface Alerting {
  tick(): Promise<{ evaluation: EvaluationSummary; internal: { opened: number; resolved: number }; sent: number; failed: number }>;
  /** The result path's news of the store (the sink's `onStoreState`): feeds the "store unavailable" alert. */
  storeState(available: boolean, at: number): void;
  close(): Promise<void>;
}

/**
 * Starts alerting (issue 10): every `alerts.every` seconds, the evaluator reads the slot stream and routes the
 * incidents, then the outbox delivers what is due on the e-mail and webhook channels. A pass that fails (store
 * unreachable) is logged once per outage and tried again at the next tick: nothing is lost, everything is in the
 * store. Ticks never overlap.
 */
export function startAlerting(opts: AlertingOptions): Alerting {
  const { config, logger } = opts;
  const alerts = config.alerts;
  const clock = opts.clock ?? Date.now;
  const ctx: TemplateContext = {
    zone: config.timezone,
    tenantName: (uai) => config.tenants.find((t) => t.uai === uai)?.name,
    targetName: (id) => config.targets.find((t) => t.id === id)?.name,
    ...(alerts.baseUrl ? { baseUrl: alerts.baseUrl } : {}),
  };
  const domain = alerts.messageDomain ?? (alerts.baseUrl ? new URL(alerts.baseUrl).hostname : 'vigie.localhost');
  const email = alerts.smtp
    ? createEmailSender(
        {
          host: alerts.smtp.host,
          port: alerts.smtp.port,
          secure: alerts.smtp.secure,
          ...(alerts.smtp.user && opts.secrets.smtpPassword !== undefined ? { auth: { user: alerts.smtp.user, pass: opts.secrets.smtpPassword } } : {}),
          from: alerts.smtp.from,
          ...(alerts.smtp.dkim && opts.secrets.dkimPrivateKey ? { dkim: { domainName: alerts.smtp.dkim.domain, keySelector: alerts.smtp.dkim.selector, privateKey: opts.secrets.dkimPrivateKey } } : {}),
          connectionTimeoutMs: alerts.smtp.connectionTimeout * 1000,
          greetingTimeoutMs: alerts.smtp.greetingTimeout * 1000,
          socketTimeoutMs: alerts.smtp.socketTimeout * 1000,
        },
        ctx,
      )
    : null;
  const webhook = createWebhookSender(
    alerts.webhooks.map((w) => ({ id: w.id, url: w.url, preset: w.preset, secret: opts.secrets.webhooks.get(w.id) ?? '' })),
    ctx,
  );
  /** Facts of each incident told in this pass: read once, whatever the number of its recipients. */
  let facts = new Map<number, Promise<AlertIncident>>();
  const factsOf = (incident: AlertIncident) => {
    let known = facts.get(incident.id);
    if (!known) facts.set(incident.id, (known = withFacts(incident)));
    return known;
  };
  const send: NoticeSender = async (notice, plain) => {
    const incident = notice.kind === 'down' ? await factsOf(plain) : plain;
    if (notice.channel === 'webhook') return webhook(notice, incident);
    if (!email) throw new PermanentDeliveryError("aucun relais SMTP configuré (alerts.smtp) / no SMTP relay configured (alerts.smtp)");
    return email.send(notice, incident);
  };
  /** A down notice's facts (issue 10 item 5): the failed run of the confirming slot, and the service hours then. */
  const withFacts = async (incident: AlertIncident): Promise<AlertIncident> => {
    if (incident.scope !== 'series') return incident;
    const failure = await opts.repo.openingFailure(incident.scheduleId, incident.openedAt);
    const clause = config.contracts.flatMap((c) => c.clauses).find((cl) => cl.journeys.includes(incident.journey) && cl.serviceHours !== '24/7');
    const t = Date.parse(incident.outageStart);
    const serviceHours = clause ? { clause: clause.name, inside: weeklyServiceIntervals(clause.serviceHours, t, t + 1, config.timezone).length > 0 } : undefined;
    return { ...incident, ...(failure ? { failure } : {}), ...(serviceHours ? { serviceHours } : {}) };
  };
  const routing = routingFromConfig(alerts);
  const evaluator = createAlertEvaluator({
    slots: opts.slots,
    repo: opts.repo,
    routing,
    k: alerts.k,
    groupWaitMs: alerts.groupWait * 1000,
    notifyDegraded: alerts.notifyDegraded,
    flapping: alerts.flapping.enabled ? { changes: alerts.flapping.changes, window: alerts.flapping.slots } : null,
    messageDomain: domain,
  });

  const status = opts.status;
  const watchdog = status
    ? createWatchdog({
        status,
        crashes: (from, to) => opts.repo.browserCrashes(from, to),
        repo: opts.repo,
        operators: routing.operators,
        domain,
        crashRule: alerts.watchdog.browserCrashes,
      })
    : null;
  const storeAlert = opts.storeAlertFile
    ? createStoreAlert({ file: opts.storeAlertFile, send, operators: routing.operators, repo: opts.repo, domain, graceMs: alerts.watchdog.storeGrace * 1000, logger, clock })
    : null;
  const restored = storeAlert?.restore() ?? Promise.resolve();
  const quiet = createQuietPolicy(alerts, config.timezone);
  let lastDigest: string | null = null;
  let lastWatchdog = -Infinity;
  let failing = false;
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const pass = async () => {
    await restored;
    facts = new Map();
    const now = clock();
    const evaluation = await evaluator.evaluate(now);
    // The watchdog reads the whole status (24 hours of every series): at most every WATCHDOG_EVERY_MS, whatever
    // `alerts.every` says (a 1-second alert tick made the engine thread compute the status every second).
    const due = watchdog !== null && now - lastWatchdog >= WATCHDOG_EVERY_MS;
    const internal = due ? await watchdog.evaluate() : { opened: 0, resolved: 0 };
    if (due) lastWatchdog = now;
    const day = alerts.digest ? digestDay(now, alerts.digest.at, config.timezone) : null;
    if (day && day.label !== lastDigest) {
      await opts.repo.ensureDailyDigest({ ...day, operators: routing.operators, now, domain });
      lastDigest = day.label;
    }
    const delivery = await deliverDue(opts.repo, send, new Date(now), {
      onPermanentFailure: (notice, error) =>
        opts.repo.recordFailedDelivery({ noticeId: notice.id, incidentId: notice.incidentId, kind: notice.kind, channel: notice.channel, recipient: notice.recipient, error }, routing.operators, now, domain),
      ...(quiet
        ? {
            quiet,
            toDigest: (notice, incident, periodEnd) =>
              opts.repo.addToQuietDigest({
                recipient: { channel: notice.channel, to: notice.recipient },
                periodEnd,
                entry: { incidentId: incident.id, tenant: incident.tenant, journey: incident.journey, severity: incident.severity, outageStart: incident.outageStart, resolvedAt: incident.resolvedAt },
                now,
                domain,
              }),
          }
        : {}),
    });
    if (evaluation.opened + evaluation.resolved + evaluation.platformsOpened + internal.opened + internal.resolved + delivery.sent + delivery.failed > 0) {
      logger.info({ ...evaluation, internalOpened: internal.opened, internalResolved: internal.resolved, ...delivery }, 'alertes évaluées / alerts evaluated');
    }
    return { evaluation, internal: { opened: internal.opened, resolved: internal.resolved }, ...delivery };
  };
  const tick = () => {
    const next = running.then(pass);
    running = next.then(
      () => {
        if (failing) logger.info('alertes : de nouveau en service / alerts: working again');
        failing = false;
      },
      (err: unknown) => {
        if (!failing) logger.warn({ err: err instanceof Error ? err.message : String(err) }, "alertes : passe en échec, nouvel essai au prochain tour / alerts: pass failed, trying again at the next tick");
        failing = true;
      },
    );
    return next;
  };
  const schedule = () => {
    if (closed) return;
    timer = setTimeout(() => {
      void tick()
        .catch(() => undefined)
        .finally(schedule);
    }, alerts.every * 1000);
    timer.unref?.();
  };
  schedule();
  return {
    tick,
    storeState: (available, at) => storeAlert?.stateChanged(available, at),
    async close() {
      closed = true;
      clearTimeout(timer);
      await running.catch(() => undefined);
      await storeAlert?.close();
      email?.close();
    },
  };
}
