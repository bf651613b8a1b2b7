/**
 * What bench:graphql runs and measures (graphql.ts describes it), in two phases that each own their databases and
 * servers: the read queries beside their hand-written counterparts, and the reads at scale. Each returns plain data
 * for graphql-report.ts and leaves nothing behind, also when interrupted.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import path from 'node:path';
import autocannon from 'autocannon';
import { Pool } from 'pg';
import { createApplication } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createDatabase, dropDatabase, withDatabase } from '../../src/db/database-admin';
import { freePort } from '../../src/db/embedded-postgres';
import { createDataSource, runMigrations } from '../../src/db/data-source';
import { createLogger } from '../../src/logger';
import { systemClock } from '../../src/shared/clock';
import { followTheSunInput, seedIncidents, seedReadData } from './read-seed';
import { READ_QUERIES, TYPENAME, type QueryIds, type ReadQuery } from './read-queries';
import { handleInterrupts, startServer, type ServerProcess } from './server-process';

const ADMIN_TOKEN = `ib_${randomBytes(24).toString('base64url')}`;
const HAND_WRITTEN_JS = path.resolve(__dirname, 'hand-written-server.js');
const SCALE_RUNS = 30;
const SCALE_QUERIES: Array<[label: string, query: string]> = [
  ['incidents(first: 50) { totalCount }', '{ incidents(first: 50) { totalCount edges { node { id } } } }'],
  ['incidents(filter: { titleContains: "region 4242" }) { totalCount }', '{ incidents(first: 50, filter: { titleContains: "region 4242" }) { totalCount edges { node { id } } } }'],
  ['incidents(filter: { status: [TRIGGERED] }) { totalCount }', '{ incidents(first: 50, filter: { status: [TRIGGERED] }) { totalCount edges { node { id } } } }'],
];

export interface GraphqlSettings {
  adminUrl: string;
  seconds: number;
  connections: number;
  incidents: number;
  /** 0 skips the reads at scale. */
  scaleIncidents: number;
  serverNodeArgs: string[];
  /** The queries to measure (all of READ_QUERIES unless BENCH_QUERIES names some). */
  queries: ReadQuery[];
  /** Keep the text of each counted request's statements. */
  printStatements: boolean;
}

/** One endpoint under autocannon: throughput, latency in ms, and requests that failed. */
export interface Measured {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
}

export interface QueryMeasurement {
  name: string;
  graphql: Measured;
  handWritten: Measured;
  /** SQL statements one GraphQL request of the query sends. */
  statements: number;
}

export interface CountedStatements {
  name: string;
  count: number;
  /** The statements' text (first 240 characters, whitespace folded), when settings.printStatements. */
  texts: string[];
}

export type ReadQueriesOutcome =
  | {
      answers: 'identical';
      seedSeconds: number;
      statements: CountedStatements[];
      queries: QueryMeasurement[];
      typename: { graphql: Measured; handWritten: Measured };
    }
  | { answers: 'differ'; seedSeconds: number; mismatch: { name: string; graphql: string; handWritten: string } };

export interface ScaleTiming {
  label: string;
  p50: number;
  p99: number;
  totalCount: number;
}

export interface ScaleOutcome {
  incidents: number;
  seedSeconds: number;
  timings: ScaleTiming[];
}

type Cleanups = Array<() => Promise<void> | void>;

/** Runs `body`, then what it registered to clean up (in reverse), also on Ctrl-C or SIGTERM. */
async function withCleanups<T>(body: (cleanups: Cleanups) => Promise<T>): Promise<T> {
  const cleanups: Cleanups = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  const removeHandlers = handleInterrupts(cleanUp, (signal) => console.log(`\n${signal}: stopping the servers and dropping the bench databases`));
  try {
    return await body(cleanups);
  } finally {
    await cleanUp();
    removeHandlers();
  }
}

async function measure(url: string, bodies: string[], headers: Record<string, string>, settings: GraphqlSettings): Promise<Measured> {
  let next = 0;
  const result = await autocannon({
    url,
    connections: settings.connections,
    duration: settings.seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }),
      },
    ],
  });
  return { requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx + result.errors };
}

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return response.json();
}

function startHandWritten(databaseUrl: string, port: number): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, [HAND_WRITTEN_JS], { env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`hand-written server exited (${code})`)));
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) resolve({ url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') });
    });
  });
}

/** The SQL statements one GraphQL request of each query sends, counted on an in-process server's connections. */
async function statementsPerRequest(databaseUrl: string, queries: ReadQuery[], ids: QueryIds, keepTexts: boolean): Promise<CountedStatements[]> {
  const dataSource = createDataSource({ url: databaseUrl, poolSize: 4 });
  await dataSource.initialize();
  const config = loadConfig({ LOG_LEVEL: 'silent', JOBS_ENABLED: 'false', BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN });
  const app = await createApplication({ config, dataSource, databaseUrl, clock: systemClock, log: createLogger('silent') });
  await app.services.tokens.bootstrapAdmin(ADMIN_TOKEN);
  // The pool's own client class (a subclass of pg's Client that overrides query).
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  const probe = await pool.connect();
  const prototype = Object.getPrototypeOf(probe) as { query: (...args: unknown[]) => unknown };
  probe.release();
  const original = prototype.query;
  let texts: string[] = [];
  prototype.query = function (this: { connectionParameters?: { application_name?: string } }, ...args: unknown[]) {
    if (this.connectionParameters?.application_name !== 'incident-bridge-listener') {
      texts.push(String(typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text).replace(/\s+/g, ' ').slice(0, 240));
    }
    return original.apply(this, args);
  };
  try {
    const counted: CountedStatements[] = [];
    for (const query of queries) {
      const body = JSON.stringify({ query: query.graphql, variables: query.variables(ids) });
      const request = { method: 'POST' as const, url: '/graphql', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` }, payload: body };
      // Once to warm the token cache and the prepared paths, then the counted request.
      await app.http.app.inject(request);
      texts = [];
      await app.http.app.inject(request);
      counted.push({ name: query.name, count: texts.length, texts: keepTexts ? [...texts] : [] });
    }
    return counted;
  } finally {
    prototype.query = original;
    await app.close();
    await dataSource.destroy();
  }
}

/** Sequential timings of one GraphQL query: p50 and p99 of `runs` requests, in ms. */
async function timeSequentially(server: ServerProcess, query: string, runs: number): Promise<{ p50: number; p99: number; totalCount: number }> {
  const times: number[] = [];
  let totalCount = 0;
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    const answer = (await post(`${server.url}/graphql`, JSON.stringify({ query }), { authorization: `Bearer ${ADMIN_TOKEN}` })) as { data?: { incidents: { totalCount: number } }; errors?: unknown };
    times.push(performance.now() - started);
    if (answer.errors) throw new Error(JSON.stringify(answer.errors));
    totalCount = answer.data!.incidents.totalCount;
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(runs / 2)], p99: times[Math.min(runs - 1, Math.floor(runs * 0.99))], totalCount };
}

async function freshDatabase(adminUrl: string, label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `ib_bench_${label}_${randomBytes(4).toString('hex')}`;
  await createDatabase(adminUrl, name);
  const url = withDatabase(adminUrl, name);
  const dataSource = createDataSource({ url, poolSize: 2 });
  await dataSource.initialize();
  await runMigrations(dataSource);
  await dataSource.destroy();
  return { url, drop: () => dropDatabase(adminUrl, name) };
}

/**
 * Seeds the read data set, checks that the server and the hand-written endpoint answer identical JSON, counts each
 * query's statements, then measures `{ __typename }` and each chosen query on both.
 */
export function measureReadQueries(settings: GraphqlSettings): Promise<ReadQueriesOutcome> {
  return withCleanups(async (cleanups) => {
    const database = await freshDatabase(settings.adminUrl, 'read');
    cleanups.push(() => database.drop());
    const pool = new Pool({ connectionString: database.url, max: 4 });
    cleanups.push(() => pool.end());
    const seeding = performance.now();
    await seedReadData(pool, settings.incidents);

    const server = await startServer({ env: { DATABASE_URL: database.url, JOBS_ENABLED: 'false', BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN }, nodeArgs: settings.serverNodeArgs });
    cleanups.push(() => server.stop());
    const people = (await pool.query<{ id: string }>('SELECT id FROM person ORDER BY email LIMIT 5')).rows.map((row) => row.id);
    const created = (await post(`${server.url}/graphql`, JSON.stringify({ query: 'mutation($i: CreateScheduleInput!) { createSchedule(input: $i) { schedule { id } } }', variables: { i: followTheSunInput(people) } }), {
      authorization: `Bearer ${ADMIN_TOKEN}`,
    })) as { data: { createSchedule: { schedule: { id: string } } } };
    const scheduleId = created.data.createSchedule.schedule.id;
    const seedSeconds = (performance.now() - seeding) / 1000;

    const detailIds = (await pool.query<{ id: string }>(`SELECT id FROM incident ORDER BY opened_at DESC LIMIT 100`)).rows.map((row) => row.id);
    const idsFor = (incidentId: string): QueryIds => ({ incidentId, scheduleId, from: '2026-11-30T00:00:00.000Z', to: '2026-12-07T00:00:00.000Z' });
    const hand = await startHandWritten(database.url, await freePort());
    cleanups.push(() => hand.stop());

    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    for (const [index, query] of READ_QUERIES.entries()) {
      for (const incidentId of detailIds.slice(0, 3)) {
        const ids = idsFor(incidentId);
        const viaGraphql = await post(`${server.url}/graphql`, JSON.stringify({ query: query.graphql, variables: query.variables(ids) }), auth);
        const viaSql = await post(`${hand.url}/query/${index}`, JSON.stringify(ids));
        if (!isDeepStrictEqual(viaGraphql, viaSql)) {
          return { answers: 'differ', seedSeconds, mismatch: { name: query.name, graphql: JSON.stringify(viaGraphql), handWritten: JSON.stringify(viaSql) } };
        }
      }
    }

    const statements = await statementsPerRequest(database.url, READ_QUERIES, idsFor(detailIds[0]), settings.printStatements);
    const typename = {
      graphql: await measure(`${server.url}/graphql`, [JSON.stringify({ query: TYPENAME })], auth, settings),
      handWritten: await measure(`${hand.url}/typename`, ['{}'], {}, settings),
    };

    const queries: QueryMeasurement[] = [];
    for (const [index, query] of READ_QUERIES.entries()) {
      if (!settings.queries.includes(query)) continue;
      const graphqlBodies = detailIds.map((id) => JSON.stringify({ query: query.graphql, variables: query.variables(idsFor(id)) }));
      const sqlBodies = detailIds.map((id) => JSON.stringify(idsFor(id)));
      const handWritten = await measure(`${hand.url}/query/${index}`, sqlBodies, {}, settings);
      const graphql = await measure(`${server.url}/graphql`, graphqlBodies, auth, settings);
      queries.push({ name: query.name, graphql, handWritten, statements: statements[index].count });
    }
    return { answers: 'identical', seedSeconds, statements, queries, typename };
  });
}

/** `totalCount` and `titleContains` over settings.scaleIncidents incidents, each query timed sequentially. */
export function measureReadsAtScale(settings: GraphqlSettings): Promise<ScaleOutcome> {
  return withCleanups(async (cleanups) => {
    const scale = await freshDatabase(settings.adminUrl, 'scale');
    cleanups.push(() => scale.drop());
    const scalePool = new Pool({ connectionString: scale.url, max: 2 });
    cleanups.push(() => scalePool.end());
    const started = performance.now();
    await scalePool.query(`INSERT INTO person (name, email) VALUES ('Owner', 'owner@example.com')`);
    await scalePool.query(`INSERT INTO service (name, slug) SELECT 'Service ' || n, 'service-' || n FROM generate_series(1, 10) n`);
    await seedIncidents(scalePool, settings.scaleIncidents, { withDetails: false });
    // As autovacuum leaves a table of this size in production: visibility map set (index-only counts), statistics fresh.
    await scalePool.query('VACUUM ANALYZE');
    const seedSeconds = (performance.now() - started) / 1000;
    const scaleServer = await startServer({ env: { DATABASE_URL: scale.url, JOBS_ENABLED: 'false', BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN }, nodeArgs: settings.serverNodeArgs });
    cleanups.push(() => scaleServer.stop());
    const timings: ScaleTiming[] = [];
    for (const [label, query] of SCALE_QUERIES) timings.push({ label, ...(await timeSequentially(scaleServer, query, SCALE_RUNS)) });
    return { incidents: settings.scaleIncidents, seedSeconds, timings };
  });
}
