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
 */
import 'reflect-metadata';
import { createHash, randomBytes } from 'node:crypto';
import os from 'node:os';
import { Pool } from 'pg';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { createDatabase, dropDatabase, withDatabase } from '../../src/db/database-admin';
import { createDataSource } from '../../src/db/data-source';
import { ActorType, EscalationTargetType, Priority, Role } from '../../src/schema/enums';
import { createServices, type Services } from '../../src/services';
import type { Actor } from '../../src/shared/actor';
import { ManualClock } from '../../src/shared/clock';
import { followTheSunShiftAt } from '../support/reference-organisation';
import { startTwilioStandIn, type AcceptedSms, type TwilioStandIn } from '../support/twilio-standin';
import { createPagingOrganisation, graphql, type PagingOrganisation } from './paging-setup';
import { handleInterrupts, killStartedServers, startServer, type ServerProcess } from './server-process';
import { formatInt, formatNumber, percentile } from './common';

const TARGET_P50_MS = 1000;
const TARGET_P99_MS = 2000;
const TARGET_DRAIN_S = 30;
const SMS_WAIT_MS = 20_000;
const SETTLE_MS = 1_000;
const MINUTE = 60_000;
const RUNNER_POOL = 10;
const RUN_DUE_LIMIT = 100;
const DECLARE_CONCURRENCY = 16;

interface Settings {
  adminUrl: string;
  webhooks: number;
  concurrency: number;
  escalations: number;
}

function intFromEnv(name: string, fallback: number, min: number, max: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer ${min}…${max}`);
  return value;
}

function readSettings(): Settings {
  return {
    adminUrl: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
    webhooks: intFromEnv('BENCH_WEBHOOKS', 200, 1, 5000),
    concurrency: intFromEnv('BENCH_CONCURRENCY', 8, 1, 64),
    escalations: intFromEnv('BENCH_ESCALATIONS', 10_000, 1, 100_000),
  };
}

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const verdict = (pass: boolean) => (pass ? 'PASS' : 'MISS');
const check = (ok: boolean) => (ok ? 'OK' : 'FAILED');

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** Runs `task(i)` for i in 0…count-1 with at most `concurrency` at once. */
async function forEachLimited(count: number, concurrency: number, task: (index: number, worker: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (id: number) => {
    while (next < count) await task(next++, id);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, (_, id) => worker(id)));
}

// ---------------------------------------------------------------------------------------------------------------------
// Part 1: webhook 202 → SMS at the Twilio stand-in

interface WebhookOutcome {
  status: number;
  incidentIds: string[];
  /** performance.now() when the answer's status line arrived. */
  answeredAt: number;
  /** Who was on call (by the UTC hour) when the request was sent and when it was answered. */
  onCall: Set<number>;
  error?: string;
}

interface LatencyResult {
  settings: Settings;
  sendSeconds: number;
  outcomes: WebhookOutcome[];
  accepted: number;
  incidents: number;
  received: number;
  latencies: number[];
  missed: Array<{ incidentId: string; number: number | null }>;
  duplicated: Array<{ number: number; count: number }>;
  wrongRecipient: number;
  unmatched: number;
  rejected: number;
  failures: string[];
  serverLog: { warn: number; error: number };
  serverTail: string[];
}

/** An Alertmanager v4 notification carrying one alert whose fingerprint and groupKey are this run's and index's own. */
function alertmanagerBody(runId: string, index: number): string {
  const alertname = `BenchPage${index}`;
  const instance = `smpp-${index}.bench.internal`;
  return JSON.stringify({
    version: '4',
    groupKey: `{}:{alertname="${alertname}",run="${runId}"}`,
    status: 'firing',
    receiver: 'incident-bridge',
    groupLabels: { alertname },
    commonLabels: { alertname, severity: 'critical' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    truncatedAlerts: 0,
    alerts: [
      {
        status: 'firing',
        labels: { alertname, severity: 'critical', instance, run: runId },
        annotations: { summary: `SMPP gateway ${instance} is down` },
        startsAt: new Date().toISOString(),
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus:9090/graph',
        fingerprint: createHash('sha256').update(`${runId}-${index}`).digest('hex').slice(0, 16),
      },
    ],
  });
}

async function postWebhook(server: ServerProcess, org: PagingOrganisation, body: string): Promise<WebhookOutcome> {
  const onCall = new Set([followTheSunShiftAt(new Date())]);
  try {
    const response = await fetch(`${server.url}/webhooks/${org.integration.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${org.integration.secret}` },
      body,
      signal: AbortSignal.timeout(15_000),
    });
    const answeredAt = performance.now();
    onCall.add(followTheSunShiftAt(new Date()));
    const text = await response.text();
    let incidentIds: string[] = [];
    try {
      incidentIds = (JSON.parse(text) as { incidentIds?: string[] }).incidentIds ?? [];
    } catch {
      // Not JSON: reported through the status.
    }
    return { status: response.status, incidentIds, answeredAt, onCall, error: response.status === 202 ? undefined : text.slice(0, 200) };
  } catch (error) {
    return { status: 0, incidentIds: [], answeredAt: Number.NaN, onCall, error: (error as Error).message };
  }
}

async function measureLatency(settings: Settings, server: ServerProcess, twilio: TwilioStandIn, org: PagingOrganisation, adminToken: string): Promise<LatencyResult> {
  const runId = randomBytes(4).toString('hex');
  const bodies = Array.from({ length: settings.webhooks }, (_, index) => alertmanagerBody(runId, index));
  const logBefore = server.logCounts();
  progress(`part 1: ${settings.webhooks} webhooks, ${settings.concurrency} at once…`);
  const outcomes: WebhookOutcome[] = new Array(settings.webhooks);
  const sendStarted = performance.now();
  await forEachLimited(settings.webhooks, settings.concurrency, async (index) => {
    outcomes[index] = await postWebhook(server, org, bodies[index]);
  });
  const sendSeconds = (performance.now() - sendStarted) / 1000;
  const failures: string[] = [];

  // Each accepted webhook must have opened its own incident.
  const byIncident = new Map<string, WebhookOutcome>();
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome.status !== 202) failures.push(`webhook ${index} answered ${outcome.status || 'nothing'}: ${outcome.error ?? ''}`);
    else if (outcome.incidentIds.length !== 1) failures.push(`webhook ${index} opened ${outcome.incidentIds.length} incidents (expected 1)`);
    else if (byIncident.has(outcome.incidentIds[0])) failures.push(`webhook ${index} answered incident ${outcome.incidentIds[0]}, already opened by another webhook`);
    else byIncident.set(outcome.incidentIds[0], outcome);
  }

  // Incident numbers, for matching "Incident #<n>" in the SMS bodies (outside the timed path: arrival times are already recorded).
  const numbers = new Map<number, string>();
  const ids = [...byIncident.keys()];
  await forEachLimited(ids.length, settings.concurrency, async (index) => {
    const data = await graphql<{ incident: { number: number } | null }>(server.url, adminToken, `query($id: ID!) { incident(id: $id) { number } }`, { id: ids[index] });
    if (data.incident) numbers.set(data.incident.number, ids[index]);
  });

  const smsFor = (): Map<number, AcceptedSms[]> => {
    const map = new Map<number, AcceptedSms[]>();
    for (const sms of twilio.messages) {
      const match = /Incident #(\d+)\b/.exec(sms.body);
      if (!match) continue;
      const list = map.get(Number(match[1])) ?? [];
      list.push(sms);
      map.set(Number(match[1]), list);
    }
    return map;
  };
  const lastAnswer = Math.max(...outcomes.map((outcome) => outcome.answeredAt).filter(Number.isFinite), performance.now());
  while (performance.now() < lastAnswer + SMS_WAIT_MS) {
    const received = smsFor();
    if ([...numbers.keys()].every((number) => received.has(number))) break;
    await sleep(50);
  }
  await sleep(SETTLE_MS);

  const received = smsFor();
  const latencies: number[] = [];
  const missed: LatencyResult['missed'] = [];
  const duplicated: LatencyResult['duplicated'] = [];
  let wrongRecipient = 0;
  for (const [number, incidentId] of numbers) {
    const messages = received.get(number) ?? [];
    const outcome = byIncident.get(incidentId)!;
    if (!messages.length) {
      missed.push({ incidentId, number });
      continue;
    }
    if (messages.length > 1) duplicated.push({ number, count: messages.length });
    const first = messages.reduce((a, b) => (b.arrivedAt < a.arrivedAt ? b : a));
    latencies.push(first.arrivedAt - outcome.answeredAt);
    if (![...outcome.onCall].some((shift) => org.shiftPhones[shift] === first.to)) wrongRecipient += 1;
  }
  for (const incidentId of byIncident.keys()) {
    if (![...numbers.values()].includes(incidentId)) missed.push({ incidentId, number: null });
  }
  const ours = new Set(numbers.keys());
  const unmatched = twilio.messages.filter((sms) => {
    const match = /Incident #(\d+)\b/.exec(sms.body);
    return !match || !ours.has(Number(match[1]));
  }).length;
  latencies.sort((a, b) => a - b);
  const logAfter = server.logCounts();
  return {
    settings,
    sendSeconds,
    outcomes,
    accepted: outcomes.filter((outcome) => outcome.status === 202).length,
    incidents: byIncident.size,
    received: latencies.length,
    latencies,
    missed,
    duplicated,
    wrongRecipient,
    unmatched,
    rejected: twilio.rejected,
    failures,
    serverLog: { warn: logAfter.warn - logBefore.warn, error: logAfter.error - logBefore.error },
    serverTail: logAfter.warn + logAfter.error > logBefore.warn + logBefore.error ? server.outputTail().slice(-5) : [],
  };
}

function latencyOk(result: LatencyResult): boolean {
  return (
    !result.failures.length &&
    result.accepted === result.settings.webhooks &&
    result.incidents === result.settings.webhooks &&
    !result.missed.length &&
    !result.duplicated.length &&
    !result.wrongRecipient
  );
}

function reportLatency(result: LatencyResult): string[] {
  const { latencies, settings } = result;
  const p50 = percentile(latencies, 0.5);
  const p99 = percentile(latencies, 0.99);
  const ms = (value: number) => `${formatNumber(value, 1).padStart(8)} ms`;
  const lines = [
    `1. Webhook 202 → Twilio stand-in receives the page's SMS (server child process; escalation/delivery jobs on their default 5 s ticks, delivery also woken by LISTEN/NOTIFY)`,
    `   ${settings.webhooks} Alertmanager webhooks, 1 alert each (distinct fingerprint and groupKey), ${settings.concurrency} in flight, sent in ${formatNumber(result.sendSeconds, 2)} s`,
    `   202 answers ${result.accepted}/${settings.webhooks}; distinct incidents ${result.incidents}; SMS matched ${result.received}/${settings.webhooks}` +
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

// ---------------------------------------------------------------------------------------------------------------------
// Part 2: 10,000 due escalations, two in-process runners

interface DrainResult {
  escalations: number;
  declareSeconds: number;
  drainSeconds: number;
  handled: { a: number; b: number };
  checks: Array<{ label: string; value: number; expected: number }>;
}

const benchActor: Actor = { type: ActorType.TOKEN, id: null, name: 'bench', role: Role.ADMIN };

async function measureDrain(settings: Settings, databaseUrl: string): Promise<DrainResult> {
  const log = pino({ level: 'silent' });
  // An hour before real time, so the escalations part 1 left running (due 5 minutes after real "now") never come due here.
  const clock = new ManualClock(new Date(Date.now() - 60 * MINUTE));
  const first: DataSource = createDataSource({ url: databaseUrl, poolSize: RUNNER_POOL, applicationName: 'bench-runner-a' });
  const second: DataSource = createDataSource({ url: databaseUrl, poolSize: RUNNER_POOL, applicationName: 'bench-runner-b' });
  await Promise.all([first.initialize(), second.initialize()]);
  try {
    const a = createServices(first, clock, { log, publicBaseUrl: 'http://localhost' });
    const b = createServices(second, clock, { log, publicBaseUrl: 'http://localhost' });
    const suffix = randomBytes(3).toString('hex');
    const onCall = await a.catalog.createPerson({ name: `Runner on call ${suffix}`, email: `oncall.${suffix}@example.com`, phone: '+351920000001' });
    const backup = await a.catalog.createPerson({ name: `Runner backup ${suffix}`, email: `backup.${suffix}@example.com`, phone: '+351920000002' });
    const lead = await a.catalog.createPerson({ name: `Runner lead ${suffix}`, email: `lead.${suffix}@example.com` });
    const policy = await a.paging.createPolicy({
      name: `bench runners ${suffix}`,
      steps: [
        { delayMinutes: 5, targets: [{ type: EscalationTargetType.PERSON, id: onCall.id }] },
        { delayMinutes: 5, targets: [{ type: EscalationTargetType.PERSON, id: backup.id }, { type: EscalationTargetType.PERSON, id: lead.id }] },
      ],
    });
    const service = await a.catalog.createService({ name: `Bench runners ${suffix}`, slug: `bench-runners-${suffix}` });
    await a.paging.setServicePolicy(service.id, policy.id);
    const stepTwoTargets = 2;

    progress(`part 2: declaring ${formatInt(settings.escalations)} incidents through services.incidents.declare, ${DECLARE_CONCURRENCY} at once over both DataSources…`);
    const declareStarted = performance.now();
    let declared = 0;
    await forEachLimited(settings.escalations, DECLARE_CONCURRENCY, async (index, worker) => {
      const services = worker % 2 === 0 ? a : b;
      await services.incidents.declare(benchActor, { title: `bench escalation ${index}`, serviceId: service.id, priority: Priority.P1 });
      declared += 1;
      if (declared % 2000 === 0) progress(`  ${formatInt(declared)} declared`);
    });
    const declareSeconds = (performance.now() - declareStarted) / 1000;
    progress(`part 2: declared in ${formatNumber(declareSeconds)} s; advancing the clock 6 minutes and draining with two runners…`);

    clock.advance(6 * MINUTE);
    const drain = async (services: Services) => {
      let handled = 0;
      for (;;) {
        const batch = await services.escalation.runDue(RUN_DUE_LIMIT);
        if (batch === 0) return handled;
        handled += batch;
      }
    };
    const drainStarted = performance.now();
    const [handledA, handledB] = await Promise.all([drain(a), drain(b)]);
    const drainSeconds = (performance.now() - drainStarted) / 1000;

    const [counts] = await first.query(
      `SELECT count(*) FILTER (WHERE n.reason = 'escalation step 1') AS step1,
              count(*) FILTER (WHERE n.reason = 'escalation step 2') AS step2,
              count(DISTINCT n.idempotency_key) FILTER (WHERE n.reason = 'escalation step 2') AS step2_keys,
              count(DISTINCT (n.incident_id, n.person_id)) FILTER (WHERE n.reason = 'escalation step 2') AS step2_pairs
         FROM notification n JOIN incident i ON i.id = n.incident_id WHERE i.service_id = $1`,
      [service.id],
    );
    // An incident missing a step-2 target: fewer than `stepTwoTargets` distinct people paged by step 2.
    const [missing] = await first.query(
      `SELECT count(*) AS incidents FROM incident i
        WHERE i.service_id = $1
          AND (SELECT count(DISTINCT n.person_id) FROM notification n WHERE n.incident_id = i.id AND n.reason = 'escalation step 2') <> $2`,
      [service.id, stepTwoTargets],
    );
    const [steps] = await first.query(
      `SELECT count(*) FILTER (WHERE e.step_index = 1 AND e.state = 'ACTIVE') AS at_step_2, count(*) AS total
         FROM incident_escalation e JOIN incident i ON i.id = e.incident_id WHERE i.service_id = $1`,
      [service.id],
    );
    const [events] = await first.query(
      `SELECT count(*) FROM timeline_event t JOIN incident i ON i.id = t.incident_id WHERE i.service_id = $1 AND t.kind = 'ESCALATION_STEP'`,
      [service.id],
    );
    const n = settings.escalations;
    const step2 = Number(counts.step2);
    const pairs = Number(counts.step2_pairs);
    return {
      escalations: n,
      declareSeconds,
      drainSeconds,
      handled: { a: handledA, b: handledB },
      checks: [
        { label: 'escalations advanced by the runners (Σ runDue)', value: handledA + handledB, expected: n },
        { label: "'escalation step 2' notifications", value: step2, expected: n * stepTwoTargets },
        { label: '  distinct idempotency_key', value: Number(counts.step2_keys), expected: n * stepTwoTargets },
        { label: '  distinct (incident, person)', value: pairs, expected: n * stepTwoTargets },
        { label: '  duplicates (rows − distinct pairs)', value: step2 - pairs, expected: 0 },
        { label: '  incidents missing a step-2 target', value: Number(missing.incidents), expected: 0 },
        { label: "'escalation step 1' notifications", value: Number(counts.step1), expected: n },
        { label: 'escalations now at step 2 (ACTIVE)', value: Number(steps.at_step_2), expected: n },
        { label: 'ESCALATION_STEP timeline events', value: Number(events.count), expected: 2 * n },
      ],
    };
  } finally {
    await Promise.all([first.destroy(), second.destroy()]);
  }
}

function drainOk(result: DrainResult): boolean {
  return result.checks.every((item) => item.value === item.expected);
}

function reportDrain(result: DrainResult): string[] {
  const n = result.escalations;
  const lines = [
    `2. ${formatInt(n)} due escalations drained by two runners (in-process: two createServices over two DataSources, pool ${RUNNER_POOL} each, one ManualClock)`,
    `   policy: step 1 → 1 person (SMS), step 2 after 5 min → 2 people (1 SMS, 1 e-mail); ${formatInt(n)} incidents declared through services.incidents.declare,`,
    `   ${DECLARE_CONCURRENCY} at once: ${formatNumber(result.declareSeconds)} s (${formatNumber(n / result.declareSeconds)} incidents/s; setup, not a target)`,
    `   drain  Promise.all([drain(a), drain(b)]), runDue(${RUN_DUE_LIMIT}) until 0: ${formatNumber(result.drainSeconds, 2)} s, ${formatNumber(n / result.drainSeconds)} rows/s` +
      ` (runner a ${formatInt(result.handled.a)}, runner b ${formatInt(result.handled.b)})   target < ${TARGET_DRAIN_S} s   ${verdict(result.drainSeconds < TARGET_DRAIN_S)}`,
    `   exactly once:`,
  ];
  for (const item of result.checks) {
    lines.push(`     ${item.label.padEnd(48)} ${formatInt(item.value).padStart(7)}  expected ${formatInt(item.expected).padStart(7)}  ${check(item.value === item.expected)}`);
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const settings = readSettings();
  const started = Date.now();
  const databaseName = `ib_bench_paging_${randomBytes(5).toString('hex')}`;
  const benchUrl = withDatabase(settings.adminUrl, databaseName);
  const adminToken = `bench_admin_${randomBytes(18).toString('hex')}`;
  const twilioAccount = { sid: `AC${randomBytes(16).toString('hex')}`, token: randomBytes(16).toString('hex'), from: '+15005550006' };

  let server: ServerProcess | null = null;
  let twilio: TwilioStandIn | null = null;
  let databaseCreated = false;
  const cleanup = async () => {
    await server?.stop().catch(() => undefined);
    server = null;
    await twilio?.close().catch(() => undefined);
    twilio = null;
    if (databaseCreated) {
      await dropDatabase(settings.adminUrl, databaseName).catch((error) => progress(`could not drop ${databaseName}: ${(error as Error).message}`));
      databaseCreated = false;
    }
  };
  const stopHandlingInterrupts = handleInterrupts(cleanup, (signal) => progress(`${signal}: stopping the server and dropping ${databaseName}`));

  let latency: LatencyResult;
  let drained: DrainResult;
  let postgresVersion: string;
  try {
    await createDatabase(settings.adminUrl, databaseName);
    databaseCreated = true;
    twilio = await startTwilioStandIn({ accountSid: twilioAccount.sid, authToken: twilioAccount.token });
    progress(`database ${databaseName} created; Twilio stand-in at ${twilio.baseUrl}; starting the server (it migrates at start)`);
    server = await startServer({
      env: {
        DATABASE_URL: benchUrl,
        BOOTSTRAP_ADMIN_TOKEN: adminToken,
        LOG_LEVEL: 'warn',
        TWILIO_ACCOUNT_SID: twilioAccount.sid,
        TWILIO_AUTH_TOKEN: twilioAccount.token,
        TWILIO_FROM_NUMBER: twilioAccount.from,
        TWILIO_API_BASE_URL: twilio.baseUrl,
        TWILIO_MESSAGING_SERVICE_SID: undefined,
        // The server's defaults: jobs on, 5-second ticks, default pool.
        JOBS_ENABLED: undefined,
        ESCALATION_SCHEDULE: undefined,
        DELIVERY_SCHEDULE: undefined,
        DB_POOL_SIZE: undefined,
        PUBLIC_BASE_URL: undefined,
      },
    });
    const pool = new Pool({ connectionString: benchUrl, max: 1, application_name: 'bench-check' });
    // Idle connections are terminated when an interrupted run drops the database: not a crash.
    pool.on('error', () => undefined);
    try {
      postgresVersion = (await pool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0].v;
    } finally {
      await pool.end();
    }
    const org = await createPagingOrganisation(benchUrl);
    latency = await measureLatency(settings, server, twilio, org, adminToken);
    progress(`part 1: ${latency.received}/${settings.webhooks} SMS matched, p50 ${formatNumber(percentile(latency.latencies, 0.5))} ms`);
    // Part 2 runs in this process against the same database; the server (and its job ticks) is stopped first.
    await server.stop();
    server = null;
    drained = await measureDrain(settings, benchUrl);
  } finally {
    await cleanup();
    stopHandlingInterrupts();
  }

  const ok = latencyOk(latency) && drainOk(drained);
  const lines = [
    `incident-bridge paging benchmark — ${new Date(started).toISOString()}`,
    `machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? '?'}), load average ${os
      .loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')}; node ${process.version}`,
    `PostgreSQL ${postgresVersion} at ${redact(settings.adminUrl)} (fresh database ${databaseName}, dropped)`,
    '',
    ...reportLatency(latency),
    '',
    ...reportDrain(drained),
    '',
    `correctness (no page missed or duplicated): ${ok ? 'OK' : 'FAILED'}`,
    `total time ${formatNumber((Date.now() - started) / 1000)} s`,
  ];
  console.log(lines.join('\n'));
  if (!ok) process.exitCode = 1;
}

main().catch((error) => {
  killStartedServers();
  console.error(error);
  process.exit(1);
});
