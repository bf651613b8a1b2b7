/**
 * The Alertmanager webhook shape, shared by the Alertmanager and Grafana normalizers
 * (Grafana's unified alerting sends the same envelope plus a few fields per alert).
 * https://prometheus.io/docs/alerting/latest/configuration/#webhook_config
 */
import { PayloadSchemaError, type NormalizedAlert } from '../normalized-alert';
import type { AlertSeverity } from '../../shared/enums';
import {
  asRecord,
  buildAlert,
  childPath,
  hashOfSortedLabels,
  lookupSeverity,
  lookupStatus,
  optString,
  parseIsoDate,
  readArray,
  readString,
  toStringMap,
  withoutNulls,
  type JsonObject,
} from './normalizer-helpers';

export const ALERTMANAGER_STATUS_MAP = { firing: 'FIRING', resolved: 'RESOLVED' } as const;

/** `severity` label values seen in the wild (Prometheus mixins, kube-prometheus, Grafana). */
export const LABEL_SEVERITY_MAP: Readonly<Record<string, AlertSeverity>> = {
  critical: 'CRITICAL',
  fatal: 'CRITICAL',
  page: 'CRITICAL',
  emergency: 'CRITICAL',
  high: 'HIGH',
  error: 'HIGH',
  major: 'HIGH',
  warning: 'WARNING',
  warn: 'WARNING',
  medium: 'WARNING',
  minor: 'WARNING',
  info: 'INFO',
  informational: 'INFO',
  low: 'INFO',
  none: 'INFO',
};

/** Labels naming where an alert comes from, most specific first. */
const SOURCE_LABELS = ['instance', 'host', 'hostname', 'pod', 'service', 'job'] as const;

export interface AlertmanagerShapeOptions {
  /** Accepted values of the payload's `version` field. */
  versions: readonly string[];
  /** Payload-level facts to keep in every alert's details. */
  envelopeDetails?: (body: JsonObject) => Record<string, unknown>;
  /** Vendor extras for one alert (Grafana's silenceURL, values…). */
  alertDetails?: (alert: JsonObject, path: string) => Record<string, unknown>;
}

export function normalizeAlertmanagerShape(rawBody: unknown, options: AlertmanagerShapeOptions): NormalizedAlert[] {
  const body = asRecord(rawBody, '$');
  const version = readString(body, 'version');
  if (!options.versions.includes(version)) {
    throw new PayloadSchemaError('version', `unsupported version "${version}"; expected ${options.versions.join(' or ')}`);
  }
  const groupKey = readString(body, 'groupKey');
  lookupStatus(ALERTMANAGER_STATUS_MAP, readString(body, 'status'), 'status');
  const alerts = readArray(body, 'alerts');
  const truncatedAlerts = body.truncatedAlerts ?? 0;
  if (typeof truncatedAlerts !== 'number' || !Number.isInteger(truncatedAlerts) || truncatedAlerts < 0) {
    throw new PayloadSchemaError('truncatedAlerts', 'must be a non-negative integer');
  }
  const envelope: Record<string, unknown> = {
    receiver: optString(body, 'receiver'),
    externalURL: optString(body, 'externalURL'),
    ...(truncatedAlerts > 0 ? { truncatedAlerts } : {}),
    ...options.envelopeDetails?.(body),
  };

  return alerts.map((item, index) => {
    const path = childPath('alerts', index);
    const alert = asRecord(item, path);
    const status = lookupStatus(ALERTMANAGER_STATUS_MAP, readString(alert, 'status', path), childPath(path, 'status'));
    const labels = toStringMap(alert.labels, childPath(path, 'labels'), { required: true });
    const annotations = toStringMap(alert.annotations, childPath(path, 'annotations'));
    const vendorSeverity = labels.severity?.trim() || null;
    const sourceLabel = SOURCE_LABELS.find((name) => labels[name]);
    return buildAlert({
      fingerprint: optString(alert, 'fingerprint', path) ?? hashOfSortedLabels(labels),
      groupKey,
      status,
      severity: lookupSeverity(LABEL_SEVERITY_MAP, vendorSeverity?.toLowerCase() ?? null),
      vendorSeverity,
      summary: annotations.summary || annotations.description || labels.alertname || 'Alert',
      // The description only when it is not already the summary.
      description: annotations.summary ? (annotations.description ?? annotations.message ?? null) : (annotations.message ?? null),
      source: sourceLabel ? labels[sourceLabel] : null,
      labels,
      annotations,
      url: optString(alert, 'generatorURL', path),
      startsAt: parseIsoDate(alert.startsAt, childPath(path, 'startsAt')),
      endsAt: parseIsoDate(alert.endsAt, childPath(path, 'endsAt')),
      details: withoutNulls({ ...envelope, ...options.alertDetails?.(alert, path) }),
    });
  });
}
