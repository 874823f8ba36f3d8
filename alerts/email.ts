import nodemailer from 'nodemailer';
import type { NoticeSender } from './outbox.js';
import { noticeMessage, type TemplateContext } from './templates.js';

/** SMTP settings of the e-mail channel. */
export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  secure?: boolean;
  auth?: { user: string; pass: string };
  /** Sender address. */
  from: string;
  /** DKIM signing (RFC 6376): signing domain, DNS selector, PEM private key. Absent: unsigned. */
  dkim?: { domainName: string; keySelector: string; privateKey: string };
  /** Connection, greeting and socket timeouts, ms (default 10 s, 10 s, 30 s): a send always settles. */
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  socketTimeoutMs?: number;
}

/**
 * The e-mail channel (nodemailer SMTP): one message per notice, with the notice's fixed Message-ID, so that a retry
 * after a lost acknowledgement is the same message to the receiver. Timeouts on connection, greeting and socket make
 * every `sendMail` settle (issue 10: "the SMTP transport has connection, greeting and socket timeouts"). `close`
 * releases the transport at shutdown.
 */
export function createEmailSender(smtp: SmtpSettings, ctx: TemplateContext): { send: NoticeSender; close(): void } {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure ?? false,
    ...(smtp.auth ? { auth: smtp.auth } : {}),
    ...(smtp.dkim ? { dkim: smtp.dkim } : {}),
    connectionTimeout: smtp.connectionTimeoutMs ?? 10_000,
    greetingTimeout: smtp.greetingTimeoutMs ?? 10_000,
    socketTimeout: smtp.socketTimeoutMs ?? 30_000,
    // Loopback test servers and internal relays often have no certificate matching their name; STARTTLS stays
    // opportunistic unless `secure` asks for TLS.
    tls: { rejectUnauthorized: smtp.secure === true },
  });
  return {
    async send(notice, incident) {
      const message = noticeMessage(notice, incident, ctx);
      await transport.sendMail({ from: smtp.from, to: notice.recipient, subject: message.subject, text: message.text, messageId: notice.messageId, headers: { 'X-Vigie-Notice': `${notice.kind}` } });
    },
    close: () => transport.close(),
  };
}
