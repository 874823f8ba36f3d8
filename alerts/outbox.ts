import type { AlertIncident, AlertNotice, AlertRepository } from '../db/index.js';
import type { QuietDecision } from './quiet.js';

/** Sends one notice; rejects when it could not be handed over (the outbox retries). */
export type NoticeSender = (notice: AlertNotice, incident: AlertIncident) => Promise<void>;

/** Default longest a send may stay pending: above the e-mail channel's connection + greeting + socket timeouts. */
export const DELIVERY_DEADLINE_MS = 120_000;

/** `p`, or a rejection once `ms` have passed with `p` still pending (the send itself is left to settle on its own). */
function withDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`envoi toujours en attente après ${Math.round(ms / 1000)} s / delivery still pending after ${Math.round(ms / 1000)} s`)), ms);
    timer.unref?.();
  });
  p.catch(() => undefined);
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** Longest wait between two attempts of a notice (issue 10 item 3: backoff capped at 60 s). */
export const MAX_BACKOFF_MS = 60_000;

/** Wait before attempt `attempts + 1` after `attempts` failures: 5 s, 10 s, 20 s, 40 s, then 60 s. */
export function backoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, 5_000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Whether a send failure is permanent: an SMTP 5xx reply (RFC 5321 §4.2.1: permanent negative completion — no such
 * mailbox, relay denied, authentication refused) or an error marked
 * `permanent` (a webhook answering 4xx, a channel that is not configured). Retrying cannot help: the notice is marked
 * failed and its recovery released. Anything else — connection refused, timeout, SMTP 4xx, HTTP 5xx — is retried.
 */
export function isPermanent(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  if ((err as { permanent?: unknown }).permanent === true) return true;
  const code = (err as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code <= 599;
}

/**
 * Delivers the notices due at `now` (issue 10 item 3): at least once, each with its fixed Message-ID; a failure is
 * recorded and retried with {@link backoffMs}; a recovery is not due while the down notice of its incident to the same
 * recipient is pending (the store's `dueNotices`), so it never precedes it (F25); a permanent failure marks the notice
 * failed (its recovery is then released, with a note: templates.ts) and calls `onPermanentFailure`. Returns the counts.
 */
export async function deliverDue(
  repo: Pick<AlertRepository, 'dueNotices' | 'markSent' | 'markAttemptFailed'> & Partial<Pick<AlertRepository, 'deferNotice'>>,
  send: NoticeSender,
  now: Date,
  opts: {
    /** Called once a notice failed for good (the service tells the operators: `recordFailedDelivery`). */
    onPermanentFailure?: (notice: AlertNotice, error: string) => Promise<void>;
    /** Quiet hours (alerts/quiet.ts): a notice may wait, or go into its recipient's summary (`toDigest`). */
    quiet?: (notice: AlertNotice, incident: AlertIncident, now: number) => QuietDecision;
    toDigest?: (notice: AlertNotice, incident: AlertIncident, periodEnd: number) => Promise<void>;
    /**
     * Longest a send may stay pending, ms (default {@link DELIVERY_DEADLINE_MS}): past it the attempt counts as failed
     * and is retried (same Message-ID), whatever the channel's own timeouts did — the outbox never waits forever.
     */
    deadlineMs?: number;
  } = {},
): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  const digested = new Set<string>();
  for (const notice of await repo.dueNotices(now)) {
    const decision = opts.quiet?.(notice, notice.incident, now.getTime()) ?? { action: 'send' };
    if (decision.action === 'defer') {
      await repo.deferNotice?.(notice.id, new Date(decision.until));
      continue;
    }
    if (decision.action === 'digest') {
      // Its down and recovery to this recipient become `digest` at once (the recovery may be in this batch too).
      const key = `${notice.incidentId}:${notice.channel}:${notice.recipient}`;
      if (!digested.has(key)) await opts.toDigest?.(notice, notice.incident, decision.periodEnd);
      digested.add(key);
      continue;
    }
    try {
      await withDeadline(send(notice, notice.incident), opts.deadlineMs ?? DELIVERY_DEADLINE_MS);
      await repo.markSent(notice.id, now);
      sent += 1;
    } catch (err) {
      failed += 1;
      const retryAt = isPermanent(err) ? null : new Date(now.getTime() + backoffMs(notice.attempts + 1));
      const message = err instanceof Error ? err.message : String(err);
      await repo.markAttemptFailed(notice.id, message, retryAt);
      if (retryAt === null) await opts.onPermanentFailure?.(notice, message);
    }
  }
  return { sent, failed };
}
