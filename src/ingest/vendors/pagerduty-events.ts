/**
 * PagerDuty Events API v2 as PagerDuty itself checks it, for the drop-in POST /v2/enqueue and /v2/change/enqueue:
 * every invalid field of an event, in PagerDuty's wording ("'payload.summary' is missing or blank"), so a sender's log
 * reads as it did against PagerDuty. Pure; the alert itself is made by the GENERIC normalizer, which reads this body.
 * https://developer.pagerduty.com/docs/events-api-v2/trigger-events/
 * https://developer.pagerduty.com/docs/events-api-v2/send-change-events/
 */
import { PayloadSchemaError } from '../normalized-alert';
import { isRecord, parseIsoDate, stableHash, type JsonObject } from './normalizer-helpers';

const EVENT_ACTIONS = ['trigger', 'acknowledge', 'resolve'];
const SEVERITIES = ['critical', 'error', 'warning', 'info'];
const DEDUP_KEY_MAX = 255;
const SUMMARY_MAX = 1024;
const OPTIONAL_STRINGS = ['component', 'group', 'class'];

const isBlank = (value: unknown) => typeof value !== 'string' || value.trim() === '';

/** PagerDuty's answer to a routing_key no integration holds (or one of an integration that is no GENERIC one). */
export const UNKNOWN_ROUTING_KEY = 'Invalid routing key';

/** The event's routing_key, when it has a usable one. */
export function routingKeyOf(body: unknown): string | null {
  return isRecord(body) && !isBlank(body.routing_key) ? (body.routing_key as string).trim() : null;
}

/** Every invalid field of an alert event (trigger, acknowledge, resolve); empty when PagerDuty would take it. */
export function eventErrors(body: unknown): string[] {
  if (!isRecord(body)) return ['Event object must be a JSON object'];
  const errors: string[] = [];
  if (isBlank(body.routing_key)) errors.push("'routing_key' is missing or blank");
  const action = body.event_action;
  if (isBlank(action)) errors.push("'event_action' is missing or blank");
  else if (!EVENT_ACTIONS.includes(action as string)) errors.push(`'event_action' is invalid (must be one of: ${EVENT_ACTIONS.join(', ')})`);
  const trigger = action === 'trigger';
  const dedupKey = body.dedup_key;
  if (dedupKey !== undefined && dedupKey !== null && typeof dedupKey !== 'string') errors.push("'dedup_key' must be a string");
  else if (typeof dedupKey === 'string' && dedupKey.length > DEDUP_KEY_MAX) errors.push(`'dedup_key' is too long (maximum ${DEDUP_KEY_MAX} characters)`);
  else if (!trigger && EVENT_ACTIONS.includes(action as string) && isBlank(dedupKey)) errors.push("'dedup_key' is missing or blank");
  const payload = body.payload;
  if (payload === undefined || payload === null) {
    if (trigger) errors.push("'payload' is missing or blank");
  } else if (!isRecord(payload)) {
    errors.push("'payload' must be an object");
  } else {
    errors.push(...payloadErrors(payload, trigger));
  }
  errors.push(...stringErrors(body, ['client', 'client_url'], ''));
  errors.push(...listErrors(body.images, 'images', 'src'));
  errors.push(...listErrors(body.links, 'links', 'href'));
  return errors;
}

function payloadErrors(payload: JsonObject, trigger: boolean): string[] {
  const errors: string[] = [];
  for (const field of ['summary', 'source', 'severity']) {
    const value = payload[field];
    if (trigger && isBlank(value)) errors.push(`'payload.${field}' is missing or blank`);
    else if (value !== undefined && value !== null && typeof value !== 'string') errors.push(`'payload.${field}' must be a string`);
  }
  if (typeof payload.summary === 'string' && payload.summary.length > SUMMARY_MAX) errors.push(`'payload.summary' is too long (maximum ${SUMMARY_MAX} characters)`);
  if (typeof payload.severity === 'string' && !isBlank(payload.severity) && !SEVERITIES.includes(payload.severity)) {
    errors.push(`'payload.severity' is invalid (must be one of: ${SEVERITIES.join(', ')})`);
  }
  errors.push(...timestampErrors(payload.timestamp));
  errors.push(...stringErrors(payload, OPTIONAL_STRINGS, 'payload.'));
  return errors;
}

/** Every invalid field of a change event; empty when PagerDuty would take it. */
export function changeEventErrors(body: unknown): string[] {
  if (!isRecord(body)) return ['Event object must be a JSON object'];
  const errors: string[] = [];
  if (isBlank(body.routing_key)) errors.push("'routing_key' is missing or blank");
  const payload = body.payload;
  if (!isRecord(payload)) {
    errors.push(payload === undefined || payload === null ? "'payload' is missing or blank" : "'payload' must be an object");
  } else {
    if (isBlank(payload.summary)) errors.push("'payload.summary' is missing or blank");
    else if ((payload.summary as string).length > SUMMARY_MAX) errors.push(`'payload.summary' is too long (maximum ${SUMMARY_MAX} characters)`);
    errors.push(...stringErrors(payload, ['source'], 'payload.'));
    errors.push(...timestampErrors(payload.timestamp));
    const details = payload.custom_details;
    if (details !== undefined && details !== null && !isRecord(details)) errors.push("'payload.custom_details' must be an object");
  }
  errors.push(...listErrors(body.links, 'links', 'href'));
  return errors;
}

/**
 * The dedup_key PagerDuty would return for a trigger that has none. Not random as PagerDuty's: the GENERIC normalizer's
 * own (summary, source) hash, so the key returned is the alert's, a repeated trigger stays one alert, and a later
 * acknowledge or resolve with the returned key finds it.
 */
export function generatedDedupKey(body: JsonObject): string {
  const payload = isRecord(body.payload) ? body.payload : {};
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
  return stableHash(text(payload.summary), text(payload.source));
}

/** The body as kept in a dead letter: the routing_key is the integration's secret. */
export function withoutRoutingKey(body: JsonObject): JsonObject {
  return 'routing_key' in body ? { ...body, routing_key: '[redacted]' } : body;
}

function timestampErrors(value: unknown): string[] {
  try {
    parseIsoDate(value, 'timestamp');
    return [];
  } catch (error) {
    if (error instanceof PayloadSchemaError) return ["'payload.timestamp' is not a valid ISO 8601 timestamp"];
    throw error;
  }
}

function stringErrors(object: JsonObject, fields: string[], prefix: string): string[] {
  return fields.filter((field) => object[field] !== undefined && object[field] !== null && typeof object[field] !== 'string').map((field) => `'${prefix}${field}' must be a string`);
}

function listErrors(value: unknown, field: string, required: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return [`'${field}' must be an array`];
  const errors: string[] = [];
  value.forEach((item, index) => {
    if (!isRecord(item)) errors.push(`'${field}[${index}]' must be an object`);
    else if (isBlank(item[required])) errors.push(`'${field}[${index}].${required}' is missing or blank`);
  });
  return errors;
}
