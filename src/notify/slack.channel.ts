import { assertSendable, Channel, DeliveryError, DeliveryResult, OutboundMessage } from './channel';
import type { Fetch } from './guarded-fetch';
import { assertHttpUrl, excerpt, isRetryableStatus, postWithTimeout, retryAfterMs } from './http';

export interface SlackOptions {
  timeoutMs: number;
  /** How to reach the URL (status subscribers' go through publicAddressFetch); the global fetch by default. */
  fetch?: Fetch;
}

/** Slack's mrkdwn treats &, < and > as control characters. */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * The JSON posted to an incoming webhook: `text` (used for notifications and as fallback) plus
 * blocks: a header with the subject, a section with the body, and up to 10 fields from scalar `data` values.
 */
export function buildSlackPayload(message: OutboundMessage): { text: string; blocks: unknown[] } {
  const subject = message.subject.trim();
  const body = message.body.trim();
  const text = [subject && `*${escapeSlackText(subject)}*`, escapeSlackText(body)].filter(Boolean).join('\n');
  const blocks: unknown[] = [];
  if (subject) blocks.push({ type: 'header', text: { type: 'plain_text', text: truncate(subject, 150), emoji: true } });
  if (body) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(escapeSlackText(body), 3000) } });
  const fields = Object.entries(message.data ?? {})
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    .slice(0, 10)
    .map(([k, v]) => ({ type: 'mrkdwn', text: truncate(`*${escapeSlackText(k)}*\n${escapeSlackText(String(v))}`, 2000) }));
  if (fields.length > 0) blocks.push({ type: 'section', fields });
  return { text: truncate(text || ' ', 40000), blocks };
}

/** Slack incoming webhook: `to` is the webhook URL (a secret; never logged). */
export class SlackChannel implements Channel {
  readonly kind = 'SLACK' as const;

  constructor(private readonly options: SlackOptions) {
    if (!(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0)) {
      throw new Error('Invalid Slack configuration: timeoutMs must be a positive number');
    }
  }

  async send(message: OutboundMessage): Promise<DeliveryResult> {
    assertSendable(message);
    const url = assertHttpUrl('Slack', message.to);
    const response = await postWithTimeout('Slack', url.toString(), {
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify(buildSlackPayload(message)),
      timeoutMs: this.options.timeoutMs,
      fetch: this.options.fetch,
    });
    if (response.status >= 200 && response.status < 300) return { providerMessageId: null };
    // Slack explains failures in the plain-text body: invalid_payload, no_service, channel_not_found, …
    throw new DeliveryError(
      `Slack answered ${response.status}: ${excerpt(response.text) || 'empty body'}`,
      isRetryableStatus(response.status),
      response.status,
      { retryAfterMs: retryAfterMs(response.headers) },
    );
  }
}
