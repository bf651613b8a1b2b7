import type { Client } from 'graphql-ws';
import { ActorType, Priority } from '../../src/schema/enums';
import type { Actor } from '../../src/shared/actor';
import { connectedOnce, connectWs, Subscription } from '../api/ws-client';
import { startTestApp, type TestApp } from '../support/test-app';

const system: Actor = { type: ActorType.SYSTEM, id: null, name: 'test setup' };
type Created = { incidentCreated: { id: string } };
type Ended = Array<{ extensions?: { code?: string } }>;

const MAX_ROWS = 50;

/**
 * The replay limit counts the changes after the cursor. The 30 s of slack before it (changes numbered earlier
 * that may have committed later) are nearly all ones the subscriber already has: at a steady write rate they
 * once filled most of the limit, and a short cut ended every subscription on the instance with RESYNC_REQUIRED.
 */
describe('the replay limit, and a replay that fails', () => {
  let a: TestApp;
  let b: TestApp;
  let serviceId: string;
  let counter = 0;
  const clients: Client[] = [];

  beforeAll(async () => {
    a = await startTestApp({ throughProxy: true, config: { JOBS_ENABLED: 'false', CHANGE_REPLAY_MAX_ROWS: String(MAX_ROWS), DB_STATEMENT_TIMEOUT_MS: '300' } });
    b = await startTestApp({ sameDatabaseAs: a, config: { JOBS_ENABLED: 'false' } });
    serviceId = (await b.app.services.catalog.createService({ name: 'Limit', slug: 'limit' })).id;
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await b.close();
    await a.close();
  });

  const declareOnB = async (title = `incident ${(counter += 1)}`) =>
    (await b.app.services.incidents.declare(system, { title, serviceId, priority: Priority.P4 })).id;
  /** Changes no subscription shows (an integration nobody has), as a busy deployment writes them. */
  const otherChanges = (count: number) =>
    b.app.db.query(`SELECT ib_emit_change('{"topic":"INTEGRATION_CHANGED","integrationId":"' || gen_random_uuid() || '"}') FROM generate_series(1, $1)`, [count]);

  async function subscribeOnA(variables?: { after: string }) {
    const client = connectWs(a, a.adminToken);
    clients.push(client);
    const connected = connectedOnce(client);
    const subscription = new Subscription<Created>(client, `subscription($after: String) { incidentCreated(after: $after) { id } }`, variables);
    await connected;
    return subscription;
  }

  async function idsUntil(subscription: Subscription<Created>, last: string): Promise<string[]> {
    const ids: string[] = [];
    for (;;) {
      const result = await subscription.next(10_000);
      expect(result.errors).toBeUndefined();
      ids.push(result.data!.incidentCreated.id);
      if (ids[ids.length - 1] === last) return ids;
    }
  }

  it('does not count the slack before the cursor: a cut with fewer changes than the limit is replayed, to live and to resuming subscribers', async () => {
    const live = await subscribeOnA();
    await live.untilLive(declareOnB, (result, id) => result.data?.incidentCreated.id === id);
    await otherChanges(MAX_ROWS - 10);
    const seen = await declareOnB('seen before the cut');
    const last = await live.next();
    expect(last.data?.incidentCreated.id).toBe(seen);
    const cursor = (last.extensions as { cursor: string }).cursor;

    a.proxy!.cut();
    const whileCut: string[] = [];
    for (let i = 0; i < 3; i += 1) whileCut.push(await declareOnB(`while cut ${i}`));
    await otherChanges(10);
    a.proxy!.restore();

    // Fewer than MAX_ROWS changes follow the last one A heard: its listener replays them all.
    expect(await idsUntil(live, whileCut[2])).toEqual(whileCut);
    const resumed = await subscribeOnA({ after: cursor });
    const received = await idsUntil(resumed, whileCut[2]);
    expect(received.filter((id) => whileCut.includes(id))).toEqual(whileCut);
    expect(resumed.error).toBeUndefined();
  });

  it('still ends a resume with RESYNC_REQUIRED when more changes than the limit follow its cursor', async () => {
    const live = await subscribeOnA();
    await live.untilLive(declareOnB, (result, id) => result.data?.incidentCreated.id === id);
    await declareOnB('seen');
    const cursor = ((await live.next()).extensions as { cursor: string }).cursor;
    await otherChanges(MAX_ROWS + 1);
    const resumed = await subscribeOnA({ after: cursor });
    expect(((await resumed.ended(10_000)) as Ended)[0].extensions?.code).toBe('RESYNC_REQUIRED');
  });

  it('tries a replay that failed again instead of ending every subscription with RESYNC_REQUIRED', async () => {
    const live = await subscribeOnA();
    await live.untilLive(declareOnB, (result, id) => result.data?.incidentCreated.id === id);
    a.proxy!.cut();
    const whileCut = await declareOnB('while cut, replayed late');
    // Nothing can read change_log for a while after A is back: its first replays run into the statement timeout.
    const holder = b.app.db.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query('LOCK TABLE change_log IN ACCESS EXCLUSIVE MODE');
    try {
      a.proxy!.restore();
      await new Promise((resolve) => setTimeout(resolve, 1500));
    } finally {
      await holder.commitTransaction();
      await holder.release();
    }
    const marker = await declareOnB('after the lock');
    expect(await idsUntil(live, marker)).toEqual([whileCut, marker]);
  });
});
