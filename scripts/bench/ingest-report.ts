/**
 * The printed report of bench:ingest, from what ingest-scenario.ts measured: the baselines, one row per case with its
 * verdicts against the targets, where the CPU went, and whether the database holds what the 2xx answers promised.
 * Pure: data in, lines out.
 */
import { formatInt, formatNumber, machineLine, pad, redactPassword, verdict, type MachineFacts } from './common';
import type { CpuUsage } from './cpu';
import type { CaseRun, IngestOutcome, IngestSettings } from './ingest-scenario';

/** 1 alert per request: at least as many alerts/s as the raw-pg baseline's rows/s, and a p99 within 50 ms. */
export const TARGET_1_ALERT_RATIO = 1.0;
export const TARGET_1_ALERT_P99_MS = 50;
/** A whole group per request: four times the baseline (the server batches, the baseline cannot). */
export const TARGET_GROUP_RATIO = 4.0;

export interface IngestReportInput {
  startedAt: Date;
  totalSeconds: number;
  machine: MachineFacts;
  loadBefore: string;
  loadAfter: string;
  settings: Pick<IngestSettings, 'adminUrl' | 'seconds' | 'embedded' | 'warmUpSeconds'>;
  outcome: IngestOutcome;
}

export function alertsPerSecond(run: CaseRun): number {
  return (run.load.answered2xx * run.alertsPerRequest) / run.load.seconds;
}

export function errorsOf(run: CaseRun): { total: number; detail: string } {
  const { load } = run;
  const parts: string[] = [];
  for (const [code, count] of Object.entries(load.statusCounts)) {
    if (!code.startsWith('2')) parts.push(`${code}×${count}`);
  }
  if (load.socketErrors) parts.push(`socket errors ${load.socketErrors}${load.timeouts ? ` (timeouts ${load.timeouts})` : ''}`);
  return { total: load.non2xx + load.socketErrors, detail: parts.join(', ') };
}

/** The case's verdicts: alerts/s against its own baseline, and for 1 alert per request the p99 too. */
export function targetsOf(run: CaseRun): string[] {
  const ratio = alertsPerSecond(run) / run.baseline.rowsPerSecond;
  if (run.alertsPerRequest === 1) {
    return [
      `alerts/s ≥ ${TARGET_1_ALERT_RATIO.toFixed(1)}× baseline: ${verdict(ratio >= TARGET_1_ALERT_RATIO)}`,
      `p99 ≤ ${TARGET_1_ALERT_P99_MS} ms: ${verdict(run.load.p99Ms <= TARGET_1_ALERT_P99_MS)}`,
    ];
  }
  return [`alerts/s ≥ ${TARGET_GROUP_RATIO.toFixed(1)}× baseline: ${verdict(ratio >= TARGET_GROUP_RATIO)}`];
}

/**
 * Σ occurrences must equal the alerts the 2xx answers promised, plus those of requests cut off at the end of the run
 * (written, so committed); a request dropped mid-run may or may not have committed, so it widens the range.
 */
export function consistencyOf(run: CaseRun): { ok: boolean; text: string } {
  const n = run.alertsPerRequest;
  const accepted = run.load.answered2xx;
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

function headerLines({ startedAt, machine, loadBefore, loadAfter, settings, outcome }: IngestReportInput): string[] {
  const { server, workload } = outcome;
  return [
    `incident-bridge ingest benchmark — ${startedAt.toISOString()}`,
    machineLine(machine, `before ${loadBefore}, after ${loadAfter}`),
    `PostgreSQL ${outcome.postgresVersion} at ${redactPassword(settings.adminUrl)} (fresh database ${outcome.databaseName}, dropped); embedded: ${settings.embedded ? 'yes' : 'skipped'}`,
    `server: node ${server.nodeFlags.join(' ')} dist/src/main.js (as npm start) as a child process, LOG_LEVEL=warn, DB_POOL_SIZE=${server.poolSize} (default), INGEST_MAX_BATCH_ALERTS=${server.maxBatchAlerts}`,
    `load: autocannon in this process, ${outcome.connections} connections, ${settings.seconds} s per case, Alertmanager v4 bodies from a ring over ${workload.fingerprints} fingerprints (groupKey per ${workload.groupSize})`,
    `warm-up: ${settings.warmUpSeconds} s of 1-alert load on a throw-away integration after each server start (not measured); each case's integration starts empty, so its ${workload.fingerprints} alerts and ${workload.fingerprints / workload.groupSize} incidents are created inside the measured time`,
  ];
}

function baselineLines({ settings, outcome }: IngestReportInput): string[] {
  const lines = [
    `Baseline  raw pg: one single-row INSERT … ON CONFLICT … DO UPDATE per alert into bench_baseline_alert (alert's columns, indexes, fillfactor),`,
    `          ${outcome.baseline.workers} workers, pool ${outcome.baseline.pool}, ${outcome.workload.fingerprints} fingerprints cycled, ${settings.seconds} s, measured right before each case on a`,
    `          freshly created table (the machine's speed drifts within a run; each case is compared with its own baseline)`,
  ];
  for (const run of outcome.runs) {
    const baseline = run.baseline;
    lines.push(
      `  before ${pad(`${run.label} (${run.database})`, 30)} rows/s ${pad(formatNumber(baseline.rowsPerSecond), 9, true)}   p50 ${formatNumber(baseline.p50Ms)} ms   p99 ${formatNumber(baseline.p99Ms)} ms   ` +
        `rows ${formatInt(baseline.rows)}   errors ${baseline.errors}${baseline.firstError ? ` (${baseline.firstError})` : ''}   ` +
        `Σ occurrences ${baseline.occurrences === baseline.rows ? 'OK' : `MISMATCH (${formatInt(baseline.occurrences)})`}`,
    );
  }
  return lines;
}

function caseTableLines({ settings, outcome }: IngestReportInput): string[] {
  const { runs } = outcome;
  const columns = ['case', 'database', 'in-flight', 'req/s', 'alerts/s', 'p50 ms', 'p99 ms', 'errors', 'baseline', '× baseline', 'targets'];
  const widths = [17, 9, 9, 9, 10, 7, 7, 7, 9, 10, 0];
  const row = (cells: string[]) => cells.map((cell, index) => (index === cells.length - 1 ? cell : pad(cell, widths[index], index >= 3 && index <= 9))).join('  ');
  const lines = [row(columns)];
  for (const run of runs) {
    const { load } = run;
    lines.push(
      row([
        run.label,
        run.database,
        `${run.inFlight}${run.inFlight === outcome.server.defaultInFlight ? '*' : ''}`,
        formatNumber(load.requests / load.seconds),
        formatNumber(alertsPerSecond(run)),
        formatNumber(load.p50Ms, 0),
        formatNumber(load.p99Ms, 0),
        formatInt(errorsOf(run).total),
        formatInt(run.baseline.rowsPerSecond),
        `${formatNumber(alertsPerSecond(run) / run.baseline.rowsPerSecond, 2)}×`,
        targetsOf(run).join('; '),
      ]),
    );
  }
  lines.push(
    `(* = the server's default INGEST_MAX_IN_FLIGHT; ${outcome.connections} connections, ${settings.seconds} s per case; latency is per request; baseline = rows/s of the raw-pg baseline measured right before the case)`,
  );
  for (const run of runs) {
    const errors = errorsOf(run);
    if (errors.total) lines.push(`  errors in ${run.label} (${run.database}, in-flight ${run.inFlight}): ${errors.detail}`);
    if (run.serverLog.warn || run.serverLog.error) {
      lines.push(`  server log during ${run.label} (${run.database}, in-flight ${run.inFlight}): ${run.serverLog.warn} warning(s), ${run.serverLog.error} error(s); last lines:`);
      for (const line of run.serverTail) lines.push(`    ${line}`);
    }
  }
  return lines;
}

/** With more than one INGEST_MAX_IN_FLIGHT on the external database: the best value per alerts-per-request. */
function inFlightComparisonLines({ outcome }: IngestReportInput): string[] {
  const external = outcome.runs.filter((run) => run.database === 'external');
  if (new Set(external.map((run) => run.inFlight)).size <= 1) return [];
  const lines = ['', 'INGEST_MAX_IN_FLIGHT comparison (external PostgreSQL):'];
  for (const perRequest of [1, outcome.workload.groupSize]) {
    const candidates = external.filter((run) => run.alertsPerRequest === perRequest);
    if (!candidates.length) continue;
    const best = candidates.reduce((a, b) => (alertsPerSecond(b) > alertsPerSecond(a) ? b : a));
    const all = candidates.map((run) => `${run.inFlight}: ${formatInt(alertsPerSecond(run))} alerts/s, p99 ${formatNumber(run.load.p99Ms, 0)} ms`).join(' | ');
    lines.push(`  ${perRequest} alert(s)/request: best ${best.inFlight}   (${all})`);
  }
  return lines;
}

function cpuLines({ machine, outcome }: IngestReportInput): string[] {
  const lines = [
    `Where the time goes. CPU in cores busy (of ${machine.cpus}): server process / load generator (this process) / PostgreSQL serving the bench / rest`,
    '(other PostgreSQL work such as WAL writing, other programs); then per stored alert: server and PostgreSQL CPU, WAL written (whole cluster)',
  ];
  const costLine = (cpu: CpuUsage, alertsPerSecond: number, walBytes: number, alerts: number) =>
    `${[cpu.server, cpu.bench, cpu.postgres, cpu.rest].map((value) => formatNumber(value, 2)).join(' / ')}   ` +
    `server ${formatInt((cpu.server / alertsPerSecond) * 1e6)} µs, PostgreSQL ${formatInt((cpu.postgres / alertsPerSecond) * 1e6)} µs, WAL ${formatInt(walBytes / alerts)} B`;
  for (const run of outcome.runs) {
    const { baseline } = run;
    if (baseline.cpu) {
      lines.push(`  ${pad('baseline', 17)} ${pad('external', 9)} (server idle)  ${costLine(baseline.cpu, baseline.rowsPerSecond, baseline.walBytes, baseline.rows)}`);
    }
    const alerts = run.load.answered2xx * run.alertsPerRequest;
    lines.push(`  ${pad(run.label, 17)} ${pad(run.database, 9)} in-flight ${pad(String(run.inFlight), 2)}  ${costLine(run.cpu, alertsPerSecond(run), run.walBytes, alerts)}`);
  }
  return lines;
}

function consistencyLines({ outcome }: IngestReportInput): string[] {
  return [
    "Consistency (each case's integration: alerts the 2xx answers promised = Σ occurrences in the database):",
    ...outcome.runs.map((run) => `  ${pad(run.label, 17)} ${pad(run.database, 9)} in-flight ${pad(String(run.inFlight), 2)}  ${consistencyOf(run).text}`),
  ];
}

export function ingestReport(input: IngestReportInput): string[] {
  return [
    ...headerLines(input),
    '',
    ...baselineLines(input),
    '',
    ...caseTableLines(input),
    ...inFlightComparisonLines(input),
    '',
    ...cpuLines(input),
    '',
    ...consistencyLines(input),
    '',
    `total time ${formatNumber(input.totalSeconds)} s`,
  ];
}
