import { normalize, fromFixture, bodyOf, schemaErrorOf } from './normalizer-fixtures';

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
