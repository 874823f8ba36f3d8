import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

/** A message as the SMTP server received it. */
export interface Received {
  messageId: string;
  /** `down` or `recovery` (header X-Vigie-Notice). */
  kind: string;
  to: string[];
  subject: string;
  text: string;
  /** When the server accepted it (epoch ms). */
  at: number;
  /** The message as received (headers and body, CRLF), e.g. to verify a DKIM signature. */
  raw: string;
}

/**
 * A real SMTP server on loopback (the `smtp-server` package), collecting what it accepts, for counting distinct
 * Message-IDs as a receiver sees them (not Vigie's own send log). `stop()` closes it (connections refused), `start()`
 * listens again on the same port: a mail outage. `refuse(address)` answers 550 (no such mailbox) to that recipient.
 */
export async function startSmtp(opts: { refuse?: (address: string) => boolean } = {}): Promise<{ port: number; received: Received[]; messageIds: () => Set<string>; stop(): Promise<void>; start(): Promise<void>; close(): Promise<void> }> {
  const received: Received[] = [];
  let port = 0;
  let server: SMTPServer | null = null;
  const make = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (opts.refuse?.(address.address)) return callback(Object.assign(new Error('5.1.1 no such mailbox'), { responseCode: 550 }));
        callback();
      },
      onData(stream, session, done) {
        // Parsed as a mail client would (mailparser): encoded-word subjects and quoted-printable bodies decoded.
        const at = Date.now();
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        new Promise<void>((resolve) => stream.on('end', resolve))
          .then(async () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            const mail = await simpleParser(raw);
            const kind = mail.headers.get('x-vigie-notice');
            received.push({ messageId: mail.messageId ?? '', kind: typeof kind === 'string' ? kind : '', to: session.envelope.rcptTo.map((r) => r.address), subject: mail.subject ?? '', text: mail.text ?? '', at, raw });
            done();
          })
          .catch((err: Error) => done(err));
      },
    });
  const start = () =>
    new Promise<void>((resolve, reject) => {
      server = make();
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server!.server.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      const s = server;
      server = null;
      if (!s) return resolve();
      s.close(() => resolve());
    });
  await start();
  return { port, received, messageIds: () => new Set(received.map((r) => r.messageId)), stop, start, close: stop };
}
