import { ActorType, Priority, Role } from '../../src/schema/enums';
import { RotationUnit } from '../../src/schema/schedule.entity';
import type { Actor } from '../../src/shared/actor';
import { startTestApp, type TestApp } from '../support/test-app';

const system: Actor = { type: ActorType.SYSTEM, id: null, name: 'test setup' };

/**
 * An operation runs interpreted (graphql-js) the first time and compiled (graphql-jit) from the second time on: the
 * answers must not differ, for data, errors, nulls bubbling up, variables, fragments, aliases and directives alike.
 */
describe('compiled execution answers as interpreted execution does', () => {
  let t: TestApp;
  let incidentId: string;
  let scheduleId: string;
  let viewer: string;

  beforeAll(async () => {
    t = await startTestApp({ config: { JOBS_ENABLED: 'false' } });
    const owner = await t.app.services.catalog.createPerson({ name: 'Rafael', email: 'rafael@example.com' });
    const service = await t.app.services.catalog.createService({ name: 'SMS API', slug: 'sms-api', ownerId: owner.id });
    for (let index = 0; index < 12; index += 1) {
      const incident = await t.app.services.incidents.declare(system, { title: `incident ${index}`, serviceId: service.id, priority: index % 2 ? Priority.P2 : Priority.P4 });
      await t.app.services.incidents.addNote(system, incident.id, `note ${index}`);
      incidentId = incident.id;
    }
    await t.app.services.incidents.update(system, incidentId, { ownerId: owner.id });
    const schedule = await t.app.services.schedules.create({
      name: 'Primary',
      timeZone: 'Europe/Lisbon',
      layers: [{ name: 'week', rotation: { unit: RotationUnit.WEEKS, length: 1 }, start: '2026-03-02T09:00', participants: [owner.id] }],
    });
    scheduleId = schedule.id;
    viewer = await t.tokenFor(Role.VIEWER);
  });
  afterAll(() => t.close());

  const OPERATIONS: Array<[string, () => { query: string; variables?: Record<string, unknown>; token?: string }]> = [
    [
      'a list with fragments, aliases, variables and directives',
      () => ({
        query: `query List($first: Int, $withTimeline: Boolean!) {
          incidents(first: $first) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ...Row } } }
          firstTwo: incidents(first: 2) { edges { node { number } } }
        }
        fragment Row on Incident { id number title status priority stage openedAt service { slug name } owner { name }
          timeline(first: 3) @include(if: $withTimeline) { kind message actor { type name } } }`,
        variables: { first: 10, withTimeline: true },
      }),
    ],
    ['one incident in detail', () => ({ query: `query($id: ID!) { incident(id: $id) { id title owner { email } timeline(first: 20) { kind at } alerts(first: 5) { totalCount } statusUpdates { id } mitigationSteps { id } escalation { state } } }`, variables: { id: incidentId } })],
    ['an unknown incident (NOT_FOUND, null data)', () => ({ query: `{ incident(id: "00000000-0000-0000-0000-000000000000") { id title } }` })],
    ['a malformed id (BAD_USER_INPUT naming it)', () => ({ query: `{ incident(id: "nope") { id } }` })],
    ['a non-null error inside a list next to good data', () => ({ query: `query($id: ID!) { ok: incident(id: $id) { number } missing: incident(number: 999999) { number } }`, variables: { id: incidentId } })],
    ['on call now and a week of shifts', () => ({ query: `query($s: ID!) { whoIsOnCall(scheduleId: $s, at: "2026-03-10T12:00:00Z") { name } shifts(scheduleId: $s, from: "2026-03-09T00:00:00Z", to: "2026-03-16T00:00:00Z") { shifts { start end person { name } } gaps { start end } } }`, variables: { s: scheduleId } })],
    ['a field the role may not read (FORBIDDEN)', () => ({ query: `{ apiTokens { id } }`, token: viewer })],
    ['__typename and introspection', () => ({ query: `{ __typename __type(name: "Incident") { name fields { name } } }` })],
  ];

  it.each(OPERATIONS)('%s', async (_name, operation) => {
    const { query, variables, token } = operation();
    const interpreted = await t.gql(query, variables, token);
    const compiled = await t.gql(query, variables, token);
    const again = await t.gql(query, variables, token);
    expect(compiled).toEqual(interpreted);
    expect(again).toEqual(interpreted);
  });

  it('runs a mutation compiled as it ran interpreted', async () => {
    const mutation = `mutation($id: ID!, $text: String!) { addTimelineNote(input: { incidentId: $id, text: $text }) { timelineEvent { kind message actor { type } } } }`;
    const first = await t.gql(mutation, { id: incidentId, text: 'same note' });
    const second = await t.gql(mutation, { id: incidentId, text: 'same note' });
    expect(first.errors).toBeUndefined();
    expect(second).toEqual(first);
  });
});
