import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  DESCRIPTION_MAX_LENGTH,
  PayloadSchemaError,
  SUMMARY_MAX_LENGTH,
  type NormalizedAlert,
  type NormalizerRequest,
  type Vendor,
} from '../../src/ingest/normalized-alert';
import { NORMALIZERS, createSapAlertNotificationNormalizer } from '../../src/ingest/vendors';
import { childPath, parseIsoDate, truncate } from '../../src/ingest/vendors/normalizer-helpers';

const FIXTURES_ROOT = path.join(__dirname, '..', 'fixtures');

/** Fixture directory → vendor. Each `<name>.json` is paired with `<name>.expected.json`. */
const FIXTURE_DIRS: Readonly<Record<string, Vendor>> = {
  alertmanager: 'ALERTMANAGER',
  grafana: 'GRAFANA',
  'azure-monitor': 'AZURE_MONITOR',
  twilio: 'TWILIO',
  'sap-alert-notification': 'SAP_ALERT_NOTIFICATION',
  statuspage: 'STATUSPAGE',
  generic: 'GENERIC',
};

const readJson = (relative: string): unknown => JSON.parse(readFileSync(path.join(FIXTURES_ROOT, relative), 'utf8'));

/** A fixture is the request body; top-level `_` keys are notes (`_source`) or the content type (`_contentType`). */
function requestFor(relative: string): NormalizerRequest {
  const raw = readJson(relative) as Record<string, unknown>;
  const body = Object.fromEntries(Object.entries(raw).filter(([key]) => !key.startsWith('_')));
  return { headers: {}, body, contentType: raw._contentType === 'form' ? 'form' : 'json' };
}

const fixtureCases: Array<[Vendor, string]> = Object.entries(FIXTURE_DIRS).flatMap(([dir, vendor]) =>
  readdirSync(path.join(FIXTURES_ROOT, dir))
    .filter((file) => file.endsWith('.json') && !file.endsWith('.expected.json'))
    .sort()
    .map((file): [Vendor, string] => [vendor, `${dir}/${file}`]),
);

const normalize = (vendor: Vendor, body: unknown, contentType: 'json' | 'form' = 'json'): NormalizedAlert[] =>
  NORMALIZERS[vendor].normalize({ headers: {}, body, contentType });

const fromFixture = (vendor: Vendor, relative: string) => NORMALIZERS[vendor].normalize(requestFor(relative));

/**
 * A fixture body loosely typed so tests can poke any field to build invalid variants.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary vendor JSON, mutated on purpose
type Body = any;

/** A mutable deep copy of a fixture body, for building variants. */
const bodyOf = (relative: string): Body => structuredClone(requestFor(relative).body);

function schemaErrorOf(run: () => unknown): PayloadSchemaError {
  try {
    run();
  } catch (error) {
    if (error instanceof PayloadSchemaError) return error;
    throw error;
  }
  throw new Error('expected a PayloadSchemaError, but nothing was thrown');
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

describe('Vendor normalizers against recorded payloads', () => {
  it('has fixtures for every vendor in the registry', () => {
    const covered = new Set(fixtureCases.map(([vendor]) => vendor));
    expect([...covered].sort()).toEqual(Object.keys(NORMALIZERS).sort());
  });

  it.each(fixtureCases)('%s normalizes %s to its expectation', (vendor, relative) => {
    const expected = readJson(relative.replace(/\.json$/, '.expected.json'));
    const actual = JSON.parse(JSON.stringify(fromFixture(vendor, relative)));
    expect(actual).toEqual(expected);
  });

  it.each(fixtureCases)('%s leaves the %s body untouched and returns Dates', (vendor, relative) => {
    const request = requestFor(relative);
    const pristine = structuredClone(request.body);
    const alerts = NORMALIZERS[vendor].normalize(deepFreeze(request));
    expect(request.body).toEqual(pristine);
    for (const alert of alerts) {
      for (const date of [alert.startsAt, alert.endsAt]) expect(date === null || date instanceof Date).toBe(true);
      expect(alert.summary.length).toBeLessThanOrEqual(SUMMARY_MAX_LENGTH);
      expect(alert.summary).not.toMatch(/[\r\n]/);
    }
  });
});

describe('Normalizer registry', () => {
  it('maps every vendor to the normalizer for that vendor', () => {
    for (const [vendor, normalizer] of Object.entries(NORMALIZERS)) expect(normalizer.vendor).toBe(vendor);
  });

  it('accepts form bodies only for Twilio', () => {
    const formVendors = Object.values(NORMALIZERS)
      .filter((normalizer) => normalizer.accepts.includes('form'))
      .map((normalizer) => normalizer.vendor);
    expect(formVendors).toEqual(['TWILIO']);
  });
});

describe('Alertmanager normalizer', () => {
  const firing = 'alertmanager/firing-group.json';

  it('maps a firing group to one firing alert per entry, all under the group key', () => {
    const alerts = fromFixture('ALERTMANAGER', firing);
    expect(alerts.map((alert) => [alert.fingerprint, alert.status, alert.groupKey])).toEqual([
      ['f404ecabc8dd5cd7', 'FIRING', '{}:{alertname="InstanceDown"}'],
      ['f8f08d4e32c61a9d', 'FIRING', '{}:{alertname="InstanceDown"}'],
    ]);
  });

  it('maps a resolved group to resolved alerts with their end time', () => {
    const alerts = fromFixture('ALERTMANAGER', 'alertmanager/resolved-group.json');
    expect(alerts.map((alert) => alert.status)).toEqual(['RESOLVED', 'RESOLVED']);
    expect(alerts[0].endsAt?.toISOString()).toBe('2023-06-12T08:31:38.326Z');
  });

  it('reads Alertmanager zero time as "not set"', () => {
    expect(fromFixture('ALERTMANAGER', firing)[0].endsAt).toBeNull();
  });

  it('reads Go zero time written with an offset as "not set", and refuses dates outside the years 0001–9999', () => {
    const zeroWithOffset = bodyOf(firing);
    zeroWithOffset.alerts[0].endsAt = '0001-01-01T00:00:00+01:00';
    expect(normalize('ALERTMANAGER', zeroWithOffset)[0].endsAt).toBeNull();
    for (const startsAt of ['0000-06-01T00:00:00Z', '+056400-01-01T00:00:00Z']) {
      const body = bodyOf(firing);
      body.alerts[1].startsAt = startsAt;
      expect(() => normalize('ALERTMANAGER', body)).toThrow(expect.objectContaining({ path: 'alerts[1].startsAt' }));
    }
  });

  it('falls back to a hash of the sorted labels when an alert has no fingerprint', () => {
    const body = bodyOf(firing);
    delete body.alerts[0].fingerprint;
    const reordered = bodyOf(firing);
    delete reordered.alerts[0].fingerprint;
    reordered.alerts[0].labels = Object.fromEntries(Object.entries(reordered.alerts[0].labels).reverse());
    const [first] = normalize('ALERTMANAGER', body);
    expect(first.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(normalize('ALERTMANAGER', reordered)[0].fingerprint).toBe(first.fingerprint);
  });

  it('takes the summary from annotations.summary, then description, then alertname', () => {
    const body = bodyOf(firing);
    body.alerts[0].annotations = { summary: 'S', description: 'D' };
    body.alerts[1].annotations = {};
    const [withSummary, bare] = normalize('ALERTMANAGER', body);
    expect([withSummary.summary, withSummary.description]).toEqual(['S', 'D']);
    expect(bare.summary).toBe('InstanceDown');
  });

  it('maps an unknown severity label to WARNING and keeps the raw value', () => {
    const body = bodyOf(firing);
    body.alerts[0].labels.severity = 'sev-unknown';
    expect(normalize('ALERTMANAGER', body)[0]).toMatchObject({ severity: 'WARNING', vendorSeverity: 'sev-unknown' });
  });

  it('records truncatedAlerts on every alert when Alertmanager dropped some', () => {
    const body = bodyOf(firing);
    body.truncatedAlerts = 7;
    expect(normalize('ALERTMANAGER', body).map((alert) => alert.details.truncatedAlerts)).toEqual([7, 7]);
    expect(fromFixture('ALERTMANAGER', firing)[0].details).not.toHaveProperty('truncatedAlerts');
  });

  it.each([
    ['an unknown alert status', (b: Body) => (b.alerts[1].status = 'pending'), 'alerts[1].status', /unknown status "pending"/],
    ['an unknown group status', (b: Body) => (b.status = 'silenced'), 'status', /unknown status/],
    ['a missing alert status', (b: Body) => delete b.alerts[0].status, 'alerts[0].status', /required/],
    ['a missing groupKey', (b: Body) => delete b.groupKey, 'groupKey', /required/],
    ['an unsupported version', (b: Body) => (b.version = '3'), 'version', /unsupported version "3"/],
    ['alerts that are not an array', (b: Body) => (b.alerts = {}), 'alerts', /array/],
    ['labels that are not an object', (b: Body) => (b.alerts[0].labels = 'x'), 'alerts[0].labels', /object/],
    ['a label value that is an object', (b: Body) => (b.alerts[0].labels.job = {}), 'alerts[0].labels.job', /string/],
    ['a malformed startsAt', (b: Body) => (b.alerts[0].startsAt = 'yesterday'), 'alerts[0].startsAt', /RFC 3339/],
    ['a negative truncatedAlerts', (b: Body) => (b.truncatedAlerts = -1), 'truncatedAlerts', /non-negative/],
  ])('rejects %s with its path', (_name, mutate, expectedPath, problem) => {
    const body = bodyOf(firing);
    mutate(body);
    const error = schemaErrorOf(() => normalize('ALERTMANAGER', body));
    expect(error.path).toBe(expectedPath);
    expect(error.problem).toMatch(problem);
  });

  it('rejects a body that is not an object', () => {
    expect(schemaErrorOf(() => normalize('ALERTMANAGER', [])).path).toBe('$');
  });

  it('truncates the summary to one line and long descriptions to their limits', () => {
    const body = bodyOf(firing);
    body.alerts[0].annotations = { summary: `first line\n${'x'.repeat(2000)}`, description: 'd'.repeat(20_000) };
    const [alert] = normalize('ALERTMANAGER', body);
    expect(alert.summary).toHaveLength(SUMMARY_MAX_LENGTH);
    expect(alert.summary.startsWith('first line x')).toBe(true);
    expect(alert.summary.endsWith('…')).toBe(true);
    expect(alert.description).toHaveLength(DESCRIPTION_MAX_LENGTH);
  });
});

describe('Grafana normalizer', () => {
  it('maps each alert of a firing notification by its own fingerprint', () => {
    const alerts = fromFixture('GRAFANA', 'grafana/firing.json');
    expect(alerts.map((alert) => alert.fingerprint)).toEqual(['c6eadffa33fcdf37', 'bc97ff14869b13e3']);
    expect(alerts[0].details).toMatchObject({ orgId: 1, values: { B: 44.23943737541908, C: 1 } });
  });

  it('maps a resolved notification to a resolved alert with its values and image', () => {
    const [alert] = fromFixture('GRAFANA', 'grafana/resolved.json');
    expect(alert).toMatchObject({ status: 'RESOLVED', severity: 'CRITICAL' });
    expect(alert.details.valueString).toMatch(/value=12.5/);
  });

  it('rejects an unknown alert status with its path', () => {
    const body = bodyOf('grafana/firing.json');
    body.alerts[1].status = 'pending';
    expect(schemaErrorOf(() => normalize('GRAFANA', body)).path).toBe('alerts[1].status');
  });

  it('rejects an Alertmanager (version 4) body sent to the Grafana integration', () => {
    expect(schemaErrorOf(() => normalize('GRAFANA', bodyOf('alertmanager/firing-group.json'))).path).toBe('version');
  });

  it('rejects values that are not an object', () => {
    const body = bodyOf('grafana/firing.json');
    body.alerts[0].values = [1, 2];
    expect(schemaErrorOf(() => normalize('GRAFANA', body)).path).toBe('alerts[0].values');
  });
});

describe('Azure Monitor normalizer', () => {
  const metric = 'azure-monitor/metric-alert-fired.json';

  it('identifies a metric alert by alertId and resolves it by monitorCondition', () => {
    const [fired] = fromFixture('AZURE_MONITOR', metric);
    const [resolved] = fromFixture('AZURE_MONITOR', 'azure-monitor/metric-alert-resolved.json');
    expect(fired).toMatchObject({ status: 'FIRING', severity: 'HIGH', vendorSeverity: 'Sev1', summary: 'test-metricAlertRule' });
    expect(resolved).toMatchObject({ status: 'RESOLVED', severity: 'INFO' });
    expect(resolved.endsAt?.toISOString()).toBe('2019-03-22T14:03:16.224Z');
  });

  it.each([
    ['Sev0', 'CRITICAL'],
    ['Sev1', 'HIGH'],
    ['Sev2', 'WARNING'],
    ['Sev3', 'INFO'],
    ['Sev4', 'INFO'],
  ])('maps severity %s to %s', (sev, severity) => {
    const body = bodyOf(metric);
    body.data.essentials.severity = sev;
    expect(normalize('AZURE_MONITOR', body)[0].severity).toBe(severity);
  });

  it('links a log search alert to its search results', () => {
    const [alert] = fromFixture('AZURE_MONITOR', 'azure-monitor/log-alert-v2-fired.json');
    expect(alert.url).toMatch(/^https:\/\/portal\.azure\.com/);
  });

  it('turns Service Health into a provider incident keyed by tracking id, resolved by its stage', () => {
    const [active] = fromFixture('AZURE_MONITOR', 'azure-monitor/service-health-active.json');
    const [resolved] = fromFixture('AZURE_MONITOR', 'azure-monitor/service-health-resolved.json');
    expect(active).toMatchObject({ kind: 'PROVIDER_INCIDENT', status: 'FIRING', fingerprint: 'azure-service-health:ABC1-DEF' });
    expect(resolved).toMatchObject({ kind: 'PROVIDER_INCIDENT', status: 'RESOLVED', fingerprint: active.fingerprint });
    expect(resolved.description).not.toMatch(/<p>|&nbsp;/);
  });

  it('keys Resource Health by the resource, so the recovery resolves the outage', () => {
    const [down] = fromFixture('AZURE_MONITOR', 'azure-monitor/resource-health-unavailable.json');
    const [up] = fromFixture('AZURE_MONITOR', 'azure-monitor/resource-health-available.json');
    expect([down.status, up.status]).toEqual(['FIRING', 'RESOLVED']);
    expect(up.fingerprint).toBe(down.fingerprint);
    expect(down.kind).toBe('ALERT');
  });

  it('accepts a cost budget alert whose essentials carry null severity, monitorCondition, alertRule, signalType and alertTargetIDs', () => {
    const [alert] = fromFixture('AZURE_MONITOR', 'azure-monitor/cost-budget-actual.json');
    expect(alert).toMatchObject({
      status: 'FIRING',
      severity: 'WARNING',
      vendorSeverity: null,
      kind: 'ALERT',
      summary: 'Your spend for budget Test_actual_cost_budget is now $11,111.00 exceeding your specified threshold $25.00.',
      source: '/subscriptions/11111111-1111-1111-1111-111111111111/',
      groupKey: 'azure-cost-budget:/subscriptions/11111111-1111-1111-1111-111111111111/providers/Microsoft.Consumption/budgets/Test_actual_cost_budget',
      labels: { alertRule: 'Test_actual_cost_budget', monitoringService: 'CostAlerts', configurationItems: 'budgets' },
    });
    expect(alert.labels).not.toHaveProperty('signalType');
    expect(alert.details.budget).toMatchObject({ ThresholdType: 'Actual', SpentAmount: '$11,111.00', NotificationThresholdAmount: '$25.00' });
  });

  it("keeps a budget's thresholds apart as alerts of one group, though Azure's test deliveries share one alertId", () => {
    const actual = bodyOf('azure-monitor/cost-budget-actual.json');
    const forecast = bodyOf('azure-monitor/cost-budget-actual.json');
    forecast.data.alertContext.AlertData.ThresholdType = 'Forecasted';
    const [first] = normalize('AZURE_MONITOR', actual);
    const [second] = normalize('AZURE_MONITOR', forecast);
    expect(second.fingerprint).not.toBe(first.fingerprint);
    expect(second.groupKey).toBe(first.groupKey);
  });

  it('reads a null or absent monitorCondition as Fired, and still rejects an unknown one', () => {
    for (const condition of [null, undefined]) {
      const body = bodyOf(metric);
      body.data.essentials.monitorCondition = condition;
      expect(normalize('AZURE_MONITOR', body)[0].status).toBe('FIRING');
    }
    const unknown = bodyOf(metric);
    unknown.data.essentials.monitorCondition = 'Flapping';
    expect(schemaErrorOf(() => normalize('AZURE_MONITOR', unknown)).problem).toMatch(/unknown status "Flapping"/);
  });

  it('names an alert without alertRule after the last segment of its alertId, and one without targets has no source', () => {
    const body = bodyOf(metric);
    body.data.essentials.alertRule = null;
    body.data.essentials.alertTargetIDs = null;
    body.data.essentials.configurationItems = null;
    const [alert] = normalize('AZURE_MONITOR', body);
    expect(alert).toMatchObject({ summary: '12345678-1234-1234-1234-1234567890ab', groupKey: '12345678-1234-1234-1234-1234567890ab', source: null });
    expect(alert.labels.alertRule).toBe('12345678-1234-1234-1234-1234567890ab');
  });

  it('reads monitoringService "ResourceHealth" (as the sample headings spell it) like "Resource Health"', () => {
    const body = bodyOf('azure-monitor/resource-health-unavailable.json');
    body.data.essentials.monitoringService = 'ResourceHealth';
    const [alert] = normalize('AZURE_MONITOR', body);
    expect(alert.fingerprint).toBe(fromFixture('AZURE_MONITOR', 'azure-monitor/resource-health-unavailable.json')[0].fingerprint);
  });

  it('tells a sender without the common alert schema to enable it', () => {
    const error = schemaErrorOf(() => normalize('AZURE_MONITOR', { schemaId: 'AIP Budget Notification', data: {} }));
    expect(error.path).toBe('schemaId');
    expect(error.problem).toMatch(/common alert schema/);
  });

  it.each([
    ['another schemaId', (b: Body) => (b.schemaId = 'Microsoft.Insights/activityLogs'), 'schemaId'],
    ['an unknown monitorCondition', (b: Body) => (b.data.essentials.monitorCondition = 'Flapping'), 'data.essentials.monitorCondition'],
    ['a missing alertId', (b: Body) => delete b.data.essentials.alertId, 'data.essentials.alertId'],
    ['missing essentials', (b: Body) => delete b.data.essentials, 'data.essentials'],
    ['a non-string target', (b: Body) => (b.data.essentials.alertTargetIDs = [42]), 'data.essentials.alertTargetIDs[0]'],
    ['a malformed firedDateTime', (b: Body) => (b.data.essentials.firedDateTime = '3/22/2019'), 'data.essentials.firedDateTime'],
  ])('rejects %s with its path', (_name, mutate, expectedPath) => {
    const body = bodyOf(metric);
    mutate(body);
    expect(schemaErrorOf(() => normalize('AZURE_MONITOR', body)).path).toBe(expectedPath);
  });

  it('rejects an unknown Service Health stage', () => {
    const body = bodyOf('azure-monitor/service-health-active.json');
    body.data.alertContext.properties.stage = 'Mystery';
    expect(schemaErrorOf(() => normalize('AZURE_MONITOR', body)).path).toBe('data.alertContext.properties.stage');
  });
});

describe('Twilio normalizer', () => {
  const alarm = 'twilio/inbound-sms-alarm.json';
  const sms = (text: string) => ({ ...(requestFor(alarm).body as object), Body: text });

  it('turns an inbound SMS into a firing INBOUND_SMS alert grouped by sender', () => {
    const [alert] = fromFixture('TWILIO', alarm);
    expect(alert).toMatchObject({ kind: 'INBOUND_SMS', status: 'FIRING', source: '+14155550199', groupKey: 'sms:+14155550199' });
  });

  it('resolves the alarm when the same device sends CLEAR for the same text', () => {
    const [fired] = fromFixture('TWILIO', alarm);
    const [cleared] = fromFixture('TWILIO', 'twilio/inbound-sms-clear.json');
    expect(cleared.status).toBe('RESOLVED');
    expect(cleared.fingerprint).toBe(fired.fingerprint);
  });

  it('dedups a repeated alarm text and tells different texts apart', () => {
    const [once] = normalize('TWILIO', sms('Tank 2 level LOW'), 'form');
    const [again] = normalize('TWILIO', sms('  tank 2   level low '), 'form');
    const [other] = normalize('TWILIO', sms('Tank 3 level LOW'), 'form');
    expect(again.fingerprint).toBe(once.fingerprint);
    expect(other.fingerprint).not.toBe(once.fingerprint);
  });

  it.each([
    ['OK - pump 3 pressure normal', 'RESOLVED'],
    ['resolved: pump 3', 'RESOLVED'],
    ['Cleared pump 3', 'RESOLVED'],
    ['RECOVERY: pump 3 pressure normal', 'RESOLVED'],
    ['Pump 3 NOT OK', 'FIRING'],
    ['OKAY so pump 3 is weird', 'FIRING'],
    ['Disk cleared?', 'FIRING'],
  ])('reads "%s" as %s', (text, status) => {
    expect(normalize('TWILIO', sms(text), 'form')[0].status).toBe(status);
  });

  it('opens a delivery failure keyed by the error code', () => {
    const [alert] = fromFixture('TWILIO', 'twilio/status-callback-undelivered.json');
    expect(alert).toMatchObject({ kind: 'DELIVERY_FAILURE', status: 'FIRING', fingerprint: 'twilio-delivery:30003' });
  });

  it.each(['queued', 'sending', 'sent', 'delivered', 'accepted', 'scheduled', 'read', 'receiving', 'received', 'canceled'])(
    'has nothing to alert on for MessageStatus %s',
    (status) => {
      const body = { ...(requestFor('twilio/status-callback-delivered.json').body as object), MessageStatus: status };
      expect(normalize('TWILIO', body, 'form')).toEqual([]);
    },
  );

  it('rejects an unknown MessageStatus', () => {
    const body = { ...(requestFor('twilio/status-callback-delivered.json').body as object), MessageStatus: 'exploded' };
    const error = schemaErrorOf(() => normalize('TWILIO', body, 'form'));
    expect([error.path, error.problem]).toEqual(['MessageStatus', expect.stringMatching(/unknown status "exploded"/)]);
  });

  it('rejects an inbound SMS without a sender', () => {
    const body: Record<string, unknown> = sms('hello');
    delete body.From;
    expect(schemaErrorOf(() => normalize('TWILIO', body, 'form')).path).toBe('From');
  });

  it('rejects a repeated form field', () => {
    expect(schemaErrorOf(() => normalize('TWILIO', { ...sms('x'), Body: ['a', 'b'] }, 'form')).path).toBe('Body');
  });

  it('delegates JSON status page notifications to the Statuspage normalizer', () => {
    const [alert] = fromFixture('TWILIO', 'twilio/status-page-incident.json');
    expect(alert).toMatchObject({ kind: 'PROVIDER_INCIDENT', fingerprint: 'statuspage:gpkpyklzq55q:incident:v3m2q8n1x9kd' });
  });

  it('rejects a JSON body that is not a Statuspage notification', () => {
    expect(schemaErrorOf(() => normalize('TWILIO', { MessageSid: 'SM1' }, 'json')).path).toBe('$');
  });
});

describe('SAP Alert Notification normalizer', () => {
  const create = 'sap-alert-notification/alert-create-or-update.json';

  it('identifies an event by ans:correlationId and resolves it on ans:status CLOSE', () => {
    const [open] = fromFixture('SAP_ALERT_NOTIFICATION', create);
    const [closed] = fromFixture('SAP_ALERT_NOTIFICATION', 'sap-alert-notification/alert-close.json');
    expect(open).toMatchObject({ fingerprint: '30118', status: 'FIRING', severity: 'CRITICAL', vendorSeverity: 'FATAL' });
    expect(closed).toMatchObject({ fingerprint: '30118', status: 'RESOLVED' });
  });

  it('refuses an eventTimestamp in milliseconds (a date tens of thousands of years ahead), naming the field', () => {
    const body = bodyOf(create);
    body.eventTimestamp = 1535618178000;
    expect(() => normalize('SAP_ALERT_NOTIFICATION', body)).toThrow(expect.objectContaining({ path: 'eventTimestamp' }));
  });

  it('reads eventTimestamp as epoch seconds', () => {
    expect(fromFixture('SAP_ALERT_NOTIFICATION', create)[0].startsAt?.toISOString()).toBe('2018-08-30T08:36:18.000Z');
  });

  it('hashes eventType, resource name and instance when there is no correlation id', () => {
    const body = bodyOf(create);
    delete body.tags['ans:correlationId'];
    const [first] = normalize('SAP_ALERT_NOTIFICATION', body);
    body.resource.resourceInstance = '2';
    const [otherInstance] = normalize('SAP_ALERT_NOTIFICATION', body);
    expect(first.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(otherInstance.fingerprint).not.toBe(first.fingerprint);
  });

  it.each([
    ['FATAL', 'CRITICAL'],
    ['ERROR', 'HIGH'],
    ['WARNING', 'WARNING'],
    ['NOTICE', 'INFO'],
    ['INFO', 'INFO'],
  ])('maps severity %s to %s', (sev, severity) => {
    const body = bodyOf(create);
    body.severity = sev;
    expect(normalize('SAP_ALERT_NOTIFICATION', body)[0].severity).toBe(severity);
  });

  it.each([
    ['an unknown ans:status', (b: Body) => (b.tags['ans:status'] = 'REOPEN'), 'tags["ans:status"]'],
    ['a missing resource name', (b: Body) => delete b.resource.resourceName, 'resource.resourceName'],
    ['a missing eventType', (b: Body) => delete b.eventType, 'eventType'],
    ['a subject that is not text', (b: Body) => (b.subject = { text: 'x' }), 'subject'],
    ['a malformed eventTimestamp', (b: Body) => (b.eventTimestamp = 'soon'), 'eventTimestamp'],
    ['a nested tag value', (b: Body) => (b.tags.customTag = { a: 1 }), 'tags.customTag'],
  ])('rejects %s with its path', (_name, mutate, expectedPath) => {
    const body = bodyOf(create);
    mutate(body);
    expect(schemaErrorOf(() => normalize('SAP_ALERT_NOTIFICATION', body)).path).toBe(expectedPath);
  });

  describe('with a field map for other SAP-style payloads', () => {
    const normalizer = createSapAlertNotificationNormalizer({
      fieldMap: {
        subject: 'alert.title',
        body: 'alert.text',
        severity: 'alert.level',
        eventType: 'alert.rule',
        resourceName: 'system.sid',
        resourceType: 'system.type',
        resourceInstance: 'system.client',
        timestamp: 'alert.raisedAt',
        tags: 'alert.tags',
      },
    });
    const payload = {
      alert: {
        title: 'Update task terminated',
        text: 'Update VB 4711 was terminated.',
        level: 'ERROR',
        rule: 'UpdateTerminated',
        raisedAt: '2024-05-02T10:15:00Z',
        tags: { 'ans:correlationId': 'PRD-100-upd' },
      },
      system: { sid: 'PRD', type: 'abap', client: '100' },
    };

    it('reads the mapped paths', () => {
      const [alert] = normalizer.normalize({ headers: {}, body: payload, contentType: 'json' });
      expect(alert).toMatchObject({
        fingerprint: 'PRD-100-upd',
        summary: 'Update task terminated',
        severity: 'HIGH',
        source: 'PRD/100',
        status: 'FIRING',
      });
      expect(alert.startsAt?.toISOString()).toBe('2024-05-02T10:15:00.000Z');
    });

    it('names the mapped path when a field is missing', () => {
      const body = structuredClone(payload) as Body;
      delete body.system.sid;
      expect(schemaErrorOf(() => normalizer.normalize({ headers: {}, body, contentType: 'json' })).path).toBe('system.sid');
    });
  });
});

describe('Statuspage normalizer', () => {
  const identified = 'statuspage/incident-identified.json';

  it('keys an incident by page and incident id and resolves it when the incident is resolved', () => {
    const [open] = fromFixture('STATUSPAGE', identified);
    const [resolved] = fromFixture('STATUSPAGE', 'statuspage/incident-resolved.json');
    expect(open).toMatchObject({ fingerprint: 'statuspage:jb7j80lkgqvb:incident:z3lct0r596n4', status: 'FIRING' });
    expect(resolved).toMatchObject({ fingerprint: open.fingerprint, status: 'RESOLVED', description: 'The database issue is resolved.' });
  });

  it.each([
    ['investigating', 'FIRING'],
    ['identified', 'FIRING'],
    ['monitoring', 'FIRING'],
    ['scheduled', 'FIRING'],
    ['in_progress', 'FIRING'],
    ['verifying', 'FIRING'],
    ['resolved', 'RESOLVED'],
    ['postmortem', 'RESOLVED'],
    ['completed', 'RESOLVED'],
  ])('maps incident status %s to %s', (status, expected) => {
    const body = bodyOf(identified);
    body.incident.status = status;
    expect(normalize('STATUSPAGE', body)[0].status).toBe(expected);
  });

  it('prefers impact_override over impact for severity', () => {
    expect(fromFixture('STATUSPAGE', 'statuspage/incident-critical-override.json')[0].severity).toBe('CRITICAL');
  });

  it('keys a component by page and component id and resolves it when operational', () => {
    const [outage] = fromFixture('STATUSPAGE', 'statuspage/component-under-maintenance.json');
    const [operational] = fromFixture('STATUSPAGE', 'statuspage/component-operational.json');
    expect(outage).toMatchObject({ fingerprint: 'statuspage:jb7j80lkgqvb:component:sqm6pl84wzjc', status: 'FIRING' });
    expect(operational).toMatchObject({ fingerprint: outage.fingerprint, status: 'RESOLVED' });
  });

  it.each([
    ['an unknown incident status', identified, (b: Body) => (b.incident.status = 'panicking'), 'incident.status'],
    ['a missing incident id', identified, (b: Body) => delete b.incident.id, 'incident.id'],
    ['a missing page id', identified, (b: Body) => delete b.page.id, 'page.id'],
    ['neither incident nor component update', identified, (b: Body) => delete b.incident, 'incident'],
    [
      'an unknown component status',
      'statuspage/component-under-maintenance.json',
      (b: Body) => (b.component_update.new_status = 'on_fire'),
      'component_update.new_status',
    ],
  ])('rejects %s with its path', (_name, fixture, mutate, expectedPath) => {
    const body = bodyOf(fixture);
    mutate(body);
    expect(schemaErrorOf(() => normalize('STATUSPAGE', body)).path).toBe(expectedPath);
  });
});

describe('Generic (PagerDuty Events v2) normalizer', () => {
  const trigger = 'generic/trigger.json';

  it('identifies a trigger by dedup_key and groups it by payload.group', () => {
    expect(fromFixture('GENERIC', trigger)[0]).toMatchObject({ fingerprint: 'srv01/mysql', groupKey: 'prod-datapipe' });
  });

  it('records an acknowledge as a still-firing alert marked acknowledged', () => {
    const [alert] = fromFixture('GENERIC', 'generic/acknowledge.json');
    expect(alert).toMatchObject({ status: 'FIRING', fingerprint: 'srv01/mysql', details: { acknowledged: true } });
  });

  it('resolves by dedup_key', () => {
    expect(fromFixture('GENERIC', 'generic/resolve.json')[0]).toMatchObject({ status: 'RESOLVED', fingerprint: 'srv01/mysql' });
  });

  it('hashes summary and source when a trigger has no dedup_key', () => {
    const body = bodyOf('generic/trigger-without-dedup-key.json');
    const [first] = normalize('GENERIC', body);
    body.payload.custom_details = { changed: true };
    expect(normalize('GENERIC', body)[0].fingerprint).toBe(first.fingerprint);
    body.payload.source = 'prod-datapipe04.example.com';
    expect(normalize('GENERIC', body)[0].fingerprint).not.toBe(first.fingerprint);
  });

  it('never copies the routing key', () => {
    expect(JSON.stringify(fromFixture('GENERIC', trigger))).not.toContain('e93facc04764012d7bfb002500d5d1a6');
  });

  it.each([
    ['an unknown event_action', (b: Body) => (b.event_action = 'snooze'), 'event_action'],
    ['a trigger without payload', (b: Body) => delete b.payload, 'payload'],
    ['a trigger without summary', (b: Body) => delete b.payload.summary, 'payload.summary'],
    ['a trigger without source', (b: Body) => delete b.payload.source, 'payload.source'],
    ['an unknown severity', (b: Body) => (b.payload.severity = 'high'), 'payload.severity'],
    ['a resolve without dedup_key', (b: Body) => ((b.event_action = 'resolve'), delete b.dedup_key), 'dedup_key'],
    ['a numeric summary', (b: Body) => (b.payload.summary = 42), 'payload.summary'],
  ])('rejects %s with its path', (_name, mutate, expectedPath) => {
    const body = bodyOf(trigger);
    mutate(body);
    expect(schemaErrorOf(() => normalize('GENERIC', body)).path).toBe(expectedPath);
  });

  it('truncates a long summary', () => {
    const body = bodyOf(trigger);
    body.payload.summary = 'x'.repeat(1024);
    expect(normalize('GENERIC', body)[0].summary).toHaveLength(SUMMARY_MAX_LENGTH);
  });
});

describe('Normalizer helpers', () => {
  it('writes JSON paths for indexes, names and keys that need quoting', () => {
    expect(childPath(childPath('alerts', 2), 'status')).toBe('alerts[2].status');
    expect(childPath('tags', 'ans:status')).toBe('tags["ans:status"]');
  });

  it('never splits a surrogate pair when truncating', () => {
    const text = `${'a'.repeat(8)}😀😀`;
    const cut = truncate(text, 10);
    expect(cut.length).toBeLessThanOrEqual(10);
    expect(cut).toBe(`${'a'.repeat(8)}…`);
  });

  it('reads date-times with and without an offset as instants, and Go zero time as null', () => {
    expect(parseIsoDate('2015-07-17T08:42:58.315+0000', 'x')?.toISOString()).toBe('2015-07-17T08:42:58.315Z');
    expect(parseIsoDate('2015-07-17T08:42:58', 'x')?.toISOString()).toBe('2015-07-17T08:42:58.000Z');
    expect(parseIsoDate('0001-01-01T00:00:00Z', 'x')).toBeNull();
    expect(() => parseIsoDate('2015-13-45T99:99:99Z', 'x')).toThrow(PayloadSchemaError);
  });
});
