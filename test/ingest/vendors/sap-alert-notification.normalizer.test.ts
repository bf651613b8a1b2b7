import { createSapAlertNotificationNormalizer } from '../../../src/ingest/vendors';
import { normalize, fromFixture, type Body, bodyOf, schemaErrorOf } from './normalizer-fixtures';

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
