/**
 * What bench:ingest runs and measures (ingest.ts describes the cases): one fresh database at the admin URL, the server
 * as a child process, a raw-pg baseline right before each case, and the case's figures as plain data for
 * ingest-report.ts. Everything it creates (servers, database, embedded cluster) is gone when it returns or is interrupted.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Pool } from 'pg';
import { loadConfig } from '../../src/config';
import { createDatabase, dropDatabase, withDatabase } from '../../src/db/database-admin';
import { BenchApi } from './api';
import { createBaselineTable, runBaseline, type BaselineResult } from './baseline';
import { formatNumber, progress, sleep } from './common';
import { cpuBetween, cpuSnapshot, type CpuUsage, type PostgresProcesses } from './cpu';
import { drive, type LoadResult } from './load';
import { handleInterrupts, SERVER_NODE_FLAGS, startServer, type ServerProcess } from './server-process';
import { buildWorkload, FINGERPRINTS, GROUP_SIZE, normalizedAlerts, type Workload } from './workload';

const CONNECTIONS = 32;
const BASELINE_WORKERS = 32;
const BASELINE_POOL = 10;
/** Embedded PostgreSQL as src/db/embedded-postgres.ts and src/db/open-database.ts set it up. */
const EMBEDDED_CREDENTIALS = 'postgres:postgres';
const EMBEDDED_DATABASE = 'incident_bridge';

export interface IngestSettings {
  adminUrl: string;
  seconds: number;
  /** INGEST_MAX_IN_FLIGHT values to compare; undefined is the server's default. */
  inFlight: Array<number | undefined>;
  embedded: boolean;
  serverNodeArgs: string[];
  cases: { one: boolean; group: boolean };
  warmUpSeconds: number;
}

/** What autocannon saw during a case, reduced to the figures the report uses. */
export interface CaseLoad {
  /** Seconds the load ran. */
  seconds: number;
  requests: number;
  answered2xx: number;
  non2xx: number;
  /** Answers by HTTP status code. */
  statusCounts: Record<string, number>;
  socketErrors: number;
  timeouts: number;
  p50Ms: number;
  p99Ms: number;
  /** Requests written whose answer had not arrived when the load generator closed its sockets. */
  cutOff: number;
  /** Requests left unanswered mid-run (timeout, reset): they may or may not have committed. */
  abandoned: number;
}

export type MeasuredBaseline = BaselineResult & { cpu: CpuUsage | undefined };

export interface CaseRun {
  label: string;
  database: 'external' | 'embedded';
  inFlight: number;
  alertsPerRequest: number;
  load: CaseLoad;
  cpu: CpuUsage;
  serverLog: { warn: number; error: number };
  serverTail: string[];
  /** Σ occurrences of the case's integration once the server has settled. */
  occurrences: number;
  /** WAL the cluster wrote during the case (other databases' writes count too). */
  walBytes: number;
  /** The baseline measured right before this case (the machine's speed drifts over a run). */
  baseline: MeasuredBaseline;
}

export interface IngestOutcome {
  databaseName: string;
  postgresVersion: string;
  connections: number;
  baseline: { workers: number; pool: number };
  workload: { fingerprints: number; groupSize: number };
  /** How the server ran: its node flags and the defaults the cases kept. */
  server: { nodeFlags: string[]; defaultInFlight: number; poolSize: number; maxBatchAlerts: number };
  runs: CaseRun[];
}

const defaults = loadConfig({});

function caseLoadOf(load: LoadResult): CaseLoad {
  const { result } = load;
  const statusCounts: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCounts[code] = stat.count ?? 0;
  return {
    seconds: result.duration,
    requests: result.requests.total,
    answered2xx: result['2xx'],
    non2xx: result.non2xx,
    statusCounts,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    cutOff: load.cutOff,
    abandoned: load.abandoned,
  };
}

/** Σ occurrences of an integration's alerts, read until the server has committed what was still in flight. */
async function settledOccurrences(query: () => Promise<number>, expected: number): Promise<number> {
  const deadline = Date.now() + 10_000;
  let last = await query();
  let stableSince = Date.now();
  while (Date.now() < deadline) {
    await sleep(200);
    const value = await query();
    if (value !== last) {
      last = value;
      stableSince = Date.now();
    } else if ((value === expected && Date.now() - stableSince >= 400) || Date.now() - stableSince >= 1500) {
      break;
    }
  }
  return last;
}

function occurrencesQuery(db: Pool | Client, integrationId: string): () => Promise<number> {
  return async () => {
    const result = await db.query<{ sum: string }>(`SELECT coalesce(sum(occurrences), 0)::bigint AS sum FROM alert WHERE integration_id = $1`, [integrationId]);
    return Number(result.rows[0].sum);
  };
}

/** Load on a throw-away integration so the server's hot code is compiled before anything is measured. */
async function warmUp(server: ServerProcess, api: BenchApi, serviceId: string, workload: Workload, seconds: number): Promise<void> {
  if (!seconds) return;
  const integration = await api.createAlertmanagerIntegration(`bench warm-up ${randomBytes(3).toString('hex')}`, serviceId);
  progress(`warm-up: ${seconds} s on its own integration (not measured)…`);
  await drive({ url: server.url, path: `/webhooks/${integration.id}`, secret: integration.secret, bodies: workload.bodies, connections: CONNECTIONS, seconds });
}

async function runCase(
  server: ServerProcess,
  api: BenchApi,
  serviceId: string,
  db: Pool | Client,
  workload: Workload,
  seconds: number,
  meta: { label: string; database: 'external' | 'embedded'; inFlight: number },
  postgres: PostgresProcesses,
  baseline: MeasuredBaseline,
): Promise<CaseRun> {
  const integration = await api.createAlertmanagerIntegration(`bench ${meta.label} in-flight ${meta.inFlight} ${randomBytes(3).toString('hex')}`, serviceId);
  progress(`${meta.label} (${meta.database} PostgreSQL, INGEST_MAX_IN_FLIGHT=${meta.inFlight}): ${seconds} s, ${CONNECTIONS} connections…`);
  const logBefore = server.logCounts();
  const [{ lsn }] = (await db.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows;
  const before = cpuSnapshot(server.pid, postgres);
  const load = await drive({
    url: server.url,
    path: `/webhooks/${integration.id}`,
    secret: integration.secret,
    bodies: workload.bodies,
    connections: CONNECTIONS,
    seconds,
  });
  const cpu = cpuBetween(before, cpuSnapshot(server.pid, postgres));
  const [{ wal }] = (await db.query<{ wal: string }>('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::bigint AS wal', [lsn])).rows;
  const expected = (load.result['2xx'] + load.cutOff) * workload.alertsPerRequest;
  const occurrences = await settledOccurrences(occurrencesQuery(db, integration.id), expected);
  const logAfter = server.logCounts();
  return {
    ...meta,
    alertsPerRequest: workload.alertsPerRequest,
    load: caseLoadOf(load),
    cpu,
    serverLog: { warn: logAfter.warn - logBefore.warn, error: logAfter.error - logBefore.error },
    serverTail: logAfter.warn + logAfter.error > logBefore.warn + logBefore.error ? server.outputTail().slice(-5) : [],
    occurrences,
    walBytes: Number(wal),
    baseline,
  };
}

/** The postmaster's pid and port of a running cluster, from lines 1 and 4 of its postmaster.pid. */
function embeddedPostmaster(dataDir: string): { pid: number; port: number } {
  const lines = fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || port <= 0) throw new Error(`unexpected ${dataDir}/postgres/postmaster.pid`);
  return { pid, port };
}

/** If the server left its embedded PostgreSQL running (it was killed), stop that postmaster by its pid. */
async function stopOrphanedPostmaster(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  for (let waited = 0; waited < 10_000 && fs.existsSync(pidFile); waited += 200) await sleep(200);
}

/** Every case of `settings` in order: the external ones per in-flight value, then the embedded one. */
export async function runIngestScenario(settings: IngestSettings): Promise<IngestOutcome> {
  const databaseName = `ib_bench_${randomBytes(5).toString('hex')}`;
  const benchUrl = withDatabase(settings.adminUrl, databaseName);
  const adminToken = `bench_admin_${randomBytes(18).toString('hex')}`;
  const workloads = { one: buildWorkload(1), group: buildWorkload(GROUP_SIZE) };
  const serverEnv = (inFlight: number | undefined): Record<string, string | undefined> => ({
    BOOTSTRAP_ADMIN_TOKEN: adminToken,
    INGEST_MAX_IN_FLIGHT: inFlight === undefined ? undefined : String(inFlight),
    DB_POOL_SIZE: undefined,
    PUBLIC_BASE_URL: undefined,
  });
  const inFlightOf = (value: number | undefined) => value ?? defaults.INGEST_MAX_IN_FLIGHT;

  let embeddedDir: string | null = null;
  let server: ServerProcess | null = null;
  let databaseCreated = false;
  const cleanup = async () => {
    await server?.stop().catch(() => undefined);
    if (embeddedDir) {
      await stopOrphanedPostmaster(embeddedDir).catch(() => undefined);
      fs.rmSync(embeddedDir, { recursive: true, force: true });
      embeddedDir = null;
    }
    if (databaseCreated) {
      await dropDatabase(settings.adminUrl, databaseName).catch((error) => progress(`could not drop ${databaseName}: ${(error as Error).message}`));
      databaseCreated = false;
    }
  };
  const stopHandlingInterrupts = handleInterrupts(cleanup, (signal) => progress(`${signal}: stopping the server(s) and dropping ${databaseName}`));

  const pool = new Pool({ connectionString: benchUrl, max: 2, application_name: 'bench-check' });
  // Idle connections are terminated when an interrupted run drops the database: not a crash.
  pool.on('error', () => undefined);
  const runs: CaseRun[] = [];
  let postgresVersion: string;
  try {
    await createDatabase(settings.adminUrl, databaseName);
    databaseCreated = true;
    progress(`database ${databaseName} created; starting the server (it migrates at start)`);

    server = await startServer({ env: { ...serverEnv(settings.inFlight[0]), DATABASE_URL: benchUrl }, nodeArgs: settings.serverNodeArgs });
    let api = new BenchApi(server.url, adminToken);
    const serviceId = await api.createService('Bench fleet', `bench-fleet-${randomBytes(3).toString('hex')}`);
    postgresVersion = (await pool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0].v;

    const baselineIntegration = await api.createAlertmanagerIntegration('bench baseline', serviceId);
    /** The raw-pg baseline on a fresh table, measured right before a case while the server idles. */
    const measureBaseline = async (idleServer: ServerProcess, before: string): Promise<MeasuredBaseline> => {
      await createBaselineTable(pool);
      progress(`baseline before ${before}: raw pg, ${BASELINE_WORKERS} workers, pool ${BASELINE_POOL}, ${settings.seconds} s…`);
      let cpuBefore = cpuSnapshot(idleServer.pid, { database: databaseName });
      let cpu: CpuUsage | undefined;
      const result = await runBaseline({
        databaseUrl: benchUrl,
        integrationId: baselineIntegration.id,
        serviceId,
        alerts: normalizedAlerts(),
        workers: BASELINE_WORKERS,
        poolSize: BASELINE_POOL,
        seconds: settings.seconds,
        onLoad: {
          start: () => (cpuBefore = cpuSnapshot(idleServer.pid, { database: databaseName })),
          end: () => (cpu = cpuBetween(cpuBefore, cpuSnapshot(idleServer.pid, { database: databaseName }))),
        },
      });
      progress(`baseline: ${formatNumber(result.rowsPerSecond)} rows/s`);
      return { ...result, cpu };
    };

    for (const [index, inFlight] of settings.inFlight.entries()) {
      if (index > 0) {
        await server.stop();
        server = await startServer({ env: { ...serverEnv(inFlight), DATABASE_URL: benchUrl }, nodeArgs: settings.serverNodeArgs });
        api = new BenchApi(server.url, adminToken);
      }
      await warmUp(server, api, serviceId, workloads.one, settings.warmUpSeconds);
      const meta = { database: 'external' as const, inFlight: inFlightOf(inFlight) };
      const postgres = { database: databaseName };
      if (settings.cases.one) {
        const baseline = await measureBaseline(server, '1 alert/request');
        runs.push(await runCase(server, api, serviceId, pool, workloads.one, settings.seconds, { ...meta, label: '1 alert/request' }, postgres, baseline));
      }
      if (settings.cases.group) {
        const baseline = await measureBaseline(server, `${GROUP_SIZE} alerts/request`);
        runs.push(await runCase(server, api, serviceId, pool, workloads.group, settings.seconds, { ...meta, label: `${GROUP_SIZE} alerts/request` }, postgres, baseline));
      }
    }
    await server.stop();
    server = null;

    if (settings.embedded) {
      embeddedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ib-bench-'));
      progress(`starting the server on embedded PostgreSQL in ${embeddedDir}`);
      server = await startServer({
        env: { ...serverEnv(settings.inFlight[0]), DATABASE_URL: undefined, DATA_DIR: embeddedDir },
        nodeArgs: settings.serverNodeArgs,
      });
      const embeddedApi = new BenchApi(server.url, adminToken);
      const embeddedServiceId = await embeddedApi.createService('Bench fleet', 'bench-fleet');
      await warmUp(server, embeddedApi, embeddedServiceId, workloads.one, settings.warmUpSeconds);
      const postmaster = embeddedPostmaster(embeddedDir);
      const client = new Client({ connectionString: `postgres://${EMBEDDED_CREDENTIALS}@127.0.0.1:${postmaster.port}/${EMBEDDED_DATABASE}` });
      await client.connect();
      try {
        const meta = { label: '1 alert/request', database: 'embedded' as const, inFlight: inFlightOf(settings.inFlight[0]) };
        const baseline = await measureBaseline(server, '1 alert/request (embedded)');
        runs.push(await runCase(server, embeddedApi, embeddedServiceId, client, workloads.one, settings.seconds, meta, { postmasterPid: postmaster.pid }, baseline));
      } finally {
        await client.end();
      }
      await server.stop();
      server = null;
    }
  } finally {
    await pool.end();
    await cleanup();
    stopHandlingInterrupts();
  }

  return {
    databaseName,
    postgresVersion,
    connections: CONNECTIONS,
    baseline: { workers: BASELINE_WORKERS, pool: BASELINE_POOL },
    workload: { fingerprints: FINGERPRINTS, groupSize: GROUP_SIZE },
    server: { nodeFlags: SERVER_NODE_FLAGS, defaultInFlight: defaults.INGEST_MAX_IN_FLIGHT, poolSize: defaults.DB_POOL_SIZE, maxBatchAlerts: defaults.INGEST_MAX_BATCH_ALERTS },
    runs,
  };
}
