/**
 * One interface for every outbound notification channel (SMS, e-mail, Slack, webhook, …).
 * A new channel is one new file: a class implementing {@link Channel}.
 */

import type { ChannelKind } from '../shared/enums';

export interface OutboundMessage {
  /** Stable per logical notification; sent along so receivers can dedupe (delivery is at-least-once). */
  idempotencyKey: string;
  /** E.164 phone, e-mail address, Slack incoming-webhook URL, or webhook URL. */
  to: string;
  /** Short line: e-mail subject, SMS first line, Slack header. */
  subject: string;
  /** Plain text. */
  body: string;
  /** Structured payload for webhook/Slack (incident id, number, status, …). */
  data?: Record<string, unknown>;
  /** Where its recipient stops such messages with one request; e-mail sends it as List-Unsubscribe, one-click (RFC 8058). */
  unsubscribeUrl?: string;
}

export interface DeliveryResult {
  /** The provider's id for the accepted message (Twilio SID, SMTP Message-ID), or null if it gives none. */
  providerMessageId: string | null;
}

export interface DeliveryErrorOptions {
  cause?: unknown;
  /** How long the provider asked us to wait before retrying (from Retry-After), when it said. */
  retryAfterMs?: number;
}

/**
 * A failed delivery. `retryable` tells the caller whether sending the same message again
 * (with the same idempotency key) can succeed: true for rate limits, 5xx, network errors and timeouts;
 * false for rejections that will not change on retry (bad credentials, invalid recipient, 4xx).
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  readonly retryAfterMs?: number;

  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    options: DeliveryErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
  }
}

export interface Channel {
  readonly kind: ChannelKind;
  /** Resolves when the provider accepted the message; rejects with {@link DeliveryError}. */
  send(message: OutboundMessage): Promise<DeliveryResult>;
  /** Releases held resources (e.g. an SMTP connection); channels without any omit it. */
  close?(): void | Promise<void>;
}

/** Idempotency keys travel in HTTP and mail headers, so they must be header-safe. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** Rejects (not retryable) a message no channel could ever deliver: a missing or header-unsafe idempotency key. */
export function assertSendable(message: OutboundMessage): void {
  if (!IDEMPOTENCY_KEY.test(message.idempotencyKey)) {
    throw new DeliveryError(
      'idempotencyKey must be 1-255 printable ASCII characters without spaces',
      false,
    );
  }
}
