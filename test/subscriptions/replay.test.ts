import type { Client } from 'graphql-ws';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { ActorType, Priority } from '../../src/schema/enums';
import type { Actor } from '../../src/shared/actor';
import { ManualClock } from '../../src/shared/clock';
import { connectedOnce, connectWs, sleep, Subscription } from '../api/ws-client';
import { createReferenceOrganisation, REFERENCE_PEOPLE } from '../../scripts/support/reference-organisation';
import { pagingConfig, TWILIO } from '../support/paging-setup';
import { startTwilioStandIn } from '../../scripts/support/twilio-standin';
import { startTestApp, type TestApp } from '../support/test-app';

const system: Actor = { type: ActorType.SYSTEM, id: null, name: 'test setup' };
type Created = { incidentCreated: { id: string; title: string } };

/**
 * Instance A reaches its database through a proxy the test cuts; instance B, on the same database, keeps working.
 * What B commits while A is cut off must still reach A's subscribers.
 */
describe('no committed change is lost to a subscriber', () => {
  let a: TestApp;
  let b: TestApp;
  let serviceId: string;
  let counter = 0;
  const clients: Client[] = [];

  const logOfA: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logOfA.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    a = await startTestApp({ throughProxy: true, config: { LOG_LEVEL: 'warn' }, logDestination: sink });
    b = await startTestApp({ sameDatabaseAs: a });
    serviceId = (await b.app.services.catalog.createService({ name: 'Replay', slug: 'replay' })).id;
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await b.close();
    await a.close();
  });

  const declareOnB = async (title = `incident ${(counter += 1)}`) =>
    (await b.app.services.incidents.declare(system, { title, serviceId, priority: Priority.P4 })).id;

  async function liveOnA(query = `subscription { incidentCreated { id title } }`, variables?: Record<string, unknown>) {
    const client = connectWs(a, a.adminToken);
    clients.push(client);
    const connected = connectedOnce(client);
    const subscription = new Subscription<Created>(client, query, variables);
    await connected;
    await subscription.untilLive(declareOnB, (result, id) => result.data?.incidentCreated.id === id);
    return subscription;
  }

  /**
   * The ids received until each of `expected` has come (a silent gap times out here); replayed and live events
   * may interleave, so a marker sent after a cut is simply one more expected id.
   */
  async function idsUntilAll(subscription: Subscription<Created>, expected: string[], timeoutMs = 10_000): Promise<string[]> {
    const ids: string[] = [];
    const missing = new Set(expected);
    while (missing.size > 0) {
      const result = await subscription.next(timeoutMs);
      expect(result.errors).toBeUndefined();
      const id = result.data!.incidentCreated.id;
      ids.push(id);
      missing.delete(id);
    }
    return ids;
  }

  it('replays to A’s subscribers what B committed while A’s database connection was cut, promptly after it is back', async () => {
    const subscription = await liveOnA();
    a.proxy!.cut();
    const committed: string[] = [];
    for (let i = 0; i < 25; i += 1) {
      committed.push(await declareOnB());
      await sleep(80);
    }
    const restored = performance.now();
    a.proxy!.restore();
    committed.push(await declareOnB('after the cut'));
    await idsUntilAll(subscription, committed);
    const caughtUpMs = performance.now() - restored;
    // Reconnect attempts are at most a second apart (they were 1, 2, 4, 8, 16 s): back within a few of them.
    expect(caughtUpMs).toBeLessThan(3 * 1000);
  });

  it('notices a silent network partition by its heartbeat and replays what B committed meanwhile', async () => {
    const subscription = await liveOnA();
    a.proxy!.cut('freeze');
    const committed: string[] = [];
    // Nobody is told of the partition: A finds out by its heartbeat going unanswered, while it lasts.
    while (!logOfA.some((line) => line.includes('no answer to the heartbeat'))) {
      committed.push(await declareOnB());
      await sleep(250);
    }
    committed.push(await declareOnB());
    // Not ready while it cannot hear changes, so a load balancer sends new subscribers elsewhere.
    const readiness = await fetch(`${a.url}/readyz`);
    expect(readiness.status).toBe(503);
    expect(readiness.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await readiness.json()).toEqual({ status: 'reconnecting to change notifications' });
    a.proxy!.restore();
    committed.push(await declareOnB('after the partition'));
    await idsUntilAll(subscription, committed);
  });

  it('replays a change that committed after a later-numbered one was heard (numbers are taken at write, not at commit)', async () => {
    const [early, late] = [await declareOnB('numbered first, committed last'), await declareOnB('numbered second, committed first')];
    const subscription = await liveOnA();
    const updates = new Subscription<{ incidentUpdated: { id: string } }>(clients[clients.length - 1], `subscription { incidentUpdated { id } }`);
    await updates.untilLive(
      async () => {
        await b.app.services.incidents.update(system, late, { title: `probe ${(counter += 1)}` });
        return late;
      },
      (result, id) => result.data?.incidentUpdated.id === id,
    );
    const change = (id: string) => JSON.stringify({ topic: 'INCIDENT_UPDATED', incidentId: id, serviceId, priority: 'P4', status: 'TRIGGERED' });
    const holding = b.app.db.createQueryRunner();
    await holding.connect();
    await holding.startTransaction();
    await holding.query('SELECT ib_emit_change($1)', [change(early)]);
    await b.app.db.query('SELECT ib_emit_change($1)', [change(late)]);
    expect((await updates.next()).data?.incidentUpdated.id).toBe(late);
    a.proxy!.cut();
    await holding.commitTransaction();
    await holding.release();
    a.proxy!.restore();
    expect((await updates.next(10_000)).data?.incidentUpdated.id).toBe(early);
    subscription.close();
  });

  it('tells A’s subscribers to resync when what A missed can no longer be replayed', async () => {
    const subscription = await liveOnA();
    a.proxy!.cut();
    await declareOnB('missed for good');
    // As if the retention job had pruned everything A would replay from.
    await b.app.db.query('DELETE FROM change_log');
    a.proxy!.restore();
    const error = (await subscription.ended(10_000)) as Array<{ extensions?: { code?: string } }>;
    expect(error[0].extensions?.code).toBe('RESYNC_REQUIRED');
  });

  it('lets a client resume after the cursor of the last event it received, also from the other instance', async () => {
    const subscription = await liveOnA();
    const seen = await declareOnB('seen before leaving');
    const last = await subscription.next();
    expect(last.data?.incidentCreated.id).toBe(seen);
    const cursor = (last.extensions as { cursor: string }).cursor;
    subscription.close();

    const whileAway: string[] = [];
    for (let i = 0; i < 5; i += 1) whileAway.push(await declareOnB(`while away ${i}`));

    const client = connectWs(b, b.adminToken);
    clients.push(client);
    const resumed = new Subscription<Created>(client, `subscription($after: String) { incidentCreated(after: $after) { id title } }`, { after: cursor });
    const marker = await (async () => {
      await connectedOnce(client).catch(() => undefined);
      // The replay comes first; a live incident after it is the marker.
      await sleep(200);
      return declareOnB('marker after resuming');
    })();
    const received = await idsUntilAll(resumed, [...whileAway, marker]);
    expect(received.indexOf(whileAway[0])).toBeLessThan(received.indexOf(whileAway[4]));
  });

  it('ends a resume from a cursor that is no longer kept with RESYNC_REQUIRED, and a malformed one with BAD_USER_INPUT', async () => {
    const client = connectWs(b, b.adminToken);
    clients.push(client);
    await declareOnB('soon pruned');
    const [{ seq }] = await b.app.db.query('SELECT max(seq)::text AS seq FROM change_log');
    await b.app.db.query('DELETE FROM change_log WHERE seq <= $1', [seq]);
    const old = new Subscription(client, `subscription($after: String) { incidentCreated(after: $after) { id } }`, { after: seq });
    expect(((await old.ended()) as Array<{ extensions?: { code?: string } }>)[0].extensions?.code).toBe('RESYNC_REQUIRED');
    const malformed = new Subscription(client, `subscription { incidentCreated(after: "yesterday") { id } }`);
    expect(((await malformed.ended()) as Array<{ extensions?: { code?: string; field?: string } }>)[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
  });
});

describe('the delivery worker’s wake-up after a database blip', () => {
  it('sends a page queued by another instance while this one was cut off, right after it is back (not at its next tick)', async () => {
    const clock = new ManualClock('2026-11-23T03:00:00Z');
    const twilio = await startTwilioStandIn({ accountSid: TWILIO.accountSid, authToken: TWILIO.authToken });
    const channels = pagingConfig(twilio);
    const sender = await startTestApp({ clock, throughProxy: true, config: channels });
    const other = await startTestApp({ clock, sameDatabaseAs: sender, config: { ...channels, JOBS_ENABLED: 'false' } });
    try {
      const organisation = await createReferenceOrganisation(other.app.services, other.app.db);
      sender.proxy!.cut();
      await other.app.services.incidents.declare(system, { title: 'SMS platform down', serviceId: organisation.serviceIds['sms-api'], priority: Priority.P1 });
      sender.proxy!.restore();
      const [sms] = await twilio.waitForMessages(1, 10_000);
      expect(sms.to).toBe(REFERENCE_PEOPLE.stefania.phone);
    } finally {
      await other.close();
      await sender.close();
      await twilio.close();
    }
  });
});
