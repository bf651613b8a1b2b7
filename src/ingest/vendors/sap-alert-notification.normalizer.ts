/**
 * SAP Alert Notification service for SAP BTP, webhook action (the event as delivered, no payload template).
 * Event fields: eventType, resource{resourceName,resourceType,resourceInstance,tags}, severity
 * (INFO/NOTICE/WARNING/ERROR/FATAL), category (ALERT/NOTIFICATION/EXCEPTION), subject, body,
 * eventTimestamp (epoch seconds), tags, id, region, priority.
 * Well-known tags (SAP/alert-notification-node-client, ResourceEvent): `ans:correlationId`,
 * `ans:status` (CREATE_OR_UPDATE, CREATE, UPDATE, COMMENT or CLOSE), `ans:detailsLink`,
 * `ans:recommendedActionLink`, `ans:sourceEventId`.
 *
 * Identity: tags["ans:correlationId"], else sha256 of eventType + resourceName + resourceInstance.
 * Resolved when tags["ans:status"] is CLOSE; absent → FIRING; any other unknown value is rejected.
 *
 * `createSapAlertNotificationNormalizer({ fieldMap })` reads "other SAP-style payloads" by dotted paths.
 */
import { PayloadSchemaError, type NormalizedAlert, type Normalizer } from '../normalized-alert';
import type { AlertSeverity } from '../../shared/enums';
import {
  asRecord,
  buildAlert,
  isRecord,
  lookupSeverity,
  lookupStatus,
  parseEpochSeconds,
  parseIsoDate,
  readDottedPath,
  stableHash,
  toStringMap,
  withoutNulls,
} from './normalizer-helpers';

const SEVERITY_MAP: Readonly<Record<string, AlertSeverity>> = {
  FATAL: 'CRITICAL',
  ERROR: 'HIGH',
  WARNING: 'WARNING',
  NOTICE: 'INFO',
  INFO: 'INFO',
};

/** tags["ans:status"] */
const ANS_STATUS_MAP = {
  CREATE_OR_UPDATE: 'FIRING',
  CREATE: 'FIRING',
  UPDATE: 'FIRING',
  COMMENT: 'FIRING',
  CLOSE: 'RESOLVED',
} as const;

const TAG_CORRELATION_ID = 'ans:correlationId';
const TAG_STATUS = 'ans:status';
const TAG_DETAILS_LINK = 'ans:detailsLink';
const TAG_RECOMMENDED_ACTION_LINK = 'ans:recommendedActionLink';

/** Dotted paths into the body for each field the normalizer reads. */
export interface SapFieldMap {
  subject: string;
  body: string;
  severity: string;
  eventType: string;
  category: string;
  resourceName: string;
  resourceType: string;
  resourceInstance: string;
  resourceTags: string;
  /** Epoch seconds, or an ISO 8601 string. */
  timestamp: string;
  tags: string;
  id: string;
}

export const DEFAULT_SAP_FIELD_MAP: Readonly<SapFieldMap> = {
  subject: 'subject',
  body: 'body',
  severity: 'severity',
  eventType: 'eventType',
  category: 'category',
  resourceName: 'resource.resourceName',
  resourceType: 'resource.resourceType',
  resourceInstance: 'resource.resourceInstance',
  resourceTags: 'resource.tags',
  timestamp: 'eventTimestamp',
  tags: 'tags',
  id: 'id',
};

export interface SapAlertNotificationOptions {
  fieldMap?: Partial<SapFieldMap>;
}

function field(body: unknown, path: string, required: boolean): string | null {
  const value = readDottedPath(body, path);
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    if (required) throw new PayloadSchemaError(path, 'is required');
    return null;
  }
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') throw new PayloadSchemaError(path, 'must be a string');
  return value.trim();
}

function parseTimestamp(value: unknown, path: string): Date | null {
  if (typeof value === 'string' && !/^\d+(\.\d+)?$/.test(value.trim())) return parseIsoDate(value, path);
  return parseEpochSeconds(value, path);
}

function normalizeSap(rawBody: unknown, map: SapFieldMap): NormalizedAlert[] {
  const body = asRecord(rawBody, '$');
  const eventType = field(body, map.eventType, true) as string;
  const resourceName = field(body, map.resourceName, true) as string;
  const resourceType = field(body, map.resourceType, false);
  const resourceInstance = field(body, map.resourceInstance, false);
  const vendorSeverity = field(body, map.severity, true) as string;
  const category = field(body, map.category, false);
  const tags = toStringMap(readDottedPath(body, map.tags), map.tags);
  const statusTag = tags[TAG_STATUS]?.trim();
  const status = statusTag ? lookupStatus(ANS_STATUS_MAP, statusTag, `${map.tags}["${TAG_STATUS}"]`) : 'FIRING';
  const correlationId = tags[TAG_CORRELATION_ID]?.trim() || null;
  const fingerprint = correlationId ?? stableHash(eventType, resourceName, resourceInstance);
  const region = isRecord(body) && typeof body.region === 'string' ? body.region : null;
  return [
    buildAlert({
      fingerprint,
      groupKey: correlationId ?? `sap-ans:${eventType}:${resourceName}`,
      status,
      severity: lookupSeverity(SEVERITY_MAP, vendorSeverity.toUpperCase()),
      vendorSeverity,
      summary: field(body, map.subject, false) ?? eventType,
      description: field(body, map.body, false),
      source: resourceInstance ? `${resourceName}/${resourceInstance}` : resourceName,
      labels: {
        ...toStringMap(readDottedPath(body, map.resourceTags), map.resourceTags),
        eventType,
        resourceName,
        ...(resourceType ? { resourceType } : {}),
        ...(resourceInstance ? { resourceInstance } : {}),
        ...(category ? { category } : {}),
      },
      annotations: tags,
      url: tags[TAG_DETAILS_LINK] ?? tags[TAG_RECOMMENDED_ACTION_LINK] ?? null,
      startsAt: parseTimestamp(readDottedPath(body, map.timestamp), map.timestamp),
      details: withoutNulls({
        eventId: field(body, map.id, false),
        region,
        recommendedActionLink: tags[TAG_RECOMMENDED_ACTION_LINK],
      }),
    }),
  ];
}

export function createSapAlertNotificationNormalizer(options: SapAlertNotificationOptions = {}): Normalizer {
  const map: SapFieldMap = { ...DEFAULT_SAP_FIELD_MAP, ...options.fieldMap };
  return {
    vendor: 'SAP_ALERT_NOTIFICATION',
    accepts: ['json'],
    normalize: (request) => normalizeSap(request.body, map),
    // SAP-style payloads with other field names: the integration's sapFieldMap relocates the fields.
    forIntegration: (integrationOptions) => (integrationOptions.sapFieldMap ? createSapAlertNotificationNormalizer({ fieldMap: integrationOptions.sapFieldMap }) : undefined),
  };
}

export const sapAlertNotificationNormalizer: Normalizer = createSapAlertNotificationNormalizer();
