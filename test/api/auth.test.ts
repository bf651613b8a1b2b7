import request from 'supertest';
import { ActorType, Priority, Resolution, Role } from '../../src/schema/enums';
import type { Actor } from '../../src/shared/actor';
import { startTestApp, type TestApp } from '../support/test-app';
import { closedOnce, connectedOnce, connectWs, Subscription } from './ws-client';

const system: Actor = { type: ActorType.SYSTEM, id: null, name: 'test setup' };
const ROLES = [Role.VIEWER, Role.RESPONDER, Role.ANALYST, Role.ADMIN];
const RANK: Record<Role, number> = { VIEWER: 0, RESPONDER: 1, ANALYST: 2, ADMIN: 3 };

interface Operation {
  name: string;
  minRole: Role;
  writes: boolean;
  query: string;
  /** Builds fresh variables (a new incident, step, token…) so every case starts from the same state. */
  variables: () => Promise<Record<string, unknown>>;
}

describe('authentication and authorisation', () => {
  let t: TestApp;
  let serviceId: string;
  let personId: string;
  let unique = 0;
  const next = () => `${Date.now().toString(36)}-${(unique += 1)}`;
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    t = await startTestApp();
    serviceId = (await t.app.services.catalog.createService({ name: 'Messaging', slug: 'messaging' })).id;
    personId = (await t.app.services.catalog.createPerson({ name: 'Dana', email: 'dana@example.com' })).id;
    for (const role of ROLES) tokens[role] = await t.tokenFor(role);
  });
  afterAll(() => t.close());

  const freshIncident = async () =>
    (await t.app.services.incidents.declare(system, { title: `incident ${next()}`, serviceId, priority: Priority.P3 })).id;

  /** Row counts and a digest of every mutable column the API can change (api_token.last_used_at excluded). */
  async function snapshot(): Promise<Record<string, unknown>> {
    const [row] = await t.app.db.query(`
      SELECT
        (SELECT count(*)::int FROM incident) AS incidents,
        (SELECT count(*)::int FROM timeline_event) AS timeline_events,
        (SELECT count(*)::int FROM status_update) AS status_updates,
        (SELECT count(*)::int FROM mitigation_step) AS mitigation_steps,
        (SELECT count(*)::int FROM task) AS tasks,
        (SELECT count(*)::int FROM service) AS services,
        (SELECT count(*)::int FROM person) AS people,
        (SELECT count(*)::int FROM api_token) AS api_tokens,
        (SELECT md5(coalesce(string_agg(concat_ws('|', id, status, title, priority, resolution, updated_at), ',' ORDER BY id), '')) FROM incident) AS incident_digest,
        (SELECT md5(coalesce(string_agg(concat_ws('|', id, status, updated_at), ',' ORDER BY id), '')) FROM mitigation_step) AS step_digest,
        (SELECT md5(coalesce(string_agg(concat_ws('|', id, name, slug, updated_at), ',' ORDER BY id), '')) FROM service) AS service_digest,
        (SELECT md5(coalesce(string_agg(concat_ws('|', id, name, email, updated_at), ',' ORDER BY id), '')) FROM person) AS person_digest,
        (SELECT md5(coalesce(string_agg(concat_ws('|', id, revoked_at), ',' ORDER BY id), '')) FROM api_token) AS token_digest
    `);
    return row;
  }

  const OPERATIONS: Operation[] = [
    { name: 'me', minRole: Role.VIEWER, writes: false, query: `{ me { role } }`, variables: async () => ({}) },
    { name: 'incidents', minRole: Role.VIEWER, writes: false, query: `{ incidents(first: 5) { totalCount edges { node { id } } } }`, variables: async () => ({}) },
    { name: 'incident', minRole: Role.VIEWER, writes: false, query: `query($id: ID!) { incident(id: $id) { id title } }`, variables: async () => ({ id: await freshIncident() }) },
    { name: 'services', minRole: Role.VIEWER, writes: false, query: `{ services(first: 5) { totalCount edges { node { id slug } } } }`, variables: async () => ({}) },
    { name: 'service', minRole: Role.VIEWER, writes: false, query: `query($id: ID!) { service(id: $id) { slug } }`, variables: async () => ({ id: serviceId }) },
    { name: 'people', minRole: Role.VIEWER, writes: false, query: `{ people(first: 5) { totalCount edges { node { id email } } } }`, variables: async () => ({}) },
    { name: 'person', minRole: Role.VIEWER, writes: false, query: `query($id: ID!) { person(id: $id) { email } }`, variables: async () => ({ id: personId }) },
    {
      name: 'declareIncident',
      minRole: Role.RESPONDER,
      writes: true,
      query: `mutation($s: ID!) { declareIncident(input: { title: "declared over the API", serviceId: $s, priority: P2 }) { incident { id } } }`,
      variables: async () => ({ s: serviceId }),
    },
    {
      name: 'acknowledgeIncident',
      minRole: Role.RESPONDER,
      writes: true,
      query: `mutation($id: ID!) { acknowledgeIncident(input: { id: $id }) { incident { status } } }`,
      variables: async () => ({ id: await freshIncident() }),
    },
    {
      name: 'mitigateIncident',
      minRole: Role.RESPONDER,
      writes: true,
      query: `mutation($id: ID!) { mitigateIncident(input: { id: $id }) { incident { status } } }`,
      variables: async () => ({ id: await freshIncident() }),
    },
    {
      name: 'resolveIncident',
      minRole: Role.RESPONDER,
      writes: true,
      query: `mutation($id: ID!) { resolveIncident(input: { id: $id, resolution: FALSE_POSITIVE }) { incident { status resolution } } }`,
      variables: async () => ({ id: await freshIncident() }),
    },
    {
      name: 'markIncidentReviewed',
      minRole: Role.RESPONDER,
      writes: true,
      query: `mutation($id: ID!) { markIncidentReviewed(input: { id: $id }) { incident { status } } }`,
      variables: async () => {
        const id = await freshIncident();
        // A false positive has no IRF: markIncidentReviewed is how such an incident is reviewed.
        await t.app.services.incidents.resolve(system, id, Resolution.FALSE_POSITIVE);
        return { id };
      },
    },
    {
      name: 'updateIncident',
      minRole: Role.RESPONDER,
      writes: true,
      query: `mutation($id: ID!) { updateIncident(input: { id: $id, title: "renamed", priority: P1 }) { incident { title priority } } }`,
      variables: async () => ({ id: await freshIncident() }),
    },
    {
      name: 'addTimelineNote',
      minRole: Role.RESPONDER,
      writes: true,
      query: `mutation($id: ID!) { addTimelineNote(input: { incidentId: $id, text: "looking into it" }) { timelineEvent { kind } } }`,
      variables: async () => ({ id: await freshIncident() }),
    },
    {
      name: 'postStatusUpdate',
      minRole: Role.RESPONDER,
      writes: true,
      query: `mutation($id: ID!) { postStatusUpdate(input: { incidentId: $id, body: "we are on it", audience: PUBLIC }) { statusUpdate { id } } }`,
      variables: async () => ({ id: await freshIncident() }),
    },
    {
      name: 'addMitigationStep',
      minRole: Role.RESPONDER,
      writes: true,
      query: `mutation($id: ID!) { addMitigationStep(input: { incidentId: $id, description: "fail over to DC2" }) { mitigationStep { id } } }`,
      variables: async () => ({ id: await freshIncident() }),
    },
    {
      name: 'updateMitigationStep',
      minRole: Role.RESPONDER,
      writes: true,
      query: `mutation($id: ID!) { updateMitigationStep(input: { id: $id, status: IN_PROGRESS }) { mitigationStep { status } } }`,
      variables: async () => {
        const step = await t.app.services.mitigations.add(system, { incidentId: await freshIncident(), description: 'restart workers' });
        return { id: step.id };
      },
    },
    {
      name: 'createService',
      minRole: Role.ADMIN,
      writes: true,
      query: `mutation($slug: String!) { createService(input: { name: "New service", slug: $slug }) { service { id } } }`,
      variables: async () => ({ slug: `svc-${next()}` }),
    },
    {
      name: 'updateService',
      minRole: Role.ADMIN,
      writes: true,
      query: `mutation($id: ID!, $name: String!) { updateService(input: { id: $id, name: $name }) { service { name } } }`,
      variables: async () => ({ id: serviceId, name: `Messaging ${next()}` }),
    },
    {
      name: 'createPerson',
      minRole: Role.ADMIN,
      writes: true,
      query: `mutation($email: String!) { createPerson(input: { name: "Eve", email: $email }) { person { id } } }`,
      variables: async () => ({ email: `eve-${next()}@example.com` }),
    },
    {
      name: 'updatePerson',
      minRole: Role.ADMIN,
      writes: true,
      query: `mutation($id: ID!, $name: String!) { updatePerson(input: { id: $id, name: $name }) { person { name } } }`,
      variables: async () => ({ id: personId, name: `Dana ${next()}` }),
    },
    {
      name: 'createApiToken',
      minRole: Role.ADMIN,
      writes: true,
      query: `mutation { createApiToken(input: { name: "ci", role: VIEWER }) { secret token { id } } }`,
      variables: async () => ({}),
    },
    {
      name: 'revokeApiToken',
      minRole: Role.ADMIN,
      writes: true,
      query: `mutation($id: ID!) { revokeApiToken(input: { id: $id }) { token { revokedAt } } }`,
      variables: async () => ({ id: (await t.app.services.tokens.create({ name: `victim ${next()}`, role: Role.VIEWER })).token.id }),
    },
    { name: 'apiTokens', minRole: Role.ADMIN, writes: false, query: `{ apiTokens { id } }`, variables: async () => ({}) },
  ];

  it('names only real operations, and every foundation query and mutation', async () => {
    const schema = await t.gql<{ __schema: { queryType: { fields: Array<{ name: string }> }; mutationType: { fields: Array<{ name: string }> } } }>(
      `{ __schema { queryType { fields { name } } mutationType { fields { name } } } }`,
    );
    const names = [...schema.data!.__schema.queryType.fields, ...schema.data!.__schema.mutationType.fields].map((field) => field.name).sort();
    const covered = OPERATIONS.map((operation) => operation.name);
    // The foundation's own operations, each tried with every role here; that every operation of the schema
    // declares a role at all is root-field-roles.test.ts's business.
    expect(names).toEqual(expect.arrayContaining(covered));
    expect(new Set(covered).size).toBe(covered.length);
  });

  const CASES = ROLES.flatMap((role) => OPERATIONS.map((operation) => ({ role, operation, allowed: RANK[role] >= RANK[operation.minRole] })));

  describe.each(CASES)('$role → $operation.name', ({ role, operation, allowed }) => {
    if (allowed) {
      it(`is allowed (needs ${operation.minRole})`, async () => {
        const variables = await operation.variables();
        const before = await snapshot();
        const response = await t.gql(operation.query, variables, tokens[role]);
        expect(response.errors).toBeUndefined();
        expect(response.status).toBe(200);
        expect(response.data?.[operation.name]).toBeTruthy();
        if (operation.writes) expect(await snapshot()).not.toEqual(before);
        else expect(await snapshot()).toEqual(before);
      });
    } else {
      it(`is FORBIDDEN with nothing written (needs ${operation.minRole})`, async () => {
        const variables = await operation.variables();
        const before = await snapshot();
        const response = await t.gql(operation.query, variables, tokens[role]);
        expect(response.data ?? null).toBeNull();
        expect(response.errors).toHaveLength(1);
        expect(response.errors![0].extensions?.code).toBe('FORBIDDEN');
        expect(response.errors![0].message).toContain(operation.minRole);
        expect(await snapshot()).toEqual(before);
      });
    }
  });

  it.each(ROLES)('me returns the %s role of the calling token', async (role) => {
    const response = await t.gql<{ me: { role: string; name: string; tokenId: string } }>(`{ me { role name tokenId } }`, {}, tokens[role]);
    expect(response.data?.me).toMatchObject({ role, name: `${role.toLowerCase()} token` });
    expect(response.data?.me.tokenId).toMatch(/^[0-9a-f-]{36}$/);
  });

  describe('without a valid token', () => {
    const declare = `mutation($s: ID!) { declareIncident(input: { title: "anonymous", serviceId: $s, priority: P1 }) { incident { id } } }`;

    async function post(authorization: string | undefined) {
      const call = request(t.url).post('/graphql').set('Content-Type', 'application/json');
      if (authorization !== undefined) call.set('Authorization', authorization);
      return call.send({ query: declare, variables: { s: serviceId } });
    }

    it.each([
      ['no Authorization header', undefined],
      ['an empty header', ''],
      ['a non-bearer scheme', 'Basic dXNlcjpwYXNz'],
      ['"Bearer" without a token', 'Bearer'],
      ['a bearer with two parts', 'Bearer abc def'],
      ['an unknown token', 'Bearer ib_thisTokenWasNeverIssuedToAnyone0000000000'],
    ])('%s is UNAUTHENTICATED (401) and writes nothing', async (_label, authorization) => {
      const before = await snapshot();
      const response = await post(authorization);
      expect(response.status).toBe(401);
      expect(response.body.data ?? null).toBeNull();
      expect(response.body.errors).toHaveLength(1);
      expect(response.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(JSON.stringify(response.body)).not.toMatch(/stack|at \//);
      expect(await snapshot()).toEqual(before);
    });

    it('also refuses plain queries', async () => {
      const response = await request(t.url).post('/graphql').send({ query: '{ services { id } }' });
      expect(response.status).toBe(401);
      expect(response.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    });

    it('accepts the bearer scheme case-insensitively', async () => {
      const response = await request(t.url).post('/graphql').set('Authorization', `bearer ${tokens.VIEWER}`).send({ query: '{ me { role } }' });
      expect(response.status).toBe(200);
      expect(response.body.data).toEqual({ me: { role: 'VIEWER' } });
    });
  });

  describe('API tokens', () => {
    it('returns the secret once, stores only its hash, never lists it, and rejects it after revocation', async () => {
      const created = await t.gql<{ createApiToken: { secret: string; token: { id: string; name: string; role: string; revokedAt: string | null } } }>(
        `mutation { createApiToken(input: { name: "dashboard", role: RESPONDER }) { secret token { id name role revokedAt } } }`,
      );
      expect(created.errors).toBeUndefined();
      const { secret, token } = created.data!.createApiToken;
      expect(secret).toMatch(/^ib_[A-Za-z0-9_-]{40,}$/);
      expect(token).toMatchObject({ name: 'dashboard', role: 'RESPONDER', revokedAt: null });

      const stored: Array<{ secret_hash: string }> = await t.app.db.query('SELECT secret_hash FROM api_token WHERE id = $1', [token.id]);
      expect(stored[0].secret_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(stored[0].secret_hash).not.toContain(secret);

      const listed = await t.gql<{ apiTokens: Array<{ id: string }> }>(`{ apiTokens { id name role createdAt lastUsedAt revokedAt } }`);
      expect(listed.errors).toBeUndefined();
      expect(listed.data!.apiTokens.map((row) => row.id)).toContain(token.id);
      const listing = JSON.stringify(listed.data);
      expect(listing).not.toContain(secret);
      expect(listing).not.toContain(stored[0].secret_hash);

      for (const field of ['secret', 'secretHash']) {
        const probe = await t.gql(`{ apiTokens { ${field} } }`);
        expect(probe.status).toBe(400);
        expect(probe.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      }

      const me = await t.gql(`{ me { role name } }`, {}, secret);
      expect(me.data).toEqual({ me: { role: 'RESPONDER', name: 'dashboard' } });

      const revoked = await t.gql<{ revokeApiToken: { token: { id: string; revokedAt: string | null } } }>(
        `mutation($id: ID!) { revokeApiToken(input: { id: $id }) { token { id revokedAt } } }`,
        { id: token.id },
      );
      expect(revoked.errors).toBeUndefined();
      expect(revoked.data!.revokeApiToken.token.revokedAt).toEqual(expect.any(String));

      const after = await t.gql(`{ me { role } }`, {}, secret);
      expect(after.status).toBe(401);
      expect(after.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

      const again = await t.gql(`mutation($id: ID!) { revokeApiToken(input: { id: $id }) { token { id } } }`, { id: token.id });
      expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
    });

    it('refuses to revoke an unknown token (NOT_FOUND) or a malformed id (BAD_USER_INPUT)', async () => {
      const unknown = await t.gql(`mutation { revokeApiToken(input: { id: "00000000-0000-4000-8000-000000000000" }) { token { id } } }`);
      expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      const malformed = await t.gql(`mutation { revokeApiToken(input: { id: "nope" }) { token { id } } }`);
      expect(malformed.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });
    });
  });

  describe('WebSocket', () => {
    it.each([
      ['no token', undefined],
      ['an unknown token', 'ib_thisTokenWasNeverIssuedToAnyone0000000000'],
    ])('with %s is closed with 4403 and the subscription errors', async (_label, token) => {
      const client = connectWs(t, token);
      const closed = closedOnce(client);
      const subscription = new Subscription(client, `subscription { incidentCreated { id } }`);
      expect(await closed).toMatchObject({ code: 4403 });
      const error = (await subscription.ended()) as { code?: number } | undefined;
      expect(error?.code).toBe(4403);
      expect(subscription.received).toEqual([]);
      await client.dispose();
    });

    it('with a revoked token is closed with 4403', async () => {
      const { token, secret } = await t.app.services.tokens.create({ name: 'soon revoked', role: Role.ADMIN });
      await t.app.services.tokens.revoke(token.id);
      const client = connectWs(t, secret);
      const closed = closedOnce(client);
      const subscription = new Subscription(client, `subscription { incidentCreated { id } }`);
      expect((await closed).code).toBe(4403);
      await subscription.ended();
      await client.dispose();
    });

    it('with a VIEWER token connects and receives events', async () => {
      const client = connectWs(t, tokens.VIEWER);
      const connected = connectedOnce(client);
      const subscription = new Subscription<{ incidentCreated: { id: string; title: string } }>(client, `subscription { incidentCreated { id title } }`);
      await connected;
      await subscription.untilLive(freshIncident, (result, id) => result.data?.incidentCreated.id === id);
      const id = await freshIncident();
      const result = await subscription.next();
      expect(result.errors).toBeUndefined();
      expect(result.data?.incidentCreated.id).toBe(id);
      subscription.close();
      await client.dispose();
    });
  });
});
