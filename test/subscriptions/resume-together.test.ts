import type { Client } from 'graphql-ws';
import { ActorType, Priority } from '../../src/schema/enums';
import type { Actor } from '../../src/shared/actor';
import { connectedOnce, connectWs, Subscription } from '../api/ws-client';
import { statementsDuring } from '../support/statement-counter';
import { startTestApp, type TestApp } from '../support/test-app';

const system: Actor = { type: ActorType.SYSTEM, id: null, name: 'test setup' };
type Created = { incidentCreated: { id: string } };

const RESUMING = 12;
const CONNECTIONS = 3;

/**
 * After a cut every subscriber of the instance resumes after its cursor at about the same time. They used to read
 * their history one by one (up to CHANGE_REPLAY_MAX_ROWS changes each): one read serves them all now.
 */
describe('subscribers resuming after a cut', () => {
  let a: TestApp;
  let b: TestApp;
  let serviceId: string;
  let counter = 0;
  const clients: Client[] = [];

  beforeAll(async () => {
    a = await startTestApp({ throughProxy: true, config: { JOBS_ENABLED: 'false' } });
    b = await startTestApp({ sameDatabaseAs: a, config: { JOBS_ENABLED: 'false' } });
    serviceId = (await b.app.services.catalog.createService({ name: 'Resume', slug: 'resume' })).id;
    for (let index = 0; index < CONNECTIONS; index += 1) {
      const client = connectWs(a, a.adminToken);
      const connected = connectedOnce(client);
      clients.push(client);
      // lazy clients connect with their first subscription
      const probe = new Subscription<Created>(client, `subscription { incidentCreated { id } }`);
      await connected;
      probe.close();
    }
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await b.close();
    await a.close();
  });

  const declareOnB = async (title = `incident ${(counter += 1)}`) =>
    (await b.app.services.incidents.declare(system, { title, serviceId, priority: Priority.P4 })).id;
  const subscribe = (index: number, after?: string) =>
    new Subscription<Created>(clients[index % CONNECTIONS], `subscription($after: String) { incidentCreated(after: $after) { id } }`, after ? { after } : undefined);

  async function idsUntil(subscription: Subscription<Created>, last: string): Promise<string[]> {
    const ids: string[] = [];
    for (;;) {
      const result = await subscription.next(10_000);
      expect(result.errors).toBeUndefined();
      ids.push(result.data!.incidentCreated.id);
      if (ids[ids.length - 1] === last) return ids;
    }
  }

  it(`reads change_log once for ${RESUMING} subscriptions resuming after the same cut, and each gets every change after its cursor once, in order`, async () => {
    // One subscription stays open through the cut: the listener's own replay reaches it.
    const staying = subscribe(0);
    await staying.untilLive(declareOnB, (result, id) => result.data?.incidentCreated.id === id);
    const seen = await declareOnB('seen before the cut');
    const last = await staying.next();
    expect(last.data?.incidentCreated.id).toBe(seen);
    const cursor = (last.extensions as { cursor: string }).cursor;

    a.proxy!.cut();
    const whileCut: string[] = [];
    for (let i = 0; i < 6; i += 1) whileCut.push(await declareOnB(`while cut ${i}`));
    a.proxy!.restore();
    // Back and replayed: the listener has read what it missed (its read is not the one counted).
    expect(await idsUntil(staying, whileCut[5])).toEqual(whileCut);

    let marker = '';
    const received: string[][] = [];
    const statements = await statementsDuring(a.app.db, async () => {
      const resumed = Array.from({ length: RESUMING }, (_, index) => subscribe(index, cursor));
      marker = await (async () => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        return declareOnB('marker after resuming');
      })();
      for (const subscription of resumed) received.push(await idsUntil(subscription, marker));
      for (const subscription of resumed) subscription.close();
    });

    expect(statements.filter((sql) => /change_log/.test(sql))).toHaveLength(1);
    const afterCursor = [...whileCut, marker];
    for (const ids of received) {
      // The slack before the cursor may come again (events are at least once); after it, each change once, in order.
      expect(ids.filter((id) => afterCursor.includes(id))).toEqual(afterCursor);
    }
    staying.close();
  });

  it('serves a later resume from a cursor the read covers without reading again: what committed since the read comes from what was heard', async () => {
    const staying = subscribe(0);
    await staying.untilLive(declareOnB, (result, id) => result.data?.incidentCreated.id === id);
    const cursorOf = async (id: string) => {
      const result = await staying.next();
      expect(result.data?.incidentCreated.id).toBe(id);
      return (result.extensions as { cursor: string }).cursor;
    };
    const early = await cursorOf(await declareOnB('first'));
    const second = await declareOnB('second');
    const later = await cursorOf(second);

    let marker = '';
    const [first, then] = [[] as string[][], [] as string[][]];
    const sinceRead: string[] = [];
    const statements = await statementsDuring(a.app.db, async () => {
      const earlyOnes = Array.from({ length: 4 }, (_, index) => subscribe(index, early));
      for (const subscription of earlyOnes) first.push(await idsUntil(subscription, second));
      // Committed after the read: A hears them, and the next resumes take them from there.
      for (let i = 0; i < 3; i += 1) sinceRead.push(await declareOnB(`since the read ${i}`));
      await idsUntil(staying, sinceRead[2]);
      const laterOnes = Array.from({ length: 4 }, (_, index) => subscribe(index, later));
      await new Promise((resolve) => setTimeout(resolve, 300));
      marker = await declareOnB('marker');
      for (const subscription of laterOnes) then.push(await idsUntil(subscription, marker));
      for (const subscription of [...earlyOnes, ...laterOnes]) subscription.close();
    });

    expect(statements.filter((sql) => /change_log/.test(sql))).toHaveLength(1);
    for (const ids of first) expect(ids.filter((id) => id === second)).toEqual([second]);
    const expected = [...sinceRead, marker];
    for (const ids of then) expect(ids.filter((id) => expected.includes(id))).toEqual(expected);
    staying.close();
  });
});
