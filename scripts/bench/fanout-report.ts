/**
 * The printed report of bench:fanout, from what fanout-scenario.ts measured: the time until the last e-mail and the
 * last webhook arrived against the target (PASS/MISS), the rate, the one-connection baseline measured in the same run
 * and Cachet's reported figures as the anchor, and the correctness checks (OK/FAILED) that decide the exit code. Pure.
 */
import { check, formatInt, formatNumber, machineLine, verdict, type MachineFacts } from './common';
import type { ArrivalCheck, FanoutOutcome } from './fanout-scenario';

export const TARGET_SECONDS = 30;
/** Cachet's users (LESSONS.md, cachethq/cachet #4410): about 18 e-mails a second, half an hour for 10,240 subscribers. */
export const CACHET_PER_SECOND = 18;
export const CACHET_SECONDS_FOR_10K = 30 * 60;

export interface FanoutReportInput {
  startedAt: Date;
  totalSeconds: number;
  machine: MachineFacts;
  load: string;
  outcome: FanoutOutcome;
}

function arrivalsOk(result: ArrivalCheck): boolean {
  return result.received === result.expected && !result.duplicates && !result.missed && !result.unexpected;
}

/** Every subscriber got exactly one message, every webhook's signature checked out, and the server logged no error. */
export function fanoutOk(outcome: FanoutOutcome): boolean {
  return arrivalsOk(outcome.emails) && arrivalsOk(outcome.webhooks) && !Object.keys(outcome.badSignatures).length && outcome.serverLog.error === 0;
}

/** ms until the last of all messages arrived. */
export function lastArrivalMs(outcome: FanoutOutcome): number {
  return Math.max(outcome.emails.lastMs, outcome.webhooks.lastMs);
}

function arrivalLine(label: string, result: ArrivalCheck): string {
  return (
    `   ${label.padEnd(9)} ${formatInt(result.received).padStart(6)}/${formatInt(result.expected)} received, first after ${formatNumber(result.firstMs / 1000, 2)} s, ` +
    `last after ${formatNumber(result.lastMs / 1000, 2)} s; duplicates ${result.duplicates}, misses ${result.missed}, unexpected ${result.unexpected}   ${check(arrivalsOk(result))}`
  );
}

export function fanoutReport({ startedAt, totalSeconds, machine, load, outcome }: FanoutReportInput): string[] {
  const { settings, baseline } = outcome;
  const messages = outcome.emails.expected + outcome.webhooks.expected;
  const lastSeconds = lastArrivalMs(outcome) / 1000;
  const baselineSeconds = settings.emails / baseline.perSecond;
  const signatures = Object.entries(outcome.badSignatures);
  return [
    `incident-bridge status fan-out benchmark — ${startedAt.toISOString()}`,
    machineLine(machine, load),
    `PostgreSQL ${outcome.postgresVersion}, ${outcome.database} (fresh, removed); server as a child process (npm start), jobs on their default ticks, woken on commit`,
    `${formatInt(settings.emails)} confirmed e-mail subscribers and ${formatInt(settings.webhooks)} webhook subscribers of the main page; one PUBLIC status update posted through GraphQL (the incident's second: its first made it public and changed its component before anyone subscribed, so this one is one message per subscriber)`,
    `receivers on loopback in the bench process: smtp-server (accepts each message ${settings.acceptDelayMs ? `after ${settings.acceptDelayMs} ms` : 'at once'}), node:http verifying every signature`,
    '',
    `1. Fan-out (pooled SMTP, ${settings.smtpConnections} connections; up to 64 messages in flight per pass of 500 subscribers)`,
    `   postStatusUpdate answered after ${formatNumber(outcome.answeredMs, 1)} ms; event expanded into ${formatInt(messages)} deliveries ${formatNumber(outcome.expansionMs, 1)} ms after it was recorded`,
    arrivalLine('e-mails', outcome.emails),
    arrivalLine('webhooks', outcome.webhooks),
    `   webhook signatures that did not verify: ${signatures.length ? signatures.map(([reason, count]) => `${count} ${reason}`).join(', ') : 'none'}   ${check(!signatures.length)}`,
    `   deliveries in the database: ${Object.entries(outcome.deliveries).map(([status, count]) => `${status} ${formatInt(count)}`).join(', ') || 'none'}`,
    `   all ${formatInt(messages)} delivered after ${formatNumber(lastSeconds, 2)} s = ${formatNumber(messages / lastSeconds, 0)} messages/s` +
      `   target < ${TARGET_SECONDS} s   ${verdict(lastSeconds < TARGET_SECONDS && outcome.emails.missed + outcome.webhooks.missed === 0)}`,
    `   CPU from the update to the last arrival, in cores of ${outcome.cpu.cores}: server ${formatNumber(outcome.cpu.server, 2)}, receivers (this process) ${formatNumber(outcome.cpu.bench, 2)}, ` +
      `PostgreSQL ${formatNumber(outcome.cpu.postgres, 2)}, the rest of the machine ${formatNumber(outcome.cpu.rest, 2)}`,
    `   server log during the fan-out: ${outcome.serverLog.warn} warning(s), ${outcome.serverLog.error} error(s)`,
    ...outcome.serverErrors.map((line) => `     ${line}`),
    '',
    `2. Baseline, measured in this run: one SMTP connection kept open, one message at a time (nodemailer composing each), to the same receiver`,
    `   ${formatInt(baseline.sample)} e-mails in ${formatNumber(baseline.seconds, 2)} s = ${formatNumber(baseline.perSecond, 0)} e-mails/s (received ${formatInt(baseline.received)}); ` +
      `${formatInt(settings.emails)} would take ${formatNumber(baselineSeconds, 1)} s — the fan-out's e-mails took ${formatNumber(outcome.emails.lastMs / 1000, 2)} s ` +
      `(${formatNumber(baselineSeconds / (outcome.emails.lastMs / 1000), 1)}×)`,
    `   anchor: Cachet's users report about ${CACHET_PER_SECOND} e-mails/s, ${CACHET_SECONDS_FOR_10K / 60} min for 10,000 subscribers (over a real network; on loopback the baseline above is what one connection does here)`,
    '',
    `correctness (each subscriber told exactly once, signatures valid): ${check(fanoutOk(outcome))}`,
    `total time ${formatNumber(totalSeconds)} s`,
  ];
}
