import 'reflect-metadata';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { createChannels } from '../../src/notify';
import { ActorType, ChannelKind, EscalationTargetType, Priority, Role } from '../../src/schema/enums';
import { createServices } from '../../src/services';
import type { Actor } from '../../src/shared/actor';
import { ManualClock } from '../../src/shared/clock';
import { startHttpReceiver, type HttpReceiver } from '../support/receivers/http-receiver';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const actor: Actor = { type: ActorType.TOKEN, id: null, name: 'test', role: Role.ADMIN };
const LEASE_SECONDS = 1;

/** Log lines written so far, for waiting on a line (a marker that something happened). */
function capturedLog() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { log: pino({ level: 'warn' }, stream), lines };
}

/**
 * Two delivery workers with clocks of their own: the first one's clock stands still, as a stalled process's would, so
 * its lease lapses on the second one's clock while it is still sending.
 */
describe('delivery leases', () => {
  let database: TestDatabase;
  let first: DataSource;
  let second: DataSource;
  let receiver: HttpReceiver;

  beforeAll(async () => {
    database = await createTestDatabase();
    first = createDataSource({ url: database.url, poolSize: 5 });
    second = createDataSource({ url: database.url, poolSize: 5 });
    await Promise.all([first.initialize(), second.initialize()]);
    receiver = await startHttpReceiver({ defaultResponse: { status: 204 } });
  });
  afterAll(async () => {
    await Promise.all([first.destroy(), second.destroy()]);
    await receiver.close();
    await database.drop();
  });

  it('an old holder whose claim was taken over neither renews nor records it: the page is SENT once, by the new holder', async () => {
    const stalledClock = new ManualClock('2026-11-23T12:00:00Z');
    const liveClock = new ManualClock('2026-11-23T12:00:00Z');
    const webhook = () => createChannels({ webhook: { secret: 'lease-test-signing-secret', timeoutMs: 30_000 } });
    const stalledLog = capturedLog();
    const stalled = createServices(first, stalledClock, { log: stalledLog.log, publicBaseUrl: 'http://localhost', channels: webhook(), delivery: { leaseSeconds: LEASE_SECONDS } });
    const live = createServices(second, liveClock, { log: pino({ level: 'silent' }), publicBaseUrl: 'http://localhost', channels: webhook(), delivery: { leaseSeconds: LEASE_SECONDS } });

    const person = await stalled.catalog.createPerson({ name: 'On call', email: 'oncall-lease@example.com' });
    const method = await stalled.paging.addContactMethod({ personId: person.id, channel: ChannelKind.WEBHOOK, address: `${receiver.url}/lease` });
    await stalled.paging.addNotificationRule({ contactMethodId: method.id, delayMinutes: 0 });
    const policy = await stalled.paging.createPolicy({ name: 'lease', steps: [{ delayMinutes: 60, targets: [{ type: EscalationTargetType.PERSON, id: person.id }] }] });
    const service = await stalled.catalog.createService({ name: 'Lease', slug: 'lease' });
    await stalled.paging.setServicePolicy(service.id, policy.id);
    const incident = await stalled.incidents.declare(actor, { title: 'lease', serviceId: service.id, priority: Priority.P1 });
    const page = async () =>
      (await first.query(`SELECT id, status, attempts, claimed_until, idempotency_key FROM notification WHERE incident_id = $1`, [incident.id]))[0];

    let releaseStalled = () => {};
    let releaseLive = () => {};
    receiver.respondWith({ status: 204, until: new Promise<void>((resolve) => (releaseStalled = resolve)) });
    receiver.respondWith({ status: 204, until: new Promise<void>((resolve) => (releaseLive = resolve)) });

    const stalledPass = stalled.delivery.runOnce();
    await receiver.waitForRequests(1);
    liveClock.advance(LEASE_SECONDS * 1000 + 1);
    const livePass = live.delivery.runOnce();
    await receiver.waitForRequests(2);
    const takenOver = await page();
    expect(takenOver).toMatchObject({ status: 'SENDING', attempts: 2 });

    // The stalled worker's next renewal finds the claim gone, says so, and leaves the new holder's lease as it was.
    await waitForLine(stalledLog.lines, /delivery lease lost to another worker/);
    expect((await page()).claimed_until).toEqual(takenOver.claimed_until);

    releaseStalled();
    expect(await stalledPass).toBe(1);
    expect(await page()).toMatchObject({ status: 'SENDING', attempts: 2 });
    releaseLive();
    expect(await livePass).toBe(1);
    expect(await page()).toMatchObject({ status: 'SENT', attempts: 2 });
    const events = await first.query(`SELECT data FROM timeline_event WHERE incident_id = $1 AND kind = 'NOTIFICATION_SENT'`, [incident.id]);
    expect(events).toEqual([{ data: expect.objectContaining({ attempts: 2 }) }]);
    const keys = receiver.requests.map((request) => request.headers['x-incidentbridge-idempotency-key']);
    expect(keys).toEqual([takenOver.idempotency_key, takenOver.idempotency_key]);
  });
});

async function waitForLine(lines: string[], pattern: RegExp, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = lines.find((entry) => pattern.test(entry));
    if (line) return line;
    if (Date.now() > deadline) throw new Error(`no log line matching ${pattern} within ${timeoutMs} ms: ${lines.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
