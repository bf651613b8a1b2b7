/**
 * The printed report of bench:graphql, from what graphql-scenario.ts measured: a Markdown table of each read query
 * beside its hand-written counterpart with its verdict (PASS/MISS against the ratio and p99 targets), and the reads at
 * scale. Pure: data in, lines out.
 */
import { formatInt, formatNumber, markdownTable } from './common';
import type { GraphqlSettings, Measured, QueryMeasurement, ReadQueriesOutcome, ScaleOutcome } from './graphql-scenario';

/** GraphQL at half the hand-written endpoint's req/s or better, with a p99 within 50 ms. */
export const TARGET_RATIO = 0.5;
export const TARGET_P99_MS = 50;

export function headerLine(settings: Pick<GraphqlSettings, 'incidents' | 'connections' | 'seconds'>, node: string): string {
  return `bench:graphql — ${settings.incidents} incidents, ${settings.connections} clients, ${settings.seconds} s per measurement, node ${node}`;
}

export function seededLine(seedSeconds: number): string {
  return `seeded in ${formatNumber(seedSeconds)} s`;
}

/** Why the bench stops before measuring: the two endpoints do not serve the same answer. */
export function mismatchMessage(mismatch: { name: string; graphql: string; handWritten: string }): string {
  return `the two answers of "${mismatch.name}" differ:\nGraphQL: ${mismatch.graphql.slice(0, 1500)}\nSQL:     ${mismatch.handWritten.slice(0, 1500)}`;
}

const ratioOf = (graphql: Measured, handWritten: Measured) => graphql.requestsPerSecond / handWritten.requestsPerSecond;

export function meetsTarget(query: QueryMeasurement): boolean {
  return ratioOf(query.graphql, query.handWritten) >= TARGET_RATIO && query.graphql.p99 <= TARGET_P99_MS;
}

function queryRow(query: QueryMeasurement): string[] {
  const failed = query.graphql.non2xx + query.handWritten.non2xx;
  return [
    query.name,
    `${formatInt(query.graphql.requestsPerSecond)} (p50 ${query.graphql.p50} ms, p99 ${query.graphql.p99} ms)`,
    `${formatInt(query.handWritten.requestsPerSecond)} (p50 ${query.handWritten.p50} ms, p99 ${query.handWritten.p99} ms)`,
    `${formatNumber(ratioOf(query.graphql, query.handWritten), 2)}×`,
    String(query.statements),
    `${meetsTarget(query) ? 'PASS' : 'MISS'} (≥ ${TARGET_RATIO}×, p99 ≤ ${TARGET_P99_MS} ms)${failed ? `, ${failed} failed requests` : ''}`,
  ];
}

/** The read queries' table, after the seeding time and the statements (when kept). */
export function readQueriesReport(outcome: Extract<ReadQueriesOutcome, { answers: 'identical' }>): string[] {
  const lines = [seededLine(outcome.seedSeconds), 'both answer identical JSON for every query', ''];
  for (const counted of outcome.statements.filter((statements) => statements.texts.length)) {
    lines.push(`statements of one "${counted.name}" request:`, ...counted.texts.map((text) => `  SQL: ${text}`));
  }
  const { typename } = outcome;
  const typenameRow = [
    '{ __typename }',
    `${formatInt(typename.graphql.requestsPerSecond)} (p99 ${typename.graphql.p99} ms)`,
    `${formatInt(typename.handWritten.requestsPerSecond)} (p99 ${typename.handWritten.p99} ms)`,
    `${formatNumber(ratioOf(typename.graphql, typename.handWritten), 2)}×`,
    '0',
    '(reference)',
  ];
  lines.push(
    ...markdownTable(
      ['query', 'GraphQL req/s', 'hand-written SQL req/s', 'ratio', 'SQL statements per GraphQL request', 'target'],
      [...outcome.queries.map(queryRow), typenameRow],
    ),
  );
  return lines;
}

export function readsAtScaleReport(outcome: ScaleOutcome): string[] {
  return [
    '',
    `reads at scale: ${formatInt(outcome.incidents)} incidents`,
    seededLine(outcome.seedSeconds),
    ...markdownTable(
      ['query', 'p50', 'p99', 'totalCount'],
      outcome.timings.map((timing) => [timing.label, `${formatNumber(timing.p50)} ms`, `${formatNumber(timing.p99)} ms`, formatInt(timing.totalCount)]),
    ),
  ];
}
