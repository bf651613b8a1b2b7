import { ActorType, IncidentSource, IncidentStatus, Priority } from '../../src/schema/enums';
import type { Actor } from '../../src/shared/actor';
import { ManualClock } from '../../src/shared/clock';
import { startTestApp, type TestApp } from '../support/test-app';

const system: Actor = { type: ActorType.SYSTEM, id: null, name: 'test setup' };

interface Row {
  id: string;
  title: string;
  openedAt: string;
  serviceId: string;
  priority: Priority;
  source: IncidentSource;
  status: IncidentStatus;
}

interface Filter {
  status?: IncidentStatus[];
  priority?: Priority[];
  serviceId?: string[];
  source?: IncidentSource[];
  openedAfter?: string;
  openedBefore?: string;
  titleContains?: string;
}

interface Connection {
  totalCount: number;
  edges: Array<{ cursor: string; node: { id: string; openedAt: string } }>;
  pageInfo: { hasPreviousPage: boolean; hasNextPage: boolean; startCursor: string | null; endCursor: string | null };
}

const PAGE_QUERY = `query($first: Int, $after: String, $filter: IncidentFilter, $orderBy: IncidentOrder) {
  incidents(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount
    edges { cursor node { id openedAt } }
    pageInfo { hasPreviousPage hasNextPage startCursor endCursor }
  }
}`;

const PRIORITIES = [Priority.P1, Priority.P2, Priority.P3, Priority.P4];
const SOURCES = [IncidentSource.MONITORING, IncidentSource.CUSTOMER_REPORT, IncidentSource.INTERNAL];
const TITLES = [
  '100% packet loss in DC1',
  '100 percent CPU on db2',
  'disk_full on db1',
  'diskXfull alert flapping',
  'SMS delivery delayed',
  'Webhook 5xx',
];

describe('incidents: keyset pagination and filters', () => {
  const clock = new ManualClock('2026-02-01T00:00:00Z');
  let t: TestApp;
  const rows: Row[] = [];
  let services: string[];

  beforeAll(async () => {
    t = await startTestApp({ clock });
    services = [
      (await t.app.services.catalog.createService({ name: 'SMS', slug: 'sms' })).id,
      (await t.app.services.catalog.createService({ name: 'Email', slug: 'email' })).id,
    ];
    for (let i = 0; i < 25; i += 1) {
      // Every third incident opens at the same instant as the one before it, so the id tiebreak matters.
      if (i % 3 !== 2) clock.advance(60_000);
      const incident = await t.app.services.incidents.declare(system, {
        title: `${TITLES[i % TITLES.length]} #${i}`,
        serviceId: services[i % 2],
        priority: PRIORITIES[i % 4],
        source: SOURCES[i % 3],
      });
      let status = IncidentStatus.TRIGGERED;
      if (i % 5 === 1) status = (await t.app.services.incidents.acknowledge(system, incident.id)).status;
      if (i % 5 === 2) status = (await t.app.services.incidents.resolve(system, incident.id)).status;
      rows.push({
        id: incident.id,
        title: incident.title,
        openedAt: incident.openedAt.toISOString(),
        serviceId: incident.serviceId,
        priority: incident.priority,
        source: incident.source,
        status,
      });
    }
  });
  afterAll(() => t.close());

  function expected(filter: Filter, order: 'OPENED_AT_DESC' | 'OPENED_AT_ASC'): string[] {
    const matching = rows.filter(
      (row) =>
        (!filter.status || filter.status.includes(row.status)) &&
        (!filter.priority || filter.priority.includes(row.priority)) &&
        (!filter.serviceId || filter.serviceId.includes(row.serviceId)) &&
        (!filter.source || filter.source.includes(row.source)) &&
        (!filter.openedAfter || row.openedAt >= filter.openedAfter) &&
        (!filter.openedBefore || row.openedAt < filter.openedBefore) &&
        (!filter.titleContains || row.title.toLowerCase().includes(filter.titleContains.toLowerCase())),
    );
    // Byte order, as PostgreSQL compares timestamps and uuids (ISO strings and lower-case hex sort the same way).
    const key = (row: Row) => `${row.openedAt} ${row.id}`;
    const sorted = [...matching].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    return (order === 'OPENED_AT_ASC' ? sorted : sorted.reverse()).map((row) => row.id);
  }

  async function page(variables: Record<string, unknown>) {
    const response = await t.gql<{ incidents: Connection }>(PAGE_QUERY, variables);
    expect(response.errors).toBeUndefined();
    return response.data!.incidents;
  }

  /** Walks every page, checking each page's invariants, and returns the ids in the order visited. */
  async function walk(filter: Filter, orderBy: 'OPENED_AT_DESC' | 'OPENED_AT_ASC', first: number): Promise<string[]> {
    const total = expected(filter, orderBy).length;
    const visited: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 100; pages += 1) {
      const connection: Connection = await page({ first, after, filter, orderBy });
      expect(connection.totalCount).toBe(total);
      expect(connection.edges.length).toBeLessThanOrEqual(first);
      visited.push(...connection.edges.map((edge) => edge.node.id));
      expect(connection.pageInfo.hasNextPage).toBe(visited.length < total);
      expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor ?? null);
      expect(connection.pageInfo.startCursor).toBe(connection.edges[0]?.cursor ?? null);
      expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!connection.pageInfo.hasNextPage) return visited;
      expect(connection.edges).toHaveLength(first);
      after = connection.pageInfo.endCursor;
    }
    throw new Error('pagination did not end');
  }

  it('has incidents sharing an opened_at, so the id tiebreak is exercised', () => {
    expect(rows).toHaveLength(25);
    expect(new Set(rows.map((row) => row.openedAt)).size).toBeLessThan(25);
  });

  it.each([
    ['OPENED_AT_DESC', 1],
    ['OPENED_AT_DESC', 7],
    ['OPENED_AT_DESC', 25],
    ['OPENED_AT_DESC', 100],
    ['OPENED_AT_ASC', 4],
    ['OPENED_AT_ASC', 5],
  ] as const)('%s with first: %d visits every incident exactly once, in (opened_at, id) order', async (orderBy, first) => {
    const visited = await walk({}, orderBy, first);
    expect(new Set(visited).size).toBe(visited.length);
    expect(visited).toEqual(expected({}, orderBy));
  });

  it('defaults to 20 per page, newest first', async () => {
    const connection = await page({});
    expect(connection.edges.map((edge) => edge.node.id)).toEqual(expected({}, 'OPENED_AT_DESC').slice(0, 20));
    expect(connection.pageInfo.hasNextPage).toBe(true);
    expect(connection.totalCount).toBe(25);
  });

  it('first: 0 returns no edges and still counts', async () => {
    const connection = await page({ first: 0 });
    expect(connection).toEqual({ totalCount: 25, edges: [], pageInfo: { hasPreviousPage: false, hasNextPage: true, startCursor: null, endCursor: null } });
  });

  it('a cursor stays valid when a newer incident is declared meanwhile', async () => {
    const firstPage = await page({ first: 5 });
    clock.advance(60_000);
    const newer = await t.app.services.incidents.declare(system, { title: 'late arrival', serviceId: services[0], priority: Priority.P4 });
    try {
      const secondPage = await page({ first: 5, after: firstPage.pageInfo.endCursor });
      expect(secondPage.edges.map((edge) => edge.node.id)).toEqual(expected({}, 'OPENED_AT_DESC').slice(5, 10));
      expect(secondPage.totalCount).toBe(26);
    } finally {
      await t.app.db.query('DELETE FROM timeline_event WHERE incident_id = $1', [newer.id]);
      await t.app.db.query('DELETE FROM incident WHERE id = $1', [newer.id]);
    }
  });

  describe('filters', () => {
    const at = (index: number) => rows[index].openedAt;
    const FILTERS: Array<[string, () => Filter]> = [
      ['status', () => ({ status: [IncidentStatus.TRIGGERED] })],
      ['status (two)', () => ({ status: [IncidentStatus.ACKNOWLEDGED, IncidentStatus.RESOLVED] })],
      ['priority', () => ({ priority: [Priority.P1, Priority.P3] })],
      ['serviceId', () => ({ serviceId: [services[1]] })],
      ['source', () => ({ source: [IncidentSource.CUSTOMER_REPORT] })],
      ['openedAfter (inclusive)', () => ({ openedAfter: at(10) })],
      ['openedBefore (exclusive)', () => ({ openedBefore: at(10) })],
      ['opened window', () => ({ openedAfter: at(4), openedBefore: at(20) })],
      ['titleContains, case-insensitive', () => ({ titleContains: 'SMS DELIVERY' })],
      ['titleContains with a literal %', () => ({ titleContains: '100%' })],
      ['titleContains with a literal _', () => ({ titleContains: 'disk_full' })],
      ['titleContains with a backslash', () => ({ titleContains: '\\' })],
      [
        'everything combined',
        () => ({
          status: [IncidentStatus.TRIGGERED, IncidentStatus.ACKNOWLEDGED],
          priority: [Priority.P1, Priority.P2, Priority.P3],
          serviceId: [services[0]],
          source: [IncidentSource.MONITORING, IncidentSource.INTERNAL],
          openedAfter: at(2),
          openedBefore: at(24),
          titleContains: 'd',
        }),
      ],
      ['a combination matching nothing', () => ({ serviceId: [services[0]], titleContains: 'disk_full', priority: [Priority.P4] })],
    ];

    it.each(FILTERS)('%s: every page counts the filtered total and the walk returns exactly the matches', async (_label, build) => {
      const filter = build();
      const want = expected(filter, 'OPENED_AT_DESC');
      expect(want.length).toBeLessThan(25);
      const visited = await walk(filter, 'OPENED_AT_DESC', 3);
      expect(visited).toEqual(want);
      expect(await walk(filter, 'OPENED_AT_ASC', 4)).toEqual(expected(filter, 'OPENED_AT_ASC'));
    });

    it('treats % and _ as literals, not wildcards', () => {
      expect(expected({ titleContains: '100%' }, 'OPENED_AT_DESC').length).toBeGreaterThan(0);
      expect(rows.filter((row) => row.title.startsWith('100 percent')).length).toBeGreaterThan(0);
      expect(rows.filter((row) => row.title.startsWith('diskXfull')).length).toBeGreaterThan(0);
    });

    it('refuses a malformed serviceId in the filter, naming it', async () => {
      const response = await t.gql(PAGE_QUERY, { filter: { serviceId: ['sms'] } });
      expect(response.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.serviceId' });
    });
  });

  describe('bad page arguments', () => {
    it.each([101, 1000, -1])('first: %d is BAD_USER_INPUT naming first', async (first) => {
      const response = await t.gql(PAGE_QUERY, { first });
      expect(response.data ?? null).toBeNull();
      expect(response.errors).toHaveLength(1);
      expect(response.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
      expect(response.errors![0].message).toContain('first');
    });

    it.each([
      ['not base64 JSON', 'garbage!!'],
      ['base64 of plain text', Buffer.from('hello').toString('base64url')],
      ['a JSON object', Buffer.from('{"a":1}').toString('base64url')],
      ['a non-UUID id', Buffer.from(JSON.stringify(['2026-02-01T00:00:00.000Z', 'nope'])).toString('base64url')],
      ['a non-date sort key', Buffer.from(JSON.stringify(['not a date', '00000000-0000-4000-8000-000000000000'])).toString('base64url')],
    ])('after: %s is BAD_USER_INPUT naming after', async (_label, after) => {
      const response = await t.gql(PAGE_QUERY, { first: 5, after });
      expect(response.data ?? null).toBeNull();
      expect(response.errors).toHaveLength(1);
      expect(response.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    });
  });
});
