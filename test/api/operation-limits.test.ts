import { getIntrospectionQuery } from 'graphql';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { Role } from '../../src/schema/enums';
import { RotationUnit } from '../../src/schema/schedule.entity';
import { compareWithHealthz, healthzRatios } from '../support/latency';
import { startTestApp, type TestApp } from '../support/test-app';
import { connectWs } from './ws-client';

/** A stall shows as thousands of /healthz round trips; a document refused after a linear check as a handful. */
const MAX_RATIO = 50;

interface Outcome {
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  data?: unknown;
}

/** One operation over an open graphql-ws client: its first result, or the errors it was refused with. */
function overWebSocket(client: Client, query: string, variables?: Record<string, unknown>): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    let first: Outcome | null = null;
    client.subscribe(
      { query, variables },
      {
        next: (result) => {
          first ??= result as Outcome;
        },
        error: (error) => (Array.isArray(error) ? resolve({ errors: error as Outcome['errors'] }) : reject(error)),
        complete: () => resolve(first ?? {}),
      },
    );
  });
}

/** `levels` fragments, each spreading the next twice: 2^levels paths through a document of ~40 bytes a level. */
function fragmentFanOut(levels: number, operationName: string): string {
  let document = `query ${operationName} { me { ...F0 } }\n`;
  for (let level = 0; level < levels; level += 1) document += `fragment F${level} on Viewer { ...F${level + 1} ...F${level + 1} }\n`;
  return `${document}fragment F${levels} on Viewer { name }\n`;
}

function aliasesOfShifts(count: number): string {
  const fields = Array.from({ length: count }, (_, i) => `s${i}: shifts(scheduleId: $s, from: $from, to: $to) { shifts { start end } }`);
  return `query($s: ID!, $from: DateTime!, $to: DateTime!) { ${fields.join('\n')} }`;
}

describe('operation limits', () => {
  let t: TestApp;
  let viewer: string;
  let scheduleId: string;
  let ws: Client;

  beforeAll(async () => {
    t = await startTestApp();
    viewer = await t.tokenFor(Role.VIEWER);
    const people = await Promise.all(['Ana', 'Bo', 'Cy'].map((name) => t.app.services.catalog.createPerson({ name, email: `${name.toLowerCase()}@example.com` })));
    const schedule = await t.app.services.schedules.create({
      name: 'follow the sun',
      timeZone: 'Europe/Lisbon',
      layers: [{ name: 'primary', start: '2026-01-01T02:00', rotation: { unit: RotationUnit.HOURS, length: 8 }, participants: people.map((person) => person.id) }],
    });
    scheduleId = schedule.id;
    ws = connectWs(t, viewer);
  });
  afterAll(async () => {
    await ws.dispose();
    await t.close();
  });

  describe('fragment fan-out', () => {
    it('over HTTP is refused after a linear check while /healthz stays fast, under any operation name', async () => {
      let round = 0;
      const comparison = await compareWithHealthz(t.url, () => t.gql(fragmentFanOut(22, `Fan${(round += 1)}`), {}, viewer));
      expect(comparison.result.status).toBe(400);
      // Each level doubles how often `name` is selected in the merged selection.
      expect(comparison.result.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_MANY_ALIASES', field: 'name' });
      const ratios = healthzRatios(comparison);
      expect(ratios.work).toBeLessThan(MAX_RATIO);
      expect(ratios.healthz).toBeLessThan(MAX_RATIO);
    });

    it('over WebSocket is refused the same way', async () => {
      let round = 0;
      const comparison = await compareWithHealthz(t.url, () => overWebSocket(ws, fragmentFanOut(22, `Fan${(round += 1)}`)));
      expect(comparison.result.errors?.[0].extensions?.code).toBe('QUERY_TOO_MANY_ALIASES');
      const ratios = healthzRatios(comparison);
      expect(ratios.work).toBeLessThan(MAX_RATIO);
      expect(ratios.healthz).toBeLessThan(MAX_RATIO);
    });

    it('counts depth through fragments: a deep path through two fragments is QUERY_TOO_DEEP, a shallow fan-out is not', async () => {
      const deep = await t.gql(
        `query { incidents { edges { node { ...A } } } }
         fragment A on Incident { alerts { edges { node { ...B } } } }
         fragment B on Alert { service { escalationPolicy { steps { targets { id } } } } }`,
        {},
        viewer,
      );
      expect(deep.errors?.[0].extensions?.code).toBe('QUERY_TOO_DEEP');
      expect(deep.errors?.[0].message).toMatch(/depth 11 exceeds the limit of 10/);
      const fine = await t.gql(fragmentFanOut(3, 'Small'), {}, viewer);
      expect(fine.errors).toBeUndefined();
      expect(fine.data).toEqual({ me: { name: 'viewer token' } });
    });
  });

  describe('document size', () => {
    it('refuses a document of more tokens than the limit before validating it, over HTTP and WebSocket', async () => {
      const big = `{ me { ${Array.from({ length: 3000 }, (_, i) => `n${i}: name`).join(' ')} } }`;
      const overHttp = await t.gql(big, {}, viewer);
      expect(overHttp.status).toBe(400);
      expect(overHttp.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
      expect(overHttp.errors?.[0].message).toMatch(/5000 tokens/);
      const overWs = await overWebSocket(ws, big);
      expect(overWs.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    });

    it('refuses the same response name repeated in one selection (quadratic to merge) before merging it', async () => {
      const repeated = `{ ${Array.from({ length: 300 }, () => 'a: me { name }').join(' ')} }`;
      const comparison = await compareWithHealthz(t.url, () => t.gql(repeated, {}, viewer));
      expect(comparison.result.errors?.[0].extensions?.code).toBe('QUERY_TOO_MANY_ALIASES');
      expect(healthzRatios(comparison).work).toBeLessThan(MAX_RATIO);
    });
  });

  describe('alias amplification of an expensive field', () => {
    const range = { from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z' };

    it('refuses 200 aliases of shifts at once while /healthz stays fast', async () => {
      const comparison = await compareWithHealthz(t.url, () => t.gql(aliasesOfShifts(200), { s: scheduleId, ...range }, viewer));
      expect(comparison.result.status).toBe(400);
      expect(comparison.result.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_MANY_ALIASES', field: 'shifts' });
      const ratios = healthzRatios(comparison);
      expect(ratios.work).toBeLessThan(MAX_RATIO);
      expect(ratios.healthz).toBeLessThan(MAX_RATIO);
    });

    it('charges a schedule expansion by its time range: a few aliases over long ranges are too complex', async () => {
      const long = { from: '2026-01-01T00:00:00Z', to: '2026-04-10T00:00:00Z' };
      const within = await t.gql<Record<string, { shifts: unknown[] }>>(aliasesOfShifts(2), { s: scheduleId, ...long }, viewer);
      expect(within.errors).toBeUndefined();
      expect(within.data!.s0.shifts.length).toBeGreaterThan(290);
      const beyond = await t.gql(aliasesOfShifts(15), { s: scheduleId, ...long }, viewer);
      expect(beyond.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
      const short = await t.gql(aliasesOfShifts(15), { s: scheduleId, from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' }, viewer);
      expect(short.errors).toBeUndefined();
    });

    it('caps the range a timeline accepts (BAD_USER_INPUT naming `to`)', async () => {
      const thirteenMonths = await t.gql(aliasesOfShifts(1), { s: scheduleId, from: '2026-01-01T00:00:00Z', to: '2027-02-01T00:00:00Z' }, viewer);
      expect(thirteenMonths.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
      expect(thirteenMonths.errors?.[0].message).toMatch(/100 days/);
    });

    it('charges a list by the page size it asks for', async () => {
      const cheap = await t.gql(`{ incidents(first: 5) { edges { node { id timeline(first: 5) { id } } } } }`, {}, viewer);
      expect(cheap.errors).toBeUndefined();
      const nested = `{ incidents(first: 100) { edges { node { alerts(first: 100) { edges { node { id service { name } } } } } } } }`;
      const expensive = await t.gql(nested, {}, viewer);
      expect(expensive.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    });
  });

  describe('what a review found', () => {
    it('refuses aliases inside introspection (20 × 20 aliases of types and fields blocked the event loop for seconds)', async () => {
      const types = Array.from({ length: 20 }, (_, i) => `t${i}: types { ...T }`).join(' ');
      const fields = Array.from({ length: 20 }, (_, i) => `f${i}: fields { ...F }`).join(' ');
      const document = `query { __schema { ${types} } } fragment T on __Type { name ${fields} } fragment F on __Field { name t0: type { name kind } }`;
      const comparison = await compareWithHealthz(t.url, () => t.gql(document, {}, viewer));
      expect(comparison.result.errors?.[0].extensions?.code).toBe('QUERY_TOO_MANY_ALIASES');
      expect(comparison.result.errors?.[0].message).toMatch(/aliases are not allowed in introspection/);
      expect(healthzRatios(comparison).work).toBeLessThan(MAX_RATIO);
      const twice = await t.gql(`{ __schema { queryType { name } } ...S } fragment S on Query { __schema { queryType { name } } }`, {}, viewer);
      expect(twice.errors).toBeUndefined();
      const standard = await t.gql<{ __schema: { types: unknown[] } }>(getIntrospectionQuery(), {}, viewer);
      expect(standard.errors).toBeUndefined();
      expect(standard.data!.__schema.types.length).toBeGreaterThan(50);
    });

    it('charges a page size the list will refuse as the largest page, so it cannot make the rest free', async () => {
      const big = `big: incidents(first: 100) { edges { node { alerts(first: 100) { edges { node { id service { name } } } } } } }`;
      const withNegative = await t.gql(`{ ${big} cheap: incidents(first: -2000000000) { totalCount } }`, {}, viewer);
      expect(withNegative.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
      const tooLarge = await t.gql(`{ incidents(first: 5000) { totalCount } }`, {}, viewer);
      expect(tooLarge.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    });

    it('counts a response name through fragments: 440 spreads of a one-field fragment are refused before merging', async () => {
      const spreads = Array.from({ length: 440 }, (_, i) => `...F${i}`).join(' ');
      const fragments = Array.from({ length: 440 }, (_, i) => `fragment F${i} on Viewer { name }`).join('\n');
      const comparison = await compareWithHealthz(t.url, () => t.gql(`{ me { ${spreads} } } ${fragments}`, {}, viewer));
      expect(comparison.result.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_MANY_ALIASES', field: 'name' });
      expect(healthzRatios(comparison).work).toBeLessThan(MAX_RATIO);
    });

    it('stops resolving timelines past what one operation may do, however the cost estimate judged them', async () => {
      const person = await t.app.services.catalog.createPerson({ name: 'Hourly', email: 'hourly@example.com' });
      const hourly = await t.app.services.schedules.create({
        name: 'hourly',
        timeZone: 'UTC',
        layers: [{ name: 'hourly', start: '2026-01-01T00:00', rotation: { unit: RotationUnit.HOURS, length: 1 }, participants: [person.id] }],
      });
      // Each alias its own 80-day range (1,900+ pieces): together twice what one operation may resolve.
      const fields = Array.from({ length: 20 }, (_, i) => {
        const from = new Date(Date.UTC(2026, 0, 1, i)).toISOString();
        const to = new Date(Date.UTC(2026, 0, 1, i) + 80 * 86_400_000).toISOString();
        return `g${i}: gaps(from: "${from}", to: "${to}") { start }`;
      });
      const answer = await t.gql<{ schedule: Record<string, unknown[] | null> | null }>(`query($s: ID!) { schedule(id: $s) { ${fields.join(' ')} } }`, { s: hourly.id }, viewer);
      const codes = (answer.errors ?? []).map((error) => error.extensions?.code);
      expect(codes).toContain('QUERY_TOO_COMPLEX');
      expect(answer.errors?.find((error) => error.extensions?.code === 'QUERY_TOO_COMPLEX')?.message).toMatch(/would exceed what one request may do/);
    });

    it('refuses a subscription sent over HTTP with a clear error', async () => {
      const overHttp = await t.gql(`subscription { incidentCreated { id } }`, {}, viewer);
      expect(overHttp.status).toBe(400);
      expect(overHttp.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_REQUEST' } });
      expect(overHttp.errors?.[0].message).toMatch(/WebSocket/);
    });

    it('answers a document that exhausts the parser (deeply nested lists) as GRAPHQL_PARSE_FAILED over WebSocket, keeping the connection', async () => {
      const nested = `query { incidents(filter: { status: ${'['.repeat(2400)}TRIGGERED${']'.repeat(2400)} }) { totalCount } }`;
      const refused = await overWebSocket(ws, nested);
      expect(refused.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
      expect(await overWebSocket(ws, `{ me { name } }`)).toEqual({ data: { me: { name: 'viewer token' } } });
    });

    it('forgets a WebSocket connection that closed while its token was being checked', async () => {
      const before = t.app.sessions.size();
      await Promise.all(
        Array.from({ length: 50 }, async () => {
          const token = await t.tokenFor(Role.VIEWER);
          const socket = new WebSocket(t.wsUrl, 'graphql-transport-ws');
          await new Promise((resolve) => socket.once('open', resolve));
          socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
          socket.terminate();
        }),
      );
      // A marker: a connection made after them is registered, so every earlier one was handled.
      const marker = connectWs(t, viewer);
      const live = new Promise((resolve) => marker.on('connected', resolve));
      marker.subscribe({ query: '{ me { name } }' }, { next: () => undefined, error: () => undefined, complete: () => undefined });
      await live;
      for (let wait = 0; wait < 50 && t.app.sessions.size() > before + 1; wait += 1) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(t.app.sessions.size()).toBeLessThanOrEqual(before + 1);
      await marker.dispose();
    });
  });

  describe('GRAPHQL_INTROSPECTION=false', () => {
    let closed: TestApp;
    beforeAll(async () => {
      closed = await startTestApp({ config: { GRAPHQL_INTROSPECTION: 'false' } });
    });
    afterAll(() => closed.close());

    it('refuses schema introspection over HTTP and WebSocket, and still answers __typename', async () => {
      const overHttp = await closed.gql(`{ __schema { types { name } } }`);
      expect(overHttp.status).toBe(400);
      expect(overHttp.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(overHttp.errors?.[0].message).toMatch(/introspection/i);
      const client = connectWs(closed, closed.adminToken);
      try {
        const overWs = await overWebSocket(client, `{ __type(name: "Incident") { name } }`);
        expect(overWs.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      } finally {
        await client.dispose();
      }
      expect((await closed.gql(`{ __typename }`)).data).toEqual({ __typename: 'Query' });
      const typo = await closed.gql(`{ incidens { totalCount } }`);
      expect(typo.errors?.[0].message).toBe('Cannot query field "incidens" on type "Query".');
    });
  });

  describe('operation time budget', () => {
    let slow: TestApp;
    beforeAll(async () => {
      slow = await startTestApp({ config: { GRAPHQL_OPERATION_TIMEOUT_MS: '50' } });
    });
    afterAll(() => slow.close());

    it('answers OPERATION_TIMEOUT instead of running on, over HTTP and WebSocket', async () => {
      const people = await Promise.all(['Ana', 'Bo'].map((name) => slow.app.services.catalog.createPerson({ name, email: `${name}@example.org` })));
      const schedule = await slow.app.services.schedules.create({
        name: 'hourly',
        timeZone: 'Europe/Lisbon',
        layers: Array.from({ length: 6 }, (_, i) => ({ name: `layer ${i}`, start: '2026-01-01T00:00', rotation: { unit: RotationUnit.HOURS, length: 1 }, participants: people.map((p) => p.id) })),
      });
      const query = aliasesOfShifts(8);
      const variables = { s: schedule.id, from: '2026-01-01T00:00:00Z', to: '2026-01-13T00:00:00Z' };
      const overHttp = await slow.gql(query, variables);
      expect(overHttp.errors?.map((error) => error.extensions?.code)).toContain('OPERATION_TIMEOUT');
      expect(overHttp.errors?.find((error) => error.extensions?.code === 'OPERATION_TIMEOUT')?.message).toMatch(/50 ms/);
      const client = connectWs(slow, slow.adminToken);
      try {
        const overWs = await overWebSocket(client, query, variables);
        expect(overWs.errors?.map((error) => error.extensions?.code)).toContain('OPERATION_TIMEOUT');
      } finally {
        await client.dispose();
      }
    });
  });
});
