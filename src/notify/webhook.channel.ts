import { createHmac, timingSafeEqual } from 'node:crypto';
import { assertSendable, Channel, DeliveryError, DeliveryResult, OutboundMessage } from './channel';
import type { Fetch } from './guarded-fetch';
import { assertHttpUrl, excerpt, isRetryableStatus, postWithTimeout, retryAfterMs } from './http';

export interface WebhookOptions {
  /** HMAC key shared with the receiver. */
  secret: string;
  timeoutMs: number;
  /** Time source for the signature timestamp and `sentAt`; defaults to the system clock. */
  now?: () => Date;
}

export const WEBHOOK_TIMESTAMP_HEADER = 'X-IncidentBridge-Timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'X-IncidentBridge-Signature';
export const WEBHOOK_IDEMPOTENCY_HEADER = 'X-IncidentBridge-Idempotency-Key';

/** The JSON body we POST. */
export interface WebhookPayload {
  idempotencyKey: string;
  subject: string;
  body: string;
  data: Record<string, unknown>;
  /** ISO-8601 time of this delivery attempt. */
  sentAt: string;
}

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`. */
export function signWebhook(secret: string, timestamp: number, rawBody: string | Buffer): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
  return `v1=${mac}`;
}

/** Node's IncomingHttpHeaders, a fetch Headers, or any plain header map (names matched case-insensitively). */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

export type WebhookVerification =
  | { ok: true; timestamp: number }
  | { ok: false; reason: 'missing_headers' | 'malformed' | 'stale' | 'mismatch' };

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function' && !Array.isArray(headers)) {
    return (headers as Headers).get(name) ?? undefined;
  }
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? value.join(',') : value;
  }
  return undefined;
}

/**
 * Receiver side: checks the signature over the exact raw body and rejects timestamps more than
 * `toleranceSeconds` away from `now` (replay protection). Several `v1=` signatures may be given,
 * comma-separated (secret rotation); one match is enough. Comparison is constant-time.
 */
export function verifyWebhookSignature(
  secret: string,
  headers: HeaderSource,
  rawBody: string | Buffer,
  { toleranceSeconds = 300, now = new Date() }: { toleranceSeconds?: number; now?: Date } = {},
): WebhookVerification {
  const timestampHeader = header(headers, WEBHOOK_TIMESTAMP_HEADER);
  const signatureHeader = header(headers, WEBHOOK_SIGNATURE_HEADER);
  if (!timestampHeader || !signatureHeader) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(timestampHeader.trim())) return { ok: false, reason: 'malformed' };
  const timestamp = Number(timestampHeader.trim());
  const candidates = signatureHeader
    .split(/[,\s]+/)
    .filter((s) => s.startsWith('v1='))
    .map((s) => s.slice(3))
    .filter((hex) => /^[0-9a-f]{64}$/i.test(hex));
  if (candidates.length === 0) return { ok: false, reason: 'malformed' };
  if (Math.abs(Math.floor(now.getTime() / 1000) - timestamp) > toleranceSeconds) return { ok: false, reason: 'stale' };

  const expected = Buffer.from(signWebhook(secret, timestamp, rawBody).slice(3), 'hex');
  let matched = false;
  for (const candidate of candidates) {
    // Every candidate is compared (no early exit) so timing does not reveal which one matched.
    if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) matched = true;
  }
  return matched ? { ok: true, timestamp } : { ok: false, reason: 'mismatch' };
}

/** Generic signed webhook: POSTs {@link WebhookPayload} as JSON to the `to` URL. */
export class WebhookChannel implements Channel {
  readonly kind = 'WEBHOOK' as const;
  private readonly now: () => Date;

  constructor(private readonly options: WebhookOptions) {
    const problems: string[] = [];
    if (!options.secret || options.secret.length < 16) problems.push('secret must be at least 16 characters');
    if (!(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0)) problems.push('timeoutMs must be a positive number');
    if (problems.length > 0) throw new Error(`Invalid webhook configuration: ${problems.join('; ')}`);
    this.now = options.now ?? (() => new Date());
  }

  async send(message: OutboundMessage): Promise<DeliveryResult> {
    assertSendable(message);
    const sentAt = this.now();
    const payload: WebhookPayload = {
      idempotencyKey: message.idempotencyKey,
      subject: message.subject,
      body: message.body,
      data: message.data ?? {},
      sentAt: sentAt.toISOString(),
    };
    return postSignedJson(message.to, { secret: this.options.secret, rawBody: JSON.stringify(payload), idempotencyKey: message.idempotencyKey, sentAt, timeoutMs: this.options.timeoutMs });
  }
}

export interface SignedPost {
  /** HMAC key shared with the receiver; null sends the body unsigned (a receiver that was given none). */
  secret: string | null;
  /** The exact JSON text sent, which the signature covers. */
  rawBody: string;
  idempotencyKey: string;
  /** The signature's timestamp. */
  sentAt: Date;
  timeoutMs: number;
  /** How to reach the URL (status subscribers' go through publicAddressFetch); the global fetch by default. */
  fetch?: Fetch;
}

/**
 * POSTs a JSON body signed as every outbound webhook of ours is (timestamp, `v1=` signature and idempotency-key
 * headers), so one receiver-side check ({@link verifyWebhookSignature}) fits them all; non-2xx answers fail as a
 * {@link DeliveryError}, retryable for 408, 429 and 5xx.
 */
export async function postSignedJson(to: string, post: SignedPost): Promise<DeliveryResult> {
  const url = assertHttpUrl('Webhook', to);
  const timestamp = Math.floor(post.sentAt.getTime() / 1000);
  const response = await postWithTimeout('Webhook', url.toString(), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'User-Agent': 'incident-bridge-webhook/1',
      ...(post.secret === null ? {} : { [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp), [WEBHOOK_SIGNATURE_HEADER]: signWebhook(post.secret, timestamp, post.rawBody) }),
      [WEBHOOK_IDEMPOTENCY_HEADER]: post.idempotencyKey,
    },
    body: post.rawBody,
    timeoutMs: post.timeoutMs,
    fetch: post.fetch,
  });
  if (response.status >= 200 && response.status < 300) return { providerMessageId: null };
  throw new DeliveryError(
    `Webhook answered ${response.status}: ${excerpt(response.text) || 'empty body'}`,
    isRetryableStatus(response.status),
    response.status,
    { retryAfterMs: retryAfterMs(response.headers) },
  );
}
