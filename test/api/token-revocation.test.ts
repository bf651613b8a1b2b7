import request from 'supertest';
import { ActorType, Priority, Role } from '../../src/schema/enums';
import type { Actor } from '../../src/shared/actor';
import { startTestApp, type TestApp } from '../support/test-app';
import { closedOnce, connectedOnce, connectWs, Subscription } from './ws-client';

const system: Actor = { type: ActorType.SYSTEM, id: null, name: 'test setup' };

describe('API tokens on open WebSocket connections', () => {
  let first: TestApp;
  let second: TestApp;
  let serviceId: string;
  let unique = 0;

  beforeAll(async () => {
    first = await startTestApp();
    second = await startTestApp({ sameDatabaseAs: first });
    serviceId = (await first.app.services.catalog.createService({ name: 'Messaging', slug: 'messaging' })).id;
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  const created: string[] = [];
  const freshIncident = async () => {
    const { id } = await first.app.services.incidents.declare(system, { title: `incident ${(unique += 1)}`, serviceId, priority: Priority.P3 });
    created.push(id);
    return id;
  };
  const receivedIds = (subscription: Subscription<{ incidentCreated: { id: string } }>) =>
    subscription.received.map((result) => result.data?.incidentCreated.id);

  /** A live incidentCreated subscription of `secret` on `on`, and a promise of its socket's close. */
  async function subscribed(on: TestApp, secret: string) {
    const client = connectWs(on, secret);
    const connected = connectedOnce(client);
    const closed = closedOnce(client);
    const subscription = new Subscription<{ incidentCreated: { id: string } }>(client, `subscription { incidentCreated { id } }`);
    await connected;
    await subscription.untilLive(freshIncident, (result, id) => result.data?.incidentCreated.id === id);
    return { client, closed, subscription };
  }

  it('closes the socket of a revoked VIEWER token (4403) on the instance that revoked it and on another', async () => {
    const { token, secret } = await first.app.services.tokens.create({ name: 'wallboard', role: Role.VIEWER });
    const here = await subscribed(first, secret);
    const there = await subscribed(second, secret);
    const createdBefore = [...created];

    const revoked = await first.gql(`mutation($id: ID!) { revokeApiToken(input: { id: $id }) { token { revokedAt } } }`, { id: token.id });
    expect(revoked.errors).toBeUndefined();

    expect(await here.closed).toEqual({ code: 4403, reason: 'API token revoked or expired' });
    expect(await there.closed).toEqual({ code: 4403, reason: 'API token revoked or expired' });
    // Liveness markers may still have been in flight; nothing created after the revocation arrives.
    await freshIncident();
    for (const { subscription } of [here, there]) {
      expect(await subscription.ended()).toMatchObject({ code: 4403 });
      for (const id of receivedIds(subscription)) expect(createdBefore).toContain(id);
    }

    const again = connectWs(second, secret);
    const refused = closedOnce(again);
    const attempt = new Subscription(again, `subscription { incidentCreated { id } }`);
    expect((await refused).code).toBe(4403);
    await attempt.ended();
    await Promise.all([here.client.dispose(), there.client.dispose(), again.dispose()]);
  });

  it('stops a revoked token at once on the instance that revoked it, even when its notification never comes back', async () => {
    const { token, secret } = await first.app.services.tokens.create({ name: 'cached', role: Role.VIEWER });
    expect((await first.gql(`{ me { role } }`, {}, secret)).status).toBe(200);
    // This instance's LISTEN connection drops (a database blip): it will not hear its own API_TOKEN_CHANGED.
    await first.app.db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'incident-bridge-listener' AND datname = current_database()`,
    );
    await first.app.services.tokens.revoke(token.id);
    const after = await first.gql(`{ me { role } }`, {}, secret);
    expect(after.status).toBe(401);
  });

  it('closes a socket whose token was revoked without a notification (the periodic re-check)', async () => {
    const { token, secret } = await first.app.services.tokens.create({ name: 'quiet revoke', role: Role.VIEWER });
    const open = await subscribed(second, secret);
    // As if the LISTEN connection had been down when it happened: no API_TOKEN_CHANGED reaches anyone.
    await first.app.db.query(`UPDATE api_token SET revoked_at = now() WHERE id = $1`, [token.id]);
    expect(await open.closed).toEqual({ code: 4403, reason: 'API token revoked or expired' });
    await open.client.dispose();
  });

  it('refuses a new operation on an open socket once its token is revoked', async () => {
    const { token, secret } = await first.app.services.tokens.create({ name: 'query runner', role: Role.VIEWER });
    const open = await subscribed(first, secret);
    const before = new Subscription<{ me: { role: string } }>(open.client, `{ me { role } }`);
    expect((await before.next()).data).toEqual({ me: { role: 'VIEWER' } });
    await first.app.services.tokens.revoke(token.id);
    const after = new Subscription(open.client, `{ me { role } }`);
    await after.ended();
    expect(after.received).toEqual([]);
    expect((await open.closed).code).toBe(4403);
    await open.client.dispose();
  });

  it('closes the socket when its token expires, and the token stops working over HTTP', async () => {
    const expiresAt = new Date(Date.now() + 1500);
    const { secret } = await first.app.services.tokens.create({ name: 'short lived', role: Role.VIEWER, expiresAt });
    const open = await subscribed(first, secret);
    expect(await open.closed).toEqual({ code: 4403, reason: 'API token expired' });
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt.getTime());
    const overHttp = await first.gql(`{ me { role } }`, {}, secret);
    expect(overHttp.status).toBe(401);
    expect(overHttp.errors?.[0].message).toBe('the API token is unknown, revoked or expired');
    await open.client.dispose();
  });

  it('closes the sockets of a token whose role changed; reconnecting gets the new role', async () => {
    const { token, secret } = await first.app.services.tokens.create({ name: 'promoted', role: Role.VIEWER });
    const open = await subscribed(second, secret);
    const changed = await first.gql<{ updateApiToken: { token: { role: string; updatedAt: string } } }>(
      `mutation($id: ID!) { updateApiToken(input: { id: $id, role: RESPONDER }) { token { role updatedAt } } }`,
      { id: token.id },
    );
    expect(changed.errors).toBeUndefined();
    expect(changed.data!.updateApiToken.token.role).toBe('RESPONDER');
    expect(await open.closed).toEqual({ code: 4403, reason: 'API token role changed to RESPONDER; reconnect' });

    const client = connectWs(second, secret);
    const me = new Subscription<{ me: { role: string } }>(client, `{ me { role } }`);
    expect((await me.next()).data).toEqual({ me: { role: 'RESPONDER' } });
    await Promise.all([open.client.dispose(), client.dispose()]);
  });

  it('refuses an expiry in the past and expiry with clearExpiry, naming the field', async () => {
    const past = await first.gql(`mutation { createApiToken(input: { name: "late", role: VIEWER, expiresAt: "2020-01-01T00:00:00Z" }) { secret } }`);
    expect(past.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'expiresAt' });
    const { token } = await first.app.services.tokens.create({ name: 'both', role: Role.VIEWER });
    const both = await first.gql(`mutation($id: ID!) { updateApiToken(input: { id: $id, expiresAt: "2099-01-01T00:00:00Z", clearExpiry: true }) { token { id } } }`, {
      id: token.id,
    });
    expect(both.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'clearExpiry' });
  });
});

describe('the last admin token', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const adminTokenIds = async (): Promise<string[]> =>
    (await t.app.db.query(`SELECT id FROM api_token WHERE role = 'ADMIN' AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()) ORDER BY created_at`)).map((row: { id: string }) => row.id);

  it('cannot be revoked or demoted (CONFLICT), and nothing changes', async () => {
    const [only] = await adminTokenIds();
    const revoke = await t.gql(`mutation($id: ID!) { revokeApiToken(input: { id: $id }) { token { id } } }`, { id: only });
    expect(revoke.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(revoke.errors?.[0].message).toMatch(/last ADMIN token that never expires/);
    const demote = await t.gql(`mutation($id: ID!) { updateApiToken(input: { id: $id, role: VIEWER }) { token { id } } }`, { id: only });
    expect(demote.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(await adminTokenIds()).toEqual([only]);
    expect((await t.gql(`{ me { role } }`)).data).toEqual({ me: { role: 'ADMIN' } });
  });

  it('cannot be given an expiry, nor revoked while only expiring admin tokens would remain', async () => {
    const [only] = await adminTokenIds();
    const expiring = await t.app.services.tokens.create({ name: 'expiring admin', role: Role.ADMIN, expiresAt: new Date(Date.now() + 3_600_000) });
    const expire = await t.gql(`mutation($id: ID!, $at: DateTime!) { updateApiToken(input: { id: $id, expiresAt: $at }) { token { id } } }`, {
      id: only,
      at: new Date(Date.now() + 2000).toISOString(),
    });
    expect(expire.errors?.[0].extensions?.code).toBe('CONFLICT');
    const revoke = await t.gql(`mutation($id: ID!) { revokeApiToken(input: { id: $id }) { token { id } } }`, { id: only });
    expect(revoke.errors?.[0].extensions?.code).toBe('CONFLICT');
    // The expiring one may go: a token that never expires remains.
    expect((await t.gql(`mutation($id: ID!) { revokeApiToken(input: { id: $id }) { token { id } } }`, { id: expiring.token.id })).errors).toBeUndefined();
  });

  it('does not count an expired admin token as one that remains', async () => {
    const expiring = await t.app.services.tokens.create({ name: 'expiring admin', role: Role.ADMIN, expiresAt: new Date(Date.now() + 300) });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const [only] = await adminTokenIds();
    expect(only).not.toBe(expiring.token.id);
    const revoke = await t.gql(`mutation($id: ID!) { revokeApiToken(input: { id: $id }) { token { id } } }`, { id: only });
    expect(revoke.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('is recovered by starting with a new BOOTSTRAP_ADMIN_TOKEN when every admin token is lost', async () => {
    const recovery = await t.app.services.tokens.create({ name: 'to be lost', role: Role.ADMIN });
    await t.app.db.query(`UPDATE api_token SET revoked_at = now() WHERE role = 'ADMIN' AND id <> $1`, [recovery.token.id]);
    await t.app.db.query(`UPDATE api_token SET revoked_at = now() WHERE id = $1`, [recovery.token.id]);
    expect(await adminTokenIds()).toEqual([]);
    const secret = 'recovered-admin-secret-0123456789';
    expect(await t.app.services.tokens.bootstrapAdmin(secret)).toBe(secret);
    expect((await t.gql(`{ me { role name } }`, {}, secret)).data).toEqual({ me: { role: 'ADMIN', name: 'bootstrap admin' } });
    expect(await t.app.services.tokens.bootstrapAdmin(secret)).toBeNull();
    await t.app.services.tokens.create({ name: 'second admin', role: Role.ADMIN });
  });

  it('of two admins revoking each other at the same moment, exactly one succeeds', async () => {
    const [firstId, secondId] = await adminTokenIds();
    const results = await Promise.allSettled([t.app.services.tokens.revoke(firstId), t.app.services.tokens.revoke(secondId)]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(refused?.reason).toMatchObject({ code: 'CONFLICT' });
    expect(await adminTokenIds()).toHaveLength(1);
  });
});

describe('failed authentications per client address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { AUTH_FAILURE_LIMIT: '5', AUTH_FAILURE_WINDOW_SECONDS: '600' } });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After on /graphql once an address used up its failures, even for a good token, and refuses its WebSocket connections (4429)', async () => {
    for (let guess = 0; guess < 5; guess += 1) {
      expect((await t.gql(`{ me { role } }`, {}, `ib_guess${guess}xxxxxxxxxxxxxxxxxxxxxxxx`)).status).toBe(401);
    }
    const blocked = await request(t.url).post('/graphql').set('Authorization', `Bearer ${t.adminToken}`).send({ query: '{ me { role } }' });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.body.errors[0].extensions).toMatchObject({ code: 'TOO_MANY_AUTH_FAILURES' });

    const client = connectWs(t, t.adminToken);
    const closed = closedOnce(client);
    const refused = new Subscription(client, `{ me { role } }`);
    expect((await closed).code).toBe(4429);
    await refused.ended();
    await client.dispose();
  });
});
