import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { assertSendable, Channel, DeliveryError, DeliveryResult, OutboundMessage } from './channel';
import { composePlainTextMail, isAsciiAddress } from './plain-text-mail';

export interface EmailOptions {
  host: string;
  port: number;
  /** true: TLS from the first byte (port 465). false: plain, upgraded with STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  password?: string;
  /** Sender, e.g. "Incident Bridge <pager@example.com>". */
  from: string;
  /** Applies to connecting, the greeting and each socket read. */
  timeoutMs: number;
  /**
   * Keep up to this many SMTP connections open and send over them in turn (nodemailer's pool), instead of one new
   * connection per message: a connection's handshake costs more than the message, which is what made one-at-a-time
   * senders take half an hour for 10,000 subscribers. Unset: one connection per message.
   */
  pooledConnections?: number;
}

/** Deterministic Message-ID: every delivery attempt of one notification carries the same id. */
export function messageIdFor(idempotencyKey: string): string {
  return `<${createHash('sha256').update(idempotencyKey).digest('hex')}@incident-bridge>`;
}

/** Connection-level failures nodemailer reports with these codes are worth retrying. */
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNRESET', 'ECONNREFUSED']);

/** E-mail over SMTP (nodemailer), over a pool of kept connections when configured; call close() on shutdown. */
export class EmailChannel implements Channel {
  readonly kind = 'EMAIL' as const;
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo>;
  /** The envelope sender: the address in `from`. */
  private readonly sender: string;

  constructor(private readonly options: EmailOptions) {
    const problems: string[] = [];
    if (!options.host) problems.push('host is required');
    if (!(Number.isInteger(options.port) && options.port > 0 && options.port < 65536)) problems.push('port must be 1-65535');
    if (!options.from) problems.push('from is required');
    if ((options.user === undefined) !== (options.password === undefined)) problems.push('give both user and password, or neither');
    if (!(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0)) problems.push('timeoutMs must be a positive number');
    if (options.pooledConnections !== undefined && !(Number.isInteger(options.pooledConnections) && options.pooledConnections >= 1)) problems.push('pooledConnections must be a positive integer');
    const sender = options.from ? addressparser(options.from, { flatten: true })[0]?.address : undefined;
    if (options.from && !sender) problems.push('from must contain an e-mail address');
    if (problems.length > 0) throw new Error(`Invalid e-mail (SMTP) configuration: ${problems.join('; ')}`);
    this.sender = sender!;

    const pool = options.pooledConnections ? { pool: true as const, maxConnections: options.pooledConnections, maxMessages: Infinity } : {};
    this.transport = nodemailer.createTransport({
      ...pool,
      host: options.host,
      port: options.port,
      secure: options.secure,
      auth: options.user !== undefined ? { user: options.user, pass: options.password } : undefined,
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
    });
  }

  async send(message: OutboundMessage): Promise<DeliveryResult> {
    assertSendable(message);
    const messageId = messageIdFor(message.idempotencyKey);
    const headers = { 'X-Idempotency-Key': message.idempotencyKey, ...(message.unsubscribeUrl ? oneClickUnsubscribe(message.unsubscribeUrl) : {}) };
    try {
      // The Message-ID is ours either way (nodemailer reports one of its own for a raw message).
      await (isAsciiAddress(message.to)
        ? this.transport.sendMail({
            envelope: { from: this.sender, to: [message.to] },
            raw: composePlainTextMail({ from: this.options.from, to: message.to, subject: message.subject, text: message.body, messageId, date: new Date(), headers }),
          })
        : this.transport.sendMail({ from: this.options.from, to: message.to, subject: message.subject, text: message.body, messageId, headers }));
      return { providerMessageId: messageId };
    } catch (err) {
      throw classifySmtpError(err);
    }
  }

  close(): void {
    this.transport.close();
  }
}

/** RFC 8058: mail clients offer "unsubscribe" and POST `List-Unsubscribe=One-Click` to the URL themselves. */
function oneClickUnsubscribe(url: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

function classifySmtpError(err: unknown): DeliveryError {
  const e = err as { code?: string; responseCode?: number; response?: string; message?: string };
  const responseCode = typeof e?.responseCode === 'number' ? e.responseCode : undefined;
  const text = e?.response ?? e?.message ?? String(err);
  if (responseCode !== undefined) {
    // RFC 5321: 5yz permanent, 4yz transient.
    return new DeliveryError(`SMTP: ${text}`, responseCode < 500, responseCode, { cause: err });
  }
  if (e?.code === 'EENVELOPE') {
    // Envelope rejected before talking to the server (e.g. no valid recipient): retrying cannot help.
    return new DeliveryError(`SMTP: ${text}`, false, undefined, { cause: err });
  }
  const retryable = e?.code === undefined || TRANSIENT_CODES.has(e.code);
  return new DeliveryError(`SMTP: ${text}${e?.code ? ` (${e.code})` : ''}`, retryable, undefined, { cause: err });
}
