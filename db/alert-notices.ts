import type { Db } from './db.js';
import type { Recipient } from './alerts.js';

/** The Message-ID of a notice: stable across attempts and restarts, unique per incident, kind and recipient. */
export function noticeMessageId(incidentId: number, kind: 'down' | 'recovery', recipient: string, domain: string): string {
  const who = Buffer.from(recipient.toLowerCase()).toString('base64url');
  return `<incident-${incidentId}.${kind}.${who}@${domain}>`;
}

/**
 * Adds one notice per recipient of an incident (idempotent: a recipient told once of a kind is never told twice,
 * whichever path adds it again), due at `now`, with its fixed Message-ID. Webhook notices get the same kind of id
 * (sent as their idempotency key).
 */
export async function addNotices(tx: Db, incidentId: number, kind: 'down' | 'recovery', recipients: readonly Recipient[], now: number, domain: string): Promise<void> {
  for (const r of recipients) {
    const key = r.channel === 'email' ? r.to : `webhook:${r.to}`;
    await tx.query(
      `INSERT INTO alert_notices (incident_id, kind, channel, recipient, message_id, next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (incident_id, kind, channel, recipient) DO NOTHING`,
      [incidentId, kind, r.channel, r.to, noticeMessageId(incidentId, kind, key, domain), new Date(now)],
    );
  }
}

/** The recovery of an incident, to exactly those who have a down notice of it (sent, pending or failed). */
export async function addRecoveryNotices(tx: Db, incidentId: number, now: number, domain: string): Promise<void> {
  const { rows } = await tx.query<{ channel: Recipient['channel']; recipient: string }>(
    "SELECT DISTINCT channel, recipient FROM alert_notices WHERE incident_id = $1 AND kind = 'down' ORDER BY channel, recipient",
    [incidentId],
  );
  await addNotices(tx, incidentId, 'recovery', rows.map((r) => ({ channel: r.channel, to: r.recipient })), now, domain);
}
