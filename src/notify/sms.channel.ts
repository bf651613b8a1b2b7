import { assertSendable, Channel, DeliveryError, DeliveryResult, OutboundMessage } from './channel';
import { excerpt, isRetryableStatus, postWithTimeout, retryAfterMs } from './http';
import { isE164 } from '../shared/phone';

export interface SmsOptions {
  /** Twilio Account SID: "AC" followed by 32 hex characters. */
  accountSid: string;
  authToken: string;
  /** E.164 sender number. Give this or messagingServiceSid. */
  fromNumber?: string;
  /** Messaging Service SID ("MG…"), used instead of fromNumber when set. */
  messagingServiceSid?: string;
  /** Defaults to https://api.twilio.com; tests point it at a local stand-in. */
  baseUrl?: string;
  timeoutMs: number;
}

/** Twilio accepts at most 1,600 characters in Body (error 21617 beyond that). */
export const SMS_MAX_BODY_CHARS = 1600;

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;

/** Throws an Error naming every problem with the options, so a misconfiguration fails at startup. */
export function validateSmsOptions(options: SmsOptions): void {
  const problems: string[] = [];
  const sid = options.accountSid ?? '';
  if (!ACCOUNT_SID.test(sid)) {
    problems.push(
      `accountSid must start with "AC" and be 34 characters ("AC" + 32 hex), got ${sid === '' ? 'nothing' : `"${sid.slice(0, 6)}…" (${sid.length} characters)`}`,
    );
  }
  if (!options.authToken) problems.push('authToken is required');
  if (options.fromNumber && options.messagingServiceSid) {
    problems.push('give either fromNumber or messagingServiceSid, not both');
  } else if (!options.fromNumber && !options.messagingServiceSid) {
    problems.push('fromNumber (E.164, e.g. +15005550006) or messagingServiceSid is required');
  }
  if (options.fromNumber && !isE164(options.fromNumber)) {
    problems.push(`fromNumber must be E.164 ("+" then country code and number, up to 15 digits), got "${options.fromNumber}"`);
  }
  if (options.messagingServiceSid && !MESSAGING_SERVICE_SID.test(options.messagingServiceSid)) {
    problems.push('messagingServiceSid must start with "MG" and be 34 characters');
  }
  if (options.baseUrl !== undefined) {
    try {
      new URL(options.baseUrl);
    } catch {
      problems.push(`baseUrl is not a URL: "${options.baseUrl}"`);
    }
  }
  if (!(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0)) problems.push('timeoutMs must be a positive number');
  if (problems.length > 0) throw new Error(`Invalid SMS (Twilio) configuration: ${problems.join('; ')}`);
}

/** SMS body: the subject as first line, then the body; trimmed to Twilio's limit. */
export function composeSmsBody(message: Pick<OutboundMessage, 'subject' | 'body'>): string {
  const parts = [message.subject.trim(), message.body.trim()].filter((p) => p !== '');
  const full = parts.join('\n');
  const chars = Array.from(full);
  return chars.length <= SMS_MAX_BODY_CHARS ? full : `${chars.slice(0, SMS_MAX_BODY_CHARS - 1).join('')}…`;
}

interface TwilioError {
  code?: number;
  message?: string;
  more_info?: string;
  status?: number;
}

/** SMS through Twilio's Messages resource (REST API 2010-04-01). */
export class SmsChannel implements Channel {
  readonly kind = 'SMS' as const;
  private readonly url: string;
  private readonly authorization: string;

  constructor(private readonly options: SmsOptions) {
    validateSmsOptions(options);
    const base = (options.baseUrl ?? 'https://api.twilio.com').replace(/\/+$/, '');
    this.url = `${base}/2010-04-01/Accounts/${options.accountSid}/Messages.json`;
    this.authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  }

  async send(message: OutboundMessage): Promise<DeliveryResult> {
    assertSendable(message);
    if (!isE164(message.to)) {
      throw new DeliveryError(`Twilio: recipient must be an E.164 phone number, got "${message.to}"`, false);
    }
    const form = new URLSearchParams();
    form.set('To', message.to);
    if (this.options.messagingServiceSid) form.set('MessagingServiceSid', this.options.messagingServiceSid);
    else form.set('From', this.options.fromNumber as string);
    form.set('Body', composeSmsBody(message));

    const response = await postWithTimeout('Twilio', this.url, {
      headers: {
        Authorization: this.authorization,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
        'I-Twilio-Idempotency-Token': message.idempotencyKey,
      },
      body: form.toString(),
      timeoutMs: this.options.timeoutMs,
    });

    if (response.status >= 200 && response.status < 300) {
      const sid = parseJson<{ sid?: unknown }>(response.text)?.sid;
      return { providerMessageId: typeof sid === 'string' ? sid : null };
    }
    const error = parseJson<TwilioError>(response.text);
    const detail =
      error && (error.code !== undefined || error.message)
        ? `Twilio error ${error.code ?? '?'}: ${error.message ?? 'no message'}${error.more_info ? ` (${error.more_info})` : ''}`
        : `Twilio answered ${response.status}: ${excerpt(response.text) || 'empty body'}`;
    throw new DeliveryError(`${detail} [HTTP ${response.status}]`, isRetryableStatus(response.status), response.status, {
      retryAfterMs: retryAfterMs(response.headers),
    });
  }
}

function parseJson<T>(text: string): T | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}
