/**
 * npm run bench:fanout — how fast one public status update reaches 11,000 subscribers.
 *
 * A fresh database (on DATABASE_URL's server, or an embedded PostgreSQL of the bench's own when it is unset) holds
 * 10,000 confirmed e-mail subscribers and 1,000 webhook subscribers of the main page. The server runs as a child
 * process (node dist/src/main.js, as npm start does) with SMTP pointed at a real SMTP receiver and the webhooks at a
 * real HTTP receiver, both on loopback in this process (scripts/bench/fanout-receivers.ts). One PUBLIC status update is
 * posted through GraphQL (the incident's second: its first, before anyone subscribed, made it public and changed its
 * component, so the measured one is one message per subscriber); the bench prints the time until the last e-mail and the last webhook arrived, messages per
 * second, duplicates and misses (must be 0/0), and — measured in the same run, against the same receiver — a baseline
 * of one SMTP connection sending one message at a time (BENCH_FANOUT_BASELINE messages, extrapolated), beside Cachet's
 * reported figures. Target: all 11,000 in under 30 s. A miss of the target is reported as MISS; the exit code is
 * non-zero only when a subscriber got no message or more than one, or a signature did not verify.
 *
 * Environment:
 *   DATABASE_URL                  admin URL of the PostgreSQL to create the bench database in (unset: embedded PostgreSQL)
 *   BENCH_FANOUT_EMAILS           e-mail subscribers (default 10000)
 *   BENCH_FANOUT_WEBHOOKS         webhook subscribers (default 1000)
 *   BENCH_FANOUT_SMTP_CONNECTIONS the server's STATUS_SMTP_CONNECTIONS (default 8)
 *   BENCH_FANOUT_BASELINE         messages the one-connection baseline sends (default 500)
 *   BENCH_FANOUT_ACCEPT_MS        how long the SMTP receiver takes to accept each message (default 0; a real MTA
 *                                 answers after writing it to disk)
 *   BENCH_FANOUT_TIMEOUT_SECONDS  longest wait for the messages (default 120)
 *   BENCH_SERVER_NODE_ARGS        extra node flags for the server (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof")
 * fanout-scenario.ts runs it; fanout-report.ts prints what it measured.
 */
import { loadAverage, machineFacts, numberFromEnv } from './common';
import { fanoutOk, fanoutReport } from './fanout-report';
import { runFanoutScenario, type FanoutSettings } from './fanout-scenario';
import { killStartedServers } from './server-process';

function readSettings(): FanoutSettings {
  return {
    adminUrl: process.env.DATABASE_URL || undefined,
    emails: numberFromEnv('BENCH_FANOUT_EMAILS', 10_000, { min: 1, max: 1_000_000 }),
    webhooks: numberFromEnv('BENCH_FANOUT_WEBHOOKS', 1_000, { min: 1, max: 100_000 }),
    smtpConnections: numberFromEnv('BENCH_FANOUT_SMTP_CONNECTIONS', 8, { min: 1, max: 100 }),
    baselineSample: numberFromEnv('BENCH_FANOUT_BASELINE', 500, { min: 1, max: 100_000 }),
    acceptDelayMs: numberFromEnv('BENCH_FANOUT_ACCEPT_MS', 0, { min: 0, max: 10_000 }),
    timeoutSeconds: numberFromEnv('BENCH_FANOUT_TIMEOUT_SECONDS', 120, { min: 5, max: 3600 }),
  };
}

async function main(): Promise<void> {
  const settings = readSettings();
  const started = Date.now();
  const load = loadAverage();
  const outcome = await runFanoutScenario(settings);
  console.log(fanoutReport({ startedAt: new Date(started), totalSeconds: (Date.now() - started) / 1000, machine: machineFacts(), load: `before ${load}, after ${loadAverage()}`, outcome }).join('\n'));
  if (!fanoutOk(outcome)) process.exitCode = 1;
}

main().catch((error) => {
  killStartedServers();
  console.error(error);
  process.exit(1);
});
