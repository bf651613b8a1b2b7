import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { assertSendable, Channel, DeliveryError, DeliveryResult, OutboundMessage } from './channel';

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
}

/** Deterministic Message-ID: every delivery attempt of one notification carries the same id. */
export function messageIdFor(idempotencyKey: string): string {
  return `<${createHash('sha256').update(idempotencyKey).digest('hex')}@incident-bridge>`;
}

/** Connection-level failures nodemailer reports with these codes are worth retrying. */
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNRESET', 'ECONNREFUSED']);

/** E-mail over SMTP (nodemailer). Keeps a pooled-less transport; call close() on shutdown. */
export class EmailChannel implements Channel {
  readonly kind = 'EMAIL' as const;
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(private readonly options: EmailOptions) {
    const problems: string[] = [];
    if (!options.host) problems.push('host is required');
    if (!(Number.isInteger(options.port) && options.port > 0 && options.port < 65536)) problems.push('port must be 1-65535');
    if (!options.from) problems.push('from is required');
    if ((options.user === undefined) !== (options.password === undefined)) problems.push('give both user and password, or neither');
    if (!(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0)) problems.push('timeoutMs must be a positive number');
    if (problems.length > 0) throw new Error(`Invalid e-mail (SMTP) configuration: ${problems.join('; ')}`);

    this.transport = nodemailer.createTransport({
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
    try {
      const info = await this.transport.sendMail({
        from: this.options.from,
        to: message.to,
        subject: message.subject,
        text: message.body,
        messageId,
        headers: { 'X-Idempotency-Key': message.idempotencyKey, ...(message.unsubscribeUrl ? oneClickUnsubscribe(message.unsubscribeUrl) : {}) },
      });
      return { providerMessageId: info.messageId || messageId };
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
