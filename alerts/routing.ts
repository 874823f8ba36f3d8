import type { AlertsConfig } from '../core/config/alerts.js';
import type { Recipient } from '../db/index.js';
import type { AlertRouting } from './evaluator.js';

/**
 * The routing of the config's `alerts:` section (issue 10 item 4): an establishment's incidents go to its contacts
 * (`contacts.establishments[uai]`), or, when it has none, to its académie mailbox (`contacts.mailboxPattern` with
 * `{uai}` in lower case or `{UAI}` as written, e.g. `ce.0510100g@ac-reims.fr`), and to the webhooks with `to: all`;
 * platform incidents also go to `contacts.operators` and the webhooks with `to: operators` (one message per
 * recipient, however many establishments); `security` incidents also go to `contacts.security`. Addresses are compared
 * case-insensitively, each recipient listed once.
 */
export function routingFromConfig(alerts: AlertsConfig): AlertRouting {
  const hooks = (to: 'operators' | 'all') => alerts.webhooks.filter((w) => w.to === to).map((w): Recipient => ({ channel: 'webhook', to: w.id }));
  const emails = (list: readonly string[]) => list.map((to): Recipient => ({ channel: 'email', to }));
  const own = new Map(Object.entries(alerts.contacts.establishments).map(([uai, list]) => [uai.toUpperCase(), list]));
  const pattern = alerts.contacts.mailboxPattern;
  return {
    recipientsOf(tenant) {
      const contacts = own.get(tenant.toUpperCase()) ?? (pattern ? [pattern.replaceAll('{uai}', tenant.toLowerCase()).replaceAll('{UAI}', tenant)] : []);
      return unique([...emails(contacts), ...hooks('all')]);
    },
    operators: unique([...emails(alerts.contacts.operators), ...hooks('operators'), ...hooks('all')]),
    security: unique(emails(alerts.contacts.security)),
    platform: alerts.platform,
  };
}

/**
 * Whether an address is one routing sends establishments' incidents to: a contact of `contacts.establishments`, or an
 * académie mailbox of `contacts.mailboxPattern` (any UAI: 7 digits and a letter). Case-insensitive.
 */
export function establishmentContactMatcher(alerts: AlertsConfig): (address: string) => boolean {
  const contacts = new Set(Object.values(alerts.contacts.establishments).flat().map((r) => r.toLowerCase()));
  const pattern = alerts.contacts.mailboxPattern;
  const escaped = pattern?.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{uai\}|\{UAI\}/g, '[0-9]{7}[a-zA-Z]');
  const mailbox = escaped ? new RegExp(`^${escaped}$`, 'i') : null;
  return (address) => contacts.has(address.toLowerCase()) || (mailbox?.test(address) ?? false);
}

function unique(list: Recipient[]): Recipient[] {
  const seen = new Set<string>();
  return list.filter((r) => {
    const key = `${r.channel}:${r.to.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
