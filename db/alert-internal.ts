import type { Db } from './db.js';
import type { Recipient } from './alerts.js';
import { addNotices, addRecoveryNotices } from './alert-notices.js';

/** Kinds of internal conditions the watchdog raises (issue 10 item 6); none of them is ENT downtime. */
export type InternalKind = 'stale' | 'location' | 'store' | 'browser' | 'delivery' | 'digest';

/** A condition the watchdog sees now. One open incident per `key`, whatever `since` says at later passes. */
export interface InternalCondition {
  /** Stable key: `stale:<schedule>@<location>`, `location:<id>`, `store`, `browser`. */
  key: string;
  kind: InternalKind;
  /** When it started, epoch ms (a stale schedule: its first silent slot's start plus the grace). */
  since: number;
  target?: string;
  tenant?: string;
  location?: string;
  /** What the notice says beside the kind (schedules of a silent location, crash figures…). */
  detail?: Record<string, unknown>;
}

/**
 * Inserts an internal incident, routed at once (nobody waits for a group's results), idempotent on key and start;
 * `openedAt` is also its routing time. Returns its id, or null when that incident exists already.
 */
export async function insertInternalIncident(
  tx: Db,
  i: { key: string; kind: InternalKind; start: number; openedAt: number; resolvedAt?: number; target?: string; tenant?: string; location?: string; detail?: Record<string, unknown> },
): Promise<number | null> {
  const { rows } = await tx.query<{ id: unknown }>(
    `INSERT INTO alert_incidents (schedule_id, journey, target, tenant, severity, scope, outage_start, opened_at, routed_at, decide_after, resolved_at, location, detail)
     VALUES ($1, $2, $3, $4, 'internal', 'internal', $5, $6, $6, $6, $7, $8, $9::jsonb)
     ON CONFLICT (schedule_id, outage_start) DO NOTHING RETURNING id`,
    [i.key, i.kind, i.target ?? '*', i.tenant ?? '*', new Date(i.start), new Date(i.openedAt), i.resolvedAt === undefined ? null : new Date(i.resolvedAt), i.location ?? null, JSON.stringify(i.detail ?? {})],
  );
  return rows[0] ? Number(rows[0].id) : null;
}

/** What one {@link syncInternalIncidents} pass did. */
export interface InternalSummary {
  opened: number;
  resolved: number;
}

/**
 * Brings the internal incidents in line with the conditions seen at `now`, in one transaction: a condition with no
 * open incident of its key opens one (routed at once, one notice per operator: nobody waits for a group); an open
 * incident whose condition is gone resolves at `now` (the watchdog sees the end when a result arrives again) and its
 * recovery goes to whoever was told. Idempotent and restartable: a restart sees the same conditions and the open
 * incidents in the store, so it neither re-opens nor re-tells (F21 a: restarts do not move the deadline nor repeat the
 * message). `managed` lists the kinds this pass is authoritative for (the store condition is decided elsewhere).
 */
export async function syncInternalIncidents(
  db: Db,
  input: { now: number; conditions: readonly InternalCondition[]; managed: readonly InternalKind[]; operators: readonly Recipient[]; domain: string },
): Promise<InternalSummary> {
  const summary: InternalSummary = { opened: 0, resolved: 0 };
  await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: unknown; schedule_id: string; journey: InternalKind; location: string | null }>(
      "SELECT id, schedule_id, journey, location FROM alert_incidents WHERE scope = 'internal' AND resolved_at IS NULL",
    );
    // A stale schedule whose whole location went silent is now told by the location's incident: it ends without a
    // recovery (telling "RÉTABLI" for a schedule still silent would be false).
    const silent = new Set(input.conditions.filter((c) => c.kind === 'location').map((c) => c.location));
    const open = new Map(rows.map((r) => [r.schedule_id, r]));
    const seen = new Set(input.conditions.map((c) => c.key));
    for (const c of input.conditions) {
      if (open.has(c.key)) continue;
      const id = await insertInternalIncident(tx, { key: c.key, kind: c.kind, start: c.since, openedAt: input.now, target: c.target, tenant: c.tenant, location: c.location, detail: c.detail });
      if (id === null) continue;
      await addNotices(tx, id, 'down', input.operators, input.now, input.domain);
      summary.opened += 1;
    }
    for (const r of rows) {
      if (seen.has(r.schedule_id) || !input.managed.includes(r.journey)) continue;
      await tx.query('UPDATE alert_incidents SET resolved_at = $2 WHERE id = $1', [r.id, new Date(input.now)]);
      if (!(r.journey === 'stale' && silent.has(r.location ?? undefined))) await addRecoveryNotices(tx, Number(r.id), input.now, input.domain);
      summary.resolved += 1;
    }
  });
  return summary;
}

/** A "store unavailable" alert told while the store could not record it (alerts/store-alert.ts keeps it on disk). */
export interface OfflineStoreAlert {
  /** First refused write, epoch ms. */
  since: number;
  /** First accepted write again, epoch ms. */
  end: number;
  /** The down notices as sent (or not) from the file outbox, with their fixed Message-IDs. */
  notices: { channel: Recipient['channel']; to: string; messageId: string; sentAt: number | null; attempts: number }[];
}

/**
 * Records an offline "store unavailable" alert once the store answers again (reconciliation of the file outbox), in
 * one transaction: the internal incident (`store`, from the first refused write to the first accepted one), its down
 * notices with the Message-IDs already used (sent ones stay sent: never told twice; unsent ones are pending and the
 * outbox sends them, same Message-ID) and their recoveries. Idempotent on the incident's start: a second
 * reconciliation of the same file adds nothing.
 */
export async function reconcileStoreAlert(db: Db, alert: OfflineStoreAlert, now: number, domain: string): Promise<void> {
  await db.transaction(async (tx) => {
    const id = await insertInternalIncident(tx, { key: 'store', kind: 'store', start: alert.since, openedAt: alert.since, resolvedAt: alert.end });
    if (id === null) return;
    for (const n of alert.notices) {
      await tx.query(
        `INSERT INTO alert_notices (incident_id, kind, channel, recipient, message_id, status, attempts, next_attempt_at, created_at, sent_at)
         VALUES ($1, 'down', $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
        [id, n.channel, n.to, n.messageId, n.sentAt === null ? 'pending' : 'sent', n.attempts, new Date(now), new Date(alert.since), n.sentAt === null ? null : new Date(n.sentAt)],
      );
    }
    await addRecoveryNotices(tx, id, now, domain);
  });
}

/** A notice that failed for good (db `markAttemptFailed` with no retry), for {@link recordFailedDelivery}. */
export interface FailedDelivery {
  noticeId: number;
  incidentId: number;
  kind: 'down' | 'recovery';
  channel: Recipient['channel'];
  recipient: string;
  error: string;
}

/**
 * Tells the operators that a notice could not be delivered, for good (issue 10 item 3): one internal incident
 * `delivery` per incident and recipient (key `delivery:<incident id>:<recipient>`: its recovery failing too tells
 * nothing more), opened and closed at once (there is no recovery to wait for), one notice per operator. A failed
 * notice of a `delivery` incident itself raises nothing (an operator mailbox that refuses mail would loop).
 */
export async function recordFailedDelivery(db: Db, failed: FailedDelivery, operators: readonly Recipient[], now: number, domain: string): Promise<void> {
  await db.transaction(async (tx) => {
    const source = await tx.query<{ journey: string; scope: string; outage_start: Date }>('SELECT journey, scope, outage_start FROM alert_incidents WHERE id = $1', [failed.incidentId]);
    const from = source.rows[0];
    if (!from || (from.scope === 'internal' && from.journey === 'delivery')) return;
    const id = await insertInternalIncident(tx, {
      key: `delivery:${failed.incidentId}:${failed.channel}:${failed.recipient}`,
      kind: 'delivery',
      start: from.outage_start.getTime(),
      openedAt: now,
      resolvedAt: now,
      detail: { incidentId: failed.incidentId, kind: failed.kind, channel: failed.channel, recipient: failed.recipient, error: failed.error.slice(0, 500) },
    });
    if (id !== null) await addNotices(tx, id, 'down', operators, now, domain);
  });
}
