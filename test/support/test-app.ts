import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createApplication, type Application } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { createDataSource } from '../../src/db/data-source';
import type { DestinationStream } from 'pino';
import { createLogger } from '../../src/logger';
import { Role } from '../../src/schema/enums';
import { ManualClock, systemClock, type Clock } from '../../src/shared/clock';
import { TcpProxy } from '../../scripts/support/tcp-proxy';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestApp {
  app: Application;
  url: string;
  wsUrl: string;
  database: TestDatabase;
  /** The proxy between the app and its database (with `throughProxy`), else null. */
  proxy: TcpProxy | null;
  adminToken: string;
  clock: Clock;
  /** POST /graphql with a bearer token; returns the parsed body. */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResult<T>>;
  tokenFor(role: Role, name?: string): Promise<string>;
  close(): Promise<void>;
}

export interface GraphQLResult<T> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string; field?: string } }>;
}

export interface TestAppOptions {
  clock?: ManualClock;
  config?: Partial<Record<keyof Config, string>>;
  /** Another instance of the same deployment: this app uses that app's database (and leaves dropping it to that app). */
  sameDatabaseAs?: TestApp;
  /** Where the app logs (at config.LOG_LEVEL, silent by default), for tests that read the log. */
  logDestination?: DestinationStream;
  /** Reach the database through a TCP proxy the test can cut (`t.proxy`), for outages. */
  throughProxy?: boolean;
  /** With `throughProxy`: only the pool goes through the proxy, the change listener connects directly (it keeps hearing changes during a cut). */
  listenAroundProxy?: boolean;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const shared = options.sameDatabaseAs?.database;
  const database = shared ? { url: shared.url, drop: async () => {} } : await createTestDatabase();
  const proxy = options.throughProxy ? await TcpProxy.forDatabase(database.url) : null;
  const appDatabaseUrl = proxy ? proxy.url(database.url) : database.url;
  const config = loadConfig({ LOG_LEVEL: 'silent', PORT: '0', ...options.config });
  const dataSource = createDataSource({ url: appDatabaseUrl, poolSize: 10, connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS, statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS });
  await dataSource.initialize();
  const clock = options.clock ?? systemClock;
  const listenerUrl = options.listenAroundProxy ? database.url : appDatabaseUrl;
  const app = await createApplication({ config, dataSource, databaseUrl: listenerUrl, clock, log: createLogger(config.LOG_LEVEL, options.logDestination) });
  await app.http.listen(0, '127.0.0.1');
  const port = (app.http.app.server.address() as AddressInfo).port;
  const { secret: adminToken } = await app.services.tokens.create({ name: 'test admin', role: Role.ADMIN });
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    url,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    database,
    proxy,
    adminToken,
    clock,
    async gql(query, variables, token = adminToken) {
      const response = await request(url).post('/graphql').set('Authorization', `Bearer ${token}`).send({ query, variables });
      return { status: response.status, data: response.body.data, errors: response.body.errors };
    },
    async tokenFor(role, name = `${role.toLowerCase()} token`) {
      return (await app.services.tokens.create({ name, role })).secret;
    },
    async close() {
      proxy?.restore();
      await app.close();
      await dataSource.destroy();
      await proxy?.close();
      await database.drop();
    },
  };
}

/** Resolves once /readyz answers 200 (after an outage: the database answers and the change listener is back). */
export async function untilReady(t: TestApp, deadlineMs = 20_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const status = (await request(t.url).get('/readyz')).status;
    if (status === 200) return;
    if (Date.now() > until) throw new Error(`/readyz still answers ${status} after ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
