import type { Db } from './db.js';
import type { Recipient } from './alerts.js';
import { addNotices } from './alert-notices.js';
import { insertInternalIncident } from './alert-internal.js';

/** One incident as a digest lists it. */
export interface DigestEntry {
  incidentId: number;
  tenant: string;
  journey: string;
  severity: string;
  outageStart: string;
  resolvedAt: string | null;
}

/**
 * Puts an incident that opened and closed during `recipient`'s quiet period into that period's summary (issue 10
 * item 4), in one transaction: its notices to the recipient become `digest` (never sent on their own), and the
 * summary — an internal `digest` incident keyed by recipient and period end, one notice to the recipient, due a
 * minute later so that the other incidents of the period join it first — lists it. Idempotent per incident.
 */
export async function addToQuietDigest(db: Db, input: { recipient: Recipient; periodEnd: number; entry: DigestEntry; now: number; domain: string }): Promise<void> {
  const { recipient, periodEnd, entry, now } = input;
  await db.transaction(async (tx) => {
    await tx.query("UPDATE alert_notices SET status = 'digest' WHERE incident_id = $1 AND channel = $2 AND recipient = $3 AND status = 'pending'", [entry.incidentId, recipient.channel, recipient.to]);
    const key = `digest:${recipient.channel}:${recipient.to}`;
    const found = await tx.query<{ id: unknown; detail: { entries?: DigestEntry[] } }>("SELECT id, detail FROM alert_incidents WHERE scope = 'internal' AND schedule_id = $1 AND outage_start = $2", [key, new Date(periodEnd)]);
    const row = found.rows[0];
    if (row) {
      const entries = row.detail.entries ?? [];
      if (entries.some((e) => e.incidentId === entry.incidentId)) return;
      await tx.query('UPDATE alert_incidents SET detail = $2::jsonb WHERE id = $1', [row.id, JSON.stringify({ ...row.detail, entries: [...entries, entry] })]);
      return;
    }
    const id = await insertInternalIncident(tx, { key, kind: 'digest', start: periodEnd, openedAt: now, resolvedAt: now, detail: { kind: 'quiet', entries: [entry] } });
    if (id !== null) await addNotices(tx, id, 'down', [recipient], now + 60_000, input.domain);
  });
}

/**
 * The operators' daily digest of the local day `[from, to)` (`label` = its date), once: an internal `digest`
 * incident keyed `daily:<label>` listing the incidents opened that day (internal ones and digests left out), one
 * notice per operator. Returns whether it was created now.
 */
export async function ensureDailyDigest(db: Db, input: { label: string; from: number; to: number; operators: readonly Recipient[]; now: number; domain: string }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: unknown; tenant: string; journey: string; severity: string; outage_start: Date; resolved_at: Date | null }>(
      `SELECT id, tenant, journey, severity, outage_start, resolved_at FROM alert_incidents
       WHERE scope IN ('series', 'platform') AND platform_id IS NULL AND opened_at >= $1 AND opened_at < $2 ORDER BY opened_at, id`,
      [new Date(input.from), new Date(input.to)],
    );
    const entries: DigestEntry[] = rows.map((r) => ({ incidentId: Number(r.id), tenant: r.tenant, journey: r.journey, severity: r.severity, outageStart: r.outage_start.toISOString(), resolvedAt: r.resolved_at?.toISOString() ?? null }));
    const id = await insertInternalIncident(tx, { key: `daily:${input.label}`, kind: 'digest', start: input.from, openedAt: input.now, resolvedAt: input.now, detail: { kind: 'daily', day: input.label, entries } });
    if (id === null) return false;
    await addNotices(tx, id, 'down', input.operators, input.now, input.domain);
    return true;
  });
}
