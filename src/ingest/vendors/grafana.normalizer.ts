/**
 * Grafana unified alerting webhook contact point: the Alertmanager envelope (payload version "1")
 * plus orgId/title/state/message and, per alert, silenceURL, dashboardURL, panelURL, imageURL,
 * values and valueString. Identity is the per-alert `fingerprint`.
 * https://grafana.com/docs/grafana/latest/alerting/configure-notifications/manage-contact-points/integrations/webhook-notifier/
 */
import type { Normalizer } from '../normalized-alert';
import { normalizeAlertmanagerShape } from './alertmanager-shape';
import { cloneJson, optRecord, optString, type JsonObject } from './normalizer-helpers';

const SUPPORTED_VERSIONS = ['1'] as const;

const LINK_FIELDS = ['silenceURL', 'dashboardURL', 'panelURL', 'imageURL'] as const;

function grafanaAlertDetails(alert: JsonObject, path: string): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  for (const field of LINK_FIELDS) details[field] = optString(alert, field, path);
  const values = optRecord(alert, 'values', path);
  if (values) details.values = cloneJson(values);
  details.valueString = optString(alert, 'valueString', path);
  return details;
}

function grafanaEnvelope(body: JsonObject): Record<string, unknown> {
  const orgId = body.orgId;
  return {
    orgId: typeof orgId === 'number' || typeof orgId === 'string' ? orgId : null,
    state: optString(body, 'state'),
    title: optString(body, 'title'),
  };
}

export const grafanaNormalizer: Normalizer = {
  vendor: 'GRAFANA',
  accepts: ['json'],
  normalize: (request) =>
    normalizeAlertmanagerShape(request.body, {
      versions: SUPPORTED_VERSIONS,
      envelopeDetails: grafanaEnvelope,
      alertDetails: grafanaAlertDetails,
    }),
};
