import request from 'supertest';
import { startTestApp, untilReady, type TestApp } from '../support/test-app';

/**
 * Webhooks while the database cannot be reached, through a real TCP proxy between the server and PostgreSQL:
 * `refuse` drops every connection and refuses new ones, `blackhole` drops them and lets new ones hang, `freeze`
 * keeps them open and silent (a network partition). Every delivery is answered promptly with 503 and
 * Retry-After, and nothing answered 202 before is lost.
 */
const CONNECT_TIMEOUT_MS = 1000;
const STATEMENT_TIMEOUT_MS = 1000;
const RETRY_AFTER_SECONDS = 7;
/** A request may wait for a connection or a statement's reply once or twice (GuardedClient), never for ever. */
const ANSWER_BOUND_MS = 2 * (STATEMENT_TIMEOUT_MS + 2 * CONNECT_TIMEOUT_MS) + 1000;

const trigger = (dedupKey: string) => ({ routing_key: 'r', dedup_key: dedupKey, event_action: 'trigger', payload: { summary: `${dedupKey} down`, source: 'db-1', severity: 'critical' } });

describe('webhooks during a database outage', () => {
  let t: TestApp;
  let serviceId: string;

  beforeAll(async () => {
    t = await startTestApp({
      throughProxy: true,
      config: { DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS), DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS), RETRY_AFTER_SECONDS: String(RETRY_AFTER_SECONDS), JOBS_ENABLED: 'false' },
    });
    serviceId = (await t.app.services.catalog.createService({ name: 'Outage', slug: 'outage' })).id;
  });
  afterAll(() => t.close());
  afterEach(() => t.proxy!.restore());

  async function integration(name: string): Promise<{ id: string; secret: string }> {
    const created = await t.gql<{ createIntegration: { integration: { id: string }; secret: string } }>(
      `mutation($s: ID!) { createIntegration(input: { name: "${name}", vendor: GENERIC, serviceId: $s }) { integration { id } secret } }`,
      { s: serviceId },
    );
    expect(created.errors).toBeUndefined();
    return { id: created.data!.createIntegration.integration.id, secret: created.data!.createIntegration.secret };
  }

  /** Posts a delivery and fails the test if no answer comes within the bound. */
  const deliver = (hook: { id: string; secret: string }, dedupKey: string) =>
    request(t.url).post(`/webhooks/${hook.id}`).set('Authorization', `Bearer ${hook.secret}`).timeout(ANSWER_BOUND_MS).send(trigger(dedupKey));

  const stored = async (integrationId: string) =>
    (await t.app.db.query(`SELECT fingerprint, occurrences FROM alert WHERE integration_id = $1 ORDER BY fingerprint`, [integrationId])) as Array<{
      fingerprint: string;
      occurrences: number;
    }>;

  function expectUnavailable(response: request.Response): void {
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
    expect(response.body).toEqual({ error: expect.stringContaining('retry'), details: {} });
  }

  it.each(['refuse', 'blackhole', 'freeze'] as const)('cut (%s): deliveries get 503 with Retry-After promptly, /readyz is 503 until the database is back, nothing is lost', async (mode) => {
    const hook = await integration(`outage-${mode}`);
    // Known to the integration cache, and one the cache has never loaded (its lookup needs the database too).
    const uncached = await integration(`outage-${mode}-uncached`);
    expect((await deliver(hook, `${mode}-before`)).status).toBe(202);
    expect((await request(t.url).get('/readyz')).status).toBe(200);

    t.proxy!.cut(mode);
    expectUnavailable(await deliver(hook, `${mode}-during`));
    expectUnavailable(await deliver(uncached, `${mode}-uncached`));
    const notReady = await request(t.url).get('/readyz').timeout(ANSWER_BOUND_MS);
    expect(notReady.status).toBe(503);
    expect(notReady.headers['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
    // Whichever it notices first: the probe's own query failing, or the change listener's connection gone.
    expect(['database unreachable', 'reconnecting to change notifications']).toContain(notReady.body.status);
    // What this process counted itself is still scraped; what it would read from the database is NaN.
    const metrics = await request(t.url).get('/metrics').timeout(ANSWER_BOUND_MS);
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/incident_bridge_ingest_requests_total\{vendor="GENERIC",outcome="accepted"\} [1-9]/);
    expect(metrics.text).toMatch(/incident_bridge_outbox_backlog nan/i);

    t.proxy!.restore();
    await untilReady(t);
    // The senders retry what was refused: each is stored once, beside what was accepted before the cut.
    expect((await deliver(hook, `${mode}-during`)).status).toBe(202);
    expect((await deliver(uncached, `${mode}-uncached`)).status).toBe(202);
    expect(await stored(hook.id)).toEqual([
      { fingerprint: `${mode}-before`, occurrences: 1 },
      { fingerprint: `${mode}-during`, occurrences: 1 },
    ]);
    expect(await stored(uncached.id)).toEqual([{ fingerprint: `${mode}-uncached`, occurrences: 1 }]);
  });

  it('answers 503 with the configured Retry-After when the pool has no connection to give within the connect timeout', async () => {
    const hook = await integration('pool-exhausted');
    expect((await deliver(hook, 'pool-before')).status).toBe(202);
    // Every pooled connection held by a transaction of the test's own: the delivery's batch cannot get one.
    const runners = await Promise.all(Array.from({ length: 10 }, () => t.app.db.createQueryRunner()));
    try {
      await Promise.all(runners.map((runner) => runner.startTransaction()));
      expectUnavailable(await deliver(hook, 'pool-exhausted'));
    } finally {
      await Promise.all(runners.map(async (runner) => {
        await runner.rollbackTransaction();
        await runner.release();
      }));
    }
    expect((await deliver(hook, 'pool-exhausted')).status).toBe(202);
    expect(await stored(hook.id)).toEqual([
      { fingerprint: 'pool-before', occurrences: 1 },
      { fingerprint: 'pool-exhausted', occurrences: 1 },
    ]);
  });
});
