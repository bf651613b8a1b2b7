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
 * graphql-scenario.ts seeds, checks and measures; graphql-report.ts prints what it measured.
 */
import { adminUrlFromEnv, listFromEnv, numberFromEnv, serverNodeArgsFromEnv } from './common';
import { headerLine, mismatchMessage, readQueriesReport, readsAtScaleReport, seededLine } from './graphql-report';
import { measureReadQueries, measureReadsAtScale, type GraphqlSettings } from './graphql-scenario';
import { READ_QUERIES } from './read-queries';
import { killStartedServers } from './server-process';

function readSettings(): GraphqlSettings {
  const keys = listFromEnv('BENCH_QUERIES');
  const unknown = keys.filter((key) => !READ_QUERIES.some((query) => query.key === key));
  if (unknown.length) throw new Error(`BENCH_QUERIES: unknown ${unknown.join(', ')}; expected some of ${READ_QUERIES.map((query) => query.key).join(', ')}`);
  return {
    adminUrl: adminUrlFromEnv(),
    seconds: numberFromEnv('BENCH_SECONDS', 10, { min: 1, max: 300, integer: false }),
    connections: numberFromEnv('BENCH_CONNECTIONS', 16, { min: 1, max: 1000 }),
    incidents: numberFromEnv('BENCH_INCIDENTS', 5000, { min: 1, max: 10_000_000 }),
    scaleIncidents: numberFromEnv('BENCH_SCALE_INCIDENTS', 1_000_000, { min: 0, max: 10_000_000 }),
    serverNodeArgs: serverNodeArgsFromEnv(),
    queries: keys.length ? READ_QUERIES.filter((query) => keys.includes(query.key)) : READ_QUERIES,
    printStatements: Boolean(process.env.BENCH_PRINT_STATEMENTS),
  };
}

async function main(): Promise<void> {
  const settings = readSettings();
  console.log(headerLine(settings, process.version));
  const reads = await measureReadQueries(settings);
  if (reads.answers === 'differ') {
    console.log(seededLine(reads.seedSeconds));
    console.error(mismatchMessage(reads.mismatch));
    process.exitCode = 1;
    return;
  }
  console.log(readQueriesReport(reads).join('\n'));
  if (settings.scaleIncidents > 0) console.log(readsAtScaleReport(await measureReadsAtScale(settings)).join('\n'));
}

main().catch((error) => {
  console.error(error);
  killStartedServers();
  process.exit(1);
});
