import request from 'supertest';
import { seedDemo } from '../../scripts/seed-demo';
import { computeTwilioSignature } from '../../src/ingest/twilio-signature';
import { ManualClock } from '../../src/shared/clock';
import { startPagingApp, TWILIO } from '../support/paging-setup';
import type { TwilioStandIn } from '../../scripts/support/twilio-standin';
import type { TestApp } from '../support/test-app';

const PUBLIC_BASE_URL = 'https://incidents.example.com';
const MINUTE = 60_000;
const STEFANIA = '+351910000001';
const SERVICE_OWNER = '+351910000010';

describe('the reference organisation (npm run seed:demo): a P1 by webhook pages, escalates, and stops on an SMS ACK', () => {
  let twilio: TwilioStandIn;
  let t: TestApp;
  const clock = new ManualClock('2026-11-23T03:00:00Z');
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ t, twilio, close } = await startPagingApp(clock, { PUBLIC_BASE_URL }));
  });
  afterAll(() => close());

  it('seeds idempotently, then runs the whole paging flow on it', async () => {
    const demo = await seedDemo(t.app.services, t.app.db, clock, PUBLIC_BASE_URL, () => undefined);
    const again = await seedDemo(t.app.services, t.app.db, clock, PUBLIC_BASE_URL, () => undefined);
    expect(again.createdIntegrations).toEqual([]);
    expect(again.policyId).toBe(demo.policyId);
    const counts = await t.app.db.query(`SELECT (SELECT count(*) FROM person) AS people, (SELECT count(*) FROM schedule) AS schedules, (SELECT count(*) FROM service) AS services`);
    expect(counts).toEqual([{ people: '13', schedules: '1', services: '3' }]);
    expect(again.maintenanceWindowIds).toEqual(demo.maintenanceWindowIds);
    expect(again.reviewedIncidentId).toBe(demo.reviewedIncidentId);
    const [reviewed] = await t.app.db.query(
      `SELECT i.status, r.status AS review, d.status AS rca, d.published_version FROM incident i JOIN incident_review r ON r.incident_id = i.id JOIN rca_document d ON d.incident_id = i.id WHERE i.id = $1`,
      [demo.reviewedIncidentId],
    );
    expect(reviewed).toEqual({ status: 'REVIEWED', review: 'APPROVED', rca: 'PUBLISHED', published_version: 1 });
    const windows = await t.app.db.query(`SELECT title, kind, status FROM maintenance_window ORDER BY starts_at`);
    expect(windows).toEqual([
      { title: 'Emergency certificate rotation', kind: 'EMERGENCY', status: 'SCHEDULED' },
      { title: 'SMPP cluster upgrade', kind: 'PLANNED', status: 'SCHEDULED' },
    ]);

    const onCall = await t.gql<{ whoIsOnCall: Array<{ name: string }> }>(`query($s: ID!) { whoIsOnCall(scheduleId: $s) { name } }`, { s: demo.scheduleId });
    expect(onCall.data!.whoIsOnCall.map((person) => person.name)).toEqual(['Stefania', 'Helena', 'Luciane']);

    const alertmanager = demo.createdIntegrations.find((integration) => integration.name === 'Prometheus Alertmanager')!;
    const opened = await request(t.url)
      .post(`/webhooks/${alertmanager.id}`)
      .set('Authorization', `Bearer ${alertmanager.secret}`)
      .send({
        version: '4',
        groupKey: '{}:{alertname="SmsApiDown"}',
        status: 'firing',
        receiver: 'incident-bridge',
        groupLabels: {},
        commonLabels: {},
        commonAnnotations: {},
        externalURL: 'http://alertmanager:9093',
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'SmsApiDown', severity: 'critical' },
            annotations: { summary: 'SMS API answers 503' },
            startsAt: '2026-11-23T02:59:00Z',
            endsAt: '0001-01-01T00:00:00Z',
            fingerprint: 'd3m0d3m0d3m0d3m0',
          },
        ],
      });
    expect(opened.status).toBe(202);
    const incidentId = opened.body.incidentIds[0];
    expect((await twilio.waitForMessages(1, 5000))[0].to).toBe(STEFANIA);
    await t.app.scheduler.trigger('delivery');

    clock.advance(6 * MINUTE);
    await t.app.services.escalation.runDue();
    await t.app.scheduler.trigger('delivery');
    expect((await twilio.waitForMessages(2, 5000))[1].to).toBe(SERVICE_OWNER);

    const replies = await t.gql<{ createIntegration: { integration: { id: string }; secret: string } }>(
      `mutation($s: ID!, $token: String) { createIntegration(input: { name: "SMS replies", vendor: TWILIO, serviceId: $s, vendorCredential: $token }) { integration { id } secret } }`,
      { s: demo.serviceIds['sms-api'], token: TWILIO.authToken },
    );
    const path = `/webhooks/${replies.data!.createIntegration.integration.id}?key=${encodeURIComponent(replies.data!.createIntegration.secret)}`;
    const params = { From: STEFANIA, To: TWILIO.fromNumber, Body: 'ACK', MessageSid: 'SMdemo' };
    const reply = await request(t.url)
      .post(path)
      .type('form')
      .set('X-Twilio-Signature', computeTwilioSignature(TWILIO.authToken, `${PUBLIC_BASE_URL}${path}`, params))
      .send(params);
    expect(reply.body.command).toMatchObject({ acknowledged: true, incidentId });

    clock.advance(30 * MINUTE);
    expect(await t.app.services.escalation.runDue()).toBe(0);
    expect(twilio.messages).toHaveLength(2);
    const view = await t.gql<{ incident: { status: string; timeline: Array<{ kind: string }> } }>(`query($id: ID!) { incident(id: $id) { status timeline { kind } } }`, { id: incidentId });
    expect(view.data!.incident.status).toBe('ACKNOWLEDGED');
    expect(view.data!.incident.timeline.map((event) => event.kind)).toEqual(
      expect.arrayContaining(['INCIDENT_DECLARED', 'ESCALATION_STEP', 'NOTIFICATION_SENT', 'ACKNOWLEDGED', 'ESCALATION_STOPPED']),
    );
    expect(view.data!.incident.timeline.filter((event) => event.kind === 'ESCALATION_STEP')).toHaveLength(2);
  });
});
