import { Role } from '../../src/schema/enums';
import { ManualClock } from '../../src/shared/clock';
import { startTestApp, type TestApp } from '../support/test-app';

const SECRET = 'whsec-graphql-test-never-shown-0001';
const SLACK_URL = 'https://52.85.12.40/services/T0ADMIN/B0ADMIN/slack-url-secret-part';

const LIST = `query($pageId: ID!, $first: Int, $after: String, $filter: StatusSubscriberFilter) {
  statusSubscribers(pageId: $pageId, first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id pageId channel address state services { id name } confirmExpiresAt confirmedAt unsubscribedAt createdAt updatedAt } }
  }
}`;
const COUNTS = `{ statusPages { slug subscriberCounts { active pending unsubscribed byChannel { channel active pending } } } }`;
const REMOVE = `mutation($input: RemoveInput!) { removeStatusSubscriber(input: $input) { removed } }`;

interface Listed {
  statusSubscribers: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ node: { id: string; channel: string; address: string; state: string; services: Array<{ name: string }> } }>;
  };
}

describe('status subscribers over GraphQL, for admins', () => {
  const clock = new ManualClock('2026-05-04T10:00:00Z');
  let t: TestApp;
  let mainId: string;
  
  beforeAll(async () => {
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
    [{ id: mainId }] = await t.app.db.query(`SELECT id FROM status_page WHERE slug = 'main'`);
    const api = await t.app.services.catalog.createService({ name: 'Public API', slug: 'public-api', public: true });
    const apiComponent = (await t.app.services.publicStatus.read('main'))!.components.find((component) => component.name === api.name)!.id;
    const subscribers = t.app.services.statusSubscribers;
    const keys = t.app.services.linkKeys;
    const idOf = async (address: string): Promise<string> => (await t.app.db.query(`SELECT id FROM status_subscriber WHERE address = $1 AND unsubscribed_at IS NULL`, [address]))[0].id;
    const step = () => clock.advance(60_000);

    await subscribers.subscribe('main', { channel: 'EMAIL', address: 'pending@example.com', componentIds: [] });
    step();
    await subscribers.subscribe('main', { channel: 'EMAIL', address: 'active@example.com', componentIds: [apiComponent] });
    await subscribers.confirm('main', await keys.linkToken('confirm', await idOf('active@example.com'), new Date('2026-06-01T00:00:00Z')));
    step();
    await subscribers.subscribe('main', { channel: 'EMAIL', address: 'left@example.com', componentIds: [] });
    await subscribers.unsubscribe('main', await keys.linkToken('unsubscribe', await idOf('left@example.com')));
    step();
    await subscribers.subscribe('main', { channel: 'SLACK', address: SLACK_URL, componentIds: [] });
    step();
    await subscribers.subscribe('main', { channel: 'WEBHOOK', address: 'https://52.85.12.41/hooks/status', componentIds: [apiComponent], secret: SECRET });
    step();
    await subscribers.subscribe('external', { channel: 'EMAIL', address: 'provider-watcher@example.com', componentIds: [] });
  });
  afterAll(() => t.close());

  const list = async (variables: Record<string, unknown>, token?: string) => t.gql<Listed>(LIST, { pageId: mainId, ...variables }, token);
  const addresses = (result: { data?: Listed }) => result.data!.statusSubscribers.edges.map(({ node }) => node.address);

  it("lists a page's subscribers newest first with their state and components, never a signing secret", async () => {
    const result = await list({});
    expect(result.errors).toBeUndefined();
    expect(addresses(result)).toEqual(['https://52.85.12.41/hooks/status', SLACK_URL, 'left@example.com', 'active@example.com', 'pending@example.com']);
    expect(result.data!.statusSubscribers.totalCount).toBe(5);
    const [webhook, slack, left, active, pending] = result.data!.statusSubscribers.edges.map(({ node }) => node);
    expect(webhook).toMatchObject({ channel: 'WEBHOOK', state: 'ACTIVE', services: [{ name: 'Public API' }], confirmExpiresAt: null });
    expect(slack).toMatchObject({ channel: 'SLACK', state: 'ACTIVE', services: [] });
    expect(left).toMatchObject({ state: 'UNSUBSCRIBED', unsubscribedAt: '2026-05-04T10:02:00.000Z' });
    expect(active).toMatchObject({ state: 'ACTIVE', confirmedAt: '2026-05-04T10:01:00.000Z', services: [{ name: 'Public API' }] });
    expect(pending).toMatchObject({ state: 'PENDING', confirmedAt: null, confirmExpiresAt: '2026-05-11T10:00:00.000Z' });
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(JSON.stringify(await list({ first: 100 }))).not.toContain('provider-watcher');
  });

  it('pages with cursors, and filters by state, channel and part of the address', async () => {
    const first = await list({ first: 2 });
    expect(addresses(first)).toEqual(['https://52.85.12.41/hooks/status', SLACK_URL]);
    expect(first.data!.statusSubscribers.pageInfo.hasNextPage).toBe(true);
    const second = await list({ first: 2, after: first.data!.statusSubscribers.pageInfo.endCursor });
    expect(addresses(second)).toEqual(['left@example.com', 'active@example.com']);

    expect(addresses(await list({ filter: { state: 'PENDING' } }))).toEqual(['pending@example.com']);
    expect(addresses(await list({ filter: { state: 'UNSUBSCRIBED' } }))).toEqual(['left@example.com']);
    expect(addresses(await list({ filter: { state: 'ACTIVE', channel: 'EMAIL' } }))).toEqual(['active@example.com']);
    const searched = await list({ filter: { search: 'ACTIVE@' } });
    expect(addresses(searched)).toEqual(['active@example.com']);
    expect(searched.data!.statusSubscribers.totalCount).toBe(1);
    // % and _ are literal characters of the search, not patterns.
    expect(addresses(await list({ filter: { search: '%' } }))).toEqual([]);
  });

  it('counts active, pending and unsubscribed subscribers of each page, per channel', async () => {
    const counted = await t.gql<{ statusPages: Array<{ slug: string; subscriberCounts: unknown }> }>(COUNTS);
    expect(counted.errors).toBeUndefined();
    expect(counted.data!.statusPages).toEqual([
      { slug: 'external', subscriberCounts: { active: 0, pending: 1, unsubscribed: 0, byChannel: expect.arrayContaining([{ channel: 'EMAIL', active: 0, pending: 1 }]) } },
      {
        slug: 'main',
        subscriberCounts: {
          active: 3,
          pending: 1,
          unsubscribed: 1,
          byChannel: [
            { channel: 'EMAIL', active: 1, pending: 1 },
            { channel: 'SLACK', active: 1, pending: 0 },
            { channel: 'WEBHOOK', active: 1, pending: 0 },
          ],
        },
      },
    ]);
  });

  it('removes a subscriber, audited, with the Slack URL redacted', async () => {
    const slack = (await list({ filter: { channel: 'SLACK' } })).data!.statusSubscribers.edges[0].node;
    const removed = await t.gql(REMOVE, { input: { id: slack.id } });
    expect(removed).toMatchObject({ data: { removeStatusSubscriber: { removed: true } } });
    expect(addresses(await list({ filter: { channel: 'SLACK' } }))).toEqual([]);
    expect(await t.app.db.query(`SELECT id FROM status_subscriber WHERE id = $1`, [slack.id])).toEqual([]);
    const [entry] = await t.app.db.query(`SELECT action, target_type, changes FROM audit_entry WHERE target_id = $1`, [slack.id]);
    expect(entry).toMatchObject({ action: 'statusSubscriber.delete', target_type: 'STATUS_SUBSCRIBER', changes: { channel: { before: 'SLACK', after: null }, address: { before: '[redacted]', after: null } } });
    expect(JSON.stringify(entry)).not.toContain('slack-url-secret-part');

    const again = await t.gql(REMOVE, { input: { id: slack.id } });
    expect(again.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('answers NOT_FOUND for an unknown page or subscriber and BAD_USER_INPUT naming the field for a malformed id or filter', async () => {
    expect((await list({ pageId: '00000000-0000-4000-8000-000000000000' })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await list({ pageId: 'main' })).errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'pageId' });
    expect((await list({ filter: { search: 'x'.repeat(201) } })).errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.search' });
    expect((await list({ after: 'not-a-cursor' })).errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    expect((await t.gql(REMOVE, { input: { id: 'nope' } })).errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it.each([Role.VIEWER, Role.RESPONDER, Role.ANALYST])('is FORBIDDEN to a %s token, removing nothing', async (role) => {
    const token = await t.tokenFor(role);
    const before = await t.app.db.query(`SELECT count(*)::int AS n FROM status_subscriber`);
    const [{ id }] = await t.app.db.query(`SELECT id FROM status_subscriber LIMIT 1`);
    expect((await list({}, token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // The pages themselves are for every role; their subscriber counts are not.
    const pages = await t.gql<{ statusPages: Array<{ slug: string }> }>(`{ statusPages { slug } }`, {}, token);
    expect(pages.data!.statusPages.map((page) => page.slug)).toEqual(['external', 'main']);
    expect((await t.gql(COUNTS, {}, token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await t.gql(REMOVE, { input: { id } }, token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await t.app.db.query(`SELECT count(*)::int AS n FROM status_subscriber`)).toEqual(before);
  });
});
