import { Client } from 'pg';
import { startHttpReceiver, type HttpReceiver } from '../support/receivers/http-receiver';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { killHard, must, startInstance, waitFor, webhookPerson, type Instance } from './support/instances';
import { killStarted } from './support/processes';

/**
 * Two server processes on one database, both running every job with a one-second tick: each escalation decision is
 * taken once and each page is sent once, whichever instance took the request.
 */
jest.setTimeout(120_000);

const INCIDENTS = 40;
const settings = {
  WEBHOOK_SIGNING_SECRET: 'jobs-test-signing-secret',
  ESCALATION_SCHEDULE: '*/1 * * * * *',
  DELIVERY_SCHEDULE: '*/1 * * * * *',
};
const KEY_HEADER = 'x-incidentbridge-idempotency-key';

describe('jobs on two instances', () => {
  let database: TestDatabase;
  let db: Client;
  let receiver: HttpReceiver;
  let instances: Instance[];

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();
    receiver = await startHttpReceiver({ defaultResponse: { status: 204 } });
    instances = await Promise.all([startInstance(database.url, settings), startInstance(database.url, settings)]);
  });
  afterAll(async () => {
    await Promise.all(instances.map(killHard));
    killStarted();
    await db.end();
    await receiver.close();
    await database.drop();
  });

  const count = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params)).rows[0].count);
  const until = (what: string, sql: string, expected: number, params: unknown[] = []) =>
    waitFor(what, async () => ((await count(sql, params)) === expected ? true : undefined), 30_000);

  it('take each escalation step once and send each page once', async () => {
    const [a, b] = instances;
    const first = await webhookPerson(a, 'first-responder', `${receiver.url}/first`);
    const second = await webhookPerson(a, 'second-responder', `${receiver.url}/second`);
    const { createEscalationPolicy } = await must<{ createEscalationPolicy: { escalationPolicy: { id: string } } }>(
      a,
      `mutation($i: CreateEscalationPolicyInput!) { createEscalationPolicy(input: $i) { escalationPolicy { id } } }`,
      { i: { name: 'two steps', steps: [{ delayMinutes: 5, targets: [{ type: 'PERSON', id: first }] }, { delayMinutes: 5, targets: [{ type: 'PERSON', id: second }] }] } },
    );
    const { createService } = await must<{ createService: { service: { id: string } } }>(a, `mutation { createService(input: { name: "Jobs", slug: "jobs" }) { service { id } } }`);
    const serviceId = createService.service.id;
    await must(a, `mutation($i: SetServiceEscalationPolicyInput!) { setServiceEscalationPolicy(input: $i) { service { id } } }`, {
      i: { serviceId, escalationPolicyId: createEscalationPolicy.escalationPolicy.id },
    });

    await Promise.all(
      Array.from({ length: INCIDENTS }, (_, index) =>
        must(index % 2 ? a : b, `mutation($i: DeclareIncidentInput!) { declareIncident(input: $i) { incident { id } } }`, {
          i: { title: `incident ${index}`, serviceId, priority: 'P1' },
        }),
      ),
    );
    await until('every first page sent', `SELECT count(*) FROM notification WHERE status = 'SENT'`, INCIDENTS);

    // Five minutes on: every escalation is due at once (the rows' due time moved back, as the clock would have moved on).
    await db.query(`UPDATE incident_escalation SET next_due_at = now() - interval '1 second'`);
    await until('every second step taken', `SELECT count(*) FROM incident_escalation WHERE step_index = 1`, INCIDENTS);
    await until('every page sent', `SELECT count(*) FROM notification WHERE status = 'SENT'`, 2 * INCIDENTS);

    expect(await count(`SELECT count(*) FROM timeline_event WHERE kind = 'ESCALATION_STEP'`)).toBe(2 * INCIDENTS);
    expect(await count(`SELECT count(*) FROM (SELECT incident_id FROM timeline_event WHERE kind = 'ESCALATION_STEP' GROUP BY incident_id HAVING count(*) = 2) twice`)).toBe(INCIDENTS);
    expect(await count(`SELECT count(*) FROM notification`)).toBe(2 * INCIDENTS);
    expect(await count(`SELECT count(*) FROM notification WHERE attempts = 1`)).toBe(2 * INCIDENTS);
    const keys = receiver.requests.map((request) => request.headers[KEY_HEADER]);
    expect(keys).toHaveLength(2 * INCIDENTS);
    expect(new Set(keys).size).toBe(2 * INCIDENTS);
    expect(receiver.requests.filter((request) => request.path === '/second')).toHaveLength(INCIDENTS);
    expect(await count(`SELECT count(*) FROM timeline_event WHERE kind = 'NOTIFICATION_SENT'`)).toBe(2 * INCIDENTS);
  });
});
