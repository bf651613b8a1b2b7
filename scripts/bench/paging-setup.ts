import pino from 'pino';
import { createDataSource } from '../../src/db/data-source';
import { createServices } from '../../src/services';
import { systemClock } from '../../src/shared/clock';
import { createReferenceOrganisation, FOLLOW_THE_SUN, REFERENCE_PEOPLE } from '../support/reference-organisation';

export interface PagingOrganisation {
  serviceId: string;
  policyId: string;
  scheduleId: string;
  integration: { id: string; secret: string };
  /** Phone number of each follow-the-sun shift's person (index = FOLLOW_THE_SUN.shifts). */
  shiftPhones: string[];
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
 * The reference organisation (scripts/support/reference-organisation.ts) in the bench's fresh database, made
 * through the services over a connection of this process: what the bench pages is the SMS API's Alertmanager
 * integration, its intake limit lifted out of the way of a throughput measurement.
 */
export async function createPagingOrganisation(databaseUrl: string): Promise<PagingOrganisation> {
  const db = createDataSource({ url: databaseUrl, poolSize: 2, applicationName: 'bench-setup' });
  await db.initialize();
  try {
    const services = createServices(db, systemClock, { log: pino({ level: 'silent' }), publicBaseUrl: 'http://localhost' });
    const organisation = await createReferenceOrganisation(services, db);
    const alertmanager = organisation.integrations.find((integration) => integration.name === 'Prometheus Alertmanager' && integration.service === 'sms-api');
    if (!alertmanager?.secret) throw new Error('the bench database already held the reference organisation: its Alertmanager secret is not shown again');
    await services.integrations.update(alertmanager.id, { options: { rateLimitPerMinute: 1_000_000 } });
    return {
      serviceId: organisation.serviceIds['sms-api'],
      policyId: organisation.policyId,
      scheduleId: organisation.scheduleId,
      integration: { id: alertmanager.id, secret: alertmanager.secret },
      shiftPhones: FOLLOW_THE_SUN.shifts.map((shift) => REFERENCE_PEOPLE[shift.person].phone),
    };
  } finally {
    await db.destroy();
  }
}
