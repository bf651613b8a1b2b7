import request from 'supertest';
import { ActorType, ChannelKind } from '../../src/schema/enums';
import type { Actor } from '../../src/shared/actor';
import { ManualClock } from '../../src/shared/clock';
import { createReferenceOrganisation, REFERENCE_PEOPLE, type ReferenceOrganisation } from '../../scripts/support/reference-organisation';
import type { TwilioStandIn } from '../../scripts/support/twilio-standin';
import { startPagingApp } from '../support/paging-setup';
import type { TestApp } from '../support/test-app';

const MINUTE = 60_000;
const rita: Actor = { type: ActorType.PERSON, id: null, name: 'Rita Responder' };

function alertmanager(fingerprint: string, summary: string, status: 'firing' | 'resolved') {
  return {
    version: '4',
    groupKey: `{}:{alertname="${fingerprint}"}`,
    status,
    receiver: 'incident-bridge',
    groupLabels: { alertname: fingerprint },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    truncatedAlerts: 0,
    alerts: [
      {
        status,
        labels: { alertname: fingerprint, severity: 'critical', instance: 'smpp-1' },
        annotations: { summary },
        startsAt: '2026-11-23T02:59:00Z',
        endsAt: status === 'firing' ? '0001-01-01T00:00:00Z' : '2026-11-23T03:20:00Z',
        generatorURL: 'http://prometheus:9090/graph',
        fingerprint,
      },
    ],
  };
}

describe('maintenance suppression: recorded, not paged, and nothing forgotten after it', () => {
  // 03:00 UTC: Stefania is on shift (02:00–10:00).
  const clock = new ManualClock('2026-11-23T03:00:00Z');
  let t: TestApp;
  let twilio: TwilioStandIn;
  let close: () => Promise<void>;
  let org: ReferenceOrganisation;
  let serviceId: string;
  let integration: { id: string; secret: string };
  let windowId: string;

  const send = async (payload: object) => {
    const response = await request(t.url).post(`/webhooks/${integration.id}`).set('Authorization', `Bearer ${integration.secret}`).send(payload);
    expect(response.status).toBe(202);
    return response.body as { alertIds: string[]; incidentIds: string[] };
  };
  const alertRow = async (fingerprint: string) => (await t.app.db.query(`SELECT status, suppressed, suppressed_by, incident_id FROM alert WHERE fingerprint = $1`, [fingerprint]))[0];
  /** The SMS after the first `seen`, once `count` more have arrived. */
  const nextMessages = async (seen: number, count: number) => (await twilio.waitForMessages(seen + count, 5000)).slice(seen);

  beforeAll(async () => {
    ({ t, twilio, close } = await startPagingApp(clock));
    org = await createReferenceOrganisation(t.app.services, t.app.db);
    serviceId = org.serviceIds['sms-api'];
    const created = await t.app.services.integrations.create({ name: 'prometheus', vendor: 'ALERTMANAGER', serviceId });
    integration = { id: created.integration.id, secret: created.secret };
    const window = await t.app.services.maintenance.schedule(rita, { title: 'SMPP cluster upgrade', serviceIds: [serviceId], teamId: org.teamId, startsAt: new Date('2026-11-23T03:00:00Z'), endsAt: new Date('2026-11-23T05:00:00Z') });
    windowId = window.id;
    await t.app.services.maintenance.start(rita, windowId);
  });
  afterAll(() => close());

  it('records an alert during the window as suppressed by it, opens no incident and pages nobody', async () => {
    const seen = twilio.messages.length;
    const result = await send(alertmanager('smpp-during', 'SMPP bind failures during the upgrade', 'firing'));
    expect(result.incidentIds).toEqual([]);
    expect(await alertRow('smpp-during')).toEqual({ status: 'FIRING', suppressed: true, suppressed_by: windowId, incident_id: null });
    const listed = await t.gql<{ alerts: { edges: Array<{ node: { fingerprint: string; suppressedBy: { id: string; title: string } | null } }> } }>(
      `{ alerts(filter: { suppressed: true }) { edges { node { fingerprint suppressedBy { id title } } } } }`,
    );
    expect(listed.data!.alerts.edges.map((edge) => edge.node)).toEqual([{ fingerprint: 'smpp-during', suppressedBy: { id: windowId, title: 'SMPP cluster upgrade' } }]);

    // The marker: an incident a person declares on the same service is never suppressed, and pages the on-call.
    const marker = await t.app.services.incidents.declare(rita, { title: 'Marker: customer reports failed SMS', serviceId, priority: 'P1' as never });
    const [page] = await nextMessages(seen, 1);
    expect(page.to).toBe(REFERENCE_PEOPLE.stefania.phone);
    expect(page.body).toContain('Marker: customer reports failed SMS');
    await t.app.scheduler.trigger('delivery');
    expect(twilio.messages.slice(seen).map((message) => message.body)).toEqual([page.body]);
    await t.app.services.incidents.resolve(rita, marker.id);
  });

  it('re-evaluates alerts still firing when the window completes: they open an incident and page; one resolved during it stays closed', async () => {
    await send(alertmanager('smpp-brief', 'Brief SMPP latency', 'firing'));
    await send(alertmanager('smpp-brief', 'Brief SMPP latency', 'resolved'));
    expect(await alertRow('smpp-brief')).toMatchObject({ status: 'RESOLVED', suppressed: true, incident_id: null });

    const seen = twilio.messages.length;
    clock.set('2026-11-23T03:30:00Z');
    await t.app.services.maintenance.complete(rita, windowId);
    const during = await alertRow('smpp-during');
    expect(during).toMatchObject({ status: 'FIRING', suppressed: false, suppressed_by: windowId });
    expect(during.incident_id).not.toBeNull();
    const [page] = await nextMessages(seen, 1);
    expect(page).toMatchObject({ to: REFERENCE_PEOPLE.stefania.phone });
    expect(page.body).toContain('SMPP bind failures during the upgrade');
    expect(await alertRow('smpp-brief')).toMatchObject({ status: 'RESOLVED', incident_id: null });
    const [window] = await t.app.db.query(`SELECT data FROM maintenance_event WHERE window_id = $1 AND kind = 'ALERTS_RELEASED'`, [windowId]);
    expect(window.data).toMatchObject({ released: 1, alertIds: [expect.any(String)] });
    await t.app.services.incidents.resolve(rita, during.incident_id);
  });

  it('pauses an escalation running when a window starts and cancels its pending pages; it resumes when the window ends', async () => {
    // Stefania: SMS at once, e-mail 10 minutes later (pending until then).
    const stefania = org.people.stefania;
    const sms = await t.app.services.paging.addContactMethod({ personId: stefania, channel: ChannelKind.SMS, address: REFERENCE_PEOPLE.stefania.phone });
    const email = await t.app.services.paging.addContactMethod({ personId: stefania, channel: ChannelKind.EMAIL, address: REFERENCE_PEOPLE.stefania.email });
    await t.app.services.paging.addNotificationRule({ contactMethodId: sms.id, delayMinutes: 0 });
    await t.app.services.paging.addNotificationRule({ contactMethodId: email.id, delayMinutes: 10 });

    clock.set('2026-11-23T04:00:00Z');
    const seen = twilio.messages.length;
    const { incidentIds } = await send(alertmanager('smpp-before', 'SMPP gateway smpp-1 is down', 'firing'));
    const incidentId = incidentIds[0];
    await nextMessages(seen, 1);
    await t.app.scheduler.trigger('delivery');
    const pending = async () => t.app.db.query(`SELECT channel, status FROM notification WHERE incident_id = $1 ORDER BY channel`, [incidentId]);
    expect(await pending()).toEqual([{ channel: 'EMAIL', status: 'PENDING' }, { channel: 'SMS', status: 'SENT' }]);

    const second = await t.app.services.maintenance.schedule(rita, { title: 'SMPP hotfix', serviceIds: [serviceId], teamId: org.teamId, startsAt: new Date('2026-11-23T04:01:00Z'), endsAt: new Date('2026-11-23T05:00:00Z') });
    clock.set('2026-11-23T04:01:00Z');
    await t.app.services.maintenance.runDue();
    expect((await t.app.services.maintenance.get(second.id)).status).toBe('IN_PROGRESS');
    expect((await t.app.db.query(`SELECT state, paused_by FROM incident_escalation WHERE incident_id = $1`, [incidentId]))[0]).toEqual({ state: 'PAUSED', paused_by: second.id });
    expect(await pending()).toEqual([{ channel: 'EMAIL', status: 'CANCELLED' }, { channel: 'SMS', status: 'SENT' }]);
    const [paused] = await t.app.db.query(`SELECT message FROM timeline_event WHERE incident_id = $1 AND kind = 'ESCALATION_PAUSED'`, [incidentId]);
    expect(paused.message).toContain('SMPP hotfix');

    // Its step delay passes during the window: nothing advances.
    clock.advance(20 * MINUTE);
    expect(await t.app.services.escalation.runDue()).toBe(0);

    // The window ends with the alert still firing: the escalation resumes, its next step due at once (the service owner).
    await t.app.services.maintenance.complete(rita, second.id);
    expect((await t.app.db.query(`SELECT state FROM incident_escalation WHERE incident_id = $1`, [incidentId]))[0].state).toBe('ACTIVE');
    const before = twilio.messages.length;
    expect(await t.app.services.escalation.runDue()).toBe(1);
    const [owner] = await nextMessages(before, 1);
    expect(owner.to).toBe(REFERENCE_PEOPLE.owner.phone);
  });
});
