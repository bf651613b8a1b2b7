import { Client } from 'pg';
import { startFeedServer, type FeedServer } from '../support/receivers/feed-server';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { killHard, must, startInstance, waitFor, type Instance } from './support/instances';
import { killStarted } from './support/processes';

/**
 * Two server processes on one database, both running the status-feed job every second against one provider page: each
 * due feed is fetched by one of them, once, and its entry becomes one alert.
 */
jest.setTimeout(120_000);

const settings = { STATUS_FEED_SCHEDULE: '*/1 * * * * *', STATUS_FEED_ALLOW_PRIVATE_URLS: 'true' };

describe('status feeds on two instances', () => {
  let database: TestDatabase;
  let db: Client;
  let feeds: FeedServer;
  let instances: Instance[];

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();
    feeds = await startFeedServer();
    instances = await Promise.all([startInstance(database.url, settings), startInstance(database.url, settings)]);
  });
  afterAll(async () => {
    await Promise.all(instances.map(killHard));
    killStarted();
    await db.end();
    await feeds.close();
    await database.drop();
  });

  const arrivals = (feedPath: string) => feeds.arrivals.filter((path) => path === feedPath).length;
  const arrived = (feedPath: string) => waitFor(`a request for ${feedPath}`, async () => (arrivals(feedPath) ? true : undefined), 30_000);

  it('fetch each due feed once between them', async () => {
    const [a, b] = instances;
    for (const feedPath of ['/twin/summary.json', '/twin/marker-1.json', '/twin/marker-2.json']) feeds.serve(feedPath, { fixture: 'statuspage-summary/1-investigating.json' });
    const { createService } = await must<{ createService: { service: { id: string } } }>(a, `mutation { createService(input: { name: "Twin", slug: "twin" }) { service { id } } }`);
    const statusFeed = (path: string) => ({ url: `${feeds.url}${path}`, pollIntervalSeconds: 3600 });
    const { createIntegration } = await must<{ createIntegration: { integration: { id: string } } }>(a, `mutation($i: CreateIntegrationInput!) { createIntegration(input: $i) { integration { id } } }`, {
      i: { name: 'twin feed', vendor: 'STATUS_FEED', serviceId: createService.service.id, options: { statusFeed: statusFeed('/twin/summary.json') } },
    });
    const integrationId = createIntegration.integration.id;
    await arrived('/twin/summary.json');

    // Each new URL is due at once for both instances, ticking every second: the markers show both had their turns.
    for (const [instance, marker] of [[b, '/twin/marker-1.json'], [a, '/twin/marker-2.json']] as const) {
      await must(instance, `mutation($i: UpdateIntegrationInput!) { updateIntegration(input: $i) { integration { id } } }`, { i: { id: integrationId, options: { statusFeed: statusFeed(marker) } } });
      await arrived(marker);
    }
    await waitFor(
      'the last poll to be recorded',
      async () => ((await db.query(`SELECT 1 FROM status_feed_state WHERE integration_id = $1 AND validators_url LIKE '%marker-2.json'`, [integrationId])).rowCount ? true : undefined),
      30_000,
    );

    expect([arrivals('/twin/summary.json'), arrivals('/twin/marker-1.json'), arrivals('/twin/marker-2.json')]).toEqual([1, 1, 1]);
    expect((await db.query(`SELECT claim FROM status_feed_state WHERE integration_id = $1`, [integrationId])).rows).toEqual([{ claim: 3 }]);
    const alerts = await db.query(`SELECT occurrences, incident_id FROM alert WHERE integration_id = $1`, [integrationId]);
    expect(alerts.rows).toEqual([{ occurrences: 1, incident_id: expect.any(String) }]);
    expect((await db.query(`SELECT source FROM incident WHERE id = $1`, [alerts.rows[0].incident_id])).rows).toEqual([{ source: 'PROVIDER' }]);
  });
});
