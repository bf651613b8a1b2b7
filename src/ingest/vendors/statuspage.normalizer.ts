/**
 * Atlassian Statuspage webhook notifications (`meta` + `page` + `incident`, or `component_update` + `component`).
 * https://support.atlassian.com/statuspage/docs/enable-webhook-notifications/
 * Every notification is a PROVIDER_INCIDENT: the outage is at a vendor we depend on.
 */
import { PayloadSchemaError, type NormalizedAlert, type Normalizer } from '../normalized-alert';
import {
  asRecord,
  buildAlert,
  childPath,
  isRecord,
  lookupSeverity,
  lookupStatus,
  optArray,
  optString,
  parseIsoDate,
  readString,
  withoutNulls,
  type JsonObject,
} from './normalizer-helpers';
import {
  STATUSPAGE_COMPONENT_SEVERITY as COMPONENT_SEVERITY_MAP,
  STATUSPAGE_COMPONENT_STATUS as COMPONENT_STATUS_MAP,
  STATUSPAGE_IMPACT_SEVERITY as IMPACT_SEVERITY_MAP,
  STATUSPAGE_INCIDENT_STATUS as INCIDENT_STATUS_MAP,
} from './statuspage-status';

/** Normalizes a Statuspage notification body (also used for Twilio's status page). */
export function normalizeStatuspageBody(rawBody: unknown): NormalizedAlert[] {
  const body = asRecord(rawBody, '$');
  const page = asRecord(body.page, 'page');
  const pageId = readString(page, 'id', 'page');
  const pageDetails = withoutNulls({
    pageId,
    pageStatusIndicator: optString(page, 'status_indicator', 'page'),
    pageStatusDescription: optString(page, 'status_description', 'page'),
  });
  if (body.incident !== undefined && body.incident !== null) return [incidentAlert(body, pageId, pageDetails)];
  if (body.component_update !== undefined && body.component_update !== null) {
    return [componentAlert(body, pageId, pageDetails)];
  }
  throw new PayloadSchemaError('incident', 'expected an incident or a component_update');
}

function incidentAlert(body: JsonObject, pageId: string, pageDetails: Record<string, unknown>): NormalizedAlert {
  const path = 'incident';
  const incident = asRecord(body.incident, path);
  const id = readString(incident, 'id', path);
  const status = lookupStatus(INCIDENT_STATUS_MAP, readString(incident, 'status', path), `${path}.status`);
  const impact = optString(incident, 'impact_override', path) ?? optString(incident, 'impact', path);
  const updates = optArray(incident, 'incident_updates', path);
  const latest = updates.find(isRecord);
  const components = optArray(incident, 'components', path)
    .filter(isRecord)
    .map((component) => component.name)
    .filter((name): name is string => typeof name === 'string');
  const key = `statuspage:${pageId}:incident:${id}`;
  return buildAlert({
    fingerprint: key,
    groupKey: key,
    status,
    severity: lookupSeverity(IMPACT_SEVERITY_MAP, impact),
    vendorSeverity: impact,
    kind: 'PROVIDER_INCIDENT',
    summary: readString(incident, 'name', path),
    description: latest && typeof latest.body === 'string' ? latest.body : null,
    source: pageId,
    labels: { page_id: pageId, incident_status: String(incident.status), ...(impact ? { impact } : {}) },
    url: optString(incident, 'shortlink', path),
    startsAt: parseIsoDate(incident.started_at ?? incident.created_at, `${path}.created_at`),
    endsAt: parseIsoDate(incident.resolved_at, `${path}.resolved_at`),
    details: { ...pageDetails, incidentId: id, components },
  });
}

function componentAlert(body: JsonObject, pageId: string, pageDetails: Record<string, unknown>): NormalizedAlert {
  const update = asRecord(body.component_update, 'component_update');
  const component = asRecord(body.component, 'component');
  const id = optString(component, 'id', 'component') ?? readString(update, 'component_id', 'component_update');
  const newStatus = optString(update, 'new_status', 'component_update') ?? readString(component, 'status', 'component');
  const statusPath = update.new_status === undefined ? 'component.status' : 'component_update.new_status';
  const status = lookupStatus(COMPONENT_STATUS_MAP, newStatus, statusPath);
  const name = optString(component, 'name', 'component') ?? id;
  const changedAt = parseIsoDate(update.created_at, childPath('component_update', 'created_at'));
  const key = `statuspage:${pageId}:component:${id}`;
  return buildAlert({
    fingerprint: key,
    groupKey: key,
    status,
    severity: lookupSeverity(COMPONENT_SEVERITY_MAP, newStatus),
    vendorSeverity: newStatus,
    kind: 'PROVIDER_INCIDENT',
    summary: `${name}: ${newStatus.replace(/_/g, ' ')}`,
    description: optString(component, 'description', 'component'),
    source: pageId,
    labels: { page_id: pageId, component: name, component_status: newStatus },
    startsAt: status === 'FIRING' ? changedAt : null,
    endsAt: status === 'RESOLVED' ? changedAt : null,
    details: withoutNulls({ ...pageDetails, componentId: id, oldStatus: optString(update, 'old_status', 'component_update') }),
  });
}

export const statuspageNormalizer: Normalizer = {
  vendor: 'STATUSPAGE',
  accepts: ['json'],
  normalize: (request) => normalizeStatuspageBody(request.body),
};
