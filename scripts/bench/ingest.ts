/**
 * npm run bench:ingest — webhook ingest throughput of the real server against a raw-SQL baseline measured in the same run.
 *
 * The server runs as a child process (node dist/src/main.js) so the load generator (autocannon, here)
 * does not share its event loop. Cases, each on its own integration:
 *   1. Alertmanager, 1 alert per request, PostgreSQL at DATABASE_URL (a fresh database, dropped at the end)
 *   2. Alertmanager, 20 alerts per request (one whole group), same database
 *   3. the 1-alert case on the embedded PostgreSQL (DATABASE_URL unset, DATA_DIR in a temp folder)
 * Baseline: single-row INSERT … ON CONFLICT … DO UPDATE per alert with `pg`, 32 workers, pool 10.
 *
 * Environment:
 *   DATABASE_URL            admin URL of the PostgreSQL to create the bench database in (default postgres://postgres@127.0.0.1:5432/test)
 *   BENCH_SECONDS           seconds per case and for the baseline (default 20)
 *   BENCH_IN_FLIGHT         comma-separated INGEST_MAX_IN_FLIGHT values to compare on cases 1 and 2 (default: the server's default)
 *   BENCH_EMBEDDED          0 to skip case 3
 *   BENCH_WARMUP_SECONDS    seconds of load on an integration of its own after each server start, not measured (default 3):
 *                           a process that has just started is still compiling its hot code; the measured cases
 *                           still create their own alerts and incidents
 *   BENCH_CASES             which external cases to run: "1", "20" or "1,20" (default); for profiling one of them
 *   BENCH_SERVER_NODE_ARGS  extra node flags for the server process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
 * It is a measurement: it prints PASS/MISS against the targets and never fails on a miss.
 * ingest-scenario.ts runs the cases; ingest-report.ts prints what they measured.
 */
import { adminUrlFromEnv, boundedNumber, listFromEnv, loadAverage, machineFacts, numberFromEnv, serverNodeArgsFromEnv } from './common';
import { ingestReport } from './ingest-report';
import { runIngestScenario, type IngestSettings } from './ingest-scenario';
import { killStartedServers } from './server-process';
import { GROUP_SIZE } from './workload';

function readSettings(): IngestSettings {
  const inFlight = listFromEnv('BENCH_IN_FLIGHT').map((value) => boundedNumber('BENCH_IN_FLIGHT', value, { min: 1, max: 64 }));
  return {
    adminUrl: adminUrlFromEnv(),
    seconds: numberFromEnv('BENCH_SECONDS', 20, { min: 1, max: 300, integer: false }),
    inFlight: inFlight.length ? inFlight : [undefined],
    embedded: process.env.BENCH_EMBEDDED !== '0',
    serverNodeArgs: serverNodeArgsFromEnv(),
    cases: readCases(process.env.BENCH_CASES ?? `1,${GROUP_SIZE}`),
    warmUpSeconds: numberFromEnv('BENCH_WARMUP_SECONDS', 3, { min: 0, max: 60 }),
  };
}

function readCases(value: string): IngestSettings['cases'] {
  const listed = value.split(',').map((entry) => entry.trim());
  const unknown = listed.filter((entry) => entry !== '1' && entry !== String(GROUP_SIZE));
  if (unknown.length || !listed.length) throw new Error(`BENCH_CASES: expected "1", "${GROUP_SIZE}" or "1,${GROUP_SIZE}", got "${value}"`);
  return { one: listed.includes('1'), group: listed.includes(String(GROUP_SIZE)) };
}

async function main(): Promise<void> {
  const settings = readSettings();
  const started = Date.now();
  const loadBefore = loadAverage();
  const outcome = await runIngestScenario(settings);
  const lines = ingestReport({
    startedAt: new Date(started),
    totalSeconds: (Date.now() - started) / 1000,
    machine: machineFacts(),
    loadBefore,
    loadAfter: loadAverage(),
    settings,
    outcome,
  });
  console.log(lines.join('\n'));
}

main().catch((error) => {
  killStartedServers();
  console.error(error);
  process.exit(1);
});
