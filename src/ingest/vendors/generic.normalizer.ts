/**
 * GENERIC: the PagerDuty Events API v2 body, the de-facto generic alert format.
 * https://developer.pagerduty.com/docs/events-api-v2/trigger-events/
 *
 * - `routing_key` is ignored (and never copied): our integration auth is separate.
 * - Identity: `dedup_key`; required for acknowledge/resolve; a trigger without one gets
 *   sha256(summary, source), so the same event repeated dedups.
 * - Group: `payload.group` when present, else the fingerprint.
 * - `acknowledge` has no NormalizedAlert status: it becomes a FIRING alert marked
 *   `acknowledged` (the alert is still open; the ack acknowledges its incident, not lost).
 */
import { type NormalizedAlert, type Normalizer } from '../normalized-alert';
import type { AlertSeverity } from '../../shared/enums';
import {
  asRecord,
  buildAlert,
  cloneJson,
  isRecord,
  lookupStatus,
  optArray,
  optRecord,
  optString,
  parseIsoDate,
  readString,
  stableHash,
  withoutNulls,
} from './normalizer-helpers';

const EVENT_ACTION_MAP = { trigger: 'FIRING', acknowledge: 'FIRING', resolve: 'RESOLVED' } as const;

/** PagerDuty's severity enum is closed, so an unknown value is rejected like a status. */
const SEVERITY_MAP = { critical: 'CRITICAL', error: 'HIGH', warning: 'WARNING', info: 'INFO' } as const satisfies Record<
  string,
  AlertSeverity
>;

function normalizeEvent(rawBody: unknown): NormalizedAlert[] {
  const body = asRecord(rawBody, '$');
  const action = readString(body, 'event_action');
  const status = lookupStatus(EVENT_ACTION_MAP, action, 'event_action');
  const isTrigger = action === 'trigger';
  const payload = isTrigger ? asRecord(body.payload, 'payload') : (optRecord(body, 'payload') ?? {});
  const summary = isTrigger ? readString(payload, 'summary', 'payload') : optString(payload, 'summary', 'payload');
  const source = isTrigger ? readString(payload, 'source', 'payload') : optString(payload, 'source', 'payload');
  const rawSeverity = isTrigger ? readString(payload, 'severity', 'payload') : optString(payload, 'severity', 'payload');
  const severity = rawSeverity === null ? 'WARNING' : lookupStatus(SEVERITY_MAP, rawSeverity, 'payload.severity');
  const dedupKey = isTrigger ? optString(body, 'dedup_key') : readString(body, 'dedup_key');
  const fingerprint = dedupKey ?? stableHash(summary, source);
  const group = optString(payload, 'group', 'payload');
  const component = optString(payload, 'component', 'payload');
  const eventClass = optString(payload, 'class', 'payload');
  const links = optArray(body, 'links');
  const firstLink = links.find(isRecord)?.href;
  const customDetails = payload.custom_details;
  return [
    buildAlert({
      fingerprint,
      groupKey: group ?? fingerprint,
      status,
      acknowledged: action === 'acknowledge',
      severity,
      vendorSeverity: rawSeverity,
      summary: summary ?? `${action} ${fingerprint}`,
      source,
      labels: {
        ...(component ? { component } : {}),
        ...(group ? { group } : {}),
        ...(eventClass ? { class: eventClass } : {}),
      },
      url: optString(body, 'client_url') ?? (typeof firstLink === 'string' ? firstLink : null),
      startsAt: parseIsoDate(payload.timestamp, 'payload.timestamp'),
      details: withoutNulls({
        eventAction: action,
        client: optString(body, 'client'),
        customDetails: customDetails === undefined || customDetails === null ? null : cloneJson(customDetails),
        links: links.length > 0 ? cloneJson(links) : null,
        images: optArray(body, 'images').length > 0 ? cloneJson(body.images) : null,
      }),
    }),
  ];
}

export const genericNormalizer: Normalizer = {
  vendor: 'GENERIC',
  accepts: ['json'],
  normalize: (request) => normalizeEvent(request.body),
};
