/**
 * Azure Monitor action-group webhook, common alert schema (`schemaId: "azureMonitorCommonAlertSchema"`).
 * https://learn.microsoft.com/en-us/azure/azure-monitor/alerts/alerts-common-schema
 *
 * - Stateful alerts (metric, log search v1/v2, smart detector, Prometheus): identity `essentials.alertId`,
 *   status from `monitorCondition`, summary `alertRule`, group `alertRule` + first target.
 * - Activity log alerts are stateless (always "Fired", new alertId per event):
 *   - Service Health → kind PROVIDER_INCIDENT, identity `trackingId`, status from `properties.stage`
 *     (falling back to `alertContext.status`), summary from `properties.title`.
 *   - Resource Health → kind ALERT, identity the target resource, status from `alertContext.status`,
 *     summary from `properties.title`.
 *   - Administrative/Policy/Security/Autoscale → one FIRING alert per event, identity alertId.
 */
import {
  PayloadSchemaError,
  type AlertSeverity,
  type AlertStatus,
  type NormalizedAlert,
  type Normalizer,
} from '../normalized-alert';
import {
  asRecord,
  buildAlert,
  isRecord,
  isStorableDate,
  lookupSeverity,
  lookupStatus,
  optRecord,
  optString,
  optStringArray,
  parseIsoDate,
  readString,
  toStringMap,
  withoutNulls,
  type JsonObject,
} from './normalizer-helpers';

const SCHEMA_ID = 'azureMonitorCommonAlertSchema';

const MONITOR_CONDITION_MAP = { Fired: 'FIRING', Resolved: 'RESOLVED' } as const;

/** Azure severities: Sev0 critical … Sev4 verbose. */
const SEVERITY_MAP: Readonly<Record<string, AlertSeverity>> = {
  Sev0: 'CRITICAL',
  Sev1: 'HIGH',
  Sev2: 'WARNING',
  Sev3: 'INFO',
  Sev4: 'INFO',
};

/** Service Health `properties.stage` (incidents: Active/Resolved/RCA; maintenance: Planned…Complete). */
const SERVICE_HEALTH_STAGE_MAP: Readonly<Record<string, AlertStatus>> = {
  Active: 'FIRING',
  Planned: 'FIRING',
  InProgress: 'FIRING',
  Rescheduled: 'FIRING',
  Resolved: 'RESOLVED',
  RCA: 'RESOLVED',
  Complete: 'RESOLVED',
  Canceled: 'RESOLVED',
};

/** Activity log event `status` for Resource Health (and the Service Health fallback). */
const HEALTH_EVENT_STATUS_MAP: Readonly<Record<string, AlertStatus>> = {
  Active: 'FIRING',
  'In Progress': 'FIRING',
  Updated: 'FIRING',
  Resolved: 'RESOLVED',
};

const SERVICE_HEALTH = 'ServiceHealth';
const RESOURCE_HEALTH = 'Resource Health';

interface Essentials {
  alertId: string;
  alertRule: string;
  monitoringService: string | null;
  target: string | null;
  path: string;
  raw: JsonObject;
}

function normalizeAzure(rawBody: unknown): NormalizedAlert[] {
  const body = asRecord(rawBody, '$');
  const schemaId = readString(body, 'schemaId');
  if (schemaId !== SCHEMA_ID) throw new PayloadSchemaError('schemaId', `expected "${SCHEMA_ID}", got "${schemaId}"`);
  const data = asRecord(body.data, 'data');
  const path = 'data.essentials';
  const raw = asRecord(data.essentials, path);
  const targets = optStringArray(raw, 'alertTargetIDs', path);
  const configurationItems = optStringArray(raw, 'configurationItems', path);
  const essentials: Essentials = {
    alertId: readString(raw, 'alertId', path),
    alertRule: readString(raw, 'alertRule', path),
    monitoringService: optString(raw, 'monitoringService', path),
    target: targets[0] ?? configurationItems[0] ?? null,
    path,
    raw,
  };
  const context = optRecord(data, 'alertContext', 'data') ?? {};
  const properties = isRecord(context.properties) ? context.properties : {};
  const conditionStatus = lookupStatus(MONITOR_CONDITION_MAP, readString(raw, 'monitorCondition', path), `${path}.monitorCondition`);
  const vendorSeverity = optString(raw, 'severity', path);

  const identity = healthIdentity(essentials, context, properties, conditionStatus);
  return [
    buildAlert({
      fingerprint: identity.fingerprint,
      groupKey: identity.groupKey,
      status: identity.status,
      severity: lookupSeverity(SEVERITY_MAP, vendorSeverity),
      vendorSeverity,
      kind: essentials.monitoringService === SERVICE_HEALTH ? 'PROVIDER_INCIDENT' : 'ALERT',
      summary: identity.summary,
      description: identity.description ?? optString(raw, 'description', path),
      source: essentials.target,
      labels: withoutNullStrings({
        alertRule: essentials.alertRule,
        monitoringService: essentials.monitoringService,
        signalType: optString(raw, 'signalType', path),
        configurationItems: configurationItems.join(',') || null,
      }),
      annotations: toStringMap(data.customProperties, 'data.customProperties'),
      url: searchResultsLink(context),
      startsAt: parseIsoDate(raw.firedDateTime, `${path}.firedDateTime`),
      endsAt: parseIsoDate(raw.resolvedDateTime, `${path}.resolvedDateTime`) ?? identity.endsAt,
      details: withoutNulls({
        alertId: essentials.alertId,
        originAlertId: optString(raw, 'originAlertId', path),
        alertTargetIDs: targets,
        conditionType: typeof context.conditionType === 'string' ? context.conditionType : null,
        ...healthDetails(properties),
      }),
    }),
  ];
}

interface Identity {
  fingerprint: string;
  groupKey: string;
  status: AlertStatus;
  summary: string;
  description: string | null;
  endsAt: Date | null;
}

function healthIdentity(e: Essentials, context: JsonObject, properties: JsonObject, condition: AlertStatus): Identity {
  const stateful: Identity = {
    fingerprint: e.alertId,
    groupKey: e.target ? `${e.alertRule}|${e.target}` : e.alertRule,
    status: condition,
    summary: e.alertRule,
    description: null,
    endsAt: null,
  };
  const title = typeof properties.title === 'string' ? properties.title : null;
  const eventStatus = optString(context, 'status', 'data.alertContext');
  if (e.monitoringService === SERVICE_HEALTH) {
    const propertiesPath = 'data.alertContext.properties';
    const trackingId = readString(properties, 'trackingId', propertiesPath);
    const stage = optString(properties, 'stage', propertiesPath);
    const status = stage
      ? lookupStatus(SERVICE_HEALTH_STAGE_MAP, stage, `${propertiesPath}.stage`)
      : eventStatus
        ? lookupStatus(HEALTH_EVENT_STATUS_MAP, eventStatus, 'data.alertContext.status')
        : condition;
    const key = `azure-service-health:${trackingId}`;
    const endsAt = status === 'RESOLVED' ? healthEventTime(properties.impactMitigationTime ?? context.eventTimestamp) : null;
    const description = htmlToText(properties.communication);
    return { fingerprint: key, groupKey: key, status, summary: title ?? e.alertRule, description, endsAt };
  }
  if (e.monitoringService === RESOURCE_HEALTH) {
    const status = eventStatus ? lookupStatus(HEALTH_EVENT_STATUS_MAP, eventStatus, 'data.alertContext.status') : condition;
    const key = `azure-resource-health:${(e.target ?? e.alertId).toLowerCase()}`;
    const cause = typeof properties.cause === 'string' ? properties.cause : null;
    const endsAt = status === 'RESOLVED' ? healthEventTime(context.eventTimestamp) : null;
    return { fingerprint: key, groupKey: key, status, summary: title ?? e.alertRule, description: cause && `Cause: ${cause}`, endsAt };
  }
  return stateful;
}

/** Activity-log times are informational; an unparsable one is dropped rather than rejected. */
function healthEventTime(value: unknown): Date | null {
  const date = typeof value === 'string' ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) && isStorableDate(date) ? date : null;
}

function healthDetails(properties: JsonObject): Record<string, unknown> {
  const keys = ['trackingId', 'incidentType', 'stage', 'service', 'region', 'currentHealthStatus', 'previousHealthStatus', 'cause', 'type'];
  return Object.fromEntries(keys.filter((key) => typeof properties[key] === 'string').map((key) => [key, properties[key]]));
}

function searchResultsLink(context: JsonObject): string | null {
  const condition = isRecord(context.condition) ? context.condition : {};
  const first = Array.isArray(condition.allOf) && isRecord(condition.allOf[0]) ? condition.allOf[0] : {};
  const link = first.linkToFilteredSearchResultsUI ?? first.linkToSearchResultsUI ?? context.LinkToSearchResults;
  return typeof link === 'string' && link !== '' ? link : null;
}

/** Service Health `communication` is HTML; keep readable text. */
function htmlToText(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value
    .replace(/<br\s*\/?>|<\/p>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\n{2,}/g, '\n')
    .trim();
  return text === '' ? null : text;
}

function withoutNullStrings(record: Record<string, string | null>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) if (value !== null) out[key] = value;
  return out;
}

export const azureMonitorNormalizer: Normalizer = {
  vendor: 'AZURE_MONITOR',
  accepts: ['json'],
  normalize: (request) => normalizeAzure(request.body),
};
