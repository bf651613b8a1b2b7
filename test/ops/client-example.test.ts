import { startTestApp, type TestApp } from '../support/test-app';
import { killStarted, startTs } from './support/processes';

/** scripts/client-example.ts (`npm run client:example`) against a real server. */
jest.setTimeout(60_000);

describe('npm run client:example', () => {
  let t: TestApp;
  let upgrades = 0;

  beforeAll(async () => {
    t = await startTestApp();
    t.app.http.app.server.on('upgrade', () => (upgrades += 1));
  });
  afterAll(async () => {
    killStarted();
    await t.close();
  });

  it('with a wrong token: prints why the server refused it and exits 1 at once, without retrying', async () => {
    upgrades = 0;
    const client = startTs('scripts/client-example.ts', { ...process.env, IB_URL: t.wsUrl, IB_TOKEN: 'ib_wrong' });
    expect(await client.exited).toBe(1);
    expect(client.stderr()).toContain('the server refused the connection (4403 Forbidden): is IB_TOKEN a valid API token?');
    expect(upgrades).toBe(1);
  });

  it('with a valid token: prints each new incident', async () => {
    const client = startTs('scripts/client-example.ts', { ...process.env, IB_URL: t.wsUrl, IB_TOKEN: t.adminToken });
    try {
      await client.line(/subscribed to incidentCreated/);
      // The subscription is live once the server acknowledged it; declare incidents until one arrives (the first
      // may be declared before the subscribe message is processed).
      const created = await t.gql<{ createService: { service: { id: string } } }>(
        'mutation { createService(input: {name: "Example", slug: "example"}) { service { id } } }',
      );
      const serviceId = created.data?.createService.service.id;
      const printed = client.line(/"incidentCreated"/);
      let declared = 0;
      const declare = setInterval(() => {
        declared += 1;
        void t.gql('mutation($s: ID!, $t: String!) { declareIncident(input: {title: $t, serviceId: $s, priority: P2}) { incident { id } } }', {
          s: serviceId,
          t: `Example ${declared}`,
        });
      }, 200);
      const line = await printed.finally(() => clearInterval(declare));
      expect(JSON.parse(line).incidentCreated).toMatchObject({ status: 'TRIGGERED', priority: 'P2' });
    } finally {
      client.child.kill('SIGTERM');
      await client.exited;
    }
  });
});
