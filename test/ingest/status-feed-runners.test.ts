import 'reflect-metadata';
import { waitFor } from '../../scripts/support/wait';
import { ManualClock } from '../../src/shared/clock';
import { startFeedServer, type FeedServer } from '../support/receivers/feed-server';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Two application instances on one database (own pools, own job runners, one clock) racing for the same due feeds:
 * each feed is fetched once per due time and each of its entries becomes one alert and one incident.
 */
jest.setTimeout(60_000);

const MINUTE = 60_000;
const FEEDS = 12;
const config = { JOBS_ENABLED: 'false', STATUS_FEED_ALLOW_PRIVATE_URLS: 'true' };

describe('status feeds polled by two instances', () => {
  const clock = new ManualClock('2026-12-03T10:00:00Z');
  let a: TestApp;
  let b: TestApp;
  let feeds: FeedServer;
  let serviceId: string;

  beforeAll(async () => {
    feeds = await startFeedServer();
    a = await startTestApp({ clock, config });
    b = await startTestApp({ clock, config, sameDatabaseAs: a });
    const { data } = await a.gql<{ createService: { service: { id: string } } }>(`mutation { createService(input: { name: "Providers", slug: "providers" }) { service { id } } }`);
    serviceId = data!.createService.service.id;
  });
  afterAll(async () => {
    await b.close();
    await a.close();
    await feeds.close();
  });

  async function feedIntegration(name: string, feedPath: string): Promise<string> {
    const { data, errors } = await a.gql<{ createIntegration: { integration: { id: string } } }>(
      `mutation($i: CreateIntegrationInput!) { createIntegration(input: $i) { integration { id } } }`,
      { i: { name, vendor: 'STATUS_FEED', serviceId, options: { statusFeed: { url: `${feeds.url}${feedPath}`, pollIntervalSeconds: 60 } } } },
    );
    expect(errors).toBeUndefined();
    return data!.createIntegration.integration.id;
  }
  const count = async (sql: string, params: unknown[] = []) => Number((await a.app.db.query(sql, params))[0].count);

  it('fetch a feed once while the other instance looks for due feeds during that poll', async () => {
    feeds.serve('/race/summary.json', { fixture: 'statuspage-summary/1-investigating.json' });
    const integrationId = await feedIntegration('Raced', '/race/summary.json');
    const release = feeds.hold('/race/summary.json');
    const racing = Promise.all([a.app.ingest.statusFeeds.runDue(), b.app.ingest.statusFeeds.runDue()]);
    await waitFor('the poll to reach the feed', () => (feeds.arrivals.includes('/race/summary.json') ? true : undefined), 10_000);
    // While that poll waits for its answer, both instances run the job again: the feed is not due for either.
    expect(await a.app.ingest.statusFeeds.runDue()).toBe(0);
    expect(await b.app.ingest.statusFeeds.runDue()).toBe(0);
    release();
    const [byA, byB] = await racing;
    expect(byA + byB).toBe(1);
    expect(feeds.arrivals.filter((path) => path === '/race/summary.json')).toHaveLength(1);
    expect(await count(`SELECT count(*) FROM alert WHERE integration_id = $1`, [integrationId])).toBe(1);
    expect(await count(`SELECT count(DISTINCT incident_id) FROM alert WHERE integration_id = $1`, [integrationId])).toBe(1);
  });

  it(`poll each of ${FEEDS} due feeds once per due time when both run the job at once, again and again`, async () => {
    const ids: string[] = [];
    for (let index = 0; index < FEEDS; index += 1) {
      feeds.serve(`/many/${index}.atom`, { fixture: 'atom/1-investigating.atom' });
      ids.push(await feedIntegration(`Feed ${index}`, `/many/${index}.atom`));
    }
    for (let round = 0; round < 3; round += 1) {
      clock.advance(MINUTE);
      const polled = await Promise.all([a, b, a, b].map((instance) => instance.app.ingest.statusFeeds.runDue()));
      // The raced feed of the test above is due again too.
      expect(polled.reduce((sum, handled) => sum + handled, 0)).toBe(FEEDS + 1);
    }
    for (let index = 0; index < FEEDS; index += 1) {
      expect(feeds.arrivals.filter((path) => path === `/many/${index}.atom`)).toHaveLength(3);
      expect(feeds.requests.filter((request) => request.path === `/many/${index}.atom`).map((request) => request.status)).toEqual([200, 304, 304]);
    }
    expect(await count(`SELECT count(*) FROM alert WHERE integration_id = ANY($1::uuid[])`, [ids])).toBe(FEEDS);
    expect(await count(`SELECT count(*) FROM alert WHERE integration_id = ANY($1::uuid[]) AND occurrences = 1`, [ids])).toBe(FEEDS);
    expect(await count(`SELECT count(DISTINCT incident_id) FROM alert WHERE integration_id = ANY($1::uuid[])`, [ids])).toBe(FEEDS);
    expect(await count(`SELECT count(*) FROM status_feed_state WHERE integration_id = ANY($1::uuid[]) AND claim = 3`, [ids])).toBe(FEEDS);
  });
});
