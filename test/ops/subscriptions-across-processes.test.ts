import { createClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { Subscription } from '../api/ws-client';
import { TcpProxy } from '../../scripts/support/tcp-proxy';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { ADMIN_TOKEN, alertmanagerGroup, killHard, must, postWebhook, startInstance, type Instance } from './support/instances';
import { killStarted } from './support/processes';

/**
 * Two server processes on one PostgreSQL: A reaches it through a proxy the test cuts for 10 s while B keeps
 * ingesting. A's subscriber must receive every alert B accepted, the ones from the cut included.
 */
jest.setTimeout(120_000);

const CUT_MS = 10_000;
type Received = { alertReceived: { fingerprint: string } };

describe('subscriptions across two server processes and a database cut', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let a: Instance;
  let b: Instance;
  let ws: WsClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = await TcpProxy.forDatabase(database.url);
    b = await startInstance(database.url, {});
    a = await startInstance(proxy.url(database.url), {});
  });
  afterAll(async () => {
    await ws?.dispose();
    await Promise.all([a, b].filter(Boolean).map(killHard));
    killStarted();
    await proxy.close();
    await database.drop();
  });

  it('replays to A’s subscriber everything B accepted while A was cut off from the database', async () => {
    const { createService } = await must<{ createService: { service: { id: string } } }>(b, `mutation { createService(input: { name: "Fleet", slug: "fleet" }) { service { id } } }`);
    const { createIntegration } = await must<{ createIntegration: { integration: { id: string }; secret: string } }>(
      b,
      `mutation($s: ID!) { createIntegration(input: { name: "prometheus", vendor: ALERTMANAGER, serviceId: $s }) { integration { id } secret } }`,
      { s: createService.service.id },
    );
    const integration = { integrationId: createIntegration.integration.id, secret: createIntegration.secret };
    const send = async (fingerprint: string) => {
      const response = await postWebhook(b, integration, alertmanagerGroup(`{}:{g="${fingerprint}"}`, [{ fingerprint, severity: 'warning', summary: fingerprint }]));
      expect(response.status).toBe(202);
      return fingerprint;
    };

    ws = createClient({ url: `${a.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${ADMIN_TOKEN}` }, retryAttempts: 0 });
    const subscription = new Subscription<Received>(ws, `subscription { alertReceived { fingerprint } }`);
    let probe = 0;
    await subscription.untilLive(() => send(`probe-${(probe += 1)}`), (result, marker) => result.data?.alertReceived.fingerprint === marker);

    proxy.cut();
    const accepted: string[] = [];
    const started = Date.now();
    for (let i = 0; Date.now() - started < CUT_MS; i += 1) {
      accepted.push(await send(`during-cut-${i}`));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    proxy.restore();
    accepted.push(await send('after-the-cut'));

    // Replayed and live events may interleave: wait for each accepted alert (a silent gap times out here).
    const missing = new Set(accepted);
    while (missing.size > 0) {
      const { data, errors } = await subscription.next(15_000);
      expect(errors).toBeUndefined();
      missing.delete(data!.alertReceived.fingerprint);
    }
    expect(accepted.length).toBeGreaterThan(20);
  });
});
