import { fromFixture, normalize, requestFor, schemaErrorOf } from './normalizer-fixtures';

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
