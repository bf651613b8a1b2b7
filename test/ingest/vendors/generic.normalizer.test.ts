import { SUMMARY_MAX_LENGTH } from '../../../src/ingest/normalized-alert';
import { normalize, fromFixture, type Body, bodyOf, schemaErrorOf } from './normalizer-fixtures';

describe('Generic (PagerDuty Events v2) normalizer', () => {
  const trigger = 'generic/trigger.json';

  it('identifies a trigger by dedup_key and groups it by payload.group', () => {
    expect(fromFixture('GENERIC', trigger)[0]).toMatchObject({ fingerprint: 'srv01/mysql', groupKey: 'prod-datapipe' });
  });

  it('records an acknowledge as a still-firing alert marked acknowledged', () => {
    const [alert] = fromFixture('GENERIC', 'generic/acknowledge.json');
    expect(alert).toMatchObject({ status: 'FIRING', fingerprint: 'srv01/mysql', acknowledged: true });
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
