import { ActorType, Priority, Role } from '../../src/schema/enums';
import { planPages } from '../../src/services/notification-planner';
import type { Actor } from '../../src/shared/actor';
import { ManualClock } from '../../src/shared/clock';
import { statementsDuring } from '../support/statement-counter';
import { startTestApp, type TestApp } from '../support/test-app';

const system: Actor = { type: ActorType.SYSTEM, id: null, name: 'test setup' };

const LISTING = `query($first: Int!) {
  incidents(first: $first) {
    edges { node {
      id title
      service { name }
      owner { name }
      timeline(first: 5) { kind message }
    } }
  }
}`;

interface Listing {
  incidents: {
    edges: Array<{ node: { id: string; title: string; service: { name: string }; owner: { name: string } | null; timeline: Array<{ kind: string; message: string }> } }>;
  };
}

describe('listing incidents with their relations batches its SQL (DataLoader)', () => {
  const clock = new ManualClock('2026-04-01T00:00:00Z');
  let t: TestApp;
  let token: string;
  const expected = new Map<string, { service: string; owner: string | null; timeline: string[] }>();
  /** Per incident: the addresses paged, in the order they were paged (one decision per person, a millisecond apart). */
  const paged = new Map<string, string[]>();

  beforeAll(async () => {
    // No background jobs: their ticks would add statements to the counts below.
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
    token = await t.tokenFor(Role.VIEWER);
    const services = [];
    for (const name of ['SMS', 'Email', 'Voice']) services.push(await t.app.services.catalog.createService({ name, slug: name.toLowerCase() }));
    const people = [];
    for (const name of ['Ana', 'Bo', 'Cy', 'Di']) people.push(await t.app.services.catalog.createPerson({ name, email: `${name.toLowerCase()}@example.com` }));
    for (let i = 0; i < 100; i += 1) {
      clock.advance(1000);
      const owner = i % 5 === 0 ? null : people[i % 4];
      const incident = await t.app.services.incidents.declare(system, {
        title: `incident ${i}`,
        serviceId: services[i % 3].id,
        priority: Priority.P3,
        ownerId: owner?.id ?? null,
      });
      const messages = [`#${incident.number} opened (P3, INTERNAL): incident ${i}`];
      const notes = i % 2 === 0 ? 6 : i % 3;
      for (let n = 0; n < notes; n += 1) {
        clock.advance(10);
        messages.push((await t.app.services.incidents.addNote(system, incident.id, `note ${n} on ${i}`)).message);
      }
      expected.set(incident.id, { service: services[i % 3].name, owner: owner?.name ?? null, timeline: messages.reverse().slice(0, 5) });
      const pagedPeople = people.slice(0, i % 5);
      for (const [step, person] of pagedPeople.entries()) {
        clock.advance(1);
        const request = { incidentId: incident.id, personId: person.id, keyPrefix: `batch:${incident.id}:${step}`, subject: 's', body: 'b', data: {}, reason: `step ${step + 1}`, now: clock.now() };
        await t.app.db.transaction((manager) => planPages(manager, [request]));
      }
      paged.set(incident.id, pagedPeople.map((person) => person.email));
    }
    // The first use of a token records last_used_at; do it now so it is not counted below.
    expect((await t.gql(`{ me { role } }`, {}, token)).errors).toBeUndefined();
  });
  afterAll(() => t.close());

  async function list(first: number): Promise<{ statements: string[]; data: Listing }> {
    let data: Listing | undefined;
    const statements = await statementsDuring(t.app.db, async () => {
      const response = await t.gql<Listing>(LISTING, { first }, token);
      expect(response.errors).toBeUndefined();
      data = response.data;
    });
    return { statements, data: data! };
  }

  it('returns the right service, owner and newest five timeline events for each of 100 incidents', async () => {
    const { data } = await list(100);
    expect(data.incidents.edges).toHaveLength(100);
    for (const { node } of data.incidents.edges) {
      const want = expected.get(node.id)!;
      expect({ id: node.id, service: node.service.name, owner: node.owner?.name ?? null, timeline: node.timeline.map((event) => event.message) }).toEqual({
        id: node.id,
        ...want,
      });
    }
  });

  it('counts the statements: the same few (≤ 10) for 1, 10 and 100 incidents', async () => {
    const one = await list(1);
    const ten = await list(10);
    const hundred = await list(100);
    // Sanity: the counter sees the statements (authentication, the page, the loaders).
    expect(hundred.statements.some((sql) => /FROM "incident"/i.test(sql))).toBe(true);
    expect(hundred.statements.some((sql) => /timeline_event/i.test(sql))).toBe(true);

    expect(hundred.statements.length).toBeLessThanOrEqual(10);
    expect(ten.statements).toHaveLength(hundred.statements.length);
    expect(one.statements).toHaveLength(hundred.statements.length);
    // Services and owners are read with the page, in the same statement (no loader round trip); the timeline in one.
    const page = hundred.statements.filter((sql) => /FROM "incident"/i.test(sql) && /LIMIT/i.test(sql));
    expect(page).toHaveLength(1);
    expect(page[0]).toMatch(/JOIN "service"/i);
    expect(page[0]).toMatch(/JOIN "person"/i);
    expect(hundred.statements.filter((sql) => /FROM "service"|FROM "person"/i.test(sql))).toHaveLength(0);
    expect(hundred.statements.filter((sql) => /timeline_event/i.test(sql))).toHaveLength(1);
  });

  it("pages every listed incident's notifications in one statement and counts them in one more, for 1, 10 and 100 incidents", async () => {
    const query = `query($first: Int!) { incidents(first: $first) { edges { node { id
      notifications(first: 3) { totalCount edges { node { address } } pageInfo { hasNextPage } }
    } } } }`;
    type Listed = { incidents: { edges: Array<{ node: { id: string; notifications: { totalCount: number; edges: Array<{ node: { address: string } }>; pageInfo: { hasNextPage: boolean } } } }> } };
    for (const first of [1, 10, 100]) {
      let data: Listed | undefined;
      const statements = await statementsDuring(t.app.db, async () => {
        const response = await t.gql<Listed>(query, { first }, token);
        expect(response.errors).toBeUndefined();
        data = response.data;
      });
      expect(data!.incidents.edges).toHaveLength(first);
      for (const { node } of data!.incidents.edges) {
        const addresses = paged.get(node.id)!;
        expect(node.notifications).toEqual({
          totalCount: addresses.length,
          edges: addresses.slice(0, 3).map((address) => ({ node: { address } })),
          pageInfo: { hasNextPage: addresses.length > 3 },
        });
      }
      expect(statements.filter((sql) => /FROM "notification"/i.test(sql))).toHaveLength(2);
    }
  });

  it('still batches when timeline is asked twice with different page sizes (one batch per size)', async () => {
    const statements = await statementsDuring(t.app.db, async () => {
      const response = await t.gql(`{ incidents(first: 100) { edges { node { a: timeline(first: 2) { id } b: timeline(first: 3) { id } } } } }`, {}, token);
      expect(response.errors).toBeUndefined();
    });
    expect(statements.filter((sql) => /timeline_event/i.test(sql)).length).toBeLessThanOrEqual(4);
  });
});
