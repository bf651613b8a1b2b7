import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerAddress } from 'smtp-server';
import { waitForCount } from '../../../scripts/support/wait';

/**
 * A real SMTP server (smtp-server) on 127.0.0.1, no TLS, recording every accepted mail.
 * Parsing is deliberately minimal (no mailparser): headers until the first blank line, unfolded;
 * the body decoded from quoted-printable/base64 when declared so; RFC 2047 encoded-words in headers decoded.
 * Good enough for the single-part plain-text mail our e-mail channel sends.
 */

export interface ReceivedMail {
  envelope: { mailFrom: string | null; rcptTo: string[] };
  /** Username given with AUTH, if the client authenticated. */
  authenticatedUser: string | null;
  /** Header name (lower-case) → values in order of appearance, unfolded and decoded. */
  headers: Map<string, string[]>;
  /** First value of a header (case-insensitive), or undefined. */
  header(name: string): string | undefined;
  /** The decoded text body, line endings normalised to \n. */
  text: string;
  /** The message exactly as received over DATA. */
  raw: string;
  receivedAt: Date;
}

export interface SmtpRejection {
  /** SMTP reply code, e.g. 550 (permanent) or 450/451 (transient). */
  code: number;
  message: string;
}

export interface SmtpReceiver {
  readonly host: string;
  readonly port: number;
  readonly messages: ReceivedMail[];
  /** Recipients matching `match` are refused at RCPT TO with the given reply (default 550 5.1.1). */
  rejectRecipient(match: string | RegExp, rejection?: Partial<SmtpRejection>): void;
  /** The next `times` messages are refused after DATA with the given reply. */
  rejectNextMessage(rejection: SmtpRejection, times?: number): void;
  waitForMessages(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export interface SmtpReceiverOptions {
  /** When given, clients must AUTH with exactly these credentials (535 otherwise). */
  auth?: { user: string; password: string };
}

function smtpError(rejection: SmtpRejection): Error {
  return Object.assign(new Error(rejection.message), { responseCode: rejection.code });
}

export function parseRawMail(raw: string): { headers: Map<string, string[]>; text: string } {
  const normalised = raw.replace(/\r\n/g, '\n');
  const split = normalised.indexOf('\n\n');
  const head = split === -1 ? normalised : normalised.slice(0, split);
  const rawBody = split === -1 ? '' : normalised.slice(split + 2);
  const headers = new Map<string, string[]>();
  const unfolded = head.replace(/\n[ \t]+/g, ' ');
  for (const line of unfolded.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = decodeEncodedWords(line.slice(colon + 1).trim());
    headers.set(name, [...(headers.get(name) ?? []), value]);
  }
  const encoding = (headers.get('content-transfer-encoding')?.[0] ?? '7bit').toLowerCase();
  let text = rawBody;
  if (encoding === 'quoted-printable') text = decodeQuotedPrintable(rawBody);
  else if (encoding === 'base64') text = Buffer.from(rawBody.replace(/\s+/g, ''), 'base64').toString('utf8');
  return { headers, text: text.replace(/\r\n/g, '\n').replace(/\n$/, '') };
}

function decodeQuotedPrintable(input: string): string {
  // Literal '%' first, so decodeURIComponent only sees the escapes made from "=XX".
  const escaped = input.replace(/=\n/g, '').replace(/%/g, '%25').replace(/=([0-9A-F]{2})/gi, '%$1');
  return decodeURIComponent(escaped);
}

function decodeEncodedWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _charset: string, kind: string, data: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}

export async function startSmtpReceiver(options: SmtpReceiverOptions = {}): Promise<SmtpReceiver> {
  const messages: ReceivedMail[] = [];
  const recipientRejections: { match: string | RegExp; rejection: SmtpRejection }[] = [];
  const messageRejections: SmtpRejection[] = [];

  const server = new SMTPServer({
    authOptional: options.auth === undefined,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 100,
    disableReverseLookup: true,
    onAuth(auth, _session, callback) {
      const expected = options.auth;
      if (expected && auth.username === expected.user && auth.password === expected.password) {
        callback(null, { user: auth.username });
      } else {
        callback(smtpError({ code: 535, message: '5.7.8 Authentication credentials invalid' }));
      }
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const hit = recipientRejections.find(({ match }) =>
        typeof match === 'string' ? match.toLowerCase() === address.address.toLowerCase() : match.test(address.address),
      );
      callback(hit ? smtpError(hit.rejection) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const rejection = messageRejections.shift();
        if (rejection) {
          callback(smtpError(rejection));
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const { headers, text } = parseRawMail(raw);
        const mailFrom = session.envelope.mailFrom;
        messages.push({
          envelope: {
            mailFrom: mailFrom ? mailFrom.address : null,
            rcptTo: session.envelope.rcptTo.map((r) => r.address),
          },
          authenticatedUser: typeof session.user === 'string' ? session.user : null,
          headers,
          header: (name) => headers.get(name.toLowerCase())?.[0],
          text,
          raw,
          receivedAt: new Date(),
        });
        callback();
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    messages,
    rejectRecipient(match, rejection = {}) {
      recipientRejections.push({
        match,
        rejection: { code: rejection.code ?? 550, message: rejection.message ?? '5.1.1 Mailbox unavailable' },
      });
    },
    rejectNextMessage(rejection, times = 1) {
      for (let i = 0; i < times; i++) messageRejections.push(rejection);
    },
    waitForMessages: (n, timeoutMs = 5000) => waitForCount('e-mails', messages, n, timeoutMs),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
