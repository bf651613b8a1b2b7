import { Client } from 'pg';
import { startHttpReceiver, type HttpReceiver, type RecordedRequest } from '../support/receivers/http-receiver';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { killHard, must, pagedService, startInstance, waitFor, type Instance } from './support/instances';
import { killStarted } from './support/processes';

/**
 * Two server processes on one database, paging through the signed-webhook channel to a real receiver. A claimed page
 * is held on a lease its sender renews while it is alive: a killed sender's page moves to the other instance once
 * the lease runs out, and a live but slow sender keeps its page however long the send takes.
 */
jest.setTimeout(120_000);

const LEASE_SECONDS = 3;
const TICK_SECONDS = 2;
const settings = {
  WEBHOOK_SIGNING_SECRET: 'lease-test-signing-secret',
  DELIVERY_LEASE_SECONDS: String(LEASE_SECONDS),
  DELIVERY_SCHEDULE: `*/${TICK_SECONDS} * * * * *`,
  NOTIFY_TIMEOUT_MS: '60000',
};
const KEY_HEADER = 'x-incidentbridge-idempotency-key';

describe('deliveries across two instances', () => {
  let database: TestDatabase;
  let db: Client;
  let receiver: HttpReceiver;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();
    receiver = await startHttpReceiver({ defaultResponse: { status: 204 } });
  });
  afterAll(async () => {
    killStarted();
    await db.end();
    await receiver.close();
    await database.drop();
  });

  const declare = async (instance: Instance, serviceId: string, title: string) =>
    (
      await must<{ declareIncident: { incident: { id: string } } }>(
        instance,
        `mutation($i: DeclareIncidentInput!) { declareIncident(input: $i) { incident { id } } }`,
        { i: { title, serviceId, priority: 'P1' } },
      )
    ).declareIncident.incident.id;
  const pageOf = async (incidentId: string) =>
    (await db.query(`SELECT id, status, attempts, claimed_until, idempotency_key FROM notification WHERE incident_id = $1`, [incidentId])).rows;
  const requestsFor = (key: string) => receiver.requests.filter((request) => request.headers[KEY_HEADER] === key);
  const sentEvents = async (notificationId: string) =>
    Number((await db.query(`SELECT count(*) FROM timeline_event WHERE kind = 'NOTIFICATION_SENT' AND data->>'notificationId' = $1`, [notificationId])).rows[0].count);
  const waitUntilSent = (incidentId: string) =>
    waitFor('the page recorded as sent', async () => ((await pageOf(incidentId))[0]?.status === 'SENT' ? true : undefined), 20_000);

  /** The next request the receiver gets is held open until the returned function is called. */
  function holdNextRequest(): () => void {
    let release = () => {};
    receiver.respondWith({ status: 204, until: new Promise<void>((resolve) => (release = resolve)) });
    return () => release();
  }

  it('hands a killed instance’s page in flight to the other one once its lease runs out, with the same idempotency key, sent once', async () => {
    const a = await startInstance(database.url, settings);
    const { serviceId } = await pagedService(a, 'killed', receiver.url);
    holdNextRequest();
    const before = receiver.requests.length;
    const incidentId = await declare(a, serviceId, 'paged while its sender dies');
    const [first] = (await receiver.waitForRequests(before + 1, 10_000)).slice(before);
    const b = await startInstance(database.url, settings);

    await killHard(a);
    const killedAt = Date.now();
    const [held] = await pageOf(incidentId);
    expect(held).toMatchObject({ status: 'SENDING', attempts: 1 });
    const leaseEnd = (held.claimed_until as Date).getTime();

    const [, second] = await waitForRequestsWithKey(receiver, held.idempotency_key, 2, 2 * (LEASE_SECONDS + 2 * TICK_SECONDS) * 1000);
    expect(second.headers[KEY_HEADER]).toBe(first.headers[KEY_HEADER]);
    // Taken over only after the dead instance's lease ran out, and within the lease plus the other instance's next tick.
    expect(second.receivedAt.getTime()).toBeGreaterThanOrEqual(leaseEnd);
    expect(second.receivedAt.getTime() - killedAt).toBeLessThan((LEASE_SECONDS + 2 * TICK_SECONDS) * 1000);

    await waitUntilSent(incidentId);
    const [sent] = await pageOf(incidentId);
    expect(sent).toMatchObject({ status: 'SENT', attempts: 2 });
    expect(await sentEvents(sent.id)).toBe(1);
    expect(requestsFor(held.idempotency_key)).toHaveLength(2);
    await killHard(b);
  });

  it('lets a live instance keep a page whose send outlasts the lease: the other instance delivers around it and never takes it', async () => {
    const a = await startInstance(database.url, settings);
    const { serviceId } = await pagedService(a, 'slow', receiver.url);
    const release = holdNextRequest();
    const before = receiver.requests.length;
    const slowIncident = await declare(a, serviceId, 'slow receiver');
    await receiver.waitForRequests(before + 1, 10_000);
    const [claimed] = await pageOf(slowIncident);
    const b = await startInstance(database.url, settings);

    // The first lease has run out in real time while the sender renewed it.
    await waitFor(
      'the lease renewed past its first term',
      async () => (((await pageOf(slowIncident))[0].claimed_until as Date).getTime() >= (claimed.claimed_until as Date).getTime() + LEASE_SECONDS * 1000 ? true : undefined),
      (4 * LEASE_SECONDS + TICK_SECONDS) * 1000,
    );
    // The marker: a page only the other instance can send (the slow one's pass is still waiting for its send). The
    // pass that claims it would claim the slow page too, had its lease lapsed, bumping its attempt number first.
    const markerIncident = await declare(b, serviceId, 'marker');
    await waitUntilSent(markerIncident);
    expect((await pageOf(slowIncident))[0]).toMatchObject({ status: 'SENDING', attempts: 1 });

    release();
    await waitUntilSent(slowIncident);
    const [sent] = await pageOf(slowIncident);
    expect(sent).toMatchObject({ status: 'SENT', attempts: 1 });
    expect(requestsFor(sent.idempotency_key)).toHaveLength(1);
    expect(await sentEvents(sent.id)).toBe(1);
    await Promise.all([killHard(a), killHard(b)]);
  });
});

async function waitForRequestsWithKey(receiver: HttpReceiver, key: string, n: number, timeoutMs: number): Promise<RecordedRequest[]> {
  return waitFor(
    `${n} deliveries of ${key}`,
    async () => {
      const matching = receiver.requests.filter((request) => request.headers[KEY_HEADER] === key);
      return matching.length >= n ? matching : undefined;
    },
    timeoutMs,
  );
}
