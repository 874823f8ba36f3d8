import type { IncidentState } from '../core/sla/incidents.js';
import type { Db } from './db.js';
import { toIso } from './run-rows.js';

/** An alert incident as stored (migration 005): opened by the evaluator, resolved from the slots. */
export interface AlertIncident {
  id: number;
  scheduleId: string;
  journey: string;
  target: string;
  tenant: string;
  severity: 'outage';
  /** Start of the first down slot, ISO. */
  outageStart: string;
  /** Start of the slot that opened it (the K-th consecutive down slot), ISO. */
  openedAt: string;
  /** Start of the first up slot after it, ISO; null while open. */
  resolvedAt: string | null;
}

/** One notice of the outbox: a message to one recipient on one channel, with its delivery state. */
export interface AlertNotice {
  id: number;
  incidentId: number;
  kind: 'down' | 'recovery';
  channel: 'email';
  recipient: string;
  /** Fixed at creation: every attempt sends the same Message-ID, so a receiver can drop a duplicate. */
  messageId: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** What one evaluation of one series decided, stored with its new state in one transaction. */
export interface SeriesEvaluation {
  series: { scheduleId: string; journey: string; target: string; tenant: string };
  /** Slots starting before this instant are evaluated (epoch ms). */
  evaluatedUntil: number;
  state: IncidentState;
  /** Incidents opened: outage start and opening slot (epoch ms). */
  opened: { outageStart: number; openedAt: number }[];
  /** Incidents resolved: the outage start that identifies the incident, and the first up slot (epoch ms). */
  resolved: { outageStart: number; resolvedAt: number }[];
  /** Recipients of this series' notices (e-mail addresses); each transition makes one notice per recipient. */
  recipients: readonly string[];
  /** When the evaluation ran (epoch ms): notices are created then, due at once. */
  now: number;
}

interface IncidentRow {
  id: unknown;
  schedule_id: string;
  journey: string;
  target: string;
  tenant: string;
  severity: 'outage';
  outage_start: Date;
  opened_at: Date;
  resolved_at: Date | null;
}

interface NoticeRow {
  id: unknown;
  incident_id: unknown;
  kind: 'down' | 'recovery';
  channel: 'email';
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
  outageStart: toIso(r.outage_start),
  openedAt: toIso(r.opened_at),
  resolvedAt: r.resolved_at ? toIso(r.resolved_at) : null,
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

/** The Message-ID of a notice: stable across attempts and restarts, unique per incident, kind and recipient. */
export function noticeMessageId(incidentId: number, kind: 'down' | 'recovery', recipient: string, domain: string): string {
  const who = Buffer.from(recipient.toLowerCase()).toString('base64url');
  return `<incident-${incidentId}.${kind}.${who}@${domain}>`;
}

/** The alert evaluator's and the outbox's storage (migration 005). */
export interface AlertRepository {
  /** Stored evaluator state per schedule: where it stopped and its incident state. */
  states(): Promise<Map<string, { evaluatedUntil: number; state: IncidentState }>>;
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
  listIncidents(filter?: { tenant?: string; open?: boolean }): Promise<AlertIncident[]>;
  listNotices(filter?: { incidentId?: number }): Promise<AlertNotice[]>;
}

/** {@link AlertRepository} on `db`. */
export function createAlertRepository(db: Db): AlertRepository {
  return {
    async states() {
      const { rows } = await db.query<{ schedule_id: string; evaluated_until: Date; state: IncidentState }>('SELECT schedule_id, evaluated_until, state FROM alert_series_state');
      return new Map(rows.map((r) => [r.schedule_id, { evaluatedUntil: r.evaluated_until.getTime(), state: r.state }]));
    },
    async applyEvaluation(e, domain) {
      await db.transaction(async (tx) => {
        const s = e.series;
        for (const o of e.opened) {
          const { rows } = await tx.query<{ id: unknown }>(
            `INSERT INTO alert_incidents (schedule_id, journey, target, tenant, severity, outage_start, opened_at)
             VALUES ($1, $2, $3, $4, 'outage', $5, $6) ON CONFLICT (schedule_id, outage_start) DO NOTHING RETURNING id`,
            [s.scheduleId, s.journey, s.target, s.tenant, new Date(o.outageStart), new Date(o.openedAt)],
          );
          if (rows[0]) await addNotices(tx, Number(rows[0].id), 'down', e.recipients, e.now, domain);
        }
        for (const r of e.resolved) {
          const { rows } = await tx.query<{ id: unknown }>(
            'UPDATE alert_incidents SET resolved_at = $3 WHERE schedule_id = $1 AND outage_start = $2 AND resolved_at IS NULL RETURNING id',
            [s.scheduleId, new Date(r.outageStart), new Date(r.resolvedAt)],
          );
          if (rows[0]) await addNotices(tx, Number(rows[0].id), 'recovery', e.recipients, e.now, domain);
        }
        await tx.query(
          `INSERT INTO alert_series_state (schedule_id, evaluated_until, state) VALUES ($1, $2, $3::jsonb)
           ON CONFLICT (schedule_id) DO UPDATE SET evaluated_until = EXCLUDED.evaluated_until, state = EXCLUDED.state`,
          [s.scheduleId, new Date(e.evaluatedUntil), JSON.stringify(e.state)],
        );
      });
    },
    async dueNotices(now, limit = 100) {
      const { rows } = await db.query<NoticeRow & { [K in keyof IncidentRow as `i_${K & string}`]: IncidentRow[K] }>(
        `SELECT n.*, i.id AS i_id, i.schedule_id AS i_schedule_id, i.journey AS i_journey, i.target AS i_target, i.tenant AS i_tenant,
                i.severity AS i_severity, i.outage_start AS i_outage_start, i.opened_at AS i_opened_at, i.resolved_at AS i_resolved_at
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
        incident: toIncident({ id: r.i_id, schedule_id: r.i_schedule_id, journey: r.i_journey, target: r.i_target, tenant: r.i_tenant, severity: r.i_severity, outage_start: r.i_outage_start, opened_at: r.i_opened_at, resolved_at: r.i_resolved_at }),
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
    async listIncidents(filter = {}) {
      const { rows } = await db.query<IncidentRow>(
        'SELECT * FROM alert_incidents WHERE ($1::text IS NULL OR tenant = $1) AND ($2::boolean IS NULL OR (resolved_at IS NULL) = $2) ORDER BY outage_start, id',
        [filter.tenant ?? null, filter.open ?? null],
      );
      return rows.map(toIncident);
    },
    async listNotices(filter = {}) {
      const { rows } = await db.query<NoticeRow>('SELECT * FROM alert_notices WHERE ($1::bigint IS NULL OR incident_id = $1) ORDER BY created_at, id', [filter.incidentId ?? null]);
      return rows.map(toNotice);
    },
  };
}

async function addNotices(tx: Db, incidentId: number, kind: 'down' | 'recovery', recipients: readonly string[], now: number, domain: string): Promise<void> {
  for (const recipient of recipients) {
    await tx.query(
      `INSERT INTO alert_notices (incident_id, kind, channel, recipient, message_id, next_attempt_at, created_at)
       VALUES ($1, $2, 'email', $3, $4, $5, $5) ON CONFLICT (incident_id, kind, channel, recipient) DO NOTHING`,
      [incidentId, kind, recipient, noticeMessageId(incidentId, kind, recipient, domain), new Date(now)],
    );
  }
}
