import type { ManualClock } from '../../src/shared/clock';
import { startTwilioStandIn, type TwilioStandIn } from '../../scripts/support/twilio-standin';
import { startTestApp, type TestApp } from './test-app';

export const TWILIO = { accountSid: `AC${'a1'.repeat(16)}`, authToken: 'twilio-test-auth-token', fromNumber: '+15005550006' };

export const PEOPLE = {
  stefania: { name: 'Stefania', email: 'stefania@example.com', phone: '+351910000001' },
  rafael: { name: 'Rafael', email: 'rafael@example.com', phone: '+351910000002' },
  abdul: { name: 'Abdul', email: 'abdul@example.com', phone: '+351910000003' },
  helena: { name: 'Helena', email: 'helena@example.com', phone: '+351910000004' },
  luciane: { name: 'Luciane', email: 'luciane@example.com', phone: '+351910000005' },
  owner: { name: 'Owen (service owner)', email: 'owen@example.com', phone: '+351910000009' },
} as const;

export type PersonKey = keyof typeof PEOPLE;

async function must<T>(t: TestApp, query: string, variables: Record<string, unknown>): Promise<T> {
  const result = await t.gql<T>(query, variables);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data as T;
}

/**
 * The reference organisation over the API: the follow-the-sun rota in UTC with backups, a service
 * owned by Owen, and a policy paging the on-call first and the owner after `stepMinutes`.
 */
export async function createReferenceOrganisation(t: TestApp, stepMinutes = 5) {
  const ids = {} as Record<PersonKey, string>;
  for (const [key, person] of Object.entries(PEOPLE) as Array<[PersonKey, (typeof PEOPLE)[PersonKey]]>) {
    const data = await must<{ createPerson: { person: { id: string } } }>(t, `mutation($i: CreatePersonInput!) { createPerson(input: $i) { person { id } } }`, { i: person });
    ids[key] = data.createPerson.person.id;
  }
  const shift = (personId: string, start: string, end: string) => ({
    participants: [personId],
    rotation: { unit: 'DAYS', length: 1 },
    start: '2026-01-01T00:00',
    restrictions: [{ start, end }],
  });
  const schedule = await must<{ createSchedule: { schedule: { id: string } } }>(
    t,
    `mutation($i: CreateScheduleInput!) { createSchedule(input: $i) { schedule { id } } }`,
    {
      i: {
        name: 'Follow the sun',
        timeZone: 'UTC',
        layers: [shift(ids.stefania, '02:00', '10:00'), shift(ids.rafael, '10:00', '18:00'), shift(ids.abdul, '18:00', '02:00')],
        backupPersonIds: [ids.helena, ids.luciane],
      },
    },
  );
  const policy = await must<{ createEscalationPolicy: { escalationPolicy: { id: string } } }>(
    t,
    `mutation($i: CreateEscalationPolicyInput!) { createEscalationPolicy(input: $i) { escalationPolicy { id } } }`,
    {
      i: {
        name: 'SMS platform',
        steps: [
          { delayMinutes: stepMinutes, targets: [{ type: 'SCHEDULE', id: schedule.createSchedule.schedule.id }] },
          { delayMinutes: stepMinutes, targets: [{ type: 'PERSON', id: ids.owner }] },
        ],
      },
    },
  );
  const service = await must<{ createService: { service: { id: string } } }>(
    t,
    `mutation($i: CreateServiceInput!) { createService(input: $i) { service { id } } }`,
    { i: { name: 'SMS platform', slug: `sms-platform-${Date.now()}`, ownerId: ids.owner } },
  );
  await must(t, `mutation($i: SetServiceEscalationPolicyInput!) { setServiceEscalationPolicy(input: $i) { service { id } } }`, {
    i: { serviceId: service.createService.service.id, escalationPolicyId: policy.createEscalationPolicy.escalationPolicy.id },
  });
  return { people: ids, scheduleId: schedule.createSchedule.schedule.id, policyId: policy.createEscalationPolicy.escalationPolicy.id, serviceId: service.createService.service.id };
}

/** Settings that send SMS to the stand-in and push the jobs' own ticks out of the way (tests drive them). */
export function pagingConfig(twilio: TwilioStandIn): Record<string, string> {
  return {
    TWILIO_ACCOUNT_SID: TWILIO.accountSid,
    TWILIO_AUTH_TOKEN: TWILIO.authToken,
    TWILIO_FROM_NUMBER: TWILIO.fromNumber,
    TWILIO_API_BASE_URL: twilio.baseUrl,
    ESCALATION_SCHEDULE: '0 0 0 1 1 *',
    DELIVERY_SCHEDULE: '0 0 0 1 1 *',
  };
}

/**
 * The app wired to a Twilio stand-in (and any extra config), with the jobs' own ticks pushed out
 * of the way: tests drive escalation by moving the clock and run delivery through the scheduler.
 */
export async function startPagingApp(clock: ManualClock, config: Record<string, string> = {}): Promise<{ t: TestApp; twilio: TwilioStandIn; close(): Promise<void> }> {
  const twilio = await startTwilioStandIn({ accountSid: TWILIO.accountSid, authToken: TWILIO.authToken });
  const t = await startTestApp({
    clock,
    config: { ...pagingConfig(twilio), ...config },
  });
  return {
    t,
    twilio,
    async close() {
      await t.close();
      await twilio.close();
    },
  };
}
