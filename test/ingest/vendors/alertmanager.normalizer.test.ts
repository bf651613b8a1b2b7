import { DESCRIPTION_MAX_LENGTH, SUMMARY_MAX_LENGTH } from '../../../src/ingest/normalized-alert';
import { normalize, fromFixture, type Body, bodyOf, schemaErrorOf } from './normalizer-fixtures';

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
