import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { AlertIncident, AlertNotice, AlertRepository, OfflineStoreAlert, Recipient } from '../db/index.js';
import { backoffMs, isPermanent, type NoticeSender } from './outbox.js';

/** What the file outbox holds while the store refuses writes: the alert and its notices' delivery. */
interface FileOutbox {
  since: number;
  notices: OfflineStoreAlert['notices'];
}

/** The file outbox's content, or null when it is not JSON of the expected shape. */
function parseFileOutbox(text: string): FileOutbox | null {
  try {
    const checked = fileOutboxSchema.safeParse(JSON.parse(text));
    return checked.success ? checked.data : null;
  } catch {
    return null;
  }
}

/** The file's shape, checked when it is read back (a damaged file is set aside, never trusted). */
const fileOutboxSchema = z.object({
  since: z.number().int().nonnegative(),
  notices: z
    .array(
      z.object({
        channel: z.enum(['email', 'webhook']),
        to: z.string().min(1).max(320),
        messageId: z.string().min(3).max(1000),
        sentAt: z.number().int().nonnegative().nullable(),
        attempts: z.number().int(),
      }),
    )
    .max(10_000),
});

/** Options of {@link createStoreAlert}. */
export interface StoreAlertOptions {
  /** The file outbox, e.g. `<dataDir>/internal-outbox.json` (it does not need the store). */
  file: string;
  /** Sends a notice (the same e-mail and webhook channels as the outbox). */
  send: NoticeSender;
  operators: readonly Recipient[];
  repo: Pick<AlertRepository, 'reconcileStoreAlert'>;
  domain: string;
  /** How long writes must have been refused before the operators are told, ms (a restart blip is not news). */
  graceMs: number;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  clock?: () => number;
}

/**
 * The "result store unavailable" alert (issue 10 item 6, F22: exactly one alert): the result path reports the store
 * state (`stateChanged`, from the sink's first refused write and first accepted one). Once writes have been refused for
 * the grace, the alert is written to a local file outbox and sent to the operators directly (the store cannot hold
 * its notice), retried with the outbox's backoff while it fails; when the store takes writes again, the file is
 * reconciled into the store (the incident, its down notices with the Message-IDs already used, their recoveries sent
 * by the ordinary outbox) and removed. A restart finds the file and carries on. Never counted as ENT downtime.
 */
export function createStoreAlert(opts: StoreAlertOptions) {
  const clock = opts.clock ?? Date.now;
  let state: FileOutbox | null = null;
  let graceTimer: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let work: Promise<void> = Promise.resolve();
  const serial = (f: () => Promise<void>) => (work = work.then(f).catch((err: unknown) => opts.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'alerte stockage : échec / store alert failed')));

  const save = async () => {
    if (!state) return void (await rm(opts.file, { force: true }));
    await mkdir(dirname(opts.file), { recursive: true });
    await writeFile(`${opts.file}.tmp`, JSON.stringify(state), { mode: 0o600 });
    await rename(`${opts.file}.tmp`, opts.file);
  };
  const incident = (s: FileOutbox): AlertIncident => {
    const iso = new Date(s.since).toISOString();
    return { id: 0, scheduleId: 'store', journey: 'store', target: '*', tenant: '*', severity: 'internal', scope: 'internal', platformId: null, members: 0, location: null, detail: {}, outageStart: iso, openedAt: iso, resolvedAt: null, acknowledgedAt: null, acknowledgedBy: null };
  };
  /** Sends what is not sent yet; schedules a retry for what failed. */
  const deliver = async () => {
    const s = state;
    if (!s) return;
    let retry: number | null = null;
    for (const n of s.notices) {
      if (n.sentAt !== null || n.attempts < 0) continue;
      const notice: AlertNotice = { id: 0, incidentId: 0, kind: 'down', channel: n.channel, recipient: n.to, messageId: n.messageId, status: 'pending', attempts: n.attempts, nextAttemptAt: new Date(clock()).toISOString(), lastError: null, createdAt: new Date(s.since).toISOString(), sentAt: null };
      try {
        await opts.send(notice, incident(s));
        n.sentAt = clock();
        n.attempts += 1;
      } catch (err) {
        n.attempts += 1;
        if (isPermanent(err)) n.attempts = -n.attempts; // failed for good: never retried, reconciled as pending
        else retry = Math.min(retry ?? Infinity, backoffMs(n.attempts));
        opts.logger.warn({ to: n.to, err: err instanceof Error ? err.message : String(err) }, "alerte stockage : envoi en échec / store alert: sending failed");
      }
    }
    // The retry is planned before the file is written: a full or read-only disk (a usual reason for the store to
    // refuse writes) must not stop the alert from being tried again.
    if (retry !== null) {
      retryTimer = setTimeout(() => void serial(deliver), retry);
      retryTimer.unref?.();
    }
    const told = s.notices.filter((n) => n.sentAt !== null).length;
    if (told > 0 && !s.notices.every((n) => n.sentAt !== null || n.attempts < 0)) opts.logger.warn({ told, of: s.notices.length }, 'alerte stockage : une partie des exploitants prévenue / store alert: some operators told');
    else if (told > 0) opts.logger.info({ told }, 'alerte stockage : exploitants prévenus / store alert: operators told');
    await save().catch((err: unknown) => opts.logger.error({ err: err instanceof Error ? err.message : String(err), file: opts.file }, "alerte stockage : fichier d'envoi non écrit (l'alerte est gardée en mémoire) / store alert: outbox file not written (kept in memory)"));
  };
  const raise = async (since: number) => {
    if (state) return;
    const who = (r: Recipient) => Buffer.from((r.channel === 'email' ? r.to : `webhook:${r.to}`).toLowerCase()).toString('base64url');
    state = { since, notices: opts.operators.map((r) => ({ channel: r.channel, to: r.to, messageId: `<store-${since}.down.${who(r)}@${opts.domain}>`, sentAt: null, attempts: 0 })) };
    opts.logger.error({ since: new Date(since).toISOString() }, 'stockage des résultats indisponible : les exploitants vont être prévenus / result store unavailable: telling the operators');
    await deliver();
  };
  /** Records the alert in the store, which takes writes again since `end`; the file goes once that is done. */
  const reconcile = async (end: number) => {
    const s = state;
    if (!s) return;
    clearTimeout(retryTimer);
    const notices = s.notices.map((n) => ({ ...n, attempts: Math.abs(n.attempts) }));
    await opts.repo.reconcileStoreAlert({ since: s.since, end, notices }, clock(), opts.domain);
    state = null;
    await save();
  };

  return {
    /** Reads a file outbox left by a previous process (its alert is then carried on or reconciled). */
    async restore(): Promise<void> {
      const text = await readFile(opts.file, 'utf8').catch(() => null);
      if (text === null) return;
      const parsed = parseFileOutbox(text);
      if (!parsed) {
        opts.logger.error({ file: opts.file }, 'alerte stockage : fichier illisible mis de côté / store alert: unreadable file set aside');
        await rename(opts.file, `${opts.file}.bad`).catch(() => undefined);
        return;
      }
      state = parsed;
      void serial(deliver);
    },
    /** The result path's news: `available` false at the first refused write, true at the first accepted one. */
    stateChanged(available: boolean, at: number): void {
      clearTimeout(graceTimer);
      graceTimer = undefined;
      if (!available) {
        graceTimer = setTimeout(() => {
          graceTimer = undefined;
          void serial(() => raise(at));
        }, Math.max(0, at + opts.graceMs - clock()));
        graceTimer.unref?.();
        return;
      }
      // The store takes writes again (or for the first time since this start): what the file holds goes into it.
      void serial(() => reconcile(at));
    },
    /** Settles the work in flight and stops the timers (the file stays for the next start). */
    async close(): Promise<void> {
      clearTimeout(graceTimer);
      clearTimeout(retryTimer);
      await work;
    },
  };
}

export type StoreAlert = ReturnType<typeof createStoreAlert>;
