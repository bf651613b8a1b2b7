import { ManualClock } from '../../src/shared/clock';
import { TWILIO } from '../support/paging-setup';
import { startSmtpReceiver, type SmtpReceiver } from '../support/receivers/smtp-receiver';
import { startTwilioStandIn, type TwilioStandIn } from '../../scripts/support/twilio-standin';
import { startTestApp, type TestApp } from '../support/test-app';

const MINUTE = 60_000;

describe('notification rules: SMS at once, e-mail after 5 minutes, cancelled by an acknowledgement', () => {
  let twilio: TwilioStandIn;
  let smtp: SmtpReceiver;
  let t: TestApp;
  const clock = new ManualClock('2026-11-23T12:00:00Z');

  beforeAll(async () => {
    twilio = await startTwilioStandIn({ accountSid: TWILIO.accountSid, authToken: TWILIO.authToken });
    smtp = await startSmtpReceiver();
    t = await startTestApp({
      clock,
      config: {
        TWILIO_ACCOUNT_SID: TWILIO.accountSid,
        TWILIO_AUTH_TOKEN: TWILIO.authToken,
        TWILIO_FROM_NUMBER: TWILIO.fromNumber,
        TWILIO_API_BASE_URL: twilio.baseUrl,
        SMTP_HOST: smtp.host,
        SMTP_PORT: String(smtp.port),
        SMTP_FROM: 'incident-bridge <pager@example.com>',
        ESCALATION_SCHEDULE: '0 0 0 1 1 *',
        DELIVERY_SCHEDULE: '0 0 0 1 1 *',
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await twilio.close();
    await smtp.close();
  });

  async function must<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const result = await t.gql<T>(query, variables);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data as T;
  }

  async function pagedPerson(slug: string) {
    const { createPerson } = await must<{ createPerson: { person: { id: string } } }>(`mutation($i: CreatePersonInput!) { createPerson(input: $i) { person { id } } }`, {
      i: { name: `Rita ${slug}`, email: `rita-${slug}@example.com` },
    });
    const personId = createPerson.person.id;
    const sms = await must<{ addContactMethod: { contactMethod: { id: string } } }>(
      `mutation($i: AddContactMethodInput!) { addContactMethod(input: $i) { contactMethod { id } } }`,
      { i: { personId, channel: 'SMS', address: '+351919999999' } },
    );
    const email = await must<{ addContactMethod: { contactMethod: { id: string } } }>(
      `mutation($i: AddContactMethodInput!) { addContactMethod(input: $i) { contactMethod { id } } }`,
      { i: { personId, channel: 'EMAIL', address: `rita-${slug}@example.com` } },
    );
    for (const [contactMethodId, delayMinutes] of [[sms.addContactMethod.contactMethod.id, 0], [email.addContactMethod.contactMethod.id, 5]] as const) {
      await must(`mutation($i: AddNotificationRuleInput!) { addNotificationRule(input: $i) { notificationRule { id } } }`, { i: { contactMethodId, delayMinutes } });
    }
    const { createEscalationPolicy } = await must<{ createEscalationPolicy: { escalationPolicy: { id: string } } }>(
      `mutation($i: CreateEscalationPolicyInput!) { createEscalationPolicy(input: $i) { escalationPolicy { id } } }`,
      { i: { name: `rita ${slug}`, steps: [{ delayMinutes: 30, targets: [{ type: 'PERSON', id: personId }] }] } },
    );
    const { createService } = await must<{ createService: { service: { id: string } } }>(`mutation($i: CreateServiceInput!) { createService(input: $i) { service { id } } }`, {
      i: { name: slug, slug },
    });
    await must(`mutation($i: SetServiceEscalationPolicyInput!) { setServiceEscalationPolicy(input: $i) { service { id } } }`, {
      i: { serviceId: createService.service.id, escalationPolicyId: createEscalationPolicy.escalationPolicy.id },
    });
    return createService.service.id;
  }

  async function declare(serviceId: string): Promise<string> {
    const { declareIncident } = await must<{ declareIncident: { incident: { id: string } } }>(
      `mutation($s: ID!) { declareIncident(input: { title: "Payments failing", serviceId: $s, priority: P1 }) { incident { id } } }`,
      { s: serviceId },
    );
    await t.app.scheduler.trigger('delivery');
    return declareIncident.incident.id;
  }

  it('sends the SMS at once and the e-mail only once its delay has passed', async () => {
    const serviceId = await pagedPerson('rules-a');
    const smsBefore = twilio.messages.length;
    await declare(serviceId);
    expect(twilio.messages.length).toBe(smsBefore + 1);
    expect(smtp.messages).toHaveLength(0);

    clock.advance(5 * MINUTE + 1000);
    await t.app.scheduler.trigger('delivery');
    const [mail] = await smtp.waitForMessages(1, 5000);
    expect(mail.envelope.rcptTo).toEqual(['rita-rules-a@example.com']);
    expect(mail.header('subject')).toBe('[P1] #1 Payments failing');
    expect(mail.header('x-idempotency-key')).toMatch(/^escalate:.*:EMAIL:rita-rules-a@example.com:5$/);
  });

  it('cancels the delayed e-mail when the incident is acknowledged first', async () => {
    const serviceId = await pagedPerson('rules-b');
    const mailsBefore = smtp.messages.length;
    const incidentId = await declare(serviceId);
    await must(`mutation($id: ID!) { acknowledgeIncident(input: { id: $id }) { incident { status } } }`, { id: incidentId });
    clock.advance(10 * MINUTE);
    await t.app.scheduler.trigger('delivery');
    expect(smtp.messages).toHaveLength(mailsBefore);
    const view = await must<{ incident: { notifications: { edges: Array<{ node: { channel: string; status: string } }> } } }>(
      `query($id: ID!) { incident(id: $id) { notifications { edges { node { channel status } } } } }`,
      { id: incidentId },
    );
    expect(view.incident.notifications.edges.map(({ node }) => node)).toEqual([
      { channel: 'SMS', status: 'SENT' },
      { channel: 'EMAIL', status: 'CANCELLED' },
    ]);
  });
});
