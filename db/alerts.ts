import type { FlappingState } from '../core/sla/flapping.js';
import type { IncidentState } from '../core/sla/incidents.js';
import type { Db } from './db.js';
import { toIso } from './run-rows.js';
import { addRecoveryNotices } from './alert-notices.js';
import { createAlertNotesRepository, type AlertNotesRepository } from './alert-notes.js';
import { routeIncidents, type RoutingInput, type RoutingSummary } from './alert-routing.js';
import { addToQuietDigest, ensureDailyDigest, type DigestEntry } from './alert-digest.js';
import { reconcileStoreAlert, recordFailedDelivery, syncInternalIncidents, type FailedDelivery, type InternalCondition, type InternalKind, type InternalSummary, type OfflineStoreAlert } from './alert-internal.js';
import { BROWSER_UNUSABLE_REASON, CRASH_REASON } from '../core/run-types.js';

/** An alert incident as stored (migration 005): opened by the evaluator, resolved from the slots. */
export interface AlertIncident {
  id: number;
  scheduleId: string;
  journey: string;
  target: string;
  tenant: string;
  /**
   * `outage` (an ENT journey down); `security`: an outage confirmed by a slot of kind `security` (a logout that left
   * the SSO session alive), told to the security contacts too; `internal`: Vigie watching itself (never ENT downtime).
   */
  severity: 'outage' | 'security' | 'degraded' | 'flapping' | 'internal';
  /**
   * `series`: one schedule's incident; `platform`: groups the incidents of one target's journey (tenant `*`);
   * `internal`: a watchdog condition (db/alert-internal.ts: `scheduleId` is its key, `journey` its kind).
   */
  scope: 'series' | 'platform' | 'internal';
  /** Internal incidents: the location concerned; null otherwise. */
  location: string | null;
  /** Internal incidents: what the condition said when it opened (schedules of a silent location…); {} otherwise. */
  detail: Record<string, unknown>;
  /** The platform incident this one belongs to (it then sends nothing of its own); null otherwise. */
  platformId: number | null;
  /** Platform incidents: how many establishments' incidents it groups (0 for a series incident). */
  members: number;
  /** Start of the first down slot, ISO. */
  outageStart: string;
  /** Start of the slot that opened it (the K-th consecutive down slot), ISO. */
  openedAt: string;
  /** Start of the first up slot after it, ISO; null while open. */
  resolvedAt: string | null;
  /** When and by whom it was first acknowledged (issue 10 item 8); null until then. */
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  /** Added by the alert service for a down notice (not stored): what failed at the confirming slot. */
  failure?: { runId: number; reason: string | null; step: string | null; screenshotAttempt: number | null };
  /** Added by the alert service (not stored): whether the outage began inside the weekly service hours of `clause`. */
  serviceHours?: { clause: string; inside: boolean };
}

/** One notice of the outbox: a message to one recipient on one channel, with its delivery state. */
export interface AlertNotice {
  id: number;
  incidentId: number;
  kind: 'down' | 'recovery';
  channel: Recipient['channel'];
  recipient: string;
  /** Fixed at creation: every attempt sends the same Message-ID, so a receiver can drop a duplicate. */
  messageId: string;
  /** `digest`: not sent on its own, told in its recipient's summary of a quiet period (db/alert-digest.ts). */
  status: 'pending' | 'sent' | 'failed' | 'digest';
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  /** Recoveries from the outbox (`dueNotices`): the down notice to the same recipient failed for good. */
  downFailed?: boolean;
}

/** Where a notice goes: an e-mail address, or the id of a configured webhook. */
export interface Recipient {
  channel: 'email' | 'webhook';
  to: string;
}

/** The evaluator's stored state of a series: its outage incident state and its degraded one. */
export type SeriesAlertState = IncidentState & { degraded?: IncidentState; flapping?: FlappingState };

/** What one evaluation of one series decided, stored with its new state in one transaction. */
export interface SeriesEvaluation {
  series: { scheduleId: string; journey: string; target: string; tenant: string };
  /** Slots starting before this instant are evaluated (epoch ms). */
  evaluatedUntil: number;
  state: SeriesAlertState;
  /**
   * Incidents opened: outage start and opening slot (epoch ms), severity (default `outage`), and `notify: false` for an
   * incident recorded without notices (degraded by default): it is routed at once, to nobody.
   */
  opened: { outageStart: number; openedAt: number; severity?: 'outage' | 'security' | 'degraded' | 'flapping'; notify?: boolean; key?: string; detail?: Record<string, unknown> }[];
  /**
   * Incidents resolved: the outage start that identifies the incident (with `key` when it is not the schedule's:
   * flapping), and the first up slot (epoch ms).
   */
  resolved: { outageStart: number; resolvedAt: number; key?: string }[];
  /** The series stopped flapping: an outage still open and never told goes back to routing (told now). */
  release?: boolean;
  /** When the evaluation ran (epoch ms): notices are created then, due at once. */
  now: number;
  /**
   * Incidents opened now wait this long (ms) for the other establishments' results of their slot before their
   * notices are decided (db/alert-routing.ts); 0: decided at the next routing.
   */
  groupWaitMs: number;
}

interface IncidentRow {
  id: unknown;
  schedule_id: string;
  journey: string;
  target: string;
  tenant: string;
  severity: AlertIncident['severity'];
  scope: AlertIncident['scope'];
  platform_id: unknown;
  location?: string | null;
  detail?: Record<string, unknown> | null;
  members?: unknown;
  outage_start: Date;
  opened_at: Date;
  resolved_at: Date | null;
  acknowledged_at?: Date | null;
  acknowledged_by?: string | null;
}

interface NoticeRow {
  id: unknown;
  incident_id: unknown;
  kind: 'down' | 'recovery';
  channel: Recipient['channel'];
  recipient: string;
  message_id: string;
  status: AlertNotice['status'];
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

const toIncident = (r: IncidentRow): AlertIncident => ({
  id: Number(r.id),
  scheduleId: r.schedule_id,
  journey: r.journey,
  target: r.target,
  tenant: r.tenant,
  severity: r.severity,
  scope: r.scope,
  platformId: r.platform_id === null || r.platform_id === undefined ? null : Number(r.platform_id),
  members: Number(r.members ?? 0),
  location: r.location ?? null,
  detail: r.detail ?? {},
  outageStart: toIso(r.outage_start),
  openedAt: toIso(r.opened_at),
  resolvedAt: r.resolved_at ? toIso(r.resolved_at) : null,
  acknowledgedAt: r.acknowledged_at ? toIso(r.acknowledged_at) : null,
  acknowledgedBy: r.acknowledged_by ?? null,
});

const toNotice = (r: NoticeRow): AlertNotice => ({
  id: Number(r.id),
  incidentId: Number(r.incident_id),
  kind: r.kind,
  channel: r.channel,
  recipient: r.recipient,
  messageId: r.message_id,
  status: r.status,
  attempts: Number(r.attempts),
  nextAttemptAt: toIso(r.next_attempt_at),
  lastError: r.last_error,
  createdAt: toIso(r.created_at),
  sentAt: r.sent_at ? toIso(r.sent_at) : null,
});

export { noticeMessageId } from './alert-notices.js';

/** The alert evaluator's and the outbox's storage (migration 005). */
export interface AlertRepository extends AlertNotesRepository {
  /** Stored evaluator state per schedule: where it stopped and its incident state. */
  states(): Promise<Map<string, { evaluatedUntil: number; state: SeriesAlertState }>>;
  /**
   * Stores one series' evaluation in one transaction: its new state, the incidents it opened (idempotent on schedule
   * and outage start) and resolved, and one notice per transition and recipient (idempotent too). A crash before the
   * commit leaves the previous state: the next evaluation decides the same again.
   */
  applyEvaluation(e: SeriesEvaluation, messageDomain: string): Promise<void>;
  /** Pending notices due at `now`, oldest first; a recovery only once the down notice of its incident to the same recipient is sent. */
  dueNotices(now: Date, limit?: number): Promise<(AlertNotice & { incident: AlertIncident })[]>;
  markSent(id: number, at: Date): Promise<void>;
  /** Records a failed attempt: pending again at `retryAt`, or `failed` (permanent) when `retryAt` is null. */
  markAttemptFailed(id: number, error: string, retryAt: Date | null): Promise<void>;
  /**
   * Marks an incident acknowledged by `author` at `at`; a second acknowledgement keeps the first (who took it in hand
   * first stays on record). Returns the incident, or null when there is no such incident.
   */
  acknowledge(incidentId: number, author: string, at: Date): Promise<AlertIncident | null>;
  /** Decides the notices of the incidents waiting for it, platform incidents included (db/alert-routing.ts). */
  route(input: RoutingInput): Promise<RoutingSummary>;
  /**
   * Incidents oldest first; `tenant` also matches the platform incidents that establishment is part of, never the
   * internal ones (Vigie's own, for the operators).
   */
  listIncidents(filter?: { tenant?: string; open?: boolean }): Promise<AlertIncident[]>;
  listNotices(filter?: { incidentId?: number }): Promise<AlertNotice[]>;
  /** Opens and resolves the watchdog's internal incidents to match the conditions seen (db/alert-internal.ts). */
  syncInternal(input: { now: number; conditions: readonly InternalCondition[]; managed: readonly InternalKind[]; operators: readonly Recipient[]; domain: string }): Promise<InternalSummary>;
  /**
   * The failed run that confirmed a series incident (its opening slot): run id, reason, failed step and the attempt
   * whose screenshot is stored (the notice's "what failed" and links); null when there is none.
   */
  openingFailure(scheduleId: string, slot: string): Promise<{ runId: number; reason: string | null; step: string | null; screenshotAttempt: number | null } | null>;
  /** Holds a pending notice until `until` (quiet hours), without counting an attempt. */
  deferNotice(id: number, until: Date): Promise<void>;
  /** Puts an incident into a recipient's summary of its quiet period (db/alert-digest.ts). */
  addToQuietDigest(input: { recipient: Recipient; periodEnd: number; entry: DigestEntry; now: number; domain: string }): Promise<void>;
  /** The operators' daily digest of one local day, once (db/alert-digest.ts); true when created now. */
  ensureDailyDigest(input: { label: string; from: number; to: number; operators: readonly Recipient[]; now: number; domain: string }): Promise<boolean>;
  /** Tells the operators of a notice that failed for good (db/alert-internal.ts). */
  recordFailedDelivery(failed: FailedDelivery, operators: readonly Recipient[], now: number, domain: string): Promise<void>;
  /** Records a "store unavailable" alert told from the file outbox while the store was down (db/alert-internal.ts). */
  reconcileStoreAlert(alert: OfflineStoreAlert, now: number, domain: string): Promise<void>;
  /** Scheduled and manual attempts started in `[from, to)`, and those that lost their browser (crash, disconnect, launch). */
  browserCrashes(from: number, to: number): Promise<{ attempts: number; crashed: number }>;
}

/** {@link AlertRepository} on `db`. */
export function createAlertRepository(db: Db): AlertRepository {
  return {
    ...createAlertNotesRepository(db),
    async states() {
      const { rows } = await db.query<{ schedule_id: string; evaluated_until: Date; state: SeriesAlertState }>('SELECT schedule_id, evaluated_until, state FROM alert_series_state');
      return new Map(rows.map((r) => [r.schedule_id, { evaluatedUntil: r.evaluated_until.getTime(), state: r.state }]));
    },
    async applyEvaluation(e, domain) {
      await db.transaction(async (tx) => {
        const s = e.series;
        for (const o of e.opened) {
          // No notice yet: routing (db/alert-routing.ts) decides, after the group wait, whether it is a platform's.
          const key = o.key ?? s.scheduleId;
          await tx.query(
            `INSERT INTO alert_incidents (schedule_id, journey, target, tenant, severity, outage_start, opened_at, decide_after, detail)
             VALUES ($1, $2, $3, $4, $8, $5, $6, $7, $9::jsonb) ON CONFLICT (schedule_id, outage_start) DO NOTHING`,
            [key, s.journey, s.target, s.tenant, new Date(o.outageStart), new Date(o.openedAt), new Date(e.now + e.groupWaitMs), o.severity ?? 'outage', JSON.stringify(o.detail ?? {})],
          );
          // Recorded for nobody (degraded by default, an outage while the series flaps): routed now, never told.
          if (o.notify === false) {
            await tx.query('UPDATE alert_incidents SET routed_at = $3, decide_after = $3 WHERE schedule_id = $1 AND outage_start = $2 AND routed_at IS NULL', [key, new Date(o.outageStart), new Date(e.now)]);
          }
        }
        for (const r of e.resolved) {
          const { rows } = await tx.query<{ id: unknown; routed_at: Date | null; platform_id: unknown }>(
            'UPDATE alert_incidents SET resolved_at = $3 WHERE schedule_id = $1 AND outage_start = $2 AND resolved_at IS NULL RETURNING id, routed_at, platform_id',
            [r.key ?? s.scheduleId, new Date(r.outageStart), new Date(r.resolvedAt)],
          );
          // A routed incident of its own tells its recovery to whoever was told of the outage; a platform member's
          // recovery is the platform's (when its last member recovers); an unrouted one is told both by routing.
          const row = rows[0];
          if (row && row.routed_at && row.platform_id === null) await addRecoveryNotices(tx, Number(row.id), e.now, domain);
        }
        if (e.release) {
          await tx.query(
            `UPDATE alert_incidents i SET routed_at = NULL, decide_after = $2 WHERE schedule_id = $1 AND resolved_at IS NULL AND severity IN ('outage', 'security')
               AND routed_at IS NOT NULL AND platform_id IS NULL AND NOT EXISTS (SELECT 1 FROM alert_notices n WHERE n.incident_id = i.id)`,
            [s.scheduleId, new Date(e.now)],
          );
        }
        await tx.query(
          `INSERT INTO alert_series_state (schedule_id, evaluated_until, state) VALUES ($1, $2, $3::jsonb)
           ON CONFLICT (schedule_id) DO UPDATE SET evaluated_until = EXCLUDED.evaluated_until, state = EXCLUDED.state`,
          [s.scheduleId, new Date(e.evaluatedUntil), JSON.stringify(e.state)],
        );
      });
    },
    async dueNotices(now, limit = 100) {
      const { rows } = await db.query<NoticeRow & { down_failed?: boolean } & { [K in keyof IncidentRow as `i_${K & string}`]: IncidentRow[K] }>(
        `SELECT n.*, i.id AS i_id, i.schedule_id AS i_schedule_id, i.journey AS i_journey, i.target AS i_target, i.tenant AS i_tenant,
                i.severity AS i_severity, i.outage_start AS i_outage_start, i.opened_at AS i_opened_at, i.resolved_at AS i_resolved_at,
                i.scope AS i_scope, i.platform_id AS i_platform_id, i.acknowledged_at AS i_acknowledged_at, i.acknowledged_by AS i_acknowledged_by, i.location AS i_location, i.detail AS i_detail, (SELECT count(*) FROM alert_incidents m WHERE m.platform_id = i.id) AS i_members,
                (n.kind = 'recovery' AND EXISTS (SELECT 1 FROM alert_notices d WHERE d.incident_id = n.incident_id AND d.kind = 'down' AND d.channel = n.channel AND d.recipient = n.recipient AND d.status = 'failed')) AS down_failed
         FROM alert_notices n JOIN alert_incidents i ON i.id = n.incident_id
         WHERE n.status = 'pending' AND n.next_attempt_at <= $1
           AND (n.kind = 'down' OR NOT EXISTS (
             SELECT 1 FROM alert_notices d WHERE d.incident_id = n.incident_id AND d.kind = 'down' AND d.channel = n.channel
               AND d.recipient = n.recipient AND d.status = 'pending'))
         ORDER BY n.created_at, n.id LIMIT $2`,
        [now, limit],
      );
      return rows.map((r) => ({
        ...toNotice(r),
        ...(r.down_failed ? { downFailed: true } : {}),
        incident: toIncident({ id: r.i_id, schedule_id: r.i_schedule_id, journey: r.i_journey, target: r.i_target, tenant: r.i_tenant, severity: r.i_severity, scope: r.i_scope, platform_id: r.i_platform_id, members: r.i_members, outage_start: r.i_outage_start, opened_at: r.i_opened_at, resolved_at: r.i_resolved_at, acknowledged_at: r.i_acknowledged_at, acknowledged_by: r.i_acknowledged_by, location: r.i_location, detail: r.i_detail }),
      }));
    },
    async markSent(id, at) {
      await db.query("UPDATE alert_notices SET status = 'sent', sent_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1", [id, at]);
    },
    async markAttemptFailed(id, error, retryAt) {
      await db.query(
        "UPDATE alert_notices SET attempts = attempts + 1, last_error = $2, status = CASE WHEN $3::timestamptz IS NULL THEN 'failed' ELSE 'pending' END, next_attempt_at = COALESCE($3::timestamptz, next_attempt_at) WHERE id = $1",
        [id, error.slice(0, 2000), retryAt],
      );
    },
    async acknowledge(incidentId, author, at) {
      const { rows } = await db.query<IncidentRow>(
        `UPDATE alert_incidents i SET acknowledged_at = COALESCE(acknowledged_at, $2), acknowledged_by = COALESCE(acknowledged_by, $3) WHERE id = $1
         RETURNING i.*, (SELECT count(*) FROM alert_incidents m WHERE m.platform_id = i.id) AS members`,
        [incidentId, at, author],
      );
      return rows[0] ? toIncident(rows[0]) : null;
    },
    route: (input) => routeIncidents(db, input),
    async listIncidents(filter = {}) {
      const { rows } = await db.query<IncidentRow>(
        'SELECT i.*, (SELECT count(*) FROM alert_incidents m WHERE m.platform_id = i.id) AS members FROM alert_incidents i WHERE ($1::text IS NULL OR (scope <> \'internal\' AND tenant = $1) OR (scope = \'platform\' AND EXISTS (SELECT 1 FROM alert_incidents m WHERE m.platform_id = i.id AND m.tenant = $1))) AND ($2::boolean IS NULL OR (resolved_at IS NULL) = $2) ORDER BY outage_start, id',
        [filter.tenant ?? null, filter.open ?? null],
      );
      return rows.map(toIncident);
    },
    syncInternal: (input) => syncInternalIncidents(db, input),
    async openingFailure(scheduleId, slot) {
      const { rows } = await db.query<{ run_id: unknown; reason: string | null; step: string | null; attempt: number | null; shot: boolean | null }>(
        `SELECT r.id AS run_id, r.reason, f.step, f.attempt, f.screenshot IS NOT NULL AS shot
         FROM runs r LEFT JOIN failures f ON f.run_id = r.id AND f.scheduled_at = r.scheduled_at
         WHERE r.schedule_id = $1 AND r.scheduled_at = $2 AND r.trigger = 'scheduled' AND r.status = 'down'
         ORDER BY f.attempt DESC NULLS LAST, r.id LIMIT 1`,
        [scheduleId, new Date(slot)],
      );
      const r = rows[0];
      return r ? { runId: Number(r.run_id), reason: r.reason, step: r.step, screenshotAttempt: r.shot ? Number(r.attempt) : null } : null;
    },
    async deferNotice(id, until) {
      await db.query("UPDATE alert_notices SET next_attempt_at = $2 WHERE id = $1 AND status = 'pending'", [id, until]);
    },
    addToQuietDigest: (input) => addToQuietDigest(db, input),
    ensureDailyDigest: (input) => ensureDailyDigest(db, input),
    recordFailedDelivery: (failed, operators, now, domain) => recordFailedDelivery(db, failed, operators, now, domain),
    reconcileStoreAlert: (alert, now, domain) => reconcileStoreAlert(db, alert, now, domain),
    async browserCrashes(from, to) {
      const { rows } = await db.query<{ attempts: unknown; crashed: unknown }>(
        `SELECT count(*) AS attempts, count(*) FILTER (WHERE kind = 'infra' AND (reason = $3 OR reason LIKE $4)) AS crashed
         FROM attempts WHERE started_at >= $1 AND started_at < $2`,
        [new Date(from), new Date(to), CRASH_REASON, `${BROWSER_UNUSABLE_REASON}:%`],
      );
      return { attempts: Number(rows[0]?.attempts ?? 0), crashed: Number(rows[0]?.crashed ?? 0) };
    },
    async listNotices(filter = {}) {
      const { rows } = await db.query<NoticeRow>('SELECT * FROM alert_notices WHERE ($1::bigint IS NULL OR incident_id = $1) ORDER BY created_at, id', [filter.incidentId ?? null]);
      return rows.map(toNotice);
    },
  };
}
