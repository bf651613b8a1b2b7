/**
 * Azure Monitor action-group webhook, common alert schema (`schemaId: "azureMonitorCommonAlertSchema"`).
 * https://learn.microsoft.com/en-us/azure/azure-monitor/alerts/alerts-common-schema
 * https://learn.microsoft.com/en-us/azure/azure-monitor/alerts/alerts-payload-samples
 *
 * - Stateful alerts (metric, log search v1/v2, smart detector, Prometheus): identity `essentials.alertId`,
 *   status from `monitorCondition`, summary `alertRule`, group `alertRule` + first target.
 * - Activity log alerts are stateless (always "Fired", new alertId per event):
 *   - Service Health → kind PROVIDER_INCIDENT, identity `trackingId`, status from `properties.stage`
 *     (falling back to `alertContext.status`), summary from `properties.title`.
 *   - Resource Health → kind ALERT, identity the target resource, status from `alertContext.status`,
 *     summary from `properties.title`.
 *   - Administrative/Policy/Security/Autoscale/Recommendation → one FIRING alert per event, identity alertId.
 * - Cost budget alerts (`CostAlerts`) carry null alertRule, severity, signalType, alertTargetIDs (and, in
 *   older deliveries, monitorCondition): identity alertId + threshold, group the budget, summary the
 *   description, source the budget's scope.
 * Essentials a kind leaves null get the defaults below; a non-null value Azure does not document is still rejected.
 */
import { PayloadSchemaError, type NormalizedAlert, type Normalizer } from '../normalized-alert';
import type { AlertSeverity, AlertStatus } from '../../shared/enums';
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
const ESSENTIALS_PATH = 'data.essentials';

const MONITOR_CONDITION_MAP = { Fired: 'FIRING', Resolved: 'RESOLVED' } as const;

/** What a null (or absent) essentials field means. */
const ESSENTIALS_DEFAULTS = {
  /** Cost budget alerts of 2022–2023 sent `monitorCondition: null`; they are firing notifications. */
  monitorCondition: 'Fired',
  /** Cost budget alerts have no severity: WARNING, P3 unless the integration's severityMap says otherwise. */
  severity: 'WARNING',
} as const satisfies { monitorCondition: keyof typeof MONITOR_CONDITION_MAP; severity: AlertSeverity };

/** Azure severities: Sev0 critical … Sev4 verbose. */
const SEVERITY_MAP: Readonly<Record<string, AlertSeverity>> = {
  Sev0: 'CRITICAL',
  Sev1: 'HIGH',
  Sev2: 'WARNING',
  Sev3: 'INFO',
  Sev4: 'INFO',
};

/** `monitoringService` values whose alerts need their own identity; every other value is a stateful/activity-log alert. */
const MONITORING_SERVICE_KINDS = {
  ServiceHealth: 'serviceHealth',
  'Resource Health': 'resourceHealth',
  // How the samples page heads its Resource Health example.
  ResourceHealth: 'resourceHealth',
  CostAlerts: 'costBudget',
} as const;

type SpecialKind = (typeof MONITORING_SERVICE_KINDS)[keyof typeof MONITORING_SERVICE_KINDS];

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

/** The `alertContext.AlertData` facts of a budget alert kept in the details (all documented as text). */
const BUDGET_FACTS = [
  'Scope',
  'ThresholdType',
  'BudgetType',
  'BudgetThreshold',
  'NotificationThresholdAmount',
  'BudgetName',
  'BudgetId',
  'BudgetStartDate',
  'Unit',
  'SpentAmount',
  'ForecastedTotalForPeriod',
] as const;

type BudgetFacts = Partial<Record<(typeof BUDGET_FACTS)[number], string>>;

interface Essentials {
  alertId: string;
  /** `alertRule`, or the name derived when Azure sends none. */
  ruleName: string;
  kind: SpecialKind | null;
  target: string | null;
  description: string | null;
}

function normalizeAzure(rawBody: unknown): NormalizedAlert[] {
  const body = asRecord(rawBody, '$');
  const schemaId = readString(body, 'schemaId');
  if (schemaId !== SCHEMA_ID) {
    throw new PayloadSchemaError('schemaId', `expected "${SCHEMA_ID}", got "${schemaId}": enable the common alert schema on the action group's webhook`);
  }
  const data = asRecord(body.data, 'data');
  const path = ESSENTIALS_PATH;
  const raw = asRecord(data.essentials, path);
  const context = optRecord(data, 'alertContext', 'data') ?? {};
  const properties = isRecord(context.properties) ? context.properties : {};
  const monitoringService = optString(raw, 'monitoringService', path);
  const kind = monitoringService !== null && Object.prototype.hasOwnProperty.call(MONITORING_SERVICE_KINDS, monitoringService)
    ? MONITORING_SERVICE_KINDS[monitoringService as keyof typeof MONITORING_SERVICE_KINDS]
    : null;
  const budget = kind === 'costBudget' ? budgetFacts(context) : null;
  const alertId = readString(raw, 'alertId', path);
  const targets = optStringArray(raw, 'alertTargetIDs', path);
  const configurationItems = optStringArray(raw, 'configurationItems', path);
  const essentials: Essentials = {
    alertId,
    ruleName: optString(raw, 'alertRule', path) ?? budget?.BudgetName ?? lastSegment(alertId),
    kind,
    // A budget's configuration item is the word "budgets"; the resource it watches is its scope.
    target: budget ? (budget.Scope ?? null) : (targets[0] ?? configurationItems[0] ?? null),
    description: optString(raw, 'description', path),
  };
  const conditionStatus = lookupStatus(
    MONITOR_CONDITION_MAP,
    optString(raw, 'monitorCondition', path) ?? ESSENTIALS_DEFAULTS.monitorCondition,
    `${path}.monitorCondition`,
  );
  const vendorSeverity = optString(raw, 'severity', path);

  const identity = identityOf(essentials, context, properties, conditionStatus, budget);
  return [
    buildAlert({
      fingerprint: identity.fingerprint,
      groupKey: identity.groupKey,
      status: identity.status,
      severity: lookupSeverity(SEVERITY_MAP, vendorSeverity, ESSENTIALS_DEFAULTS.severity),
      vendorSeverity,
      kind: kind === 'serviceHealth' ? 'PROVIDER_INCIDENT' : 'ALERT',
      summary: identity.summary,
      description: identity.description,
      source: essentials.target,
      labels: withoutNullStrings({
        alertRule: essentials.ruleName,
        monitoringService,
        signalType: optString(raw, 'signalType', path),
        configurationItems: configurationItems.join(',') || null,
      }),
      annotations: toStringMap(data.customProperties, 'data.customProperties'),
      url: searchResultsLink(context),
      startsAt: parseIsoDate(raw.firedDateTime, `${path}.firedDateTime`),
      endsAt: parseIsoDate(raw.resolvedDateTime, `${path}.resolvedDateTime`) ?? identity.endsAt,
      details: withoutNulls({
        alertId,
        originAlertId: optString(raw, 'originAlertId', path),
        alertTargetIDs: targets.length > 0 ? targets : null,
        conditionType: typeof context.conditionType === 'string' ? context.conditionType : null,
        budget,
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

function identityOf(e: Essentials, context: JsonObject, properties: JsonObject, condition: AlertStatus, budget: BudgetFacts | null): Identity {
  const title = typeof properties.title === 'string' ? properties.title : null;
  const eventStatus = optString(context, 'status', 'data.alertContext');
  if (e.kind === 'serviceHealth') {
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
    return { fingerprint: key, groupKey: key, status, summary: title ?? e.ruleName, description: description ?? e.description, endsAt };
  }
  if (e.kind === 'resourceHealth') {
    const status = eventStatus ? lookupStatus(HEALTH_EVENT_STATUS_MAP, eventStatus, 'data.alertContext.status') : condition;
    const key = `azure-resource-health:${(e.target ?? e.alertId).toLowerCase()}`;
    const cause = typeof properties.cause === 'string' ? properties.cause : null;
    const endsAt = status === 'RESOLVED' ? healthEventTime(context.eventTimestamp) : null;
    return { fingerprint: key, groupKey: key, status, summary: title ?? e.ruleName, description: (cause && `Cause: ${cause}`) ?? e.description, endsAt };
  }
  if (budget) {
    // Azure's test deliveries give every budget alert the same alertId; the threshold tells them apart.
    const fingerprint = [e.alertId, budget.ThresholdType, budget.NotificationThresholdAmount].filter(Boolean).join('|');
    const groupKey = `azure-cost-budget:${budget.BudgetId ?? budget.BudgetName ?? e.alertId}`;
    return { fingerprint, groupKey, status: condition, summary: e.description ?? `Budget ${e.ruleName}`, description: null, endsAt: null };
  }
  return {
    fingerprint: e.alertId,
    groupKey: e.target ? `${e.ruleName}|${e.target}` : e.ruleName,
    status: condition,
    summary: e.ruleName,
    description: e.description,
    endsAt: null,
  };
}

/** `…/alerts/Test_Alert` → `Test_Alert`: the name of an alert whose rule Azure does not name. */
function lastSegment(alertId: string): string {
  return alertId.split('/').filter((segment) => segment !== '').pop() ?? alertId;
}

/** Budget facts are informational text; a value of another type is left out rather than rejected. */
function budgetFacts(context: JsonObject): BudgetFacts {
  const alertData = isRecord(context.AlertData) ? context.AlertData : {};
  const facts: BudgetFacts = {};
  for (const key of BUDGET_FACTS) {
    const value = alertData[key];
    if (typeof value === 'string' && value.trim() !== '') facts[key] = value.trim();
  }
  return facts;
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
