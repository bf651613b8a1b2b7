import { BenchApi } from './api';

/** Follow-the-sun shifts in UTC: whoever's window contains the current hour is on call. */
export const SHIFTS = [
  { start: '02:00', end: '10:00' },
  { start: '10:00', end: '18:00' },
  { start: '18:00', end: '02:00' },
] as const;

export interface PagingOrganisation {
  serviceId: string;
  policyId: string;
  scheduleId: string;
  integration: { id: string; secret: string };
  /** Phone numbers of each shift's person (index = layer), then the service owner's. */
  shiftPhones: string[];
  ownerPhone: string;
}

/** POST /graphql as the admin; throws on any error. */
export async function graphql<T>(url: string, adminToken: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
  if (!response.ok || body.errors?.length || !body.data) throw new Error(`GraphQL ${response.status}: ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

/**
 * The paging setup over the public API, as test/support/paging-setup.ts builds it: people with phones,
 * a follow-the-sun schedule (3 layers, daily rotation, 8-hour UTC windows), a policy paging the
 * schedule first and the service owner after `stepMinutes`, a service using it, and an Alertmanager integration.
 */
export async function createPagingOrganisation(url: string, adminToken: string, suffix: string, stepMinutes = 5): Promise<PagingOrganisation> {
  const gql = <T>(query: string, variables: Record<string, unknown>) => graphql<T>(url, adminToken, query, variables);
  const createPerson = async (name: string, index: number) => {
    const phone = `+3519100${String(index).padStart(5, '0')}`;
    const data = await gql<{ createPerson: { person: { id: string } } }>(`mutation($i: CreatePersonInput!) { createPerson(input: $i) { person { id } } }`, {
      i: { name, email: `${name.toLowerCase().replace(/\W+/g, '.')}.${suffix}@example.com`, phone },
    });
    return { id: data.createPerson.person.id, phone };
  };
  const shiftPeople = [await createPerson('Stefania', 1), await createPerson('Rafael', 2), await createPerson('Abdul', 3)];
  const backups = [await createPerson('Helena', 4), await createPerson('Luciane', 5)];
  const owner = await createPerson('Owen', 9);

  const schedule = await gql<{ createSchedule: { schedule: { id: string } } }>(`mutation($i: CreateScheduleInput!) { createSchedule(input: $i) { schedule { id } } }`, {
    i: {
      name: `Follow the sun ${suffix}`,
      timeZone: 'UTC',
      layers: SHIFTS.map((shift, index) => ({
        participants: [shiftPeople[index].id],
        rotation: { unit: 'DAYS', length: 1 },
        start: '2025-01-01T00:00',
        restrictions: [{ start: shift.start, end: shift.end }],
      })),
      backupPersonIds: backups.map((person) => person.id),
    },
  });
  const scheduleId = schedule.createSchedule.schedule.id;
  const policy = await gql<{ createEscalationPolicy: { escalationPolicy: { id: string } } }>(
    `mutation($i: CreateEscalationPolicyInput!) { createEscalationPolicy(input: $i) { escalationPolicy { id } } }`,
    {
      i: {
        name: `Bench paging ${suffix}`,
        steps: [
          { delayMinutes: stepMinutes, targets: [{ type: 'SCHEDULE', id: scheduleId }] },
          { delayMinutes: stepMinutes, targets: [{ type: 'PERSON', id: owner.id }] },
        ],
      },
    },
  );
  const policyId = policy.createEscalationPolicy.escalationPolicy.id;
  const api = new BenchApi(url, adminToken);
  const serviceId = await api.createService(`Bench paging ${suffix}`, `bench-paging-${suffix}`);
  await gql(`mutation($i: SetServiceEscalationPolicyInput!) { setServiceEscalationPolicy(input: $i) { service { id } } }`, {
    i: { serviceId, escalationPolicyId: policyId },
  });
  const integration = await api.createAlertmanagerIntegration(`bench paging ${suffix}`, serviceId);
  return { serviceId, policyId, scheduleId, integration, shiftPhones: shiftPeople.map((person) => person.phone), ownerPhone: owner.phone };
}
