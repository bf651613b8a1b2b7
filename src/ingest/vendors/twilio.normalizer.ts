/**
 * Twilio webhooks. Three shapes, told apart by their fields:
 *
 * (a) Inbound SMS (form: MessageSid, From, To, Body; no MessageStatus) → kind INBOUND_SMS.
 *     Telemetry devices repeat the same alarm text, so identity is a hash of From + the text with a
 *     leading state word (ALARM/ALERT/PROBLEM/FIRING/RESOLVED/OK/CLEAR/CLEARED/RECOVERED) stripped:
 *     "ALARM: Pump 3 pressure high" and "CLEAR: Pump 3 pressure high" share a fingerprint, so the
 *     second resolves the first. RESOLVED only when the text *starts* with RESOLVED/OK/CLEAR/CLEARED/
 *     RECOVERED as a word ("OK - disk ok" resolves; "NOT OK" and "Disk cleared?" do not).
 *     Group key `sms:<From>`: one open incident per sending device.
 * (b) Message status callbacks (form with MessageStatus): failed/undelivered → a FIRING
 *     DELIVERY_FAILURE keyed by ErrorCode (`twilio-delivery:<ErrorCode>`), so a broken route opens
 *     one incident however many messages fail; every other documented status → [] (nothing to alert on).
 * (c) JSON bodies are Twilio's status page, an Atlassian Statuspage → delegated to the Statuspage normalizer.
 * https://www.twilio.com/docs/messaging/guides/webhook-request
 * https://www.twilio.com/docs/messaging/guides/track-outbound-message-status
 */
import { PayloadSchemaError, type NormalizedAlert, type Normalizer, type NormalizerRequest, type ReceivedRequest } from '../normalized-alert';
import { formFields } from '../parse-body';
import { verifyTwilioSignature, verifyTwilioSignatureWithBody } from '../twilio-signature';
import { buildAlert, isRecord, lookupStatus, stableHash, withoutNulls } from './normalizer-helpers';
import { normalizeStatuspageBody } from './statuspage.normalizer';

const MESSAGE_STATUS_MAP = {
  failed: 'ALERT',
  undelivered: 'ALERT',
  queued: 'IGNORE',
  sending: 'IGNORE',
  sent: 'IGNORE',
  delivered: 'IGNORE',
  accepted: 'IGNORE',
  scheduled: 'IGNORE',
  read: 'IGNORE',
  receiving: 'IGNORE',
  received: 'IGNORE',
  canceled: 'IGNORE',
  partially_delivered: 'IGNORE',
} as const;

const RESOLVING_PREFIX = /^(resolved|ok|clear|cleared|recovered|recovery)\b/i;
const STATE_PREFIX = /^(alarm|alert|problem|firing|resolved|ok|clear|cleared|recovered|recovery)\b[\s:;,.!\-–]*/i;

type FormBody = Record<string, unknown>;

function param(body: FormBody, name: string, required: true): string;
function param(body: FormBody, name: string, required?: false): string | null;
function param(body: FormBody, name: string, required = false): string | null {
  const value = body[name];
  if (value === undefined || value === null) {
    if (required) throw new PayloadSchemaError(name, 'is required');
    return null;
  }
  if (typeof value !== 'string') throw new PayloadSchemaError(name, 'must be a single string value');
  return value;
}

function deliveryFailure(body: FormBody, status: string): NormalizedAlert {
  const errorCode = param(body, 'ErrorCode')?.trim() || 'unknown';
  const to = param(body, 'To');
  const key = `twilio-delivery:${errorCode}`;
  return buildAlert({
    fingerprint: key,
    groupKey: key,
    status: 'FIRING',
    severity: 'HIGH',
    kind: 'DELIVERY_FAILURE',
    summary: `Twilio message ${status}${to ? ` to ${to}` : ''} (error ${errorCode})`,
    description: param(body, 'ErrorMessage'),
    source: to,
    labels: { error_code: errorCode, message_status: status },
    url: /^\d+$/.test(errorCode) ? `https://www.twilio.com/docs/api/errors/${errorCode}` : null,
    details: withoutNulls({
      messageSid: param(body, 'MessageSid', true),
      accountSid: param(body, 'AccountSid'),
      from: param(body, 'From'),
      messagingServiceSid: param(body, 'MessagingServiceSid'),
    }),
  });
}

/** The alarm text without its leading state word, whitespace-collapsed and lower-cased. */
export const smsIdentityText = (text: string): string =>
  text.trim().replace(STATE_PREFIX, '').replace(/\s+/g, ' ').trim().toLowerCase();

function inboundSms(body: FormBody): NormalizedAlert {
  const messageSid = param(body, 'MessageSid') ?? param(body, 'SmsSid', true);
  const from = param(body, 'From', true).trim();
  const text = param(body, 'Body', true);
  const summary = text.trim() || '(empty SMS)';
  return buildAlert({
    fingerprint: `twilio-sms:${stableHash(from, smsIdentityText(text))}`,
    groupKey: `sms:${from}`,
    status: RESOLVING_PREFIX.test(text.trim()) ? 'RESOLVED' : 'FIRING',
    severity: 'WARNING',
    kind: 'INBOUND_SMS',
    summary,
    description: /[\r\n]/.test(summary) ? summary : null,
    source: from,
    labels: { from },
    details: withoutNulls({
      messageSid,
      accountSid: param(body, 'AccountSid'),
      to: param(body, 'To'),
      messagingServiceSid: param(body, 'MessagingServiceSid'),
      numMedia: param(body, 'NumMedia'),
    }),
  });
}

function normalizeTwilio(contentType: 'json' | 'form', body: unknown): NormalizedAlert[] {
  if (contentType === 'json') {
    if (isRecord(body) && (body.incident != null || body.component_update != null)) return normalizeStatuspageBody(body);
    throw new PayloadSchemaError('$', 'a JSON body must be a Statuspage notification (incident or component_update)');
  }
  if (!isRecord(body)) throw new PayloadSchemaError('$', 'must be form fields');
  const messageStatus = param(body, 'MessageStatus');
  if (messageStatus === null) return [inboundSms(body)];
  const action = lookupStatus(MESSAGE_STATUS_MAP, messageStatus, 'MessageStatus');
  return action === 'ALERT' ? [deliveryFailure(body, messageStatus)] : [];
}

/**
 * Twilio signs its form posts (and JSON posts, through bodySHA256) with the account's auth token. Status-page
 * notifications (Atlassian Statuspage JSON, unsigned) are authenticated by the integration secret alone.
 */
function signatureProblem(request: ReceivedRequest, authToken: string | null): string | null {
  const token = authToken ?? '';
  const signature = request.headers['x-twilio-signature'];
  const valid =
    request.contentType === 'form'
      ? verifyTwilioSignature(token, signature, request.publicUrl, formFields(request.body))
      : !signature || verifyTwilioSignatureWithBody(token, signature, request.publicUrl, request.body);
  return valid ? null : 'X-Twilio-Signature does not match this request';
}

function isInboundSms(body: unknown): body is Record<string, string> {
  const fields = body as Record<string, string>;
  return typeof fields.Body === 'string' && typeof fields.From === 'string' && fields.MessageStatus === undefined;
}

/**
 * Twilio retries a delivery it got no 2xx for, with the same MessageSid (SmsSid on older accounts). An inbound SMS
 * is one delivery per message; a message's status callbacks are one per status.
 */
function deliveryId(request: NormalizerRequest): string | undefined {
  if (request.contentType !== 'form') return undefined;
  const fields = request.body as Record<string, unknown>;
  const sid = [fields.MessageSid, fields.SmsSid].find((value): value is string => typeof value === 'string' && value.length > 0 && value.length <= 64);
  if (sid === undefined) return undefined;
  return typeof fields.MessageStatus === 'string' ? `status:${sid}:${fields.MessageStatus.slice(0, 32)}` : `sms:${sid}`;
}

export const twilioNormalizer: Normalizer = {
  vendor: 'TWILIO',
  accepts: ['form', 'json'],
  normalize: (request) => normalizeTwilio(request.contentType, request.body),
  verifyRequest: signatureProblem,
  deliveryId,
  // An inbound SMS may answer a page ("ACK 12"); one that is no command is an alert like any other.
  pageReply: (request) => (request.contentType === 'form' && isInboundSms(request.body) ? { from: request.body.From, text: request.body.Body } : null),
};
