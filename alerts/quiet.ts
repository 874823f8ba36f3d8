import { DateTime } from 'luxon';
import type { AlertsConfig } from '../core/config/alerts.js';
import { quietUntil } from '../core/sla/quiet-hours.js';
import type { AlertIncident, AlertNotice } from '../db/index.js';
import { establishmentContactMatcher } from './routing.js';

/** What the outbox does with a due notice under quiet hours. */
export type QuietDecision = { action: 'send' } | { action: 'defer'; until: number } | { action: 'digest'; periodEnd: number };

/**
 * The quiet-hours policy of `alerts.quietHours` (issue 10 item 4), for the outbox: a notice to a quiet recipient
 * (`establishments`: every establishment contact and académie mailbox; or listed addresses) waits while that recipient
 * sleeps; at the awake hour, an incident that opened and ended within the quiet period goes to the recipient's summary
 * instead of being told on its own, an incident still open is told. `security` incidents never wait.
 */
export function createQuietPolicy(alerts: AlertsConfig, zone: string): ((notice: AlertNotice, incident: AlertIncident, now: number) => QuietDecision) | null {
  const rules = alerts.quietHours;
  if (!rules) return null;
  const isEstablishmentContact = establishmentContactMatcher(alerts);
  /** The awake hours of a recipient: the first rule naming it, else the first `establishments` rule for a contact. */
  const awakeOf = (to: string) => {
    const addr = to.toLowerCase();
    const named = rules.find((r) => r.recipients.some((x) => x !== 'establishments' && x.toLowerCase() === addr));
    if (named) return named.awake;
    return isEstablishmentContact(addr) ? rules.find((r) => r.recipients.includes('establishments'))?.awake : undefined;
  };
  return (notice, incident, now) => {
    const awake = notice.channel === 'email' && incident.severity !== 'security' ? awakeOf(notice.recipient) : undefined;
    if (!awake) return { action: 'send' };
    const until = quietUntil(now, awake, zone);
    if (until !== null) return { action: 'defer', until };
    // Awake: a notice made during a quiet period that is over now, for an incident opened and ended within it.
    const createdIn = quietUntil(Date.parse(notice.createdAt), awake, zone);
    if (createdIn === null || incident.scope === 'internal' || incident.resolvedAt === null) return { action: 'send' };
    const openedIn = quietUntil(Date.parse(incident.openedAt), awake, zone);
    if (openedIn === createdIn && Date.parse(incident.resolvedAt) <= createdIn) return { action: 'digest', periodEnd: createdIn };
    return { action: 'send' };
  };
}

/** The local day before `now` in `zone` (`label` yyyy-MM-dd, bounds epoch ms) once `now` is past `at` (HH:mm) today. */
export function digestDay(now: number, at: string, zone: string): { label: string; from: number; to: number } | null {
  const local = DateTime.fromMillis(now, { zone });
  const [h, m] = at.split(':').map(Number) as [number, number];
  if (local < local.set({ hour: h, minute: m, second: 0, millisecond: 0 })) return null;
  const today = local.startOf('day');
  const yesterday = today.minus({ days: 1 });
  return { label: yesterday.toFormat('yyyy-MM-dd'), from: yesterday.toMillis(), to: today.toMillis() };
}
