/**
 * What bench:paging runs and measures (paging.ts describes the two parts), returned as plain data for paging-report.ts.
 * The server, the Twilio stand-in and the bench database are gone when it returns or is interrupted.
 */
import 'reflect-metadata';
import { createHash, randomBytes } from 'node:crypto';
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
import { formatInt, formatNumber, percentile, progress, sleep } from './common';
import { createPagingOrganisation, graphql, type PagingOrganisation } from './paging-setup';
import { handleInterrupts, startServer, type ServerProcess } from './server-process';

const SMS_WAIT_MS = 20_000;
const SETTLE_MS = 1_000;
const MINUTE = 60_000;
const RUNNER_POOL = 10;
const RUN_DUE_LIMIT = 100;
const DECLARE_CONCURRENCY = 16;

export interface PagingSettings {
  adminUrl: string;
  /** Webhooks in part 1, and how many are in flight at once. */
  webhooks: number;
  concurrency: number;
  /** Due escalations in part 2. */
  escalations: number;
}

export interface PagingOutcome {
  databaseName: string;
  postgresVersion: string;
  latency: LatencyResult;
  drain: DrainResult;
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

/** What part 1 measured: the webhooks' answers, the SMS matched to their incidents, and 202 → SMS latencies. */
export interface LatencyResult {
  webhooks: number;
  concurrency: number;
  sendSeconds: number;
  accepted: number;
  incidents: number;
  received: number;
  /** ms from each webhook's 202 to its first SMS, ascending. */
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

async function measureLatency(settings: PagingSettings, server: ServerProcess, twilio: TwilioStandIn, org: PagingOrganisation, adminToken: string): Promise<LatencyResult> {
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
    webhooks: settings.webhooks,
    concurrency: settings.concurrency,
    sendSeconds,
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

// ---------------------------------------------------------------------------------------------------------------------
// Part 2: due escalations, two in-process runners

/** What part 2 measured: the time two runners took to drain the due escalations, and the exactly-once counts. */
export interface DrainResult {
  escalations: number;
  runnerPool: number;
  runDueLimit: number;
  declareConcurrency: number;
  declareSeconds: number;
  drainSeconds: number;
  handled: { a: number; b: number };
  /** Each count the drain must have produced exactly: a value ≠ expected is a missed or duplicated page. */
  checks: Array<{ label: string; value: number; expected: number }>;
}

const benchActor: Actor = { type: ActorType.TOKEN, id: null, name: 'bench', role: Role.ADMIN };

async function measureDrain(settings: PagingSettings, databaseUrl: string): Promise<DrainResult> {
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
      runnerPool: RUNNER_POOL,
      runDueLimit: RUN_DUE_LIMIT,
      declareConcurrency: DECLARE_CONCURRENCY,
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

// ---------------------------------------------------------------------------------------------------------------------

/** Part 1 against the server, then part 2 in this process, both on one fresh database dropped at the end. */
export async function runPagingScenario(settings: PagingSettings): Promise<PagingOutcome> {
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
  let drain: DrainResult;
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
    drain = await measureDrain(settings, benchUrl);
  } finally {
    await cleanup();
    stopHandlingInterrupts();
  }

  return { databaseName, postgresVersion, latency, drain };
}
