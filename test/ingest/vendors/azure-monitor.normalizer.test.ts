import { normalize, fromFixture, type Body, bodyOf, schemaErrorOf } from './normalizer-fixtures';

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
