import { createClient, type Client as WsClient } from 'graphql-ws';
import { Client } from 'pg';
import WebSocket from 'ws';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { childEnv, graphql, killStarted, problemLines, servingUrl, startTs, type Started } from './support/processes';

/**
 * SIGTERM to a real server process (src/main.ts on a database of its own) while a webhook is in flight: the
 * delivery finishes and is answered 202 after its commit; meanwhile every new request is answered 503 with
 * Retry-After, /readyz is 503 so a load balancer stops sending, /healthz stays 200, a new WebSocket connection
 * is closed with 1001; then open WebSocket connections are closed with 1001 and the process exits 0.
 */
jest.setTimeout(120_000);

const TOKEN = `ib_${'d'.repeat(40)}`;
const GOING_AWAY = 1001;
const RETRY_AFTER_SECONDS = 7;

const trigger = (dedupKey: string) => JSON.stringify({ routing_key: 'r', dedup_key: dedupKey, event_action: 'trigger', payload: { summary: `${dedupKey} down`, source: 'db-1', severity: 'critical' } });

describe('SIGTERM drain', () => {
  let database: TestDatabase;
  let server: Started | undefined;
  const clients: Client[] = [];
  const sockets: WsClient[] = [];

  /** A graphql-ws connection that stays open; resolves with its close code once it closes. */
  function openSocket(url: string): { connected: Promise<void>; closed: Promise<number> } {
    const client = createClient({ url: url.replace(/^http/, 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${TOKEN}` }, lazy: false, retryAttempts: 0, onNonLazyError: () => undefined });
    sockets.push(client);
    return {
      connected: new Promise((resolve) => client.on('connected', () => resolve())),
      closed: new Promise((resolve) => client.on('closed', (event) => resolve((event as { code: number }).code))),
    };
  }
  /** A connection of the test's own, straight to the database. */
  async function connect(): Promise<Client> {
    const client = new Client({ connectionString: database.url });
    // Dropping the database at the end ends it too.
    client.on('error', () => undefined);
    clients.push(client);
    await client.connect();
    return client;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    killStarted();
    if (server) await server.exited;
    await Promise.all(sockets.map((socket) => socket.dispose()));
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
    await database.drop();
  });

  it('lets the delivery in flight commit and answer 202, answers new requests 503 with Retry-After, /readyz 503, /healthz 200, and exits 0', async () => {
    // NODE_ENV as in production: Apollo then installs SIGTERM handlers of its own unless told not to.
    server = startTs(
      'src/main.ts',
      { ...childEnv({ BOOTSTRAP_ADMIN_TOKEN: TOKEN, RETRY_AFTER_SECONDS: String(RETRY_AFTER_SECONDS), SHUTDOWN_GRACE_MS: '60000', JOBS_ENABLED: 'false' }), DATABASE_URL: database.url, NODE_ENV: 'production' },
    );
    const url = await servingUrl(server);
    const { createService } = await graphql<{ createService: { service: { id: string } } }>(url, TOKEN, 'mutation { createService(input: { name: "Drain", slug: "drain" }) { service { id } } }');
    const { createIntegration } = await graphql<{ createIntegration: { integration: { id: string }; secret: string } }>(
      url,
      TOKEN,
      'mutation($s: ID!) { createIntegration(input: { name: "drain", vendor: GENERIC, serviceId: $s }) { integration { id } secret } }',
      { s: createService.service.id },
    );
    const deliver = (dedupKey: string) =>
      fetch(`${url}/webhooks/${createIntegration.integration.id}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${createIntegration.secret}`, 'content-type': 'application/json' },
        body: trigger(dedupKey),
      });
    expect((await deliver('before')).status).toBe(202);
    const subscriber = openSocket(url);
    await subscriber.connected;

    // The test's own lock on the alert table holds the next delivery's transaction in flight.
    const lock = await connect();
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE alert IN EXCLUSIVE MODE');
    const inFlight = deliver('in-flight');
    // Outside the lock's transaction, whose view of pg_stat_activity would stay as it was at its first read.
    const watcher = await connect();
    for (;;) {
      const waiting = await watcher.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`);
      if (waiting.rowCount) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    process.kill(server.pid, 'SIGTERM');
    await server.line(/shutting down/);

    const refused = await deliver('after-sigterm');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
    expect(await refused.json()).toEqual({ error: expect.stringContaining('retry'), details: {} });
    const query = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ incidents(first: 1) { totalCount } }' }),
    });
    expect(query.status).toBe(503);
    expect(query.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
    expect(await query.json()).toEqual({ errors: [{ message: expect.stringContaining('retry'), extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
    const readiness = await fetch(`${url}/readyz`);
    expect(readiness.status).toBe(503);
    expect(readiness.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
    expect(await readiness.json()).toEqual({ status: 'draining' });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(await openSocket(url).closed).toBe(GOING_AWAY);

    await lock.query('COMMIT');
    const accepted = await inFlight;
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toMatchObject({ accepted: 1 });
    // Its client sends nothing more on that connection, which is about to close.
    expect(accepted.headers.get('connection')).toBe('close');
    expect(await subscriber.closed).toBe(GOING_AWAY);
    expect(await server.exited).toBe(0);
    expect(problemLines(server)).toEqual([]);

    const stored = await lock.query(`SELECT fingerprint, occurrences FROM alert ORDER BY fingerprint`);
    expect(stored.rows).toEqual([
      { fingerprint: 'before', occurrences: 1 },
      { fingerprint: 'in-flight', occurrences: 1 },
    ]);
  });
});
