import { Writable } from 'node:stream';
import { createClient, type Client } from 'graphql-ws';
import request from 'supertest';
import WebSocket from 'ws';
import { Role } from '../../src/schema/enums';
import { startTestApp, untilReady, type TestApp } from '../support/test-app';
import { closedOnce } from './ws-client';

/**
 * GraphQL while the database cannot be reached (a real TCP proxy between the app and PostgreSQL, cut every
 * way: connections refused, dropped and left hanging, or kept open and silent): an operation that failed for it is answered 503 SERVICE_UNAVAILABLE with Retry-After, whether the
 * token check or the execution met the outage; over WebSocket the operation fails with that code and the
 * connection stays; a new connection whose token cannot be checked is closed with 1013; afterwards all works.
 */
const CONNECT_TIMEOUT_MS = 1000;
const STATEMENT_TIMEOUT_MS = 1000;
const RETRY_AFTER_SECONDS = 7;
/** An operation may wait for a connection or a statement's reply once or twice, never for ever. */
const ANSWER_BOUND_MS = 2 * (STATEMENT_TIMEOUT_MS + 2 * CONNECT_TIMEOUT_MS) + 1000;
const TRY_AGAIN_LATER = 1013;

interface Answer {
  data?: unknown;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

const INCIDENTS = '{ incidents(first: 5) { totalCount } }';

/** One operation over an open graphql-ws connection: its first result, or the errors it was refused with. */
function overWebSocket(client: Client, query: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let first: Answer = {};
    client.subscribe(
      { query },
      {
        next: (result) => {
          first = result as Answer;
        },
        error: (error) => (Array.isArray(error) ? resolve({ errors: error as Answer['errors'] }) : reject(error)),
        complete: () => resolve(first),
      },
    );
  });
}

describe('GraphQL during a database outage', () => {
  let t: TestApp;
  const lines: string[] = [];
  const clients: Client[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    t = await startTestApp({
      throughProxy: true,
      config: { DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS), DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS), RETRY_AFTER_SECONDS: String(RETRY_AFTER_SECONDS), JOBS_ENABLED: 'false', LOG_LEVEL: 'warn' },
      logDestination: sink,
    });
  });
  afterAll(async () => {
    t.proxy!.restore();
    await Promise.all(clients.map((client) => client.dispose()));
    await t.close();
  });
  afterEach(() => t.proxy!.restore());

  const query = (token: string, body: Record<string, unknown>) =>
    request(t.url).post('/graphql').set('Authorization', `Bearer ${token}`).timeout(ANSWER_BOUND_MS).send(body);

  /** A connection that stays open between operations (graphql-ws's lazy client would close it), with its closes counted. */
  async function openConnection(token: string): Promise<{ client: Client; closes: number[] }> {
    const client = createClient({ url: t.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, lazy: false, retryAttempts: 0 });
    clients.push(client);
    const closes: number[] = [];
    client.on('closed', (event) => closes.push((event as { code: number }).code));
    await new Promise<void>((resolve, reject) => {
      const offConnected = client.on('connected', () => {
        offConnected();
        resolve();
      });
      client.on('closed', (event) => reject(new Error(`closed with ${(event as { code: number }).code}`)));
    });
    return { client, closes };
  }

  function expectUnavailable(response: request.Response): void {
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
    expect(response.body.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('retry'), extensions: { code: 'SERVICE_UNAVAILABLE' } })]);
    expect(response.text).not.toMatch(/ECONN|terminated|timeout|postgres|127\.0\.0\.1/i);
  }

  it.each(['refuse', 'blackhole', 'freeze'] as const)('cut (%s): 503 SERVICE_UNAVAILABLE with Retry-After over HTTP, an error on an open WebSocket that stays open, 1013 for a new one', async (mode) => {
    const checked = await t.tokenFor(Role.ADMIN, `checked-${mode}`);
    const unchecked = await t.tokenFor(Role.VIEWER, `unchecked-${mode}`);
    // A token checked a moment ago is answered from the authenticator's cache: its operations meet the outage while running.
    expect((await query(checked, { query: INCIDENTS })).status).toBe(200);
    const open = await openConnection(checked);
    const warningsBefore = lines.length;

    t.proxy!.cut(mode);
    expectUnavailable(await query(checked, { query: INCIDENTS }));
    expectUnavailable(await query(checked, { query: 'mutation { createService(input: { name: "Down", slug: "down" }) { service { id } } }' }));
    // The token itself cannot be checked: neither 401 (it is valid) nor 500.
    expectUnavailable(await query(unchecked, { query: INCIDENTS }));

    const overWs = await overWebSocket(open.client, INCIDENTS);
    expect(overWs.errors).toEqual([expect.objectContaining({ extensions: { code: 'SERVICE_UNAVAILABLE' } })]);
    const refused = createClient({ url: t.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${unchecked}` }, lazy: false, retryAttempts: 0, onNonLazyError: () => undefined });
    clients.push(refused);
    expect((await closedOnce(refused)).code).toBe(TRY_AGAIN_LATER);

    t.proxy!.restore();
    await untilReady(t);
    expect((await query(unchecked, { query: INCIDENTS })).body).toEqual({ data: { incidents: { totalCount: 0 } } });
    expect(await overWebSocket(open.client, INCIDENTS)).toEqual({ data: { incidents: { totalCount: 0 } } });
    expect(open.closes).toEqual([]);
    const again = await openConnection(unchecked);
    expect(await overWebSocket(again.client, INCIDENTS)).toEqual({ data: { incidents: { totalCount: 0 } } });

    // Logged as the outage it is, at warn, never as an unexpected error.
    const logged = lines.slice(warningsBefore).map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(logged.filter((entry) => entry.msg === 'unexpected GraphQL error')).toEqual([]);
    expect(logged.some((entry) => entry.level === 40 && /database is unavailable/.test(entry.msg))).toBe(true);
  });
});
