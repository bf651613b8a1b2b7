/**
 * npm run bench:paging — how fast a page goes out, and how fast two runners drain a pile of due escalations.
 *
 *   1. Webhook 202 → SMS: the server runs as a child process (node dist/src/main.js) with its SMS channel
 *      pointed at a Twilio stand-in in this process. 200 Alertmanager webhooks, each a distinct alert
 *      (fingerprint and groupKey), open 200 incidents on a service whose policy pages a follow-the-sun
 *      schedule; each page's latency is the time from its webhook's 202 to the stand-in receiving its SMS
 *      (matched by "Incident #<n>" in the body). Target: p50 < 1 s, p99 < 2 s.
 *   2. 10,000 due escalations: in this process, two independent createServices(...) over two DataSources
 *      (pool 10 each) and one ManualClock declare 10,000 incidents, move the clock past step 1's delay, and
 *      time Promise.all([drain(a), drain(b)]) where drain loops escalation.runDue(100) until it returns 0.
 *      Then every (incident, step-2 target) must have exactly one 'escalation step 2' notification. Target: < 30 s.
 *
 * Both parts use one fresh database at DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), dropped at the end.
 * A figure that misses its target is reported as MISS; the exit code is non-zero only when a page is missed or duplicated.
 *
 * Environment:
 *   DATABASE_URL          admin URL of the PostgreSQL to create the bench database in
 *   BENCH_WEBHOOKS        webhooks in part 1 (default 200)
 *   BENCH_CONCURRENCY     webhooks in flight at once in part 1 (default 8)
 *   BENCH_ESCALATIONS     due escalations in part 2 (default 10000)
 * paging-scenario.ts runs both parts; paging-report.ts prints what they measured.
 */
import { adminUrlFromEnv, loadAverage, machineFacts, numberFromEnv } from './common';
import { pagingOk, pagingReport } from './paging-report';
import { runPagingScenario, type PagingSettings } from './paging-scenario';
import { killStartedServers } from './server-process';

function readSettings(): PagingSettings {
  return {
    adminUrl: adminUrlFromEnv(),
    webhooks: numberFromEnv('BENCH_WEBHOOKS', 200, { min: 1, max: 5000 }),
    concurrency: numberFromEnv('BENCH_CONCURRENCY', 8, { min: 1, max: 64 }),
    escalations: numberFromEnv('BENCH_ESCALATIONS', 10_000, { min: 1, max: 100_000 }),
  };
}

async function main(): Promise<void> {
  const settings = readSettings();
  const started = Date.now();
  const outcome = await runPagingScenario(settings);
  const lines = pagingReport({
    startedAt: new Date(started),
    totalSeconds: (Date.now() - started) / 1000,
    machine: machineFacts(),
    load: loadAverage(),
    adminUrl: settings.adminUrl,
    outcome,
  });
  console.log(lines.join('\n'));
  if (!pagingOk(outcome)) process.exitCode = 1;
}

main().catch((error) => {
  killStartedServers();
  console.error(error);
  process.exit(1);
});
