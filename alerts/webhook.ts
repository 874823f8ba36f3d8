import { createHmac } from 'node:crypto';
import type { AlertIncident, AlertNotice } from '../db/index.js';
import { establishmentsHit, noticeMessage, type TemplateContext } from './templates.js';

/** A configured webhook with its secret resolved (config `alerts.webhooks[]`). */
export interface WebhookTarget {
  id: string;
  url: string;
  /** `json`: the HMAC-SHA256 key of the signature. `matrix`: the access token of the sending account. */
  secret: string;
  preset: 'json' | 'matrix';
}

/** A delivery failure that retrying cannot fix (HTTP 4xx other than 408 and 429): the notice is marked failed. */
export class PermanentDeliveryError extends Error {
  readonly permanent = true;
}

/** The JSON body of a `json` webhook (documented in alerts/README.md). */
export function webhookBody(notice: Pick<AlertNotice, 'kind' | 'messageId'>, incident: AlertIncident, ctx: TemplateContext) {
  const message = noticeMessage(notice, incident, ctx);
  return {
    id: notice.messageId,
    kind: notice.kind,
    incident: {
      id: incident.id,
      scope: incident.scope,
      journey: incident.journey,
      target: incident.target,
      tenant: incident.tenant,
      establishments: incident.scope === 'platform' ? establishmentsHit(incident) : 1,
      outageStart: incident.outageStart,
      openedAt: incident.openedAt,
      resolvedAt: incident.resolvedAt,
    },
    subject: message.subject,
    text: message.text,
  };
}

/** `sha256=<hex>` of HMAC-SHA256(body) under `secret`: the receiver recomputes it to check the sender. */
export function webhookSignature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * The webhook channel (issue 10 item 3). `json`: POST of {@link webhookBody}, headers `X-Vigie-Signature`
 * ({@link webhookSignature}) and `Idempotency-Key` (the notice's Message-ID, the same on every retry). `matrix`
 * (Tchap is Matrix): PUT `<url>/<txnId>` of an `m.room.message` with the access token, `url` being
 * `https://<homeserver>/_matrix/client/v3/rooms/<room id>/send/m.room.message`; the transaction id is derived from
 * the Message-ID, so the homeserver drops a retried duplicate (Matrix client-server API, "PUT
 * /rooms/{roomId}/send/{eventType}/{txnId}"). A request has `timeoutMs` (default 10 s) to answer; 2xx is delivered,
 * 4xx other than 408 and 429 is permanent, anything else is retried by the outbox.
 */
export function createWebhookSender(targets: readonly WebhookTarget[], ctx: TemplateContext, opts: { timeoutMs?: number } = {}) {
  const byId = new Map(targets.map((t) => [t.id, t]));
  return async function send(notice: AlertNotice, incident: AlertIncident): Promise<void> {
    const hook = byId.get(notice.recipient);
    if (!hook) throw new PermanentDeliveryError(`webhook inconnu "${notice.recipient}" (absent de alerts.webhooks) / unknown webhook "${notice.recipient}" (not in alerts.webhooks)`);
    const payload = webhookBody(notice, incident, ctx);
    let url = hook.url;
    let method = 'POST';
    let body: string;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Vigie' };
    if (hook.preset === 'matrix') {
      const txn = Buffer.from(notice.messageId).toString('base64url');
      url = `${hook.url.replace(/\/+$/, '')}/${txn}`;
      method = 'PUT';
      body = JSON.stringify({ msgtype: 'm.text', body: `${payload.subject}\n\n${payload.text}` });
      headers.authorization = `Bearer ${hook.secret}`;
    } else {
      body = JSON.stringify(payload);
      headers['x-vigie-signature'] = webhookSignature(body, hook.secret);
      headers['idempotency-key'] = notice.messageId;
    }
    const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000), redirect: 'error' });
    await res.arrayBuffer().catch(() => undefined);
    if (res.ok) return;
    const message = `webhook ${hook.id} : HTTP ${res.status} / webhook ${hook.id}: HTTP ${res.status}`;
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) throw new PermanentDeliveryError(message);
    throw new Error(message);
  };
}
