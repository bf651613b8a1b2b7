/**
 * npm run bench:metrics — issue #15's benchmark: `incidentMetrics(groupBy: [SERVICE, WEEK])` over one year of a
 * million incidents, through the real server's HTTP GraphQL API, beside one hand-written SQL statement computing the
 * same figures with `pg` directly, measured in the same run.
 *
 * On a fresh scratch database (migrations applied) it generates, with set-based SQL only, BENCH_INCIDENTS incidents
 * opened over 13 months across 50 services and 6 integrations (priorities P1 5 %, P2 15 %, P3 40 %, P4 40 %; ~90 %
 * acknowledged, ~40 % mitigated, ~97 % resolved of which 5 % FALSE_POSITIVE), ~1.5 alerts per incident, escalation
 * rows (10 % of incidents reached step 2) and ~1 SENT notification per incident, then VACUUM ANALYZE and CHECKPOINT.
 * It starts the built server on it and times, in BENCH_RUNS rounds after BENCH_WARMUP_RUNS unmeasured ones, each of:
 * the query through the API; the baseline statement, hand-written over the same tables (the trigger-kept per-incident
 * counts among them), with JIT on and with JIT off; for reference the same statement over the raw tables. Every round
 * runs each once, so drift on the machine weighs on all alike. It checks that all agree on the totals. Last it reads the year's CSV export
 * (GET /analytics/incidents.csv), after that of its first 30 days, and prints its rows per second and the server's peak resident
 * memory while streaming each, so constant memory shows as the same peak for twelve times the rows.
 *
 * Environment:
 *   DATABASE_URL       admin URL of the PostgreSQL to create the scratch database in (default postgres://postgres@127.0.0.1:5432/test)
 *   METRICS_EMBEDDED   1: an embedded PostgreSQL of the bench's own instead
 *   BENCH_INCIDENTS    incidents to generate (default 1000000)
 *   BENCH_RUNS         measured runs of each query (default 10)
 *   BENCH_WARMUP_RUNS  unmeasured runs before them (default 2)
 * It is a measurement: it prints PASS/MISS against the targets (app/baseline ≤ 1.2, app median < 1000 ms) and exits 0 either way.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { migrate, openScratchDatabase, type ScratchDatabase } from '../support/scratch-database';
import { adminUrlFromEnv, loadAverage, machineFacts, numberFromEnv, progress } from './common';
import { measureCsvExport } from './csv-export-measure';
import { BASELINE_SQL, generateHistory, PERCENTILE_FLOOR_SQL, RAW_BASELINE_SQL } from './metrics-seed';
import { handleInterrupts, killStartedServers, startServer, type ServerProcess } from './server-process';

const DAY_MS = 86_400_000;
const RATIO_TARGET = 1.2;
const MEDIAN_TARGET_MS = 1000;
/** Generous, so a slow query is measured rather than cut off (the server's defaults: 15 s HTTP, 30 s statement, 10 s operation). */
const SERVER_TIMEOUT_MS = 300_000;

const METRICS_QUERY = `
  query Metrics($from: DateTime!, $to: DateTime!) {
    incidentMetrics(from: $from, to: $to, groupBy: [SERVICE, WEEK]) {
      rows {
        serviceId periodStart opened resolved stillOpen
        timeToAcknowledge { meanSeconds medianSeconds p90Seconds }
        timeToResolve { meanSeconds medianSeconds p90Seconds }
        alerts alertsPerIncident escalated pagesSent
      }
      total { opened resolved alerts escalated pagesSent }
    }
  }`;

interface Settings {
  adminUrl: string | undefined;
  incidents: number;
  runs: number;
  warmupRuns: number;
}

interface Timing {
  median: number;
  p90: number;
  runs: number[];
}

interface Totals {
  opened: number;
  resolved: number;
  alerts: number;
  escalated: number;
  pagesSent: number;
}

interface MetricsAnswer {
  incidentMetrics: { rows: Array<{ opened: number }>; total: Totals };
}

function readSettings(): Settings {
  return {
    adminUrl: process.env.METRICS_EMBEDDED === '1' ? undefined : adminUrlFromEnv(),
    incidents: numberFromEnv('BENCH_INCIDENTS', 1_000_000, { min: 1000, max: 10_000_000 }),
    runs: numberFromEnv('BENCH_RUNS', 10, { min: 1, max: 200 }),
    warmupRuns: numberFromEnv('BENCH_WARMUP_RUNS', 2, { min: 0, max: 50 }),
  };
}

function summarise(runs: number[]): Timing {
  const sorted = [...runs].sort((a, b) => a - b);
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return { median, p90: at(0.9), runs };
}

interface Measured<T> {
  timing: Timing;
  last: T;
}

/**
 * Each variant's runs, taken in rounds (every variant once per round, after the warm-up rounds), so whatever drifts
 * on the machine during the measurement (a checkpoint, another process) weighs on all of them alike.
 */
async function timeInRounds<T extends Record<string, () => Promise<unknown>>>(settings: Settings, variants: T): Promise<{ [K in keyof T]: Measured<Awaited<ReturnType<T[K]>>> }> {
  const names = Object.keys(variants) as Array<keyof T>;
  const times = new Map<keyof T, number[]>(names.map((name) => [name, []]));
  const last = new Map<keyof T, unknown>();
  for (let round = 0; round < settings.warmupRuns + settings.runs; round += 1) {
    for (const name of names) {
      const started = performance.now();
      last.set(name, await variants[name]());
      if (round >= settings.warmupRuns) times.get(name)!.push(performance.now() - started);
    }
    progress(`round ${round + 1} of ${settings.warmupRuns + settings.runs}${round < settings.warmupRuns ? ' (warm-up)' : ''}`);
  }
  const measured = {} as { [K in keyof T]: Measured<Awaited<ReturnType<T[K]>>> };
  for (const name of names) {
    const timing = summarise(times.get(name)!);
    progress(`${String(name)}: median ${timing.median.toFixed(0)} ms, p90 ${timing.p90.toFixed(0)} ms`);
    measured[name] = { timing, last: last.get(name) as Awaited<ReturnType<T[typeof name]>> };
  }
  return measured;
}

async function askMetrics(server: ServerProcess, token: string, from: Date, to: Date): Promise<MetricsAnswer> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: METRICS_QUERY, variables: { from: from.toISOString(), to: to.toISOString() } }),
    signal: AbortSignal.timeout(SERVER_TIMEOUT_MS),
  });
  const body = (await response.json()) as { data?: MetricsAnswer; errors?: unknown[] };
  if (!response.ok || body.errors?.length || !body.data) throw new Error(`GraphQL ${response.status}: ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

interface BaselineRow {
  is_total: boolean;
  opened: number;
  resolved: number;
  alerts: number;
  escalated: number;
  pages: number;
}

const ms = (value: number) => `${value.toFixed(0)} ms`;
/** A variant's median, p90 and every measured run, as the report prints each. */
const timingText = (timing: Timing) => `median ${ms(timing.median)}, p90 ${ms(timing.p90)}   [${timing.runs.map((run) => run.toFixed(0)).join(' ')}]`;
const verdict = (met: boolean) => (met ? 'PASS' : 'MISS');

async function main(): Promise<void> {
  const settings = readSettings();
  const runId = randomBytes(4).toString('hex');
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ib-metrics-'));
  fs.chmodSync(folder, 0o777);
  const token = `ib_${randomBytes(24).toString('base64url')}`;
  const machine = machineFacts();
  const loadBefore = loadAverage();

  let scratch: ScratchDatabase | null = null;
  let server: ServerProcess | null = null;
  let client: Client | null = null;
  let noJitClient: Client | null = null;
  const cleanup = async () => {
    await server?.stop().catch(() => undefined);
    server = null;
    await client?.end().catch(() => undefined);
    client = null;
    await noJitClient?.end().catch(() => undefined);
    noJitClient = null;
    await scratch?.close().catch((error) => progress(`could not remove the scratch database: ${(error as Error).message}`));
    scratch = null;
    fs.rmSync(folder, { recursive: true, force: true });
  };
  const stopHandlingInterrupts = handleInterrupts(cleanup, (signal) => progress(`${signal}: stopping the server and dropping the scratch database`));

  try {
    scratch = await openScratchDatabase(`ib_bench_metrics_${runId}`, settings.adminUrl, folder);
    progress(`${scratch.description}: migrating`);
    await migrate(scratch.url);

    // Every generated timestamp lies before the anchor; the measured year ends 10 days before it.
    const anchor = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - 4 * DAY_MS);
    const to = new Date(anchor.getTime() - 10 * DAY_MS);
    const from = new Date(to.getTime() - 365 * DAY_MS);
    const generated = await generateHistory(scratch.url, settings.incidents, anchor);

    server = await startServer({
      env: {
        DATABASE_URL: scratch.url,
        JOBS_ENABLED: 'false',
        BOOTSTRAP_ADMIN_TOKEN: token,
        HTTP_REQUEST_TIMEOUT_MS: String(SERVER_TIMEOUT_MS),
        DB_STATEMENT_TIMEOUT_MS: String(SERVER_TIMEOUT_MS),
        GRAPHQL_OPERATION_TIMEOUT_MS: String(SERVER_TIMEOUT_MS),
      },
    });
    const running = server;
    progress(`server on ${running.url}; timing incidentMetrics ${from.toISOString()} → ${to.toISOString()}`);
    client = new Client({ connectionString: scratch.url });
    await client.connect();
    noJitClient = new Client({ connectionString: scratch.url });
    await noJitClient.connect();
    // The server plans its statement with JIT off (compiling it cost ~2 s at a million incidents); the baseline is
    // measured both ways and the faster counts, so the ratio is never flattered by the baseline's compile time.
    await noJitClient.query('SET jit = off');
    const direct = client;
    const directNoJit = noJitClient;
    const { app, baseline, baselineNoJit, raw, floor } = await timeInRounds(settings, {
      app: () => askMetrics(running, token, from, to),
      baseline: async () => (await direct.query<BaselineRow>(BASELINE_SQL, [from, to])).rows,
      baselineNoJit: async () => (await directNoJit.query<BaselineRow>(BASELINE_SQL, [from, to])).rows,
      raw: async () => (await direct.query<BaselineRow>(RAW_BASELINE_SQL, [from, to])).rows,
      floor: async () => (await directNoJit.query(PERCENTILE_FLOOR_SQL, [from, to])).rows,
    });

    // A twelfth of the rows first: with constant memory the year's peak stays near the month's (GC slack aside).
    progress('reading the CSV export of the first month, then of the year');
    const csvMonth = await measureCsvExport(running, token, from, new Date(from.getTime() + 30 * DAY_MS));
    const csv = await measureCsvExport(running, token, from, to);

    const total = app.last.incidentMetrics.total;
    const totalsOf = (rows: BaselineRow[]): Totals => {
      const row = rows.find((candidate) => candidate.is_total)!;
      return { opened: row.opened, resolved: row.resolved, alerts: row.alerts, escalated: row.escalated, pagesSent: row.pages };
    };
    const baselineTotals = totalsOf(baseline.last);
    const rawTotals = totalsOf(raw.last);
    const same = (a: Totals, b: Totals) => (Object.keys(a) as Array<keyof Totals>).every((key) => a[key] === b[key]);
    const agree = same(baselineTotals, total) && same(rawTotals, total);
    const fastestBaseline = Math.min(baseline.timing.median, baselineNoJit.timing.median);
    const ratio = app.timing.median / fastestBaseline;

    const c = generated.counts;
    const lines = [
      `bench:metrics — incidentMetrics(groupBy: [SERVICE, WEEK]) over one year, ${new Date().toISOString()}`,
      `machine: ${machine.cpus} CPUs (${machine.cpuModel}), node ${machine.node}, load ${loadBefore} before, ${loadAverage()} after`,
      `database: ${scratch.description}`,
      `generated in ${generated.seconds.toFixed(1)} s (set-based SQL, then VACUUM ANALYZE): ${c.incidents} incidents, ${c.services} services, ${c.integrations} integrations, ` +
        `${c.alerts} alerts (${(c.alerts / c.incidents).toFixed(2)} per incident), ${c.escalations} escalations (${c.escalated} past step 1), ${c.notifications} notifications (${c.sent} SENT)`,
      `period: ${from.toISOString()} → ${to.toISOString()} (365 days): ${total.opened} incidents, ${app.last.incidentMetrics.rows.length} rows (service × week)`,
      `app (HTTP GraphQL, ${settings.runs} rounds after ${settings.warmupRuns} warm-up rounds): ${timingText(app.timing)}`,
      `baseline (one SQL statement via pg, in the same rounds): ${timingText(baseline.timing)}`,
      `baseline with JIT off: ${timingText(baselineNoJit.timing)}`,
      `reference, the same statement over the raw tables (every alert and page aggregated): ${timingText(raw.timing)}`,
      `totals ${agree ? 'agree' : 'DIFFER'}: app ${JSON.stringify(total)}, baseline ${JSON.stringify(baselineTotals)}, raw tables ${JSON.stringify(rawTotals)}`,
      `CSV export of the year: ${csv.rows} rows (${csv.rows === total.opened ? 'equal to' : 'DIFFERENT FROM'} opened), ${(csv.bytes / 1e6).toFixed(1)} MB in ${csv.seconds.toFixed(1)} s: ` +
        `${csv.rowsPerSecond.toFixed(0)} rows/s; server RSS ${csv.rssBeforeMb.toFixed(0)} MiB before, peak ${csv.peakRssMb.toFixed(0)} MiB (+${(csv.peakRssMb - csv.rssBeforeMb).toFixed(0)} MiB)`,
      `CSV export of the first 30 days before it: ${csvMonth.rows} rows in ${csvMonth.seconds.toFixed(1)} s, server RSS ${csvMonth.rssBeforeMb.toFixed(0)} MiB before, peak ${csvMonth.peakRssMb.toFixed(0)} MiB; ` +
        `the year's peak is ${(csv.peakRssMb - csvMonth.peakRssMb).toFixed(0)} MiB above the month's for ${(csv.rows / Math.max(1, csvMonth.rows)).toFixed(1)}× the rows`,
      `ratio app/faster baseline (${ms(fastestBaseline)}): ${ratio.toFixed(2)}  target ≤ ${RATIO_TARGET}: ${verdict(ratio <= RATIO_TARGET)}`,
      `app median: ${ms(app.timing.median)}  target < ${MEDIAN_TARGET_MS} ms: ${verdict(app.timing.median < MEDIAN_TARGET_MS)}`,
      `floor, the total's four percentiles alone (what any exact answer computes; nothing else, JIT off): ${timingText(floor.timing)}`,
    ];
    console.log(lines.join('\n'));
  } finally {
    await cleanup();
    stopHandlingInterrupts();
  }
}

main().catch((error) => {
  killStartedServers();
  console.error(error);
  process.exit(1);
});
