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
import { cpuBetween, cpuSnapshot, type CpuUsage, type PostgresProcesses } from './cpu';
import { drive, type LoadResult } from './load';
import { handleInterrupts, killStartedServers, SERVER_NODE_FLAGS, startServer, type ServerProcess } from './server-process';
import { formatInt, formatNumber } from './stats';
import { buildWorkload, FINGERPRINTS, GROUP_SIZE, normalizedAlerts, type Workload } from './workload';

const CONNECTIONS = 32;
const BASELINE_WORKERS = 32;
const BASELINE_POOL = 10;
const TARGET_1_ALERT_RATIO = 1.0;
const TARGET_1_ALERT_P99_MS = 50;
const TARGET_20_ALERT_RATIO = 4.0;
/** Embedded PostgreSQL as src/db/embedded-postgres.ts and src/db/open-database.ts set it up. */
const EMBEDDED_CREDENTIALS = 'postgres:postgres';
const EMBEDDED_DATABASE = 'incident_bridge';

interface Settings {
  adminUrl: string;
  seconds: number;
  inFlight: Array<number | undefined>;
  embedded: boolean;
  serverNodeArgs: string[];
  cases: { one: boolean; group: boolean };
  warmUpSeconds: number;
}

interface CaseRun {
  label: string;
  database: 'external' | 'embedded';
  inFlight: number;
  alertsPerRequest: number;
  load: LoadResult;
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

type MeasuredBaseline = BaselineResult & { cpu: CpuUsage | undefined };

const defaults = loadConfig({});

function readSettings(): Settings {
  const seconds = Number(process.env.BENCH_SECONDS ?? 20);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 300) throw new Error('BENCH_SECONDS must be between 1 and 300');
  const inFlight = (process.env.BENCH_IN_FLIGHT ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean)
    .map((value) => {
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < 1 || parsed > 64) throw new Error(`BENCH_IN_FLIGHT: ${value} is not an integer 1…64`);
      return parsed;
    });
  return {
    adminUrl: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
    seconds,
    inFlight: inFlight.length ? inFlight : [undefined],
    embedded: process.env.BENCH_EMBEDDED !== '0',
    serverNodeArgs: (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
    cases: readCases(process.env.BENCH_CASES ?? '1,20'),
    warmUpSeconds: readWarmUp(process.env.BENCH_WARMUP_SECONDS ?? '3'),
  };
}

function readWarmUp(value: string): number {
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 60) throw new Error(`BENCH_WARMUP_SECONDS must be an integer 0…60, got "${value}"`);
  return seconds;
}

function readCases(value: string): Settings['cases'] {
  const listed = value.split(',').map((entry) => entry.trim());
  const unknown = listed.filter((entry) => entry !== '1' && entry !== String(GROUP_SIZE));
  if (unknown.length || !listed.length) throw new Error(`BENCH_CASES: expected "1", "${GROUP_SIZE}" or "1,${GROUP_SIZE}", got "${value}"`);
  return { one: listed.includes('1'), group: listed.includes(String(GROUP_SIZE)) };
}

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
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
    load,
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

// ---------------------------------------------------------------------------------------------------------------------
// Report

function alertsPerSecond(run: CaseRun): number {
  return (run.load.result['2xx'] * run.alertsPerRequest) / run.load.result.duration;
}

function errorsOf(run: CaseRun): { total: number; detail: string } {
  const { result } = run.load;
  const parts: string[] = [];
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) {
    if (!code.startsWith('2')) parts.push(`${code}×${stat.count ?? 0}`);
  }
  if (result.errors) parts.push(`socket errors ${result.errors}${result.timeouts ? ` (timeouts ${result.timeouts})` : ''}`);
  return { total: result.non2xx + result.errors, detail: parts.join(', ') };
}

function verdict(pass: boolean): string {
  return pass ? 'PASS' : 'MISS';
}

function targetsOf(run: CaseRun): string[] {
  const ratio = alertsPerSecond(run) / run.baseline.rowsPerSecond;
  if (run.alertsPerRequest === 1) {
    return [
      `alerts/s ≥ ${TARGET_1_ALERT_RATIO.toFixed(1)}× baseline: ${verdict(ratio >= TARGET_1_ALERT_RATIO)}`,
      `p99 ≤ ${TARGET_1_ALERT_P99_MS} ms: ${verdict(run.load.result.latency.p99 <= TARGET_1_ALERT_P99_MS)}`,
    ];
  }
  return [`alerts/s ≥ ${TARGET_20_ALERT_RATIO.toFixed(1)}× baseline: ${verdict(ratio >= TARGET_20_ALERT_RATIO)}`];
}

function consistencyOf(run: CaseRun): { ok: boolean; text: string } {
  const n = run.alertsPerRequest;
  const accepted = run.load.result['2xx'];
  const promised = accepted * n;
  const expected = promised + run.load.cutOff * n;
  const uncertain = run.load.abandoned * n;
  const ok = uncertain
    ? run.occurrences >= expected && run.occurrences <= expected + uncertain && (run.occurrences - expected) % n === 0
    : run.occurrences === expected;
  const parts = [`202 answers ${formatInt(accepted)} × ${n} = ${formatInt(promised)}`];
  if (run.load.cutOff) parts.push(`+ ${run.load.cutOff} request(s) in flight when the load generator closed its sockets × ${n} = ${formatInt(expected)}`);
  if (uncertain) parts.push(`(+ up to ${formatInt(uncertain)} from ${run.load.abandoned} request(s) dropped mid-run by a timeout/reset)`);
  const check = ok ? 'OK' : `MISMATCH (database − expected = ${formatInt(run.occurrences - expected)})`;
  return { ok, text: `${parts.join(' ')}; database Σ occurrences = ${formatInt(run.occurrences)}  ${check}` };
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function report(settings: Settings, header: string[], runs: CaseRun[], footer: string[]): string {
  const lines = [...header, ''];
  lines.push(`Baseline  raw pg: one single-row INSERT … ON CONFLICT … DO UPDATE per alert into bench_baseline_alert (alert's columns, indexes, fillfactor),`);
  lines.push(`          ${BASELINE_WORKERS} workers, pool ${BASELINE_POOL}, ${FINGERPRINTS} fingerprints cycled, ${settings.seconds} s, measured right before each case on a`);
  lines.push(`          freshly created table (the machine's speed drifts within a run; each case is compared with its own baseline)`);
  for (const run of runs) {
    const baseline = run.baseline;
    lines.push(
      `  before ${pad(`${run.label} (${run.database})`, 30)} rows/s ${pad(formatNumber(baseline.rowsPerSecond), 9, true)}   p50 ${formatNumber(baseline.p50Ms)} ms   p99 ${formatNumber(baseline.p99Ms)} ms   ` +
        `rows ${formatInt(baseline.rows)}   errors ${baseline.errors}${baseline.firstError ? ` (${baseline.firstError})` : ''}   ` +
        `Σ occurrences ${baseline.occurrences === baseline.rows ? 'OK' : `MISMATCH (${formatInt(baseline.occurrences)})`}`,
    );
  }
  lines.push('');

  const columns = ['case', 'database', 'in-flight', 'req/s', 'alerts/s', 'p50 ms', 'p99 ms', 'errors', 'baseline', '× baseline', 'targets'];
  const widths = [17, 9, 9, 9, 10, 7, 7, 7, 9, 10, 0];
  const row = (cells: string[]) => cells.map((cell, index) => (index === cells.length - 1 ? cell : pad(cell, widths[index], index >= 3 && index <= 9))).join('  ');
  lines.push(row(columns));
  for (const run of runs) {
    const { result } = run.load;
    const errors = errorsOf(run);
    lines.push(
      row([
        run.label,
        run.database,
        `${run.inFlight}${run.inFlight === defaults.INGEST_MAX_IN_FLIGHT ? '*' : ''}`,
        formatNumber(result.requests.total / result.duration),
        formatNumber(alertsPerSecond(run)),
        formatNumber(result.latency.p50, 0),
        formatNumber(result.latency.p99, 0),
        formatInt(errors.total),
        formatInt(run.baseline.rowsPerSecond),
        `${formatNumber(alertsPerSecond(run) / run.baseline.rowsPerSecond, 2)}×`,
        targetsOf(run).join('; '),
      ]),
    );
  }
  lines.push(`(* = the server's default INGEST_MAX_IN_FLIGHT; ${CONNECTIONS} connections, ${settings.seconds} s per case; latency is per request; baseline = rows/s of the raw-pg baseline measured right before the case)`);
  for (const run of runs) {
    const errors = errorsOf(run);
    if (errors.total) lines.push(`  errors in ${run.label} (${run.database}, in-flight ${run.inFlight}): ${errors.detail}`);
    if (run.serverLog.warn || run.serverLog.error) {
      lines.push(`  server log during ${run.label} (${run.database}, in-flight ${run.inFlight}): ${run.serverLog.warn} warning(s), ${run.serverLog.error} error(s); last lines:`);
      for (const line of run.serverTail) lines.push(`    ${line}`);
    }
  }

  if (new Set(runs.filter((run) => run.database === 'external').map((run) => run.inFlight)).size > 1) {
    lines.push('');
    lines.push('INGEST_MAX_IN_FLIGHT comparison (external PostgreSQL):');
    for (const perRequest of [1, GROUP_SIZE]) {
      const candidates = runs.filter((run) => run.database === 'external' && run.alertsPerRequest === perRequest);
      if (!candidates.length) continue;
      const best = candidates.reduce((a, b) => (alertsPerSecond(b) > alertsPerSecond(a) ? b : a));
      const all = candidates.map((run) => `${run.inFlight}: ${formatInt(alertsPerSecond(run))} alerts/s, p99 ${formatNumber(run.load.result.latency.p99, 0)} ms`).join(' | ');
      lines.push(`  ${perRequest} alert(s)/request: best ${best.inFlight}   (${all})`);
    }
  }

  lines.push('');
  lines.push(`Where the time goes. CPU in cores busy (of ${os.cpus().length}): server process / load generator (this process) / PostgreSQL serving the bench / rest`);
  lines.push('(other PostgreSQL work such as WAL writing, other programs); then per stored alert: server and PostgreSQL CPU, WAL written (whole cluster)');
  const costLine = (cpu: CpuUsage, alertsPerSecond: number, walBytes: number, alerts: number) =>
    `${[cpu.server, cpu.bench, cpu.postgres, cpu.rest].map((value) => formatNumber(value, 2)).join(' / ')}   ` +
    `server ${formatInt((cpu.server / alertsPerSecond) * 1e6)} µs, PostgreSQL ${formatInt((cpu.postgres / alertsPerSecond) * 1e6)} µs, WAL ${formatInt(walBytes / alerts)} B`;
  for (const run of runs) {
    const { baseline } = run;
    if (baseline.cpu) {
      lines.push(`  ${pad('baseline', 17)} ${pad('external', 9)} (server idle)  ${costLine(baseline.cpu, baseline.rowsPerSecond, baseline.walBytes, baseline.rows)}`);
    }
    const alerts = run.load.result['2xx'] * run.alertsPerRequest;
    lines.push(`  ${pad(run.label, 17)} ${pad(run.database, 9)} in-flight ${pad(String(run.inFlight), 2)}  ${costLine(run.cpu, alertsPerSecond(run), run.walBytes, alerts)}`);
  }

  lines.push('');
  lines.push("Consistency (each case's integration: alerts the 2xx answers promised = Σ occurrences in the database):");
  for (const run of runs) lines.push(`  ${pad(run.label, 17)} ${pad(run.database, 9)} in-flight ${pad(String(run.inFlight), 2)}  ${consistencyOf(run).text}`);
  lines.push(...footer);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const settings = readSettings();
  const started = Date.now();
  const loadBefore = loadAverage();
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

  const header = [
    `incident-bridge ingest benchmark — ${new Date(started).toISOString()}`,
    `machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? '?'}), load average before ${loadBefore}, after ${loadAverage()}; node ${process.version}`,
    `PostgreSQL ${postgresVersion} at ${redact(settings.adminUrl)} (fresh database ${databaseName}, dropped); embedded: ${settings.embedded ? 'yes' : 'skipped'}`,
    `server: node ${SERVER_NODE_FLAGS.join(' ')} dist/src/main.js (as npm start) as a child process, LOG_LEVEL=warn, DB_POOL_SIZE=${defaults.DB_POOL_SIZE} (default), INGEST_MAX_BATCH_ALERTS=${defaults.INGEST_MAX_BATCH_ALERTS}`,
    `load: autocannon in this process, ${CONNECTIONS} connections, ${settings.seconds} s per case, Alertmanager v4 bodies from a ring over ${FINGERPRINTS} fingerprints (groupKey per ${GROUP_SIZE})`,
    `warm-up: ${settings.warmUpSeconds} s of 1-alert load on a throw-away integration after each server start (not measured); each case's integration starts empty, so its ${FINGERPRINTS} alerts and ${FINGERPRINTS / GROUP_SIZE} incidents are created inside the measured time`,
  ];
  const footer = ['', `total time ${formatNumber((Date.now() - started) / 1000)} s`];
  console.log(report(settings, header, runs, footer));
}

main().catch((error) => {
  killStartedServers();
  console.error(error);
  process.exit(1);
});
