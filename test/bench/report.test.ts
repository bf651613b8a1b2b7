import type { MachineFacts } from '../../scripts/bench/common';
import { headerLine, readQueriesReport, readsAtScaleReport } from '../../scripts/bench/graphql-report';
import type { Measured, QueryMeasurement, ReadQueriesOutcome } from '../../scripts/bench/graphql-scenario';
import { consistencyOf, ingestReport, targetsOf, type IngestReportInput } from '../../scripts/bench/ingest-report';
import type { CaseRun, IngestOutcome } from '../../scripts/bench/ingest-scenario';
import { drainLines, latencyLines, pagingOk, pagingReport } from '../../scripts/bench/paging-report';
import type { DrainResult, LatencyResult, PagingOutcome } from '../../scripts/bench/paging-scenario';

// Hand-made results: the report functions are pure, so the verdicts and figures are checked without running a benchmark.

const machine: MachineFacts = { cpus: 2, cpuModel: 'Test CPU', node: 'v20.0.0' };
const cpu = { server: 0.5, bench: 0.1, postgres: 0.3, rest: 0.1, cores: 2 };

/** The 1-alert case: 12,000 answers in 10 s = 1,200 alerts/s against a baseline of 1,000 rows/s, p99 40 ms. */
function caseRun(overrides: Partial<CaseRun> = {}, load: Partial<CaseRun['load']> = {}): CaseRun {
  return {
    label: '1 alert/request',
    database: 'external',
    inFlight: 4,
    alertsPerRequest: 1,
    load: {
      seconds: 10,
      requests: 12_000,
      answered2xx: 12_000,
      non2xx: 0,
      statusCounts: { '202': 12_000 },
      socketErrors: 0,
      timeouts: 0,
      p50Ms: 12,
      p99Ms: 40,
      cutOff: 32,
      abandoned: 0,
      ...load,
    },
    cpu,
    serverLog: { warn: 0, error: 0 },
    serverTail: [],
    occurrences: 12_032,
    walBytes: 12_000_000,
    baseline: { rows: 10_000, errors: 0, firstError: null, seconds: 10, rowsPerSecond: 1000, p50Ms: 20, p99Ms: 60, occurrences: 10_000, walBytes: 10_000_000, cpu },
    ...overrides,
  };
}

/** 20 alerts per request: 1,800 answers in 10 s = 3,600 alerts/s, 3.6× a 1,000 rows/s baseline (target 4×). */
const groupRun = caseRun(
  { label: '20 alerts/request', alertsPerRequest: 20, occurrences: 36_640 },
  { requests: 1800, answered2xx: 1800, statusCounts: { '202': 1800 }, p99Ms: 300 },
);

function ingestInput(runs: CaseRun[], adminUrl = 'postgres://postgres@127.0.0.1:5432/test'): IngestReportInput {
  const outcome: IngestOutcome = {
    databaseName: 'ib_bench_test',
    postgresVersion: '15.0',
    connections: 32,
    baseline: { workers: 32, pool: 10 },
    workload: { fingerprints: 2000, groupSize: 20 },
    server: { nodeFlags: ['--max-semi-space-size=32'], defaultInFlight: 4, poolSize: 20, maxBatchAlerts: 1000 },
    runs,
  };
  return {
    startedAt: new Date('2026-01-05T10:00:00.000Z'),
    totalSeconds: 42.5,
    machine,
    loadBefore: '1.00 1.00 1.00',
    loadAfter: '2.00 1.50 1.00',
    settings: { adminUrl, seconds: 10, embedded: false, warmUpSeconds: 3 },
    outcome,
  };
}

const rowOf = (lines: string[], label: string) => lines.find((line) => line.startsWith(label) && line.includes('×'));

describe('bench:ingest report', () => {
  it('passes the 1-alert case at 1.2× its baseline with a p99 of 40 ms, and misses the group case at 3.6× (target 4×)', () => {
    const lines = ingestReport(ingestInput([caseRun(), groupRun]));
    const one = rowOf(lines, '1 alert/request')!;
    expect(one).toContain('1,200.0');
    expect(one).toContain('1.20×');
    expect(one).toMatch(/4\* .*alerts\/s ≥ 1\.0× baseline: PASS; p99 ≤ 50 ms: PASS$/);
    const group = rowOf(lines, '20 alerts/request')!;
    expect(group).toContain('3,600.0');
    expect(group).toContain('3.60×');
    expect(group).toMatch(/alerts\/s ≥ 4\.0× baseline: MISS$/);
  });

  it('misses the 1-alert targets below the baseline and above 50 ms, each on its own', () => {
    expect(targetsOf(caseRun({}, { answered2xx: 9000, p99Ms: 40 }))).toEqual(['alerts/s ≥ 1.0× baseline: MISS', 'p99 ≤ 50 ms: PASS']);
    expect(targetsOf(caseRun({}, { p99Ms: 51 }))).toEqual(['alerts/s ≥ 1.0× baseline: PASS', 'p99 ≤ 50 ms: MISS']);
    expect(targetsOf(caseRun({}, { answered2xx: 10_000, p99Ms: 50 }))).toEqual(['alerts/s ≥ 1.0× baseline: PASS', 'p99 ≤ 50 ms: PASS']);
    expect(targetsOf(caseRun({ alertsPerRequest: 20 }, { answered2xx: 2000 }))).toEqual(['alerts/s ≥ 4.0× baseline: PASS']);
  });

  it('counts the requests cut off at the end as committed, and a mismatch by how far the database is off', () => {
    expect(consistencyOf(caseRun())).toEqual({
      ok: true,
      text: '202 answers 12,000 × 1 = 12,000 + 32 request(s) in flight when the load generator closed its sockets × 1 = 12,032; database Σ occurrences = 12,032  OK',
    });
    const short = consistencyOf(caseRun({ occurrences: 12_027 }));
    expect(short.ok).toBe(false);
    expect(short.text).toMatch(/database Σ occurrences = 12,027 {2}MISMATCH \(database − expected = -5\)$/);
  });

  it('accepts whole requests dropped mid-run as either committed or not, nothing in between', () => {
    const dropped = { abandoned: 2, cutOff: 0 };
    expect(consistencyOf(caseRun({ alertsPerRequest: 20, occurrences: 240_000 }, dropped)).ok).toBe(true);
    expect(consistencyOf(caseRun({ alertsPerRequest: 20, occurrences: 240_040 }, dropped)).ok).toBe(true);
    expect(consistencyOf(caseRun({ alertsPerRequest: 20, occurrences: 240_010 }, dropped)).ok).toBe(false);
    expect(consistencyOf(caseRun({ alertsPerRequest: 20, occurrences: 240_060 }, dropped)).ok).toBe(false);
  });

  it('lists the failed answers, marks the default in-flight value, and compares in-flight values when there are several', () => {
    const failing = caseRun({ inFlight: 8 }, { non2xx: 3, statusCounts: { '202': 11_997, '503': 3 }, socketErrors: 1, timeouts: 1 });
    const lines = ingestReport(ingestInput([caseRun(), failing]));
    expect(lines).toContain('  errors in 1 alert/request (external, in-flight 8): 503×3, socket errors 1 (timeouts 1)');
    expect(lines.filter((line) => /^1 alert\/request +external +4\* /.test(line))).toHaveLength(1);
    expect(lines.filter((line) => /^1 alert\/request +external +8 /.test(line))).toHaveLength(1);
    expect(lines).toContain('INGEST_MAX_IN_FLIGHT comparison (external PostgreSQL):');
    expect(lines.find((line) => line.startsWith('  1 alert(s)/request: best'))).toBe('  1 alert(s)/request: best 4   (4: 1,200 alerts/s, p99 40 ms | 8: 1,200 alerts/s, p99 40 ms)');
    expect(ingestReport(ingestInput([caseRun()]))).not.toContain('INGEST_MAX_IN_FLIGHT comparison (external PostgreSQL):');
  });

  it("states the machine and the database with the admin URL's password hidden", () => {
    const lines = ingestReport(ingestInput([caseRun()], 'postgres://bench:s3cret@db.internal:5432/test'));
    expect(lines[0]).toBe('incident-bridge ingest benchmark — 2026-01-05T10:00:00.000Z');
    expect(lines[1]).toBe('machine: 2 CPUs (Test CPU), load average before 1.00 1.00 1.00, after 2.00 1.50 1.00; node v20.0.0');
    expect(lines[2]).toBe('PostgreSQL 15.0 at postgres://bench:***@db.internal:5432/test (fresh database ib_bench_test, dropped); embedded: skipped');
    expect(lines.join('\n')).not.toContain('s3cret');
    expect(lines.at(-1)).toBe('total time 42.5 s');
  });

  it('splits the CPU per stored alert', () => {
    const lines = ingestReport(ingestInput([caseRun()]));
    // 0.5 cores over 1,200 alerts/s = 417 µs per alert; 12 MB of WAL over 12,000 alerts = 1,000 B.
    expect(lines.find((line) => line.startsWith('  1 alert/request'))).toMatch(/in-flight 4 {3}0\.50 \/ 0\.10 \/ 0\.30 \/ 0\.10 {3}server 417 µs, PostgreSQL 250 µs, WAL 1,000 B$/);
  });
});

/** Part 1 with 20 webhooks, every page delivered once: latencies 50…950 ms in steps of 50, and a slow last one. */
function latency(overrides: Partial<LatencyResult> = {}): LatencyResult {
  const latencies = [...Array.from({ length: 19 }, (_, index) => (index + 1) * 50), 2500];
  return {
    webhooks: 20,
    concurrency: 8,
    sendSeconds: 1.5,
    accepted: 20,
    incidents: 20,
    received: 20,
    latencies,
    missed: [],
    duplicated: [],
    wrongRecipient: 0,
    unmatched: 0,
    rejected: 0,
    failures: [],
    serverLog: { warn: 0, error: 0 },
    serverTail: [],
    ...overrides,
  };
}

function drain(overrides: Partial<DrainResult> = {}): DrainResult {
  return {
    escalations: 10_000,
    runnerPool: 10,
    runDueLimit: 100,
    declareConcurrency: 16,
    declareSeconds: 50,
    drainSeconds: 12.5,
    handled: { a: 5200, b: 4800 },
    checks: [
      { label: 'escalations advanced by the runners (Σ runDue)', value: 10_000, expected: 10_000 },
      { label: "'escalation step 2' notifications", value: 20_000, expected: 20_000 },
    ],
    ...overrides,
  };
}

describe('bench:paging report', () => {
  it('passes p50 below 1 s and misses p99 at 2.5 s (target < 2 s), with the figures', () => {
    const lines = latencyLines(latency());
    expect(lines[2]).toMatch(/202 answers 20\/20; distinct incidents 20; SMS matched 20\/20; missed 0; .* {3}OK$/);
    expect(lines[3]).toBe('   latency 202 → SMS   p50    500.0 ms   target < 1000 ms   PASS');
    expect(lines[4]).toBe('                       p99  2,500.0 ms   target < 2000 ms   MISS');
    expect(lines[5]).toBe('                       max  2,500.0 ms   (min 50.0 ms, p90 900.0 ms, mean 600.0 ms)');
  });

  it('misses p50 at its target, since the target is strictly below', () => {
    const lines = latencyLines(latency({ latencies: Array.from({ length: 20 }, () => 1000) }));
    expect(lines[3]).toMatch(/p50 +1,000\.0 ms {3}target < 1000 ms {3}MISS$/);
  });

  it('fails correctness on a missed or duplicated page, and names it', () => {
    const missed = latency({ missed: [{ incidentId: 'inc-7', number: 7 }], received: 19 });
    const lines = latencyLines(missed);
    expect(lines[2]).toMatch(/missed 1; .* {3}FAILED$/);
    expect(lines).toContain('   MISSED: incident inc-7 #7');
    expect(latencyLines(latency({ duplicated: [{ number: 3, count: 2 }] }))).toContain('   DUPLICATED: incident #3 received 2 SMS');
  });

  it('passes a drain under 30 s and misses one over it, and fails on any count off its expected value', () => {
    const fast = drainLines(drain());
    expect(fast[3]).toMatch(/runDue\(100\) until 0: 12\.50 s, 800\.0 rows\/s \(runner a 5,200, runner b 4,800\) {3}target < 30 s {3}PASS$/);
    expect(fast[2]).toBe('   16 at once: 50.0 s (200.0 incidents/s; setup, not a target)');
    expect(fast.slice(5).every((line) => line.endsWith('  OK'))).toBe(true);
    expect(drainLines(drain({ drainSeconds: 31 }))[3]).toMatch(/target < 30 s {3}MISS$/);
    const duplicated = drain({ checks: [{ label: "'escalation step 2' notifications", value: 20_001, expected: 20_000 }] });
    expect(drainLines(duplicated)[5]).toMatch(/'escalation step 2' notifications +20,001 {2}expected {2}20,000 {2}FAILED$/);
  });

  it('decides the exit code on correctness alone, not on a missed target', () => {
    const slowButCorrect: PagingOutcome = { databaseName: 'ib_bench_paging_test', postgresVersion: '15.0', latency: latency(), drain: drain({ drainSeconds: 60 }) };
    expect(pagingOk(slowButCorrect)).toBe(true);
    const report = pagingReport({ startedAt: new Date('2026-01-05T10:00:00.000Z'), totalSeconds: 70, machine, load: '1.00 1.00 1.00', adminUrl: 'postgres://postgres@127.0.0.1:5432/test', outcome: slowButCorrect });
    expect(report.at(-2)).toBe('correctness (no page missed or duplicated): OK');
    expect(report[1]).toBe('machine: 2 CPUs (Test CPU), load average 1.00 1.00 1.00; node v20.0.0');
    const wrongRecipient = { ...slowButCorrect, latency: latency({ wrongRecipient: 1 }) };
    expect(pagingOk(wrongRecipient)).toBe(false);
    expect(pagingReport({ startedAt: new Date(0), totalSeconds: 1, machine, load: '', adminUrl: 'postgres://x@h/db', outcome: wrongRecipient }).at(-2)).toBe(
      'correctness (no page missed or duplicated): FAILED',
    );
  });
});

const measured = (requestsPerSecond: number, p99: number, non2xx = 0): Measured => ({ requestsPerSecond, p50: Math.round(p99 / 2), p99, non2xx });
const query = (name: string, graphql: Measured, handWritten: Measured): QueryMeasurement => ({ name, graphql, handWritten, statements: 3 });

describe('bench:graphql report', () => {
  const outcome: Extract<ReadQueriesOutcome, { answers: 'identical' }> = {
    answers: 'identical',
    seedSeconds: 3.25,
    statements: [{ name: 'list', count: 3, texts: [] }],
    queries: [
      query('fast enough', measured(600, 40), measured(1000, 10)),
      query('too slow', measured(400, 40), measured(1000, 10)),
      query('p99 too high', measured(800, 60, 2), measured(1000, 10, 1)),
    ],
    typename: { graphql: measured(3000, 5), handWritten: measured(6000, 2) },
  };

  it('passes a query at ≥ 0.5× with p99 ≤ 50 ms and misses it on either, in a Markdown table', () => {
    const lines = readQueriesReport(outcome);
    expect(lines.slice(0, 5)).toEqual([
      'seeded in 3.3 s',
      'both answer identical JSON for every query',
      '',
      '| query | GraphQL req/s | hand-written SQL req/s | ratio | SQL statements per GraphQL request | target |',
      '|---|---|---|---|---|---|',
    ]);
    expect(lines).toContain('| fast enough | 600 (p50 20 ms, p99 40 ms) | 1,000 (p50 5 ms, p99 10 ms) | 0.60× | 3 | PASS (≥ 0.5×, p99 ≤ 50 ms) |');
    expect(lines).toContain('| too slow | 400 (p50 20 ms, p99 40 ms) | 1,000 (p50 5 ms, p99 10 ms) | 0.40× | 3 | MISS (≥ 0.5×, p99 ≤ 50 ms) |');
    expect(lines).toContain('| p99 too high | 800 (p50 30 ms, p99 60 ms) | 1,000 (p50 5 ms, p99 10 ms) | 0.80× | 3 | MISS (≥ 0.5×, p99 ≤ 50 ms), 3 failed requests |');
    expect(lines.at(-1)).toBe('| { __typename } | 3,000 (p99 5 ms) | 6,000 (p99 2 ms) | 0.50× | 0 | (reference) |');
  });

  it('prints the statements of a counted request when they were kept', () => {
    const withTexts = { ...outcome, statements: [{ name: 'list', count: 2, texts: ['SELECT 1', 'SELECT 2'] }] };
    const lines = readQueriesReport(withTexts);
    expect(lines.slice(3, 6)).toEqual(['statements of one "list" request:', '  SQL: SELECT 1', '  SQL: SELECT 2']);
  });

  it('states the run and the reads at scale', () => {
    expect(headerLine({ incidents: 5000, connections: 16, seconds: 10 }, 'v20.0.0')).toBe('bench:graphql — 5000 incidents, 16 clients, 10 s per measurement, node v20.0.0');
    expect(readsAtScaleReport({ incidents: 1_000_000, seedSeconds: 61.04, timings: [{ label: 'incidents(first: 50) { totalCount }', p50: 1.24, p99: 3.46, totalCount: 1_000_000 }] })).toEqual([
      '',
      'reads at scale: 1,000,000 incidents',
      'seeded in 61.0 s',
      '| query | p50 | p99 | totalCount |',
      '|---|---|---|---|',
      '| incidents(first: 50) { totalCount } | 1.2 ms | 3.5 ms | 1,000,000 |',
    ]);
  });
});
