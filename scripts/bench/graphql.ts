/**
 * npm run bench:graphql — the frontends' read queries through the real server, each beside a hand-written endpoint
 * serving the identical JSON from one SQL statement, measured in the same run (scripts/bench/read-queries.ts).
 *
 * Both servers run as child processes on one freshly seeded database; autocannon drives each query with
 * BENCH_CONNECTIONS concurrent clients for BENCH_SECONDS. Before measuring, the bench checks that both answer the
 * same JSON. It also counts the SQL statements one GraphQL request sends (an in-process server, once per query),
 * and, with BENCH_SCALE_INCIDENTS, times `totalCount` and `titleContains` over that many incidents.
 *
 * Environment:
 *   DATABASE_URL           admin URL of the PostgreSQL to create the bench databases in (default postgres://postgres@127.0.0.1:5432/test)
 *   BENCH_SECONDS          seconds per measurement (default 10)
 *   BENCH_CONNECTIONS      concurrent clients (default 16)
 *   BENCH_INCIDENTS        incidents in the read data set (default 5000)
 *   BENCH_SCALE_INCIDENTS  incidents for the reads-at-scale timings (default 1000000; 0 skips them)
 *   BENCH_QUERIES          which to measure, comma-separated keys: list, detail, oncall (default all; for profiling one)
 *   BENCH_PRINT_STATEMENTS set: print the statements of each counted request (to see what a query costs)
 *   BENCH_SERVER_NODE_ARGS extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
 * It is a measurement: it prints PASS/MISS against the targets and never fails on a miss.
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
import { handleInterrupts, killStartedServers, startServer, type ServerProcess } from './server-process';
import { formatInt, formatNumber } from './common';

const ADMIN_TOKEN = `ib_${randomBytes(24).toString('base64url')}`;
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 50;
const HAND_WRITTEN_JS = path.resolve(__dirname, 'hand-written-server.js');

interface Settings {
  adminUrl: string;
  seconds: number;
  connections: number;
  incidents: number;
  scaleIncidents: number;
  serverNodeArgs: string[];
  queries: ReadQuery[];
}

function readSettings(): Settings {
  return {
    adminUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    seconds: Number(process.env.BENCH_SECONDS ?? 10),
    connections: Number(process.env.BENCH_CONNECTIONS ?? 16),
    incidents: Number(process.env.BENCH_INCIDENTS ?? 5000),
    scaleIncidents: Number(process.env.BENCH_SCALE_INCIDENTS ?? 1_000_000),
    serverNodeArgs: (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean),
    queries: process.env.BENCH_QUERIES ? READ_QUERIES.filter((query) => process.env.BENCH_QUERIES!.split(',').includes(query.key)) : READ_QUERIES,
  };
}

interface Measured {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function measure(url: string, bodies: string[], headers: Record<string, string>, settings: Settings): Promise<Measured> {
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

/** SQL statements one GraphQL request of `query` sends, counted on an in-process server's connections. */
async function statementsPerRequest(databaseUrl: string, queries: ReadQuery[], ids: QueryIds): Promise<number[]> {
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
  let counted = 0;
  prototype.query = function (this: { connectionParameters?: { application_name?: string } }, ...args: unknown[]) {
    if (this.connectionParameters?.application_name !== 'incident-bridge-listener') {
      counted += 1;
      if (process.env.BENCH_PRINT_STATEMENTS) console.log(`  SQL: ${String(typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text).replace(/\s+/g, ' ').slice(0, 240)}`);
    }
    return original.apply(this, args);
  };
  try {
    const counts: number[] = [];
    for (const query of queries) {
      const body = JSON.stringify({ query: query.graphql, variables: query.variables(ids) });
      // Once to warm the token cache and the prepared paths, then the counted request.
      await app.http.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` }, payload: body });
      counted = 0;
      await app.http.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` }, payload: body });
      counts.push(counted);
    }
    return counts;
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

async function main(): Promise<void> {
  const settings = readSettings();
  const cleanups: Array<() => Promise<void> | void> = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  const removeHandlers = handleInterrupts(cleanUp, (signal) => console.log(`\n${signal}: stopping the servers and dropping the bench databases`));
  console.log(`bench:graphql — ${settings.incidents} incidents, ${settings.connections} clients, ${settings.seconds} s per measurement, node ${process.version}`);
  try {
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
    console.log(`seeded in ${formatNumber((performance.now() - seeding) / 1000)} s`);

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
          console.error(`the two answers of "${query.name}" differ:\nGraphQL: ${JSON.stringify(viaGraphql).slice(0, 1500)}\nSQL:     ${JSON.stringify(viaSql).slice(0, 1500)}`);
          process.exitCode = 1;
          return;
        }
      }
    }
    console.log('both answer identical JSON for every query\n');

    const statements = await statementsPerRequest(database.url, READ_QUERIES, idsFor(detailIds[0]));
    const typename = await measure(`${server.url}/graphql`, [JSON.stringify({ query: TYPENAME })], auth, settings);
    const typenameHand = await measure(`${hand.url}/typename`, ['{}'], {}, settings);

    const rows: string[][] = [];
    for (const [index, query] of READ_QUERIES.entries()) {
      if (!settings.queries.includes(query)) continue;
      const graphqlBodies = detailIds.map((id) => JSON.stringify({ query: query.graphql, variables: query.variables(idsFor(id)) }));
      const sqlBodies = detailIds.map((id) => JSON.stringify(idsFor(id)));
      const viaSql = await measure(`${hand.url}/query/${index}`, sqlBodies, {}, settings);
      const viaGraphql = await measure(`${server.url}/graphql`, graphqlBodies, auth, settings);
      const ratio = viaGraphql.requestsPerSecond / viaSql.requestsPerSecond;
      const met = ratio >= TARGET_RATIO && viaGraphql.p99 <= TARGET_P99_MS;
      rows.push([
        query.name,
        `${formatInt(viaGraphql.requestsPerSecond)} (p50 ${viaGraphql.p50} ms, p99 ${viaGraphql.p99} ms)`,
        `${formatInt(viaSql.requestsPerSecond)} (p50 ${viaSql.p50} ms, p99 ${viaSql.p99} ms)`,
        `${formatNumber(ratio, 2)}×`,
        String(statements[index]),
        `${met ? 'PASS' : 'MISS'} (≥ ${TARGET_RATIO}×, p99 ≤ ${TARGET_P99_MS} ms)${viaGraphql.non2xx + viaSql.non2xx ? `, ${viaGraphql.non2xx + viaSql.non2xx} failed requests` : ''}`,
      ]);
    }
    console.log('| query | GraphQL req/s | hand-written SQL req/s | ratio | SQL statements per GraphQL request | target |');
    console.log('|---|---|---|---|---|---|');
    for (const row of rows) console.log(`| ${row.join(' | ')} |`);
    console.log(`| { __typename } | ${formatInt(typename.requestsPerSecond)} (p99 ${typename.p99} ms) | ${formatInt(typenameHand.requestsPerSecond)} (p99 ${typenameHand.p99} ms) | ${formatNumber(typename.requestsPerSecond / typenameHand.requestsPerSecond, 2)}× | 0 | (reference) |`);

    if (settings.scaleIncidents > 0) {
      await server.stop();
      console.log(`\nreads at scale: ${formatInt(settings.scaleIncidents)} incidents`);
      const scale = await freshDatabase(settings.adminUrl, 'scale');
      cleanups.push(() => scale.drop());
      const scalePool = new Pool({ connectionString: scale.url, max: 2 });
      cleanups.push(() => scalePool.end());
      const started = performance.now();
      await scalePool.query(`INSERT INTO person (name, email) VALUES ('Owner', 'owner@example.com')`);
      await scalePool.query(`INSERT INTO service (name, slug) SELECT 'Service ' || n, 'service-' || n FROM generate_series(1, 10) n`);
      await seedIncidents(scalePool, settings.scaleIncidents, { withDetails: false });
      await scalePool.query('ANALYZE');
      console.log(`seeded in ${formatNumber((performance.now() - started) / 1000)} s`);
      const scaleServer = await startServer({ env: { DATABASE_URL: scale.url, JOBS_ENABLED: 'false', BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN }, nodeArgs: settings.serverNodeArgs });
      cleanups.push(() => scaleServer.stop());
      const cases: Array<[string, string]> = [
        ['incidents(first: 50) { totalCount }', '{ incidents(first: 50) { totalCount edges { node { id } } } }'],
        ['incidents(filter: { titleContains: "region 4242" }) { totalCount }', '{ incidents(first: 50, filter: { titleContains: "region 4242" }) { totalCount edges { node { id } } } }'],
        ['incidents(filter: { status: [TRIGGERED] }) { totalCount }', '{ incidents(first: 50, filter: { status: [TRIGGERED] }) { totalCount edges { node { id } } } }'],
      ];
      console.log('| query | p50 | p99 | totalCount |');
      console.log('|---|---|---|---|');
      for (const [label, query] of cases) {
        const timing = await timeSequentially(scaleServer, query, 30);
        console.log(`| ${label} | ${formatNumber(timing.p50)} ms | ${formatNumber(timing.p99)} ms | ${formatInt(timing.totalCount)} |`);
      }
    }
  } finally {
    await cleanUp();
    removeHandlers();
    killStartedServers();
  }
}

main().catch((error) => {
  console.error(error);
  killStartedServers();
  process.exit(1);
});
