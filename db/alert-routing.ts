import { isPlatformOutage, routingReady, type PlatformRule } from '../core/sla/platform.js';
import type { Db } from './db.js';
import type { Recipient } from './alerts.js';
import { addNotices, addRecoveryNotices } from './alert-notices.js';

/** A series as the evaluator last left it: its group (target × journey), establishment and evaluated horizon. */
export interface RoutedSeries {
  scheduleId: string;
  target: string;
  journey: string;
  tenant: string;
  /** Slots starting before this instant are evaluated (epoch ms). */
  evaluatedUntil: number;
}

/** What routing needs: the series of each group, who is told what, the platform rule. */
export interface RoutingInput {
  now: number;
  series: readonly RoutedSeries[];
  /** Recipients of an establishment's own incidents and of the platform incidents it is part of. */
  recipientsOf(tenant: string): readonly Recipient[];
  /** The region's operators: every platform incident (never an establishment's own one). */
  operators: readonly Recipient[];
  /** The security contacts: every `security` incident, an establishment's own or a platform's, besides the others. */
  security?: readonly Recipient[];
  platform: PlatformRule;
  domain: string;
}

/** What one routing pass decided (for logs and tests). */
export interface RoutingSummary {
  /** Incidents routed to their establishment's own notices. */
  own: number;
  /** Incidents that joined a platform incident. */
  grouped: number;
  platformsOpened: number;
  platformsResolved: number;
}

interface Unrouted {
  id: unknown;
  severity: 'outage' | 'security' | 'degraded' | 'flapping';
  target: string;
  journey: string;
  tenant: string;
  outage_start: Date;
  opened_at: Date;
  resolved_at: Date | null;
  decide_after: Date;
}

const groupKey = (target: string, journey: string) => `platform:${target}:${journey}`;

/**
 * Decides the notices of the incidents opened since the last pass (DESIGN.md §5 "Outage episodes and incidents"),
 * in one transaction: an incident waits until every series of its target's journey has its opening slot evaluated,
 * or its group wait is over ({@link routingReady}); then, when more than the rule's share of the group's
 * establishments are in an incident at that slot ({@link isPlatformOutage}) or a platform incident of the group is
 * already open, it joins the platform incident (opened once, told to the operators and to each member
 * establishment's recipients: one message per recipient, however many establishments); otherwise its own
 * establishment is told (down, and the recovery too when it already recovered). A platform incident resolves when
 * its last member does, at that member's recovery slot, and its recovery goes to everyone told of it. Restartable: a
 * crash before the commit leaves everything to decide again, and notices are unique per incident, kind and recipient.
 */
export async function routeIncidents(db: Db, input: RoutingInput): Promise<RoutingSummary> {
  const summary: RoutingSummary = { own: 0, grouped: 0, platformsOpened: 0, platformsResolved: 0 };
  const groups = new Map<string, RoutedSeries[]>();
  for (const s of input.series) {
    const key = groupKey(s.target, s.journey);
    const group = groups.get(key);
    if (group) group.push(s);
    else groups.set(key, [s]);
  }
  await db.transaction(async (tx) => {
    const { rows } = await tx.query<Unrouted>(
      "SELECT id, severity, target, journey, tenant, outage_start, opened_at, resolved_at, decide_after FROM alert_incidents WHERE scope = 'series' AND routed_at IS NULL ORDER BY opened_at, id",
    );
    const joined = new Set<number>();
    for (const inc of rows) {
      const key = groupKey(inc.target, inc.journey);
      const group = groups.get(key) ?? [];
      const openedAt = inc.opened_at.getTime();
      if (!routingReady(openedAt, inc.decide_after.getTime(), group.map((s) => s.evaluatedUntil), input.now)) continue;
      if (joined.has(Number(inc.id))) continue; // joined a platform earlier in this pass
      // Degraded and flapping incidents are their establishment's own, never a platform's.
      const groupable = inc.severity === 'outage' || inc.severity === 'security';
      let platform = groupable ? await openPlatform(tx, key) : null;
      if (platform === null) {
        const members = await tx.query<{ id: unknown; tenant: string; outage_start: Date }>(
          `SELECT id, tenant, outage_start FROM alert_incidents WHERE scope = 'series' AND severity IN ('outage', 'security') AND target = $1 AND journey = $2
             AND opened_at <= $3 AND (resolved_at IS NULL OR resolved_at > $3)`,
          [inc.target, inc.journey, inc.opened_at],
        );
        const tenants = new Set(members.rows.map((m) => m.tenant));
        const size = new Set(group.map((s) => s.tenant)).size;
        if (groupable && isPlatformOutage(tenants.size, size, input.platform)) {
          const start = new Date(Math.min(...members.rows.map((m) => m.outage_start.getTime())));
          const created = await tx.query<{ id: unknown }>(
            // `establishments`: how many were down when it was decided — members told on their own before stay
            // their own (no platform notice for them) but count in what the platform's notices say.
            `INSERT INTO alert_incidents (schedule_id, journey, target, tenant, severity, scope, outage_start, opened_at, routed_at, decide_after, detail)
             VALUES ($1, $2, $3, '*', $7, 'platform', $4, $5, $6, $6, $8) RETURNING id`,
            [key, inc.journey, inc.target, start, inc.opened_at, new Date(input.now), inc.severity, JSON.stringify({ establishments: tenants.size })],
          );
          platform = Number(created.rows[0]!.id);
          summary.platformsOpened += 1;
          await addNotices(tx, platform, 'down', [...input.operators, ...securityOf(inc, input)], input.now, input.domain);
          // Every unrouted member open at that slot joins now: one decision for the whole slot.
          for (const m of members.rows) {
            summary.grouped += await join(tx, Number(m.id), m.tenant, platform, input);
            joined.add(Number(m.id));
          }
          continue;
        }
      }
      if (platform !== null) {
        summary.grouped += await join(tx, Number(inc.id), inc.tenant, platform, input);
        continue;
      }
      await tx.query('UPDATE alert_incidents SET routed_at = $2 WHERE id = $1', [inc.id, new Date(input.now)]);
      await addNotices(tx, Number(inc.id), 'down', [...input.recipientsOf(inc.tenant), ...securityOf(inc, input)], input.now, input.domain);
      if (inc.resolved_at) await addRecoveryNotices(tx, Number(inc.id), input.now, input.domain);
      summary.own += 1;
    }
    // A platform incident ends with its last member, at that member's recovery slot.
    const done = await tx.query<{ id: unknown; end: Date }>(
      `SELECT p.id, max(m.resolved_at) AS end FROM alert_incidents p JOIN alert_incidents m ON m.platform_id = p.id
       WHERE p.scope = 'platform' AND p.resolved_at IS NULL GROUP BY p.id HAVING bool_and(m.resolved_at IS NOT NULL)`,
    );
    for (const p of done.rows) {
      await tx.query('UPDATE alert_incidents SET resolved_at = $2 WHERE id = $1', [p.id, p.end]);
      await addRecoveryNotices(tx, Number(p.id), input.now, input.domain);
      summary.platformsResolved += 1;
    }
  });
  return summary;
}

/** The security contacts when the incident is a `security` one. */
const securityOf = (inc: Pick<Unrouted, 'severity'>, input: RoutingInput): readonly Recipient[] => (inc.severity === 'security' ? (input.security ?? []) : []);

async function openPlatform(tx: Db, key: string): Promise<number | null> {
  const { rows } = await tx.query<{ id: unknown }>("SELECT id FROM alert_incidents WHERE scope = 'platform' AND schedule_id = $1 AND resolved_at IS NULL ORDER BY id DESC LIMIT 1", [key]);
  return rows[0] ? Number(rows[0].id) : null;
}

/** Makes an unrouted incident a member of `platform` and tells its establishment the platform's news (1 or 0). */
async function join(tx: Db, id: number, tenant: string, platform: number, input: RoutingInput): Promise<number> {
  const { rows } = await tx.query('UPDATE alert_incidents SET platform_id = $2, routed_at = $3 WHERE id = $1 AND routed_at IS NULL RETURNING id', [id, platform, new Date(input.now)]);
  if (rows.length === 0) return 0;
  await addNotices(tx, platform, 'down', input.recipientsOf(tenant), input.now, input.domain);
  return 1;
}
