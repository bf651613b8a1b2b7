import request from 'supertest';
import { computeTwilioSignature } from '../../src/ingest/twilio-signature';
import { ManualClock } from '../../src/shared/clock';
import { createReferenceOrganisation, REFERENCE_PEOPLE } from '../../scripts/support/reference-organisation';
import { startPagingApp, TWILIO } from '../support/paging-setup';
import type { TwilioStandIn } from '../../scripts/support/twilio-standin';
import type { TestApp } from '../support/test-app';

const PUBLIC_BASE_URL = 'https://incidents.example.com';
const MINUTE = 60_000;

function alertmanagerPayload(status: 'firing' | 'resolved') {
  return {
    version: '4',
    groupKey: '{}:{alertname="SmsGatewayDown"}',
    status,
    receiver: 'incident-bridge',
    groupLabels: { alertname: 'SmsGatewayDown' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    truncatedAlerts: 0,
    alerts: [
      {
        status,
        labels: { alertname: 'SmsGatewayDown', severity: 'critical', instance: 'smpp-1' },
        annotations: { summary: 'SMPP gateway smpp-1 is down' },
        startsAt: '2026-11-23T02:59:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus:9090/graph',
        fingerprint: 'a1b2c3d4e5f60718',
      },
    ],
  };
}

describe('paging: a P1 from a webhook wakes the on-call, escalates, and stops on an SMS ACK', () => {
  let twilio: TwilioStandIn;
  let t: TestApp;
  const clock = new ManualClock('2026-11-23T03:00:00Z');
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ t, twilio, close } = await startPagingApp(clock, { PUBLIC_BASE_URL }));
  });
  afterAll(() => close());

  it('pages Stefania, then the service owner, and stops when Stefania replies ACK', async () => {
    const org = await createReferenceOrganisation(t.app.services, t.app.db);
    const integration = await t.gql<{ createIntegration: { integration: { id: string }; secret: string } }>(
      `mutation($s: ID!) { createIntegration(input: { name: "prometheus", vendor: ALERTMANAGER, serviceId: $s }) { integration { id } secret } }`,
      { s: org.serviceIds['sms-api'] },
    );
    const sms = await t.gql<{ createIntegration: { integration: { id: string }; secret: string } }>(
      `mutation($s: ID!, $token: String) { createIntegration(input: { name: "sms replies", vendor: TWILIO, serviceId: $s, vendorCredential: $token }) { integration { id } secret } }`,
      { s: org.serviceIds['sms-api'], token: TWILIO.authToken },
    );

    // 03:00 UTC: Stefania is on shift (02:00–10:00). The webhook's 202 comes after the commit that queued her page.
    const opened = await request(t.url)
      .post(`/webhooks/${integration.data!.createIntegration.integration.id}`)
      .set('Authorization', `Bearer ${integration.data!.createIntegration.secret}`)
      .send(alertmanagerPayload('firing'));
    expect(opened.status).toBe(202);
    const incidentId = opened.body.incidentIds[0];
    const [first] = await twilio.waitForMessages(1, 5000);
    expect(first).toMatchObject({ to: REFERENCE_PEOPLE.stefania.phone, from: TWILIO.fromNumber });
    expect(first.body).toContain('SMPP gateway smpp-1 is down');
    expect(first.idempotencyToken).toMatch(/^escalate:/);
    // The stand-in has the SMS; let the delivery run finish recording it before time moves on.
    await t.app.scheduler.trigger('delivery');

    // Nobody acknowledged within 5 minutes: the service owner is paged.
    clock.advance(6 * MINUTE);
    expect(await t.app.services.escalation.runDue()).toBe(1);
    await t.app.scheduler.trigger('delivery');
    const [, second] = await twilio.waitForMessages(2, 5000);
    expect(second.to).toBe(REFERENCE_PEOPLE.owner.phone);

    // Stefania replies "ACK <number>" to the page; Twilio posts it to the SMS integration, signed.
    const { data } = await t.gql<{ incident: { number: number } }>(`query($id: ID!) { incident(id: $id) { number } }`, { id: incidentId });
    const params = { MessageSid: 'SM0123456789abcdef0123456789abcdef', AccountSid: TWILIO.accountSid, From: REFERENCE_PEOPLE.stefania.phone, To: TWILIO.fromNumber, Body: `ACK ${data!.incident.number}` };
    const path = `/webhooks/${sms.data!.createIntegration.integration.id}?key=${encodeURIComponent(sms.data!.createIntegration.secret)}`;
    const reply = await request(t.url)
      .post(path)
      .type('form')
      .set('X-Twilio-Signature', computeTwilioSignature(TWILIO.authToken, `${PUBLIC_BASE_URL}${path}`, params))
      .send(params);
    expect(reply.status).toBe(202);
    expect(reply.body.command).toMatchObject({ acknowledged: true, incidentId });

    // Escalation has stopped: time passes and nobody else is paged.
    clock.advance(30 * MINUTE);
    expect(await t.app.services.escalation.runDue()).toBe(0);
    await t.app.scheduler.trigger('delivery');
    expect(twilio.messages).toHaveLength(2);

    const view = await t.gql<{
      incident: {
        status: string;
        escalation: { state: string; stepIndex: number; stoppedReason: string };
        notifications: { edges: Array<{ node: { channel: string; address: string; status: string; reason: string } }> };
        timeline: Array<{ kind: string; actor: { type: string; name: string } }>;
      };
    }>(
      `query($id: ID!) { incident(id: $id) { status escalation { state stepIndex stoppedReason } notifications { edges { node { channel address status reason } } }
         timeline(first: 50) { kind actor { type name } } } }`,
      { id: incidentId },
    );
    const incident = view.data!.incident;
    expect(incident.status).toBe('ACKNOWLEDGED');
    expect(incident.escalation).toEqual({ state: 'STOPPED', stepIndex: 1, stoppedReason: 'acknowledged' });
    expect(incident.notifications.edges.map(({ node }) => node)).toEqual([
      { channel: 'SMS', address: REFERENCE_PEOPLE.stefania.phone, status: 'SENT', reason: 'escalation step 1' },
      { channel: 'SMS', address: REFERENCE_PEOPLE.owner.phone, status: 'SENT', reason: 'escalation step 2' },
    ]);
    const kinds = incident.timeline.map((event) => event.kind).reverse();
    expect(kinds).toEqual([
      'INCIDENT_DECLARED',
      'ESCALATION_STEP',
      'ALERTS_ATTACHED',
      'NOTIFICATION_SENT',
      'ESCALATION_STEP',
      'NOTIFICATION_SENT',
      'ACKNOWLEDGED',
      'ESCALATION_STOPPED',
    ]);
    expect(incident.timeline.find((event) => event.kind === 'ACKNOWLEDGED')!.actor).toEqual({ type: 'PERSON', name: 'Stefania' });
  });

  it('answers a retried ACK with 202 and changes nothing', async () => {
    const before = twilio.messages.length;
    const incidents = await t.gql<{ incidents: { edges: Array<{ node: { number: number; status: string } }> } }>(`{ incidents(first: 1) { edges { node { number status } } } }`);
    expect(incidents.data!.incidents.edges[0].node.status).toBe('ACKNOWLEDGED');
    const integrations = await t.gql<{ integrations: { edges: Array<{ node: { id: string } }> } }>(`{ integrations(filter: { vendor: [TWILIO] }) { edges { node { id } } } }`);
    const smsIntegration = integrations.data!.integrations.edges[0].node;
    const rotated = await t.gql<{ rotateIntegrationSecret: { secret: string } }>(`mutation($id: ID!) { rotateIntegrationSecret(input: { id: $id }) { secret } }`, { id: smsIntegration.id });
    const path = `/webhooks/${smsIntegration.id}?key=${encodeURIComponent(rotated.data!.rotateIntegrationSecret.secret)}`;
    const params = { From: REFERENCE_PEOPLE.stefania.phone, To: TWILIO.fromNumber, Body: `ack ${incidents.data!.incidents.edges[0].node.number}`, MessageSid: 'SMffff' };
    const reply = await request(t.url)
      .post(path)
      .type('form')
      .set('X-Twilio-Signature', computeTwilioSignature(TWILIO.authToken, `${PUBLIC_BASE_URL}${path}`, params))
      .send(params);
    expect(reply.status).toBe(202);
    expect(reply.body.command.acknowledged).toBe(false);
    expect(twilio.messages).toHaveLength(before);
  });
});
