/**
 * The printed report of bench:paging, from what paging-scenario.ts measured: part 1's 202 → SMS latencies and part 2's
 * drain time against their targets (PASS/MISS), and the correctness checks (OK/FAILED) that decide the exit code.
 * Pure: data in, lines out.
 */
import { check, formatInt, formatNumber, machineLine, percentile, redactPassword, verdict, type MachineFacts } from './common';
import type { DrainResult, LatencyResult, PagingOutcome } from './paging-scenario';

export const TARGET_P50_MS = 1000;
export const TARGET_P99_MS = 2000;
export const TARGET_DRAIN_S = 30;

export interface PagingReportInput {
  startedAt: Date;
  totalSeconds: number;
  machine: MachineFacts;
  load: string;
  adminUrl: string;
  outcome: PagingOutcome;
}

/** Every webhook accepted and opening its own incident, and each incident paged once, to the person on call. */
export function latencyOk(result: LatencyResult): boolean {
  return (
    !result.failures.length &&
    result.accepted === result.webhooks &&
    result.incidents === result.webhooks &&
    !result.missed.length &&
    !result.duplicated.length &&
    !result.wrongRecipient
  );
}

export function drainOk(result: DrainResult): boolean {
  return result.checks.every((item) => item.value === item.expected);
}

/** No page missed or duplicated in either part: the bench exits non-zero otherwise. */
export function pagingOk(outcome: PagingOutcome): boolean {
  return latencyOk(outcome.latency) && drainOk(outcome.drain);
}

export function latencyLines(result: LatencyResult): string[] {
  const { latencies } = result;
  const p50 = percentile(latencies, 0.5);
  const p99 = percentile(latencies, 0.99);
  const ms = (value: number) => `${formatNumber(value, 1).padStart(8)} ms`;
  const lines = [
    `1. Webhook 202 → Twilio stand-in receives the page's SMS (server child process; escalation/delivery jobs on their default 5 s ticks, delivery also woken by LISTEN/NOTIFY)`,
    `   ${result.webhooks} Alertmanager webhooks, 1 alert each (distinct fingerprint and groupKey), ${result.concurrency} in flight, sent in ${formatNumber(result.sendSeconds, 2)} s`,
    `   202 answers ${result.accepted}/${result.webhooks}; distinct incidents ${result.incidents}; SMS matched ${result.received}/${result.webhooks}` +
      `; missed ${result.missed.length}; duplicated ${result.duplicated.length}; wrong recipient ${result.wrongRecipient}; other SMS ${result.unmatched}; rejected by stand-in ${result.rejected}   ${check(latencyOk(result))}`,
    `   latency 202 → SMS   p50 ${ms(p50)}   target < ${TARGET_P50_MS} ms   ${verdict(p50 < TARGET_P50_MS)}`,
    `                       p99 ${ms(p99)}   target < ${TARGET_P99_MS} ms   ${verdict(p99 < TARGET_P99_MS)}`,
    `                       max ${ms(latencies.at(-1) ?? Number.NaN)}   (min ${formatNumber(latencies[0] ?? Number.NaN, 1)} ms, p90 ${formatNumber(percentile(latencies, 0.9), 1)} ms, mean ${formatNumber(latencies.reduce((a, b) => a + b, 0) / (latencies.length || Number.NaN), 1)} ms)`,
  ];
  for (const missed of result.missed.slice(0, 10)) lines.push(`   MISSED: incident ${missed.incidentId}${missed.number === null ? ' (number not found)' : ` #${missed.number}`}`);
  if (result.missed.length > 10) lines.push(`   … ${result.missed.length - 10} more missed`);
  for (const duplicate of result.duplicated.slice(0, 10)) lines.push(`   DUPLICATED: incident #${duplicate.number} received ${duplicate.count} SMS`);
  for (const failure of result.failures.slice(0, 10)) lines.push(`   FAILED: ${failure}`);
  lines.push(`   server log during part 1: ${result.serverLog.warn} warning(s), ${result.serverLog.error} error(s)`);
  for (const line of result.serverTail) lines.push(`     ${line}`);
  return lines;
}

export function drainLines(result: DrainResult): string[] {
  const n = result.escalations;
  const lines = [
    `2. ${formatInt(n)} due escalations drained by two runners (in-process: two createServices over two DataSources, pool ${result.runnerPool} each, one ManualClock)`,
    `   policy: step 1 → 1 person (SMS), step 2 after 5 min → 2 people (1 SMS, 1 e-mail); ${formatInt(n)} incidents declared through services.incidents.declare,`,
    `   ${result.declareConcurrency} at once: ${formatNumber(result.declareSeconds)} s (${formatNumber(n / result.declareSeconds)} incidents/s; setup, not a target)`,
    `   drain  Promise.all([drain(a), drain(b)]), runDue(${result.runDueLimit}) until 0: ${formatNumber(result.drainSeconds, 2)} s, ${formatNumber(n / result.drainSeconds)} rows/s` +
      ` (runner a ${formatInt(result.handled.a)}, runner b ${formatInt(result.handled.b)})   target < ${TARGET_DRAIN_S} s   ${verdict(result.drainSeconds < TARGET_DRAIN_S)}`,
    `   exactly once:`,
  ];
  for (const item of result.checks) {
    lines.push(`     ${item.label.padEnd(48)} ${formatInt(item.value).padStart(7)}  expected ${formatInt(item.expected).padStart(7)}  ${check(item.value === item.expected)}`);
  }
  return lines;
}

export function pagingReport({ startedAt, totalSeconds, machine, load, adminUrl, outcome }: PagingReportInput): string[] {
  return [
    `incident-bridge paging benchmark — ${startedAt.toISOString()}`,
    machineLine(machine, load),
    `PostgreSQL ${outcome.postgresVersion} at ${redactPassword(adminUrl)} (fresh database ${outcome.databaseName}, dropped)`,
    '',
    ...latencyLines(outcome.latency),
    '',
    ...drainLines(outcome.drain),
    '',
    `correctness (no page missed or duplicated): ${check(pagingOk(outcome))}`,
    `total time ${formatNumber(totalSeconds)} s`,
  ];
}
