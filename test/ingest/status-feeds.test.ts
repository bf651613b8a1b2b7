import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ManualClock } from '../../src/shared/clock';
import { FEED_FIXTURES, startFeedServer, type FeedServer } from '../support/receivers/feed-server';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * STATUS_FEED integrations against a provider's status page on loopback serving recorded feeds: each poll is a job
 * run at a moved clock (no sleeps), through the same pipeline as webhooks.
 */
jest.setTimeout(60_000);

const MINUTE = 60_000;
const SUMMARY_ALERT = 'statuspage:srhpyqt94yxb:incident:n4njzfn1mqy0';
const ATOM_ALERT = 'feed:tag:status.example-sms.com,2005:Incident/24893021';

/** A server polling feeds on loopback (with `config`), a feed server, and one service for the feeds' integrations. */
interface FeedWorld {
  t: TestApp;
  feeds: FeedServer;
  serviceId: string;
  close(): Promise<void>;
}

async function startFeedWorld(clock: ManualClock, config: Record<string, string>, slug: string): Promise<FeedWorld> {
  const feeds = await startFeedServer();
  const t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false', STATUS_FEED_ALLOW_PRIVATE_URLS: 'true', ...config } });
  const { data } = await t.gql<{ createService: { service: { id: string } } }>(`mutation($slug: String!) { createService(input: { name: $slug, slug: $slug }) { service { id } } }`, { slug });
  return {
    t,
    feeds,
    serviceId: data!.createService.service.id,
    close: async () => {
      await t.close();
      await feeds.close();
    },
  };
}

async function feedIntegration({ t, serviceId }: FeedWorld, name: string, statusFeed: Record<string, unknown>): Promise<string> {
  const result = await t.gql<{ createIntegration: { integration: { id: string } } }>(
    `mutation($i: CreateIntegrationInput!) { createIntegration(input: $i) { integration { id } } }`,
    { i: { name, vendor: 'STATUS_FEED', serviceId, options: { statusFeed } } },
  );
  expect(result.errors).toBeUndefined();
  return result.data!.createIntegration.integration.id;
}

describe('Provider status feeds', () => {
  const clock = new ManualClock('2026-12-03T10:00:00Z');
  let world: FeedWorld;
  let t: TestApp;
  let feeds: FeedServer;

  beforeAll(async () => {
    world = await startFeedWorld(clock, { STATUS_FEED_TIMEOUT_MS: '2000' }, 'sms-gateway');
    ({ t, feeds } = world);
  });
  afterAll(() => world.close());

  /** One run of the poll job, as node-cron would start it. */
  const poll = () => t.app.ingest.statusFeeds.runDue();
  const rows = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => t.app.db.query(sql, params);
  const requestsTo = (feedPath: string) => feeds.requests.filter((request) => request.path === feedPath);
  const alertOf = async (integrationId: string, fingerprint: string) =>
    (await rows<{ id: string; status: string; occurrences: number; description: string; incident_id: string }>(
      `SELECT id, status, occurrences, description, incident_id FROM alert WHERE integration_id = $1 AND fingerprint = $2 ORDER BY first_seen_at`,
      [integrationId, fingerprint],
    ));
  const incidentOf = async (id: string) => (await rows<{ status: string; source: string; title: string }>(`SELECT status, source, title FROM incident WHERE id = $1`, [id]))[0];
  const timelineOf = async (incidentId: string) => (await rows<{ kind: string }>(`SELECT kind FROM timeline_event WHERE incident_id = $1 ORDER BY at, seq`, [incidentId])).map((row) => row.kind);
  const feedStatus = async (integrationId: string) => {
    const { data, errors } = await t.gql<{ integration: { feedStatus: Record<string, unknown> | null } }>(
      `query($id: ID!) { integration(id: $id) { feedStatus { lastPolledAt lastHttpStatus lastSuccessAt lastChangedAt nextPollAt consecutiveFailures lastError lastErrorAt } } }`,
      { id: integrationId },
    );
    expect(errors).toBeUndefined();
    return data!.integration.feedStatus!;
  };

  it('opens a PROVIDER incident from a recorded summary.json, carries its updates over and resolves it when it leaves the unresolved list', async () => {
    feeds.serve('/discord/summary.json', { fixture: 'statuspage-summary/1-investigating.json' });
    const integrationId = await feedIntegration(world, 'Discord status', { url: `${feeds.url}/discord/summary.json`, pollIntervalSeconds: 60 });

    expect(await poll()).toBe(1);
    const [opened] = await alertOf(integrationId, SUMMARY_ALERT);
    expect(opened).toMatchObject({ status: 'FIRING', occurrences: 1, description: "We're investigating high latency related to channels and messages." });
    expect(await incidentOf(opened.incident_id)).toMatchObject({ status: 'TRIGGERED', source: 'PROVIDER', title: expect.stringContaining('Messaging issues') });

    // Not due before its interval: the job claims nothing and the page is not asked.
    clock.advance(30_000);
    expect(await poll()).toBe(0);
    expect(requestsTo('/discord/summary.json')).toHaveLength(1);

    feeds.serve('/discord/summary.json', { fixture: 'statuspage-summary/3-monitoring.json' });
    clock.advance(30_000);
    expect(await poll()).toBe(1);
    const [updated] = await alertOf(integrationId, SUMMARY_ALERT);
    expect(updated).toMatchObject({ id: opened.id, status: 'FIRING', occurrences: 2 });
    expect(updated.description).toMatch(/^We believe we have mitigated the root cause/);

    feeds.serve('/discord/summary.json', { fixture: 'statuspage-summary/4-resolved.json' });
    clock.advance(MINUTE);
    expect(await poll()).toBe(1);
    const [resolved] = await alertOf(integrationId, SUMMARY_ALERT);
    expect(resolved).toMatchObject({ id: opened.id, status: 'RESOLVED' });
    expect(await incidentOf(opened.incident_id)).toMatchObject({ status: 'RESOLVED' });
    expect(await alertOf(integrationId, SUMMARY_ALERT)).toHaveLength(1);
    expect(await feedStatus(integrationId)).toMatchObject({ lastHttpStatus: 200, consecutiveFailures: 0, lastError: null, lastChangedAt: clock.now().toISOString() });
  });

  it('opens and resolves a PROVIDER incident from a recorded history.atom sequence, without incidents for the history before it', async () => {
    feeds.serve('/sms/history.atom', { fixture: 'atom/1-investigating.atom' });
    const integrationId = await feedIntegration(world, 'SMS gateway status', { url: `${feeds.url}/sms/history.atom`, format: 'atom', pollIntervalSeconds: 60 });

    clock.advance(MINUTE);
    await poll();
    const [opened] = await alertOf(integrationId, ATOM_ALERT);
    expect(opened).toMatchObject({ status: 'FIRING' });
    expect(await incidentOf(opened.incident_id)).toMatchObject({ status: 'TRIGGERED', source: 'PROVIDER' });
    // The entry that was already resolved when the feed was first read opens nothing.
    expect(await rows(`SELECT 1 FROM alert WHERE integration_id = $1 AND fingerprint LIKE '%24811345'`, [integrationId])).toEqual([]);

    feeds.serve('/sms/history.atom', { fixture: 'atom/2-identified.atom' });
    clock.advance(MINUTE);
    await poll();
    expect((await alertOf(integrationId, ATOM_ALERT))[0].description).toContain('Identified - A faulty load balancer node was identified');

    feeds.serve('/sms/history.atom', { fixture: 'atom/3-resolved.atom' });
    clock.advance(MINUTE);
    await poll();
    expect(await alertOf(integrationId, ATOM_ALERT)).toEqual([expect.objectContaining({ id: opened.id, status: 'RESOLVED' })]);
    expect(await incidentOf(opened.incident_id)).toMatchObject({ status: 'RESOLVED' });
  });

  it('resolves Azure status RSS events when they leave the feed, with resolveWhenGone', async () => {
    feeds.serve('/azure/feed/', { fixture: 'rss/azure-active.rss' });
    const integrationId = await feedIntegration(world, 'Azure status', { url: `${feeds.url}/azure/feed/`, format: 'rss', pollIntervalSeconds: 60, resolveWhenGone: true });
    clock.advance(MINUTE);
    await poll();
    const [opened] = await alertOf(integrationId, 'feed:3TLD-2R8');
    expect(opened.status).toBe('FIRING');

    feeds.serve('/azure/feed/', { fixture: 'rss/azure-active-update.rss' });
    clock.advance(MINUTE);
    await poll();
    expect((await alertOf(integrationId, 'feed:3TLD-2R8'))[0]).toMatchObject({ status: 'FIRING', occurrences: 2, description: expect.stringContaining('rolling it back') });

    feeds.serve('/azure/feed/', { fixture: 'rss/azure-empty.rss' });
    clock.advance(MINUTE);
    await poll();
    expect((await alertOf(integrationId, 'feed:3TLD-2R8'))[0].status).toBe('RESOLVED');
    expect(await incidentOf(opened.incident_id)).toMatchObject({ status: 'RESOLVED', source: 'PROVIDER' });
  });

  it('asks again with the validators it was given and changes nothing on 304, as the request log shows', async () => {
    feeds.serve('/etag/history.atom', { fixture: 'atom/1-investigating.atom', lastModified: 'Thu, 03 Dec 2026 10:05:42 GMT' });
    const integrationId = await feedIntegration(world, 'Conditional', { url: `${feeds.url}/etag/history.atom`, pollIntervalSeconds: 60 });
    clock.advance(MINUTE);
    await poll();
    const [first] = requestsTo('/etag/history.atom');
    expect(first).toEqual({ path: '/etag/history.atom', ifNoneMatch: null, ifModifiedSince: null, status: 200 });
    const [alert] = await alertOf(integrationId, ATOM_ALERT);

    clock.advance(MINUTE);
    await poll();
    const second = requestsTo('/etag/history.atom')[1];
    expect(second).toEqual({ path: '/etag/history.atom', ifNoneMatch: expect.stringMatching(/^"[0-9a-f]{16}"$/), ifModifiedSince: 'Thu, 03 Dec 2026 10:05:42 GMT', status: 304 });
    expect(await alertOf(integrationId, ATOM_ALERT)).toEqual([alert]);
    expect(await feedStatus(integrationId)).toMatchObject({ lastHttpStatus: 304, lastSuccessAt: clock.now().toISOString(), consecutiveFailures: 0 });
    expect(new Date((await feedStatus(integrationId)).nextPollAt as string).getTime()).toBe(clock.now().getTime() + MINUTE);
  });

  it('polls a changed URL at once and without the old URL\'s validators, and applies a shortened interval from the last poll', async () => {
    const [oldUrl, newUrl] = [`${feeds.url}/move/old.atom`, `${feeds.url}/move/new.atom`];
    feeds.serve('/move/old.atom', { fixture: 'atom/1-investigating.atom' });
    feeds.serve('/move/new.atom', { fixture: 'atom/1-investigating.atom' });
    const integrationId = await feedIntegration(world, 'Moving', { url: oldUrl, pollIntervalSeconds: 3600 });
    const update = async (statusFeed: Record<string, unknown>) => {
      const { errors } = await t.gql(`mutation($i: UpdateIntegrationInput!) { updateIntegration(input: $i) { integration { id } } }`, { i: { id: integrationId, options: { statusFeed } } });
      expect(errors).toBeUndefined();
    };
    clock.advance(MINUTE);
    await poll();
    expect(requestsTo('/move/old.atom')).toHaveLength(1);

    await update({ url: newUrl, pollIntervalSeconds: 3600 });
    await poll();
    expect(requestsTo('/move/new.atom')).toEqual([{ path: '/move/new.atom', ifNoneMatch: null, ifModifiedSince: null, status: 200 }]);
    expect(await alertOf(integrationId, ATOM_ALERT)).toEqual([expect.objectContaining({ occurrences: 1 })]);

    clock.advance(10 * MINUTE);
    await poll();
    expect(requestsTo('/move/new.atom')).toHaveLength(1);
    await update({ url: newUrl, pollIntervalSeconds: 300 });
    await poll();
    expect(requestsTo('/move/new.atom').map((request) => request.status)).toEqual([200, 304]);
    expect(requestsTo('/move/old.atom')).toHaveLength(1);
  });

  it('backs off after failures (doubling from the interval), records them on the integration, and recovers', async () => {
    feeds.serve('/flaky/summary.json', { status: 503, body: 'unavailable' });
    const integrationId = await feedIntegration(world, 'Flaky', { url: `${feeds.url}/flaky/summary.json`, pollIntervalSeconds: 60 });
    clock.advance(MINUTE);
    await poll();
    expect(await feedStatus(integrationId)).toMatchObject({ consecutiveFailures: 1, lastHttpStatus: 503, lastError: 'HTTP 503', lastSuccessAt: null, nextPollAt: new Date(clock.now().getTime() + 2 * MINUTE).toISOString() });

    // One interval later it is not due yet: backed off to two.
    clock.advance(MINUTE);
    await poll();
    expect(requestsTo('/flaky/summary.json')).toHaveLength(1);
    clock.advance(MINUTE);
    await poll();
    expect(requestsTo('/flaky/summary.json')).toHaveLength(2);
    expect(await feedStatus(integrationId)).toMatchObject({ consecutiveFailures: 2, nextPollAt: new Date(clock.now().getTime() + 4 * MINUTE).toISOString() });

    // Retry-After asks for longer than the backoff: it is honoured.
    clock.advance(4 * MINUTE);
    feeds.serve('/flaky/summary.json', { status: 429, headers: { 'retry-after': '1800' } });
    await poll();
    expect(await feedStatus(integrationId)).toMatchObject({ consecutiveFailures: 3, lastHttpStatus: 429, nextPollAt: new Date(clock.now().getTime() + 30 * MINUTE).toISOString() });

    clock.advance(30 * MINUTE);
    feeds.serve('/flaky/summary.json', { fixture: 'statuspage-summary/1-investigating.json' });
    await poll();
    expect(await feedStatus(integrationId)).toMatchObject({ consecutiveFailures: 0, lastError: null, lastHttpStatus: 200 });
    expect(await alertOf(integrationId, SUMMARY_ALERT)).toEqual([expect.objectContaining({ status: 'FIRING' })]);
  });

  it('keeps open incidents open while the feed is gone (404), and carries on where it was once it is back', async () => {
    feeds.serve('/gone/summary.json', { fixture: 'statuspage-summary/1-investigating.json' });
    const integrationId = await feedIntegration(world, 'Gone', { url: `${feeds.url}/gone/summary.json`, pollIntervalSeconds: 60 });
    clock.advance(MINUTE);
    await poll();
    const [opened] = await alertOf(integrationId, SUMMARY_ALERT);

    feeds.serve('/gone/summary.json', { status: 404, body: 'Not Found' });
    for (let failures = 1; failures <= 7; failures += 1) {
      clock.advance(60 * MINUTE);
      await poll();
      expect(await feedStatus(integrationId)).toMatchObject({ consecutiveFailures: failures, lastHttpStatus: 404, lastError: 'HTTP 404 (the feed is not there)' });
    }
    expect(await alertOf(integrationId, SUMMARY_ALERT)).toEqual([expect.objectContaining({ id: opened.id, status: 'FIRING', occurrences: 1 })]);
    expect(await incidentOf(opened.incident_id)).toMatchObject({ status: 'TRIGGERED' });
    // 2, 4, 8 … minutes, capped at an hour.
    expect((await feedStatus(integrationId)).nextPollAt).toBe(new Date(clock.now().getTime() + 60 * MINUTE).toISOString());

    feeds.serve('/gone/summary.json', { fixture: 'statuspage-summary/4-resolved.json' });
    clock.advance(60 * MINUTE);
    await poll();
    expect(await alertOf(integrationId, SUMMARY_ALERT)).toEqual([expect.objectContaining({ id: opened.id, status: 'RESOLVED' })]);
  });

  it.each([
    ['a feed cut off mid-entry', 'broken/truncated.atom', /^malformed feed: invalid XML/],
    ['a CDN error page', 'broken/cdn-error-page.html', /^malformed feed: /],
    ['a summary.json cut off', 'broken/truncated-summary.json', /^malformed feed: invalid JSON/],
  ])('changes nothing already accepted on %s, and forgets none of its validators', async (_what, fixture, error) => {
    const feedPath = `/malformed/${fixture}`;
    const initial = fixture.endsWith('.json') ? 'statuspage-summary/1-investigating.json' : 'atom/1-investigating.atom';
    const fingerprint = fixture.endsWith('.json') ? SUMMARY_ALERT : ATOM_ALERT;
    feeds.serve(feedPath, { fixture: initial });
    const integrationId = await feedIntegration(world, `Malformed ${fixture}`, { url: `${feeds.url}${feedPath}`, pollIntervalSeconds: 60 });
    clock.advance(MINUTE);
    await poll();
    const before = await alertOf(integrationId, fingerprint);
    const timeline = await timelineOf(before[0].incident_id);

    feeds.serve(feedPath, { fixture });
    clock.advance(MINUTE);
    await poll();
    expect(await feedStatus(integrationId)).toMatchObject({ consecutiveFailures: 1, lastHttpStatus: 200, lastError: expect.stringMatching(error) });
    expect(await alertOf(integrationId, fingerprint)).toEqual(before);
    expect(await timelineOf(before[0].incident_id)).toEqual(timeline);

    // The feed comes back as it was: the validators of the good document still hold, so the answer is a 304.
    feeds.serve(feedPath, { fixture: initial });
    clock.advance(2 * MINUTE);
    await poll();
    expect(requestsTo(feedPath).map((request) => request.status)).toEqual([200, 200, 304]);
    expect(await alertOf(integrationId, fingerprint)).toEqual(before);
  });

  it('adds nothing for entries a feed repeats, within a document or from poll to poll', async () => {
    feeds.serve('/repeat/history.atom', { fixture: 'atom/repeated.atom' });
    // No validators are kept for a URL answered without them, so every poll reads the whole document again.
    const integrationId = await feedIntegration(world, 'Repeats', { url: `${feeds.url}/repeat/history.atom`, pollIntervalSeconds: 60 });
    clock.advance(MINUTE);
    await poll();
    const [alert] = await alertOf(integrationId, ATOM_ALERT);
    expect(alert.occurrences).toBe(1);
    const timeline = await timelineOf(alert.incident_id);

    feeds.serve('/repeat/history.atom', { status: 200, body: readFixture('atom/repeated.atom'), headers: { 'content-type': 'application/atom+xml' } });
    for (let round = 0; round < 3; round += 1) {
      clock.advance(MINUTE);
      await poll();
    }
    feeds.serve('/repeat/history.atom', { status: 200, body: readFixture('atom/1-investigating.atom'), headers: { 'content-type': 'application/atom+xml' } });
    clock.advance(MINUTE);
    await poll();
    expect(requestsTo('/repeat/history.atom').map((request) => request.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await alertOf(integrationId, ATOM_ALERT)).toEqual([alert]);
    expect(await timelineOf(alert.incident_id)).toEqual(timeline);
    expect(await rows(`SELECT 1 FROM incident i JOIN alert a ON a.incident_id = i.id WHERE a.integration_id = $1`, [integrationId])).toHaveLength(1);
    expect((await feedStatus(integrationId)).lastChangedAt).not.toBe(clock.now().toISOString());
  });

  it('gives up on a feed that does not answer in time, and records it', async () => {
    const release = feeds.hold('/slow/summary.json');
    feeds.serve('/slow/summary.json', { fixture: 'statuspage-summary/1-investigating.json' });
    const integrationId = await feedIntegration(world, 'Slow', { url: `${feeds.url}/slow/summary.json`, pollIntervalSeconds: 60 });
    clock.advance(MINUTE);
    try {
      await poll();
    } finally {
      release();
    }
    expect(await feedStatus(integrationId)).toMatchObject({ consecutiveFailures: 1, lastHttpStatus: null, lastError: 'no complete answer within 2000 ms' });
    expect(await alertOf(integrationId, SUMMARY_ALERT)).toEqual([]);
  });
});

function readFixture(relative: string): string {
  return readFileSync(path.join(FEED_FIXTURES, relative), 'utf8');
}

describe('STATUS_FEED integration options', () => {
  let t: TestApp;
  let serviceId: string;

  beforeAll(async () => {
    // The default deployment: feed URLs on loopback and private networks are refused.
    t = await startTestApp({ config: { JOBS_ENABLED: 'false' } });
    const { data } = await t.gql<{ createService: { service: { id: string } } }>(`mutation { createService(input: { name: "Options", slug: "options" }) { service { id } } }`);
    serviceId = data!.createService.service.id;
  });
  afterAll(() => t.close());

  const create = (vendor: string, options: unknown) =>
    t.gql(`mutation($i: CreateIntegrationInput!) { createIntegration(input: $i) { integration { id } } }`, { i: { name: 'feed', vendor, serviceId, options } });

  it.each([
    ['no feed', 'STATUS_FEED', {}, 'options.statusFeed', /needs the feed to poll/],
    ['a poll interval under a minute', 'STATUS_FEED', { statusFeed: { url: 'https://status.example.com/api/v2/summary.json', pollIntervalSeconds: 30 } }, 'options.statusFeed.pollIntervalSeconds', /at least 60 seconds/],
    ['an unknown format', 'STATUS_FEED', { statusFeed: { url: 'https://status.example.com/history.atom', format: 'html' } }, 'options.statusFeed.format', /./],
    ['a URL that is no URL', 'STATUS_FEED', { statusFeed: { url: 'status page' } }, 'options.statusFeed.url', /absolute http\(s\) URL/],
    ['a loopback URL', 'STATUS_FEED', { statusFeed: { url: 'http://127.0.0.1:8080/summary.json' } }, 'options.statusFeed.url', /loopback/],
    ['a metadata-service URL', 'STATUS_FEED', { statusFeed: { url: 'http://169.254.169.254/latest/meta-data/' } }, 'options.statusFeed.url', /link-local/],
    ['a feed on another vendor', 'STATUSPAGE', { statusFeed: { url: 'https://status.example.com/history.atom' } }, 'options.statusFeed', /only a STATUS_FEED integration/],
  ])('refuses %s with BAD_USER_INPUT naming the field', async (_what, vendor, options, field, message) => {
    const { errors } = await create(vendor, options);
    expect(errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(errors?.[0].message).toMatch(message);
  });

  it('checks the feed again when the options change', async () => {
    const { data, errors } = await t.gql<{ createIntegration: { integration: { id: string; feedStatus: null } } }>(
      `mutation($i: CreateIntegrationInput!) { createIntegration(input: $i) { integration { id feedStatus { nextPollAt } } } }`,
      { i: { name: 'feed', vendor: 'STATUS_FEED', serviceId, options: { statusFeed: { url: 'https://203.0.114.7/summary.json', pollIntervalSeconds: 60 } } } },
    );
    expect(errors).toBeUndefined();
    expect(data!.createIntegration.integration.feedStatus).toBeNull();
    const update = await t.gql(`mutation($i: UpdateIntegrationInput!) { updateIntegration(input: $i) { integration { id } } }`, {
      i: { id: data!.createIntegration.integration.id, options: { statusFeed: { url: 'http://10.0.0.5/summary.json' } } },
    });
    expect(update.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'options.statusFeed.url' });
  });
});

describe('status feed size limit', () => {
  const clock = new ManualClock('2026-12-03T10:00:00Z');
  let world: FeedWorld;

  beforeAll(async () => {
    world = await startFeedWorld(clock, { STATUS_FEED_MAX_BYTES: '1024' }, 'sizes');
  });
  afterAll(() => world.close());

  it.each([
    ['declared in Content-Length', {}],
    ['sent in chunks without a length', { 'transfer-encoding': 'chunked' }],
  ])('fails a poll whose body is over STATUS_FEED_MAX_BYTES, %s', async (what, headers) => {
    const body = readFixture('atom/1-investigating.atom');
    expect(Buffer.byteLength(body)).toBeGreaterThan(1024);
    const feedPath = `/large/${what.replace(/\W+/g, '-')}.atom`;
    world.feeds.serve(feedPath, { status: 200, body, headers: { 'content-type': 'application/atom+xml', ...headers } });
    const integrationId = await feedIntegration(world, feedPath, { url: `${world.feeds.url}${feedPath}` });
    clock.advance(MINUTE);
    const { t } = world;
    await t.app.ingest.statusFeeds.runDue();
    const [state] = await t.app.services.statusFeeds.statesOf([integrationId]);
    expect(state).toMatchObject({ consecutiveFailures: 1, lastHttpStatus: 200, lastError: 'the feed is larger than 1024 bytes' });
    expect(await t.app.db.query(`SELECT 1 FROM alert WHERE integration_id = $1`, [integrationId])).toEqual([]);
  });
});
