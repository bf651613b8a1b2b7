import type { Client } from 'graphql-ws';
import { ActorType, Priority } from '../../src/schema/enums';
import { EVENT_BATCH } from '../../src/graphql/operation-pipeline';
import type { Actor } from '../../src/shared/actor';
import { connectWs, Subscription } from '../api/ws-client';
import { statementsDuring } from '../support/statement-counter';
import { startTestApp, type TestApp } from '../support/test-app';

const system: Actor = { type: ActorType.SYSTEM, id: null, name: 'test setup' };
type Created = { incidentCreated: { id: string; title: string } };
const BACKLOG = 60;

/**
 * A subscription with a backlog (resuming after its cursor, or a slow client) answers what waits together: the events
 * of one batch read their rows in one statement per table, not one round trip each, and still arrive in order.
 */
describe('a subscription catching up on a backlog', () => {
  let t: TestApp;
  let other: TestApp;
  let client: Client;
  let serviceId: string;

  beforeAll(async () => {
    t = await startTestApp({ config: { JOBS_ENABLED: 'false' } });
    other = await startTestApp({ sameDatabaseAs: t, config: { JOBS_ENABLED: 'false' } });
    serviceId = (await other.app.services.catalog.createService({ name: 'Backlog', slug: 'backlog' })).id;
    client = connectWs(t, t.adminToken);
  });
  afterAll(async () => {
    await client?.dispose();
    await other?.close();
    await t?.close();
  });

  const declare = async (title: string) => (await other.app.services.incidents.declare(system, { title, serviceId, priority: Priority.P4 })).id;

  it(`answers ${BACKLOG} waiting changes with one read of the incident table, in order`, async () => {
    expect(BACKLOG).toBeLessThanOrEqual(EVENT_BATCH);
    const live = new Subscription<Created>(client, `subscription { incidentCreated { id title } }`);
    await live.untilLive(() => declare('probe'), (result, id) => result.data?.incidentCreated.id === id);
    const seen = await declare('seen');
    const last = await live.next();
    expect(last.data?.incidentCreated.id).toBe(seen);
    const cursor = (last.extensions as { cursor: string }).cursor;
    live.close();

    const backlog: string[] = [];
    for (let index = 0; index < BACKLOG; index += 1) backlog.push(await declare(`backlog ${index}`));

    const received: string[] = [];
    const statements = await statementsDuring(t.app.db, async () => {
      const resumed = new Subscription<Created>(client, `subscription($after: String) { incidentCreated(after: $after) { id title } }`, { after: cursor });
      while (received.at(-1) !== backlog.at(-1)) {
        const result = await resumed.next(10_000);
        expect(result.errors).toBeUndefined();
        received.push(result.data!.incidentCreated.id);
      }
      resumed.close();
    });
    // A resume may send the slack before its cursor again (README: Subscriptions): what came before the backlog.
    const firstOfBacklog = received.indexOf(backlog[0]);
    expect(received.slice(firstOfBacklog)).toEqual(backlog);
    expect(received.slice(0, firstOfBacklog).every((id) => !backlog.includes(id))).toBe(true);
    expect(statements.filter((sql) => /\bFROM "incident"/i.test(sql))).toHaveLength(1);
  });
});
