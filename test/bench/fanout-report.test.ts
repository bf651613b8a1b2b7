import type { MachineFacts } from '../../scripts/bench/common';
import { fanoutOk, fanoutReport } from '../../scripts/bench/fanout-report';
import { checkArrivals, type FanoutOutcome } from '../../scripts/bench/fanout-scenario';

// Hand-made results: the report is pure, so its verdicts and figures are checked without running the benchmark.

const machine: MachineFacts = { cpus: 2, cpuModel: 'Test CPU', node: 'v20.0.0' };

function outcome(overrides: Partial<FanoutOutcome> = {}): FanoutOutcome {
  const arrivals = (expected: number, lastMs: number) => ({ expected, received: expected, duplicates: 0, missed: 0, unexpected: 0, firstMs: 200, lastMs });
  return {
    database: 'database ib_bench_fanout_x on 127.0.0.1:5432',
    postgresVersion: '15.0',
    settings: { adminUrl: undefined, emails: 10_000, webhooks: 1_000, smtpConnections: 8, baselineSample: 500, acceptDelayMs: 0, timeoutSeconds: 120 },
    answeredMs: 20,
    expansionMs: 80,
    emails: arrivals(10_000, 12_000),
    webhooks: arrivals(1_000, 9_000),
    badSignatures: {},
    deliveries: { SENT: 11_000 },
    baseline: { sample: 500, received: 500, seconds: 2.5, perSecond: 200 },
    cpu: { server: 0.9, bench: 0.5, postgres: 0.2, rest: 0.3, cores: 2 },
    serverLog: { warn: 0, error: 0 },
    serverErrors: [],
    ...overrides,
  };
}

const report = (result: FanoutOutcome) => fanoutReport({ startedAt: new Date('2026-06-01T10:00:00Z'), totalSeconds: 60, machine, load: '1.00 1.00 1.00', outcome: result });

describe('bench:fanout report', () => {
  it('passes 11,000 messages in 12 s against the 30 s target and puts the one-connection baseline beside it', () => {
    const lines = report(outcome());
    expect(lines).toContain('   all 11,000 delivered after 12.00 s = 917 messages/s   target < 30 s   PASS');
    expect(lines).toContain(
      '   500 e-mails in 2.50 s = 200 e-mails/s (received 500); 10,000 would take 50.0 s — the fan-out\'s e-mails took 12.00 s (4.2×)',
    );
    expect(lines.some((line) => line.includes('about 18 e-mails/s, 30 min for 10,000 subscribers'))).toBe(true);
    expect(lines).toContain('   CPU from the update to the last arrival, in cores of 2: server 0.90, receivers (this process) 0.50, PostgreSQL 0.20, the rest of the machine 0.30');
    expect(fanoutOk(outcome())).toBe(true);
  });

  it('misses the target when the last message came after 30 s, without failing the run', () => {
    const slow = outcome({ emails: { ...outcome().emails, lastMs: 31_000 } });
    expect(report(slow)).toContain('   all 11,000 delivered after 31.00 s = 355 messages/s   target < 30 s   MISS');
    expect(fanoutOk(slow)).toBe(true);
  });

  it('fails the run on a duplicate, a miss or a bad signature', () => {
    expect(fanoutOk(outcome({ emails: { ...outcome().emails, duplicates: 1 } }))).toBe(false);
    expect(fanoutOk(outcome({ webhooks: { ...outcome().webhooks, received: 999, missed: 1 } }))).toBe(false);
    expect(fanoutOk(outcome({ badSignatures: { mismatch: 1 } }))).toBe(false);
    expect(report(outcome({ badSignatures: { mismatch: 1 } }))).toContain('   webhook signatures that did not verify: 1 mismatch   FAILED');
  });

  it('counts duplicates, misses and strangers among the arrivals', () => {
    const arrivals = [
      { to: 'a', at: 110 },
      { to: 'a', at: 150 },
      { to: 'b', at: 130 },
      { to: 'z', at: 120 },
    ];
    expect(checkArrivals(arrivals, new Set(['a', 'b', 'c']), 100)).toEqual({ expected: 3, received: 2, duplicates: 1, missed: 1, unexpected: 1, firstMs: 10, lastMs: 50 });
  });
});
