import { ActorType, ChannelKind, EscalationTargetType, Priority, Vendor } from '../../src/schema/enums';
import { planPages } from '../../src/services/notification-planner';
import type { Actor } from '../../src/shared/actor';
import { ManualClock } from '../../src/shared/clock';
import { startTestApp, type TestApp } from '../support/test-app';

const system: Actor = { type: ActorType.SYSTEM, id: null, name: 'test setup' };
const MINUTE = 60_000;

interface Page<T> {
  totalCount: number;
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasPreviousPage: boolean; hasNextPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** Catalog lists are ordered by name, then id (uuids compare like their lower-case text). */
const byNameThenId = <T extends { id: string; name: string }>(rows: T[]): T[] =>
  [...rows].sort((a, b) => (a.name === b.name ? (a.id < b.id ? -1 : 1) : a.name < b.name ? -1 : 1));

describe('catalog lists and incident notifications are Relay connections with filters', () => {
  const clock = new ManualClock('2026-03-02T08:00:00Z');
  let t: TestApp;
  const services: Array<{ id: string; name: string; slug: string }> = [];
  const people: Array<{ id: string; name: string; email: string }> = [];

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
    // Two services share a name, so the id decides their order; names start with capitals or digits so any collation agrees.
    for (const [name, slug] of [
      ['Voice', 'voice'],
      ['Billing', 'billing-eu'],
      ['SMS', 'sms'],
      ['Billing', 'billing-us'],
      ['Email', 'email'],
      ['100% Uptime', 'uptime'],
      ['API', 'api'],
    ]) {
      const service = await t.app.services.catalog.createService({ name, slug });
      services.push({ id: service.id, name, slug });
    }
    for (const [name, email] of [
      ['Rafael', 'rafael@example.com'],
      ['Abdul', 'abdul@example.com'],
      ['Stefania', 'stefania@example.com'],
      ['Helena', 'helena@example.com'],
      ['Luciane', 'luciane@example.com'],
    ]) {
      const person = await t.app.services.catalog.createPerson({ name, email });
      people.push({ id: person.id, name, email });
    }
  });
  afterAll(() => t.close());

  /** Pages through a connection `first` rows at a time; checks the page invariants on the way. */
  async function pageThrough<T>(field: string, filterType: string, selection: string, filter: Record<string, unknown> | null, first = 2): Promise<{ nodes: T[]; totalCount: number }> {
    const query = `query($first: Int, $after: String, $filter: ${filterType}) {
      ${field}(first: $first, after: $after, filter: $filter) { totalCount edges { cursor node { ${selection} } } pageInfo { hasPreviousPage hasNextPage startCursor endCursor } }
    }`;
    const nodes: T[] = [];
    const counts = new Set<number>();
    let after: string | null = null;
    for (let pages = 0; pages < 50; pages += 1) {
      const response = await t.gql<Record<string, Page<T>>>(query, { first, after, filter });
      expect(response.errors).toBeUndefined();
      const page: Page<T> = response.data![field];
      expect(page.edges.length).toBeLessThanOrEqual(first);
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
      expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      counts.add(page.totalCount);
      nodes.push(...page.edges.map((edge) => edge.node));
      if (!page.pageInfo.hasNextPage) return { nodes, totalCount: [...counts][0] };
      after = page.pageInfo.endCursor;
    }
    throw new Error(`${field} did not end within 50 pages`);
  }

  describe('services', () => {
    it('answers a newcomer\'s services(first: 10) with a connection', async () => {
      const response = await t.gql<{ services: Page<{ name: string }> }>(`{ services(first: 10) { totalCount edges { node { name } } pageInfo { hasNextPage } } }`);
      expect(response.errors).toBeUndefined();
      expect(response.data!.services.totalCount).toBe(services.length);
      expect(response.data!.services.edges).toHaveLength(services.length);
      expect(response.data!.services.pageInfo.hasNextPage).toBe(false);
    });

    it('pages through every service by name, then id, each exactly once', async () => {
      const { nodes, totalCount } = await pageThrough<{ id: string; name: string }>('services', 'ServiceFilter', 'id name', null);
      expect(totalCount).toBe(services.length);
      expect(nodes).toEqual(byNameThenId(services).map(({ id, name }) => ({ id, name })));
    });

    it('filters by name (case-insensitive, % taken literally) and by slug', async () => {
      const billing = await pageThrough<{ slug: string }>('services', 'ServiceFilter', 'slug', { nameContains: 'BILL' }, 1);
      expect(billing.totalCount).toBe(2);
      expect(billing.nodes.map((node) => node.slug).sort()).toEqual(['billing-eu', 'billing-us']);
      expect((await pageThrough<{ slug: string }>('services', 'ServiceFilter', 'slug', { nameContains: '%' })).nodes).toEqual([{ slug: 'uptime' }]);
      const bySlug = await pageThrough<{ slug: string }>('services', 'ServiceFilter', 'slug', { slug: ['voice', 'sms', 'nope'] });
      expect(bySlug).toEqual({ nodes: [{ slug: 'sms' }, { slug: 'voice' }], totalCount: 2 });
      await t.app.services.catalog.updateService(services[4].id, { ownerId: people[1].id });
      expect(await pageThrough<{ slug: string }>('services', 'ServiceFilter', 'slug', { ownerId: people[1].id })).toEqual({ nodes: [{ slug: 'email' }], totalCount: 1 });
    });

    it('refuses a page size over 100 and a cursor it did not issue, naming the argument', async () => {
      const tooMany = await t.gql(`{ services(first: 101) { totalCount } }`);
      expect(tooMany.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
      const forged = await t.gql(`{ services(first: 1, after: "bm90LWEtY3Vyc29y") { totalCount } }`);
      expect(forged.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    });
  });

  describe('people', () => {
    it('pages by name and filters by name or e-mail (case-insensitive)', async () => {
      const all = await pageThrough<{ id: string; name: string }>('people', 'PersonFilter', 'id name', null, 2);
      expect(all).toEqual({ nodes: byNameThenId(people).map(({ id, name }) => ({ id, name })), totalCount: people.length });
      expect((await pageThrough<{ name: string }>('people', 'PersonFilter', 'name', { nameContains: 'ELEN' })).nodes).toEqual([{ name: 'Helena' }]);
      expect((await pageThrough<{ name: string }>('people', 'PersonFilter', 'name', { email: 'Abdul@Example.com' })).nodes).toEqual([{ name: 'Abdul' }]);
    });
  });

  describe('teams', () => {
    it('pages by name and filters by name or member', async () => {
      const [rafael, abdul, stefania] = people;
      const created = [];
      for (const [name, members] of [
        ['Helpdesk', [abdul.id]],
        ['DevOps', [rafael.id, abdul.id]],
        ['Database', [stefania.id]],
      ] as const) {
        created.push(await t.app.services.teams.create({ name, memberIds: [...members] }));
      }
      const all = await pageThrough<{ id: string; name: string }>('teams', 'TeamFilter', 'id name', null, 2);
      expect(all).toEqual({ nodes: byNameThenId(created).map(({ id, name }) => ({ id, name })), totalCount: 3 });
      expect((await pageThrough<{ name: string }>('teams', 'TeamFilter', 'name', { nameContains: 'dev' })).nodes).toEqual([{ name: 'DevOps' }]);
      expect((await pageThrough<{ name: string }>('teams', 'TeamFilter', 'name', { memberId: abdul.id })).nodes).toEqual([{ name: 'DevOps' }, { name: 'Helpdesk' }]);
    });
  });

  describe('escalationPolicies', () => {
    it('pages by name and filters by name or by the service that uses the policy', async () => {
      const target = { type: EscalationTargetType.PERSON, id: people[0].id };
      const created = [];
      for (const name of ['Tier 2', 'Default', 'Tier 1', 'Billing on-call']) {
        created.push(await t.app.services.paging.createPolicy({ name, steps: [{ delayMinutes: 5, targets: [target] }] }));
      }
      await t.app.services.paging.setServicePolicy(services[2].id, created[2].id);
      const all = await pageThrough<{ id: string; name: string }>('escalationPolicies', 'EscalationPolicyFilter', 'id name', null, 3);
      expect(all).toEqual({ nodes: byNameThenId(created).map(({ id, name }) => ({ id, name })), totalCount: 4 });
      expect((await pageThrough<{ name: string }>('escalationPolicies', 'EscalationPolicyFilter', 'name', { nameContains: 'tier' })).nodes).toEqual([
        { name: 'Tier 1' },
        { name: 'Tier 2' },
      ]);
      expect((await pageThrough<{ name: string }>('escalationPolicies', 'EscalationPolicyFilter', 'name', { serviceId: services[2].id })).nodes).toEqual([{ name: 'Tier 1' }]);
    });
  });

  describe('integrations', () => {
    it('pages by name and filters by vendor, service and enabled', async () => {
      const created = [];
      for (const [name, vendor, service] of [
        ['prometheus', Vendor.ALERTMANAGER, services[0]],
        ['azure', Vendor.AZURE_MONITOR, services[1]],
        ['grafana', Vendor.GRAFANA, services[0]],
        ['alertmanager-eu', Vendor.ALERTMANAGER, services[1]],
      ] as const) {
        created.push((await t.app.services.integrations.create({ name, vendor, serviceId: service.id })).integration);
      }
      await t.app.services.integrations.update(created[2].id, { enabled: false });
      const all = await pageThrough<{ id: string; name: string }>('integrations', 'IntegrationFilter', 'id name', null, 3);
      expect(all).toEqual({ nodes: byNameThenId(created).map(({ id, name }) => ({ id, name })), totalCount: 4 });
      const names = async (filter: Record<string, unknown>) => (await pageThrough<{ name: string }>('integrations', 'IntegrationFilter', 'name', filter)).nodes.map((node) => node.name);
      expect(await names({ vendor: [Vendor.ALERTMANAGER] })).toEqual(['alertmanager-eu', 'prometheus']);
      expect(await names({ serviceId: [services[0].id] })).toEqual(['grafana', 'prometheus']);
      expect(await names({ enabled: false })).toEqual(['grafana']);
      expect(await names({ vendor: [Vendor.ALERTMANAGER], serviceId: [services[0].id], enabled: true })).toEqual(['prometheus']);
    });
  });

  describe('Incident.notifications', () => {
    let incidentId: string;

    beforeAll(async () => {
      const [rafael, abdul] = people;
      for (const [channel, address, delayMinutes] of [
        [ChannelKind.SMS, '+351910000001', 0],
        [ChannelKind.EMAIL, rafael.email, 5],
        [ChannelKind.SLACK, 'https://hooks.slack.example.com/services/T0/B0/x', 10],
      ] as const) {
        const method = await t.app.services.paging.addContactMethod({ personId: rafael.id, channel, address });
        await t.app.services.paging.addNotificationRule({ contactMethodId: method.id, delayMinutes });
      }
      const incident = await t.app.services.incidents.declare(system, { title: 'Paging storm', serviceId: services[0].id, priority: Priority.P1 });
      incidentId = incident.id;
      const page = (personId: string, step: number) => ({
        incidentId,
        personId,
        keyPrefix: `test:${incidentId}:${step}:${personId}`,
        subject: `step ${step}`,
        body: 'b',
        data: {},
        reason: `escalation step ${step}`,
        now: clock.now(),
      });
      // Step 1 pages Rafael (SMS now, e-mail in 5, Slack in 10 minutes) and Abdul (no rules, no phone: e-mail now).
      await t.app.db.transaction((manager) => planPages(manager, [page(rafael.id, 1), page(abdul.id, 1)]));
      clock.advance(2 * MINUTE);
      await t.app.db.transaction((manager) => planPages(manager, [page(rafael.id, 2)]));
      // Delivery outcomes, and a retry that moves one row's next attempt past every other row.
      await t.app.db.query(`UPDATE notification SET status = 'SENT', sent_at = created_at WHERE incident_id = $1 AND channel = 'SMS'`, [incidentId]);
      await t.app.db.query(
        `UPDATE notification SET status = 'FAILED', attempts = 5, next_attempt_at = created_at + interval '1 day' WHERE incident_id = $1 AND channel = 'EMAIL' AND reason = 'escalation step 1' AND address = $2`,
        [incidentId, abdul.email],
      );
    });

    const EXPECTED = [
      'escalation step 1 EMAIL abdul@example.com',
      'escalation step 1 SMS +351910000001',
      'escalation step 1 EMAIL rafael@example.com',
      'escalation step 1 SLACK https://hooks.slack.example.com/services/T0/B0/x',
      'escalation step 2 SMS +351910000001',
      'escalation step 2 EMAIL rafael@example.com',
      'escalation step 2 SLACK https://hooks.slack.example.com/services/T0/B0/x',
    ];

    type NotificationRow = { reason: string; channel: string; address: string };

    async function notifications(filter: Record<string, unknown> | null, first: number): Promise<{ lines: string[]; totalCount: number }> {
      const query = `query($id: ID!, $first: Int, $after: String, $filter: NotificationFilter) { incident(id: $id) {
        notifications(first: $first, after: $after, filter: $filter) { totalCount edges { cursor node { reason channel address status dueAt } } pageInfo { hasNextPage endCursor } }
      } }`;
      const lines: string[] = [];
      let after: string | null = null;
      for (;;) {
        const response = await t.gql<{ incident: { notifications: Page<NotificationRow> } }>(query, { id: incidentId, first, after, filter });
        expect(response.errors).toBeUndefined();
        const page: Page<NotificationRow> = response.data!.incident.notifications;
        lines.push(...page.edges.map(({ node }) => `${node.reason} ${node.channel} ${node.address}`));
        if (!page.pageInfo.hasNextPage) return { lines, totalCount: page.totalCount };
        after = page.pageInfo.endCursor;
      }
    }

    it('lists pages by decision, then by when each was first due, and keeps that order however delivery went', async () => {
      for (const first of [1, 2, 3, 100]) expect(await notifications(null, first)).toEqual({ lines: EXPECTED, totalCount: EXPECTED.length });
    });

    it('filters by status and channel', async () => {
      expect(await notifications({ channel: [ChannelKind.SMS] }, 1)).toEqual({ lines: [EXPECTED[1], EXPECTED[4]], totalCount: 2 });
      expect(await notifications({ status: ['FAILED'] }, 5)).toEqual({ lines: [EXPECTED[0]], totalCount: 1 });
      expect(await notifications({ status: ['PENDING'], channel: [ChannelKind.EMAIL, ChannelKind.SLACK] }, 2)).toEqual({
        lines: [EXPECTED[2], EXPECTED[3], EXPECTED[5], EXPECTED[6]],
        totalCount: 4,
      });
    });
  });
});
