import request from 'supertest';
import type { Client } from 'graphql-ws';
import { ActorType, Priority, Role } from '../../src/schema/enums';
import type { Actor } from '../../src/shared/actor';
import { startTestApp, type GraphQLResult, type TestApp } from '../support/test-app';
import { closedOnce, connectedOnce, connectWs, Subscription, type CloseInfo } from './ws-client';

const system: Actor = { type: ActorType.SYSTEM, id: null, name: 'test setup' };

describe('bad input is refused with a clear error and nothing written', () => {
  let t: TestApp;
  let serviceId: string;
  let incidentId: string;

  beforeAll(async () => {
    t = await startTestApp();
    serviceId = (await t.app.services.catalog.createService({ name: 'SMS API', slug: 'sms-api' })).id;
    await t.app.services.catalog.createPerson({ name: 'Fay', email: 'fay@example.com' });
    incidentId = (await t.app.services.incidents.declare(system, { title: 'existing', serviceId, priority: Priority.P2 })).id;
  });
  afterAll(() => t.close());

  async function counts(): Promise<Record<string, number>> {
    const [row] = await t.app.db.query(`
      SELECT (SELECT count(*)::int FROM incident) AS incidents,
             (SELECT count(*)::int FROM timeline_event) AS timeline_events,
             (SELECT count(*)::int FROM service) AS services,
             (SELECT count(*)::int FROM person) AS people,
             (SELECT count(*)::int FROM status_update) AS status_updates,
             (SELECT count(*)::int FROM mitigation_step) AS mitigation_steps,
             (SELECT count(*)::int FROM task) AS tasks,
             (SELECT max(updated_at)::text FROM incident) AS incident_updated,
             (SELECT max(updated_at)::text FROM service) AS service_updated,
             (SELECT max(updated_at)::text FROM person) AS person_updated`);
    return row;
  }

  /** Sends the operation and checks that it failed with one of the expected errors and changed no row. */
  async function refused(query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<Record<string, unknown>>> {
    const before = await counts();
    const response = await t.gql(query, variables);
    expect(response.errors?.length).toBeGreaterThan(0);
    expect(response.data?.[Object.keys(response.data ?? {})[0]] ?? null).toBeNull();
    for (const error of response.errors ?? []) {
      expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
      expect(JSON.stringify(error)).not.toMatch(/stacktrace|node_modules|QueryFailedError/);
    }
    expect(await counts()).toEqual(before);
    return response;
  }

  const declare = `mutation($input: DeclareIncidentInput!) { declareIncident(input: $input) { incident { id } } }`;

  describe('GraphQL documents', () => {
    it('a parse error is 400 GRAPHQL_PARSE_FAILED', async () => {
      const response = await refused(`mutation { declareIncident(input: { title: "x" `);
      expect(response.status).toBe(400);
      expect(response.errors![0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    });

    it('an unknown field is 400 GRAPHQL_VALIDATION_FAILED naming it', async () => {
      const response = await refused(`{ incidents { edges { node { id severity } } } }`);
      expect(response.status).toBe(400);
      expect(response.errors![0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(response.errors![0].message).toContain('severity');
    });

    it('an unknown enum value in the document is GRAPHQL_VALIDATION_FAILED', async () => {
      const response = await refused(`mutation($s: ID!) { declareIncident(input: { title: "x", serviceId: $s, priority: P9 }) { incident { id } } }`, { s: serviceId });
      expect(response.status).toBe(400);
      expect(response.errors![0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(response.errors![0].message).toContain('P9');
    });

    it('an unknown enum value in a variable is BAD_USER_INPUT', async () => {
      const response = await refused(declare, { input: { title: 'x', serviceId, priority: 'P9' } });
      expect(response.status).toBe(400);
      expect(response.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors![0].message).toContain('P9');
    });

    it('a missing required input field in the document is GRAPHQL_VALIDATION_FAILED naming it', async () => {
      const response = await refused(`mutation($s: ID!) { declareIncident(input: { serviceId: $s, priority: P1 }) { incident { id } } }`, { s: serviceId });
      expect(response.status).toBe(400);
      expect(response.errors![0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(response.errors![0].message).toContain('title');
    });

    it('a missing required input field in a variable is BAD_USER_INPUT naming it', async () => {
      const response = await refused(declare, { input: { serviceId, priority: 'P1' } });
      expect(response.status).toBe(400);
      expect(response.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors![0].message).toContain('title');
    });

    it('a request without a query string is 400', async () => {
      const response = await request(t.url).post('/graphql').set('Authorization', `Bearer ${t.adminToken}`).send({ query: 5 });
      expect(response.status).toBe(400);
    });

    it('a body that is not JSON is 400', async () => {
      const before = await counts();
      const response = await request(t.url)
        .post('/graphql')
        .set('Authorization', `Bearer ${t.adminToken}`)
        .set('Content-Type', 'application/json')
        .send('{"query": "mutation {');
      expect(response.status).toBe(400);
      expect(await counts()).toEqual(before);
    });
  });

  describe('ids', () => {
    it.each([
      ['declareIncident serviceId', declare, { input: { title: 'x', serviceId: 'sms-api', priority: 'P1' } }, 'serviceId'],
      ['declareIncident ownerId', declare, { input: { title: 'x', serviceId: 'SERVICE', priority: 'P1', ownerId: 'fay' } }, 'ownerId'],
      ['acknowledgeIncident id', `mutation { acknowledgeIncident(input: { id: "42" }) { incident { id } } }`, {}, 'id'],
      ['resolveIncident id', `mutation { resolveIncident(input: { id: "not-a-uuid" }) { incident { id } } }`, {}, 'id'],
      ['updateIncident id', `mutation { updateIncident(input: { id: "x", title: "y" }) { incident { id } } }`, {}, 'id'],
      ['addTimelineNote incidentId', `mutation { addTimelineNote(input: { incidentId: "x", text: "y" }) { timelineEvent { id } } }`, {}, 'incidentId'],
      ['postStatusUpdate incidentId', `mutation { postStatusUpdate(input: { incidentId: "x", body: "y", audience: PUBLIC }) { statusUpdate { id } } }`, {}, 'incidentId'],
      ['addMitigationStep incidentId', `mutation { addMitigationStep(input: { incidentId: "x", description: "y" }) { mitigationStep { id } } }`, {}, 'incidentId'],
      ['updateMitigationStep id', `mutation { updateMitigationStep(input: { id: "x", status: EFFECTIVE }) { mitigationStep { id } } }`, {}, 'id'],
      ['timeline before', `query($id: ID!) { incident(id: $id) { timeline(first: 5, before: "x") { id } } }`, { id: 'INCIDENT' }, 'before'],
      ['incident id', `{ incident(id: "1") { id } }`, {}, 'id'],
      ['service id', `{ service(id: "sms-api") { id } }`, {}, 'id'],
      ['person id', `{ person(id: "fay") { id } }`, {}, 'id'],
      ['updateService ownerId', `mutation($s: ID!) { updateService(input: { id: $s, ownerId: "fay" }) { service { id } } }`, { s: 'SERVICE' }, 'ownerId'],
    ])('a non-UUID %s is BAD_USER_INPUT naming the field', async (_label, query, variables, field) => {
      const resolved = JSON.parse(JSON.stringify(variables).replace(/"SERVICE"/g, JSON.stringify(serviceId)).replace(/"INCIDENT"/g, JSON.stringify(incidentId)));
      const response = await refused(query, resolved);
      expect(response.errors).toHaveLength(1);
      expect(response.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    });

    it('an unknown but well-formed serviceId is BAD_USER_INPUT naming serviceId', async () => {
      const response = await refused(declare, { input: { title: 'x', serviceId: '00000000-0000-4000-8000-000000000000', priority: 'P1' } });
      expect(response.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'serviceId' });
    });

    it('an unknown incident is NOT_FOUND', async () => {
      const response = await refused(`mutation { acknowledgeIncident(input: { id: "00000000-0000-4000-8000-000000000000" }) { incident { id } } }`);
      expect(response.errors![0].extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('text', () => {
    it.each([
      ['empty', ''],
      ['blank', '   \n\t '],
      ['too long', 'x'.repeat(501)],
    ])('a %s title is BAD_USER_INPUT naming title', async (_label, title) => {
      const response = await refused(declare, { input: { title, serviceId, priority: 'P1' } });
      expect(response.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'title' });
    });

    it('a blank title on update is BAD_USER_INPUT and leaves the incident as it was', async () => {
      const response = await refused(`mutation($id: ID!) { updateIncident(input: { id: $id, title: " ", priority: P1 }) { incident { id } } }`, { id: incidentId });
      expect(response.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'title' });
      expect(await t.app.services.incidents.get(incidentId)).toMatchObject({ title: 'existing', priority: Priority.P2 });
    });

    it('an empty note is BAD_USER_INPUT naming text', async () => {
      const response = await refused(`mutation($id: ID!) { addTimelineNote(input: { incidentId: $id, text: "" }) { timelineEvent { id } } }`, { id: incidentId });
      expect(response.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'text' });
    });

    it('an oversized description is BAD_USER_INPUT naming description', async () => {
      const response = await refused(declare, { input: { title: 'x', description: 'd'.repeat(20001), serviceId, priority: 'P1' } });
      expect(response.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'description' });
    });

    it('text with a NUL character, which PostgreSQL cannot store, is BAD_USER_INPUT', async () => {
      const response = await refused(declare, { input: { title: 'disk\u0000full', serviceId, priority: 'P1' } });
      expect(response.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors![0].message).toContain('U+0000');
    });

    it('a temporary mitigation without a long-term fix is BAD_USER_INPUT naming longTermFix', async () => {
      const response = await refused(
        `mutation($id: ID!) { addMitigationStep(input: { incidentId: $id, description: "disable retries", temporary: true }) { mitigationStep { id } } }`,
        { id: incidentId },
      );
      expect(response.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'longTermFix' });
    });
  });

  describe('catalog', () => {
    const createService = `mutation($input: CreateServiceInput!) { createService(input: $input) { service { id } } }`;
    const createPerson = `mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { id } } }`;

    it('a duplicate service slug is CONFLICT', async () => {
      const response = await refused(createService, { input: { name: 'Another SMS API', slug: 'sms-api' } });
      expect(response.errors![0].extensions?.code).toBe('CONFLICT');
      expect(response.errors![0].message).toContain('sms-api');
    });

    it('renaming a service to a taken slug is CONFLICT', async () => {
      const other = await t.app.services.catalog.createService({ name: 'Voice', slug: 'voice' });
      const response = await refused(`mutation($id: ID!) { updateService(input: { id: $id, slug: "sms-api" }) { service { id } } }`, { id: other.id });
      expect(response.errors![0].extensions?.code).toBe('CONFLICT');
      expect((await t.app.services.catalog.getService(other.id)).slug).toBe('voice');
    });

    it.each(['SMS-API', 'sms api', '-sms', 'sms-', 'sms--api', 'sms_api', ''])('the slug %j is BAD_USER_INPUT naming slug', async (slug) => {
      const response = await refused(createService, { input: { name: 'Bad slug', slug } });
      expect(response.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'slug' });
    });

    it('a duplicate e-mail, in any case, is CONFLICT', async () => {
      const response = await refused(createPerson, { input: { name: 'Fay again', email: 'FAY@example.com' } });
      expect(response.errors![0].extensions?.code).toBe('CONFLICT');
    });

    it.each([
      ['email', { name: 'G', email: 'not-an-email' }],
      ['email', { name: 'G', email: 'g@example' }],
      ['phone', { name: 'G', email: 'g@example.com', phone: '912345678' }],
      ['phone', { name: 'G', email: 'g@example.com', phone: '+0123456789' }],
      ['phone', { name: 'G', email: 'g@example.com', phone: '+351 912 345 678' }],
      ['timeZone', { name: 'G', email: 'g@example.com', timeZone: 'Mars/Olympus_Mons' }],
      ['timeZone', { name: 'G', email: 'g@example.com', timeZone: 'GMT+25' }],
      ['name', { name: ' ', email: 'g@example.com' }],
    ])('a bad %s is BAD_USER_INPUT naming it (%j)', async (field, input) => {
      const response = await refused(createPerson, { input });
      expect(response.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    });

    it('a bad phone on update leaves the person as they were', async () => {
      const person = await t.app.services.catalog.createPerson({ name: 'Hal', email: 'hal@example.com', phone: '+351912345678' });
      const response = await refused(`mutation($id: ID!) { updatePerson(input: { id: $id, phone: "12" }) { person { id } } }`, { id: person.id });
      expect(response.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'phone' });
      expect((await t.app.services.catalog.getPerson(person.id)).phone).toBe('+351912345678');
    });
  });

  describe('request size', () => {
    it('a body over 1 MiB is 413 and nothing is written', async () => {
      const before = await counts();
      const response = await request(t.url)
        .post('/graphql')
        .set('Authorization', `Bearer ${t.adminToken}`)
        .send({ query: declare, variables: { input: { title: 'big', description: 'x'.repeat(1024 * 1024 + 1), serviceId, priority: 'P1' } } });
      expect(response.status).toBe(413);
      expect(JSON.stringify(response.body)).not.toMatch(/stack|node_modules/);
      expect(await counts()).toEqual(before);
    });

    it('a body just under the limit is read (and refused by validation, not by size)', async () => {
      const response = await refused(declare, { input: { title: 'big', description: 'x'.repeat(1000 * 1000), serviceId, priority: 'P1' } });
      expect(response.status).toBe(200);
      expect(response.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'description' });
    });
  });

  describe('query limits (GRAPHQL_MAX_DEPTH 10, GRAPHQL_MAX_COMPLEXITY 20000)', () => {
    const nested = (depth: number) => {
      let selection = 'leaf';
      for (let level = 1; level < depth; level += 1) selection = `f${level} { ${selection} }`;
      return `{ ${selection} }`;
    };

    it('the deepest query the schema allows (7) runs', async () => {
      const response = await t.gql(`{ incidents(first: 1) { edges { node { mitigationSteps { longTermFix { owner { name } } } } } } }`);
      expect(response.errors).toBeUndefined();
    });

    it('a query deeper than 10 is refused with QUERY_TOO_DEEP', async () => {
      const response = await refused(nested(11));
      expect(response.status).toBe(400);
      const deep = response.errors!.find((error) => error.extensions?.code === 'QUERY_TOO_DEEP');
      expect(deep?.message).toBe('query depth 11 exceeds the limit of 10');
    });

    it('depth through fragments counts too', async () => {
      const response = await refused(`query { ...A } fragment A on Query { a { ...B } } fragment B on Query { b { c { d { e { f { g { h { i { j { k } } } } } } } } } }`);
      expect(response.errors!.map((error) => error.extensions?.code)).toContain('QUERY_TOO_DEEP');
    });

    it('a query of depth 10 is not refused for depth', async () => {
      const response = await t.gql(nested(10));
      expect(response.errors!.map((error) => error.extensions?.code)).not.toContain('QUERY_TOO_DEEP');
    });

    it('a too-complex query is refused with QUERY_TOO_COMPLEX before anything runs', async () => {
      const response = await refused(`{
        incidents(first: 100) {
          totalCount
          edges { cursor node {
            id number title status priority stage openedAt
            service { id name slug owner { id name email } }
            owner { id name email phone }
            timeline(first: 200) { id kind at message data actor { type id name } }
          } }
        }
      }`);
      expect(response.status).toBe(400);
      expect(response.errors).toHaveLength(1);
      expect(response.errors![0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', maxComplexity: 20000 });
      expect((response.errors![0].extensions as { complexity: number }).complexity).toBeGreaterThan(20000);
    });

    it('a large but bounded listing is within the complexity budget', async () => {
      const response = await t.gql(`{ incidents(first: 100) { edges { node { id title service { name } timeline(first: 5) { kind } } } } }`);
      expect(response.errors).toBeUndefined();
    });
  });
});

describe('bad subscriptions over WebSocket', () => {
  let t: TestApp;
  let serviceId: string;
  let client: Client;
  let good: Subscription<{ incidentCreated: { id: string } }>;
  let closed: CloseInfo | null = null;

  const declare = async () => (await t.app.services.incidents.declare(system, { title: 'ws probe', serviceId, priority: Priority.P4 })).id;

  beforeAll(async () => {
    t = await startTestApp();
    serviceId = (await t.app.services.catalog.createService({ name: 'WS', slug: 'ws' })).id;
    client = connectWs(t, await t.tokenFor(Role.VIEWER));
    void closedOnce(client).then((info) => (closed = info));
    const connected = connectedOnce(client);
    good = new Subscription(client, `subscription { incidentCreated { id } }`);
    await connected;
    await good.untilLive(declare, (result, id) => result.data?.incidentCreated.id === id);
  });
  afterAll(async () => {
    await client.dispose();
    await t.close();
  });

  const aliases = Array.from({ length: 12 }, (_, i) => `t${i}: timeline(first: 200) { id kind at message data actor { type id name } }`).join(' ');

  it.each([
    ['a parse error', `subscription { incidentCreated { id `, undefined, undefined],
    ['an unknown field', `subscription { incidentCreated { severity } }`, undefined, 'GRAPHQL_VALIDATION_FAILED'],
    ['a bad enum variable', `subscription($f: IncidentSubscriptionFilter) { incidentUpdated(filter: $f) { id } }`, { f: { status: ['NOPE'] } }, 'BAD_USER_INPUT'],
    ['a missing required variable', `subscription($id: ID!) { timelineEventAdded(incidentId: $id) { id } }`, {}, 'BAD_USER_INPUT'],
    ['a too-deep subscription', `subscription { a { b { c { d { e { f { g { h { i { j { k } } } } } } } } } } }`, undefined, 'QUERY_TOO_DEEP'],
    ['a too-complex subscription', `subscription { incidentCreated { ${aliases} } }`, undefined, 'QUERY_TOO_COMPLEX'],
  ])('%s fails that subscription only; the connection and other subscriptions live on', async (_label, query, variables, code) => {
    const bad = new Subscription(client, query, variables);
    const errors = (await bad.ended()) as Array<{ message: string; extensions?: { code?: string } }>;
    expect(Array.isArray(errors)).toBe(true);
    expect(errors.length).toBeGreaterThan(0);
    if (code === 'GRAPHQL_VALIDATION_FAILED') expect(errors[0].message).toContain('severity');
    else if (code) expect(errors.map((error) => error.extensions?.code)).toContain(code);
    else expect(errors[0].message).toMatch(/Syntax Error/);
    expect(bad.received).toEqual([]);

    const id = await declare();
    expect(await good.next()).toEqual({ data: { incidentCreated: { id } }, extensions: { cursor: expect.stringMatching(/^\d+$/) } });
    expect(closed).toBeNull();
  });
});

describe('query depth with a lower configured limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { GRAPHQL_MAX_DEPTH: '5' } });
  });
  afterAll(() => t.close());

  it('refuses a valid schema query deeper than GRAPHQL_MAX_DEPTH with QUERY_TOO_DEEP only', async () => {
    const response = await t.gql(`{ incidents(first: 1) { edges { node { mitigationSteps { longTermFix { owner { name } } } } } } }`);
    expect(response.status).toBe(400);
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]).toMatchObject({ message: 'query depth 7 exceeds the limit of 5', extensions: { code: 'QUERY_TOO_DEEP' } });
  });

  it('allows a query at the limit', async () => {
    const response = await t.gql(`{ incidents(first: 1) { edges { node { service { name } } } } }`);
    expect(response.errors).toBeUndefined();
  });
});
