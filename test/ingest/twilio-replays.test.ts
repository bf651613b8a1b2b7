import request from 'supertest';
import { computeTwilioSignature } from '../../src/ingest/twilio-signature';
import { ManualClock } from '../../src/shared/clock';
import { createReferenceOrganisation, REFERENCE_PEOPLE } from '../../scripts/support/reference-organisation';
import { startPagingApp, TWILIO } from '../support/paging-setup';
import type { TestApp } from '../support/test-app';

const PUBLIC_BASE_URL = 'https://incidents.example.com';

/** Twilio retries a delivery it got no 2xx for: the same MessageSid, the same signed fields. */
describe('replayed Twilio deliveries count once per MessageSid', () => {
  const clock = new ManualClock('2026-11-23T03:00:00Z');
  let t: TestApp;
  let close: () => Promise<void>;
  let serviceId: string;

  beforeAll(async () => {
    ({ t, close } = await startPagingApp(clock, { PUBLIC_BASE_URL, AUTH_FAILURE_LIMIT: '1000' }));
    serviceId = (await createReferenceOrganisation(t.app.services, t.app.db)).serviceIds['sms-api'];
  });
  afterAll(() => close());

  async function twilioIntegration(name: string) {
    const created = await t.gql<{ createIntegration: { integration: { id: string }; secret: string } }>(
      `mutation($s: ID!) { createIntegration(input: { name: "${name}", vendor: TWILIO, serviceId: $s, vendorCredential: "${TWILIO.authToken}" }) { integration { id } secret } }`,
      { s: serviceId },
    );
    expect(created.errors).toBeUndefined();
    const { integration, secret } = created.data!.createIntegration;
    const path = `/webhooks/${integration.id}?key=${encodeURIComponent(secret)}`;
    const deliver = (params: Record<string, string>) =>
      request(t.url).post(path).type('form').set('X-Twilio-Signature', computeTwilioSignature(TWILIO.authToken, `${PUBLIC_BASE_URL}${path}`, params)).send(params);
    return { id: integration.id, deliver };
  }

  const sms = (sid: string, body: string, from = '+14155550199') => ({ MessageSid: sid, SmsSid: sid, AccountSid: TWILIO.accountSid, From: from, To: TWILIO.fromNumber, Body: body });
  const occurrences = async (alertId: string) => (await t.app.db.query(`SELECT occurrences FROM alert WHERE id = $1`, [alertId]))[0].occurrences as number;

  it('counts an inbound SMS delivered three times as one occurrence, and a new message with the same text as another', async () => {
    const twilio = await twilioIntegration('sms alarms');
    const first = await twilio.deliver(sms('SMaaaa0000000000000000000000000001', 'ALARM: pump 3 pressure high'));
    expect(first.status).toBe(202);
    expect(first.body.accepted).toBe(1);
    const alertId = first.body.alertIds[0];
    for (let retry = 0; retry < 2; retry += 1) {
      const again = await twilio.deliver(sms('SMaaaa0000000000000000000000000001', 'ALARM: pump 3 pressure high'));
      expect(again.status).toBe(202);
      expect(again.body).toMatchObject({ accepted: 0, duplicate: true });
    }
    expect(await occurrences(alertId)).toBe(1);

    const newMessage = await twilio.deliver(sms('SMaaaa0000000000000000000000000002', 'ALARM: pump 3 pressure high'));
    expect(newMessage.body.alertIds).toEqual([alertId]);
    expect(await occurrences(alertId)).toBe(2);
  });

  it('counts concurrent retries once, dedupes on SmsSid alone, and keeps integrations apart', async () => {
    const twilio = await twilioIntegration('sms concurrent');
    const answers = await Promise.all(Array.from({ length: 6 }, () => twilio.deliver(sms('SMbbbb0000000000000000000000000001', 'ALARM: tank 4 level low'))));
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 202, 202, 202]);
    const alertId = answers.find((answer) => answer.body.accepted === 1)!.body.alertIds[0];
    expect(answers.filter((answer) => answer.body.duplicate)).toHaveLength(5);
    expect(await occurrences(alertId)).toBe(1);

    const { MessageSid: _omitted, ...legacy } = sms('SMbbbb0000000000000000000000000002', 'ALARM: tank 4 level low');
    await twilio.deliver(legacy);
    await twilio.deliver(legacy);
    expect(await occurrences(alertId)).toBe(2);

    const other = await twilioIntegration('sms other account');
    const elsewhere = await other.deliver(sms('SMbbbb0000000000000000000000000001', 'ALARM: tank 4 level low'));
    expect(elsewhere.body.accepted).toBe(1);
  });

  it('counts a retried failed-delivery status callback once', async () => {
    const twilio = await twilioIntegration('sms callbacks');
    const callback = { MessageSid: 'SMcccc0000000000000000000000000001', MessageStatus: 'failed', ErrorCode: '30003', To: '+14155550123', From: TWILIO.fromNumber, AccountSid: TWILIO.accountSid };
    const first = await twilio.deliver(callback);
    expect(first.body.accepted).toBe(1);
    expect((await twilio.deliver(callback)).body.duplicate).toBe(true);
    expect(await occurrences(first.body.alertIds[0])).toBe(1);
  });

  it('forgets delivery ids after a week, when no retry can come any more', async () => {
    const twilio = await twilioIntegration('sms week');
    const message = sms('SMeeee0000000000000000000000000001', 'ALARM: boiler 2 offline');
    expect((await twilio.deliver(message)).status).toBe(202);
    await t.app.scheduler.trigger('webhook-receipt-retention');
    expect((await twilio.deliver(message)).body.duplicate).toBe(true);
    clock.advance(8 * 24 * 3600_000);
    await t.app.scheduler.trigger('webhook-receipt-retention');
    const [{ count }] = await t.app.db.query(`SELECT count(*)::int FROM webhook_receipt WHERE integration_id = $1`, [twilio.id]);
    expect(count).toBe(0);
    expect((await twilio.deliver(message)).body.accepted).toBe(1);
  });

  it('acknowledges once: a replayed "ACK" never acknowledges the incident paged after it', async () => {
    const alertmanager = await t.gql<{ createIntegration: { integration: { id: string }; secret: string } }>(
      `mutation($s: ID!) { createIntegration(input: { name: "prometheus", vendor: ALERTMANAGER, serviceId: $s }) { integration { id } secret } }`,
      { s: serviceId },
    );
    const prometheus = alertmanager.data!.createIntegration;
    const fire = async (name: string) => {
      const response = await request(t.url)
        .post(`/webhooks/${prometheus.integration.id}`)
        .set('Authorization', `Bearer ${prometheus.secret}`)
        .send({
          version: '4',
          groupKey: `{}:{alertname="${name}"}`,
          status: 'firing',
          receiver: 'incident-bridge',
          alerts: [{ status: 'firing', labels: { alertname: name, severity: 'critical' }, annotations: { summary: `${name} fired` }, startsAt: '2026-11-23T02:59:00Z', fingerprint: `fp-${name}` }],
        });
      expect(response.status).toBe(202);
      await t.app.scheduler.trigger('delivery');
      return response.body.incidentIds[0] as string;
    };
    const status = async (id: string) => (await t.gql<{ incident: { status: string } }>(`query($id: ID!) { incident(id: $id) { status } }`, { id })).data!.incident.status;

    const sms = await twilioIntegration('sms replies');
    // The earlier tests' alerts paged Stefania too: this incident's page is the latest one.
    clock.advance(60_000);
    const first = await fire('GatewayDown');
    const ack = { MessageSid: 'SMdddd0000000000000000000000000001', AccountSid: TWILIO.accountSid, From: REFERENCE_PEOPLE.stefania.phone, To: TWILIO.fromNumber, Body: 'ACK' };
    const acked = await sms.deliver(ack);
    expect(acked.status).toBe(202);
    expect(acked.body.command).toMatchObject({ acknowledged: true, incidentId: first });

    clock.advance(60_000);
    const second = await fire('QueueStuck');
    const replayed = await sms.deliver(ack);
    expect(replayed.status).toBe(202);
    expect(replayed.body).toMatchObject({ duplicate: true, command: { acknowledged: false } });
    expect(await status(first)).toBe('ACKNOWLEDGED');
    expect(await status(second)).toBe('TRIGGERED');
  });
});
