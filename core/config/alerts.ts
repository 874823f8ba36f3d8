import { z } from 'zod';
import type { Issue } from '../errors.js';
import { indexed, obj, str, type Raw } from './raw.js';
import { durationIn, id, strictObject } from './primitives.js';
import { secretRef } from './secret.js';
import { weeklyHoursSchema } from './contract.js';

/**
 * The `alerts:` section of `vigie.yml` (issue 10; alerts/README.md): when incidents open (K), how establishments and
 * the region are told (e-mail over SMTP, signed webhooks) and who is told what (routing). Rules: DESIGN.md §5
 * "Outage episodes and incidents". Secrets (SMTP password, webhook keys) are `{ env }` or `{ file }` references.
 */

const email = z.email('adresse e-mail attendue / expected an e-mail address');
const httpUrl = z.url({ protocol: /^https?$/, error: 'URL http(s) attendue / expected an http(s) URL' });

/** SMTP relay of the e-mail channel (nodemailer). Timeouts make every send settle (issue 10 "What the field taught"). */
export const smtpSchema = strictObject({
  host: z.string().min(1),
  /** TCP port, default 25 (587 for submission with STARTTLS, 465 with `secure: true`). */
  port: z.number().int().min(1).max(65535).default(25),
  /** TLS from the first byte (port 465); otherwise STARTTLS when the relay offers it. Default false. */
  secure: z.boolean().default(false),
  /** Login of an authenticated relay; `password` then required. */
  user: z.string().min(1).optional(),
  password: secretRef.optional(),
  /** Sender address (`From:`), e.g. `vigie@region.fr`. */
  from: email,
  /** Connection, greeting and socket timeouts, 1 s … 5 min (defaults 10 s, 10 s, 30 s). */
  connectionTimeout: durationIn({ min: 1, max: 300 }).default(10),
  greetingTimeout: durationIn({ min: 1, max: 300 }).default(10),
  socketTimeout: durationIn({ min: 1, max: 300 }).default(30),
  /**
   * DKIM signing of the messages (RFC 6376, by nodemailer): the signing `domain` (d=), the DNS `selector` (s=, the
   * TXT record `<selector>._domainkey.<domain>` holds the public key) and the PEM private key as a secret reference
   * (`{ file: /run/secrets/dkim.pem }` or `{ env }`). Absent: messages are not signed (the relay may sign them).
   */
  dkim: strictObject({
    domain: z.string().regex(/^[a-z0-9.-]+$/i, 'nom de domaine attendu / expected a domain name'),
    selector: z.string().regex(/^[a-z0-9._-]+$/i, 'sélecteur DKIM attendu / expected a DKIM selector'),
    privateKey: secretRef,
  }).optional(),
}).superRefine((s, ctx) => {
  if (s.user && !s.password) ctx.addIssue({ code: 'custom', path: ['password'], message: 'un relais authentifié (user) demande password: { env } ou { file } / an authenticated relay (user) needs password: { env } or { file }' });
});

/**
 * A webhook channel: each notice is POSTed as JSON, signed with HMAC-SHA256 of the body under `secret`
 * (`X-Vigie-Signature: sha256=<hex>`), with the notice's id as idempotency key (`Idempotency-Key`). Preset `matrix`
 * sends a Matrix `m.room.message` body (Tchap is Matrix) to a room-send URL. `to` says which notices it receives.
 */
export const webhookSchema = strictObject({
  id,
  url: httpUrl,
  secret: secretRef,
  preset: z.enum(['json', 'matrix']).default('json'),
  /** `operators`: platform incidents and internal alerts (the region's channel); `all`: every notice. Default operators. */
  to: z.enum(['operators', 'all']).default('operators'),
});

/** Who is told (issue 10 item 4). E-mail addresses; UAIs are `tenants[].uai`. */
export const contactsSchema = strictObject({
  /** Contacts of each establishment by UAI: `{ "0510100G": ["cpe@lycee.fr"] }`. */
  establishments: z.record(z.string(), z.array(email).max(50)).default({}),
  /**
   * The establishment's standard académie mailbox, used for an establishment without its own contacts: a pattern
   * with `{uai}` (lower case) or `{UAI}`, e.g. `ce.{uai}@ac-reims.fr` (académies give each establishment such a box).
   */
  mailboxPattern: z.string().regex(/\{uai\}|\{UAI\}/, 'motif avec {uai} attendu, par exemple ce.{uai}@ac-reims.fr / expected a pattern with {uai}, e.g. ce.{uai}@ac-reims.fr').optional(),
  /** The region's operators: platform incidents (one message for a platform-wide outage). */
  operators: z.array(email).max(50).default([]),
  /** Security contact (RSSI / DPO) for `security` incidents. */
  security: z.array(email).max(50).default([]),
});

/**
 * Vigie watching itself (issue 10 item 6): internal alerts to the operators, never ENT downtime. Schedules without
 * results past their `grace` (schedules[].grace) and silent locations are always watched; the browser crash rate
 * over the last hour pages when at least `minAttempts` attempts ran and the crashed share reaches `threshold`.
 */
export const watchdogSchema = strictObject({
  /**
   * How long the result store must refuse writes before the operators are told (through a local file outbox, the
   * store cannot hold that notice), 0 s … 1 h (default 60 s: a database restart is not news). F22.
   */
  storeGrace: durationIn({ min: 0, max: 3600 }).default(60),
  browserCrashes: strictObject({
    /** Share of attempts that lost their browser (crash, disconnect, launch failure), 0…1 (default 0.2). */
    threshold: z.number().gt(0).max(1).default(0.2),
    /** Attempts in the hour needed before the rate counts, 1…10 000 (default 5: a few early attempts never page). */
    minAttempts: z.number().int().min(1).max(10_000).default(5),
  }).default({ threshold: 0.2, minAttempts: 5 }),
});

/** One quiet-hours rule: who, and when they are awake for notices. */
const quietRuleSchema = strictObject({
  awake: z.array(weeklyHoursSchema).min(1).max(20),
  recipients: z.array(z.union([z.literal('establishments'), email])).min(1).default(['establishments']),
});

export const alertsSchema = strictObject({
  /**
   * Tell establishments of degraded incidents (K consecutive degraded slots: slow but working). Default false: they
   * are recorded (`vigie incidents`) and told to nobody (DESIGN.md §5 "Degraded incidents are recorded, not notified
   * by default"; F4: no e-mail for slow runs).
   */
  notifyDegraded: z.boolean().default(false),
  /**
   * Flapping (issue 10 item 1): `changes` state changes (up ↔ down) within the last `slots` known slots make a series
   * *instable*: its establishment gets one "instable" message, not one per outage, then one when it is stable again
   * (fewer than half as many changes). Defaults 6 in 20; `enabled: false` turns it off.
   */
  flapping: strictObject({
    enabled: z.boolean().default(true),
    changes: z.number().int().min(2).max(100).default(6),
    slots: z.number().int().min(3).max(500).default(20),
  })
    .refine((f) => f.changes < f.slots, { message: 'changes doit être inférieur à slots / changes must be below slots', path: ['changes'] })
    .default({ enabled: true, changes: 6, slots: 20 }),
  /** Consecutive `down` slots that open an incident, 1–60 (DESIGN.md §5, default 2). */
  k: z.number().int().min(1).max(60).default(2),
  /** How often incidents are evaluated and the outbox is delivered, 1 s … 5 min (default 15 s). */
  every: durationIn({ min: 1, max: 300 }).default(15),
  /**
   * How long an incident waits for the other establishments' results of its slot before Vigie decides whether it is
   * a platform incident, 0 … 60 s (DESIGN.md §5: "notices wait up to ~15 s"; default 15 s).
   */
  groupWait: durationIn({ min: 0, max: 60 }).default(15),
  /**
   * A platform incident groups the incidents of one target's journey when more than `share` of its establishments
   * (and at least `minTenants`) are in an incident at once (DESIGN.md §5). Defaults 0.5 and 2.
   */
  platform: strictObject({
    share: z.number().min(0).max(1).default(0.5),
    minTenants: z.number().int().min(2).default(2),
  }).default({ share: 0.5, minTenants: 2 }),
  /** Public base URL of Vigie, for the links in notices (absent: no link). */
  baseUrl: httpUrl.optional(),
  /** Domain of the notices' Message-IDs (default: the host of `baseUrl`, else `vigie.localhost`). */
  messageDomain: z.string().regex(/^[a-z0-9.-]+$/i).optional(),
  /** The e-mail channel; absent: no e-mail is sent (incidents are still recorded). */
  smtp: smtpSchema.optional(),
  webhooks: z.array(webhookSchema).max(20).default([]),
  contacts: contactsSchema.default({ establishments: {}, operators: [], security: [] }),
  /**
   * Quiet hours (issue 10 item 4): outside the `awake` weekly hours (local time of the config's zone), notices to the
   * `recipients` wait for the next awake hour; an incident that opened and closed while they slept is not told on its
   * own but in one summary ("récapitulatif") at the awake hour. `security` incidents never wait. `recipients`:
   * `establishments` (every establishment contact and académie mailbox) and/or addresses. One rule, or a list of
   * rules (per recipient: the first rule naming an address wins, then the first `establishments` rule). Absent:
   * nobody waits.
   */
  quietHours: z
    .union([quietRuleSchema, z.array(quietRuleSchema).min(1).max(50)])
    .transform((q) => (Array.isArray(q) ? q : [q]))
    .optional(),
  /**
   * The operators' daily digest: every day at `at` (local time), one message to `contacts.operators` listing the
   * previous local day's incidents (or saying there was none). Absent: no digest.
   */
  digest: strictObject({ at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'heure locale attendue, par exemple 07:30 / expected a local time such as 07:30') }).optional(),
  watchdog: watchdogSchema.default({ storeGrace: 60, browserCrashes: { threshold: 0.2, minAttempts: 5 } }),
});

export type AlertsConfig = z.infer<typeof alertsSchema>;
export type WebhookConfig = AlertsConfig['webhooks'][number];

/**
 * Cross-references of the raw `alerts:` section (run beside the schema, like references.ts): every UAI of
 * `contacts.establishments` is a tenant's, webhook ids are unique. Tolerates any shape (the schema reports those).
 */
export function alertsReferenceIssues(raw: unknown): Issue[] {
  if (!raw || typeof raw !== 'object') return [];
  const cfg = raw as Raw;
  if (cfg.alerts === undefined) return [];
  const alerts = obj(cfg.alerts);
  const issues: Issue[] = [];
  const tenants = new Set(indexed(cfg.tenants).map(([t]) => str(t.uai)).filter((u): u is string => u !== undefined));
  for (const uai of Object.keys(obj(obj(alerts.contacts).establishments))) {
    if (!tenants.has(uai)) issues.push({ path: `alerts.contacts.establishments.${uai}`, message: `établissement inconnu "${uai}" (aucun tenants[].uai) / unknown establishment "${uai}" (no tenants[].uai)` });
  }
  const seen = new Set<string>();
  for (const [w, i] of indexed(alerts.webhooks)) {
    const wid = str(w.id);
    if (wid === undefined) continue;
    if (seen.has(wid)) issues.push({ path: `alerts.webhooks[${i}].id`, message: `identifiant de webhook en double "${wid}" / duplicate webhook id "${wid}"` });
    seen.add(wid);
  }
  return issues;
}
