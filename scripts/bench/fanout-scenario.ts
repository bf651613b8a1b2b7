/**
 * What bench:fanout runs and measures (fanout.ts describes it), returned as plain data for fanout-report.ts. The
 * server, the receivers and the bench database are gone when it returns or is interrupted.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { Pool } from 'pg';
import { migrate, openScratchDatabase, type ScratchDatabase } from '../support/scratch-database';
import { progress, serverNodeArgsFromEnv, sleep } from './common';
import { cpuBetween, cpuSnapshot, type CpuUsage } from './cpu';
import { startCountingHttp, startCountingSmtp, type Arrival, type CountingHttp, type CountingSmtp } from './fanout-receivers';
import { graphql } from './paging-setup';
import { handleInterrupts, startServer, type ServerProcess } from './server-process';

const SETTLE_MS = 2_000;
const SIGNING_SECRET = 'whsec_bench_fanout_0123456789';
const PUBLIC_BASE_URL = 'https://status.bench.example';

export interface FanoutSettings {
  /** Admin URL of the PostgreSQL to create the bench database in; undefined: an embedded PostgreSQL of the bench's own. */
  adminUrl: string | undefined;
  emails: number;
  webhooks: number;
  smtpConnections: number;
  /** Messages the one-connection baseline sends. */
  baselineSample: number;
  /** How long the receiver takes to accept each message (0: at once). */
  acceptDelayMs: number;
  timeoutSeconds: number;
}

export interface ArrivalCheck {
  expected: number;
  /** Recipients that got at least one message. */
  received: number;
  /** Arrivals beyond the first for a recipient. */
  duplicates: number;
  missed: number;
  /** Arrivals for no recipient the bench subscribed. */
  unexpected: number;
  /** ms from sending the update to the first and the last arrival. */
  firstMs: number;
  lastMs: number;
}

export interface BaselineResult {
  sample: number;
  received: number;
  seconds: number;
  perSecond: number;
}

export interface FanoutOutcome {
  database: string;
  postgresVersion: string;
  settings: FanoutSettings;
  /** ms from sending postStatusUpdate to its answer. */
  answeredMs: number;
  /** ms the server took from recording the event to expanding it (its own timestamps). */
  expansionMs: number;
  emails: ArrivalCheck;
  webhooks: ArrivalCheck;
  badSignatures: Record<string, number>;
  deliveries: Record<string, number>;
  baseline: BaselineResult;
  /** Cores busy from the update to the last arrival. */
  cpu: CpuUsage;
  serverLog: { warn: number; error: number };
  serverErrors: string[];
}

export function checkArrivals(arrivals: Arrival[], expected: Set<string>, since: number): ArrivalCheck {
  const counts = new Map<string, number>();
  let unexpected = 0;
  for (const arrival of arrivals) {
    if (expected.has(arrival.to)) counts.set(arrival.to, (counts.get(arrival.to) ?? 0) + 1);
    else unexpected += 1;
  }
  const times = arrivals.filter((arrival) => expected.has(arrival.to)).map((arrival) => arrival.at - since);
  return {
    expected: expected.size,
    received: counts.size,
    duplicates: [...counts.values()].reduce((sum, count) => sum + count - 1, 0),
    missed: expected.size - counts.size,
    unexpected,
    firstMs: times.length ? Math.min(...times) : Number.NaN,
    lastMs: times.length ? Math.max(...times) : Number.NaN,
  };
}

/** Confirmed subscribers of the main page, written as the confirm endpoint leaves them. */
async function subscribe(db: Pool, settings: FanoutSettings, hooksUrl: string): Promise<{ emails: Set<string>; hooks: Set<string> }> {
  await db.query(
    `INSERT INTO status_subscriber (page_id, channel, address, confirmed_at, created_at, updated_at)
     SELECT p.id, 'EMAIL', 'subscriber' || i || '@bench.example', now() - interval '1 day', now(), now()
       FROM status_page p, generate_series(1, $1) AS i WHERE p.slug = 'main'`,
    [settings.emails],
  );
  await db.query(
    `INSERT INTO status_subscriber (page_id, channel, address, signing_secret, confirmed_at, created_at, updated_at)
     SELECT p.id, 'WEBHOOK', $2 || '/hooks/' || i, $3, now() - interval '1 day', now(), now()
       FROM status_page p, generate_series(1, $1) AS i WHERE p.slug = 'main'`,
    [settings.webhooks, hooksUrl, SIGNING_SECRET],
  );
  return {
    emails: new Set(Array.from({ length: settings.emails }, (_, i) => `subscriber${i + 1}@bench.example`)),
    hooks: new Set(Array.from({ length: settings.webhooks }, (_, i) => `/hooks/${i + 1}`)),
  };
}

async function untilExpanded(db: Pool, events: number, timeoutSeconds: number): Promise<void> {
  const deadline = performance.now() + timeoutSeconds * 1000;
  for (;;) {
    const [{ count }] = (await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM status_event WHERE expanded_at IS NOT NULL`)).rows;
    if (count >= events) return;
    if (performance.now() > deadline) throw new Error(`the first update's ${events} events were not expanded within ${timeoutSeconds} s`);
    await sleep(50);
  }
}

async function untilArrived(smtp: CountingSmtp, http: CountingHttp, settings: FanoutSettings): Promise<void> {
  const deadline = performance.now() + settings.timeoutSeconds * 1000;
  let reported = performance.now();
  while (performance.now() < deadline && (smtp.arrivals.length < settings.emails || http.arrivals.length < settings.webhooks)) {
    if (performance.now() - reported > 5_000) {
      progress(`  ${smtp.arrivals.length} e-mails, ${http.arrivals.length} webhooks so far`);
      reported = performance.now();
    }
    await sleep(20);
  }
}

/** Cachet's way, to the same receiver: one SMTP connection kept open, one message at a time. */
async function measureBaseline(smtp: CountingSmtp, sample: number): Promise<BaselineResult> {
  const transport = nodemailer.createTransport({ host: smtp.host, port: smtp.port, secure: false, pool: true, maxConnections: 1, maxMessages: Infinity });
  const before = smtp.arrivals.length;
  const started = performance.now();
  try {
    for (let i = 0; i < sample; i += 1) {
      const link = `${PUBLIC_BASE_URL}/status/main/subscribers/unsubscribe?token=${randomBytes(24).toString('base64url')}`;
      await transport.sendMail({
        from: 'Service status <status@bench.example>',
        to: `baseline${i}@bench.example`,
        subject: 'Checkout errors — Investigating',
        text: `We are investigating failed payments at checkout.\n\n—\nService status: ${PUBLIC_BASE_URL}/status/main\nUnsubscribe: ${link}`,
        headers: { 'List-Unsubscribe': `<${link}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      });
    }
  } finally {
    transport.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return { sample, received: smtp.arrivals.length - before, seconds, perSecond: sample / seconds };
}

export async function runFanoutScenario(settings: FanoutSettings): Promise<FanoutOutcome> {
  const runId = randomBytes(4).toString('hex');
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ib-fanout-'));
  fs.chmodSync(folder, 0o777);
  const adminToken = `fanout_admin_${randomBytes(18).toString('hex')}`;
  const databaseName = `ib_bench_fanout_${runId}`;
  let scratch: ScratchDatabase | null = null;
  let server: ServerProcess | null = null;
  let db: Pool | null = null;
  let smtp: CountingSmtp | null = null;
  let http: CountingHttp | null = null;
  const cleanup = async () => {
    await server?.stop().catch(() => undefined);
    server = null;
    await db?.end().catch(() => undefined);
    db = null;
    await smtp?.close().catch(() => undefined);
    smtp = null;
    await http?.close().catch(() => undefined);
    http = null;
    await scratch?.close().catch((error) => progress(`could not remove the bench database: ${(error as Error).message}`));
    scratch = null;
    fs.rmSync(folder, { recursive: true, force: true });
  };
  const stopHandlingInterrupts = handleInterrupts(cleanup, (signal) => progress(`${signal}: stopping the server and removing the bench database`));
  try {
    scratch = await openScratchDatabase(databaseName, settings.adminUrl, folder);
    progress(`${scratch.description}: migrating, writing ${settings.emails} e-mail and ${settings.webhooks} webhook subscribers`);
    await migrate(scratch.url);
    smtp = await startCountingSmtp(settings.acceptDelayMs);
    http = await startCountingHttp(SIGNING_SECRET);
    db = new Pool({ connectionString: scratch.url, max: 2, application_name: 'bench-fanout' });
    db.on('error', () => undefined);
    const [{ version }] = (await db.query<{ version: string }>(`SELECT current_setting('server_version') AS version`)).rows;
    const [{ id: serviceId }] = (await db.query<{ id: string }>(`INSERT INTO service (name, slug, public) VALUES ('Checkout', 'checkout', true) RETURNING id`)).rows;

    server = await startServer({
      nodeArgs: serverNodeArgsFromEnv(),
      env: {
        DATABASE_URL: scratch.url,
        BOOTSTRAP_ADMIN_TOKEN: adminToken,
        PUBLIC_BASE_URL,
        SMTP_HOST: smtp.host,
        SMTP_PORT: String(smtp.port),
        SMTP_SECURE: 'false',
        SMTP_USER: undefined,
        SMTP_PASSWORD: undefined,
        STATUS_SMTP_CONNECTIONS: String(settings.smtpConnections),
        // The receivers are on loopback.
        STATUS_SUBSCRIBER_ALLOW_PRIVATE_URLS: 'true',
        STATUS_DIGEST_SECONDS: undefined,
        JOBS_ENABLED: undefined,
        DB_POOL_SIZE: undefined,
        WEBHOOK_SIGNING_SECRET: undefined,
        TWILIO_ACCOUNT_SID: undefined,
        TWILIO_AUTH_TOKEN: undefined,
        TWILIO_FROM_NUMBER: undefined,
        TWILIO_MESSAGING_SERVICE_SID: undefined,
      },
    });
    const declared = await graphql<{ declareIncident: { incident: { id: string } } }>(
      server.url,
      adminToken,
      `mutation($input: DeclareIncidentInput!) { declareIncident(input: $input) { incident { id } } }`,
      { input: { title: 'Checkout errors', serviceId, priority: 'P3' } },
    );
    const post = (body: string) =>
      graphql(server!.url, adminToken, `mutation($input: PostStatusUpdateInput!) { postStatusUpdate(input: $input) { statusUpdate { id } } }`, {
        input: { incidentId: declared.declareIncident.incident.id, audience: 'PUBLIC', body },
      });
    // The incident's first update (before anyone subscribed) makes it public and changes its component, which is
    // announced too: the measured update is the next one, one message for each subscriber.
    await post('We are investigating failed payments at checkout.');
    await untilExpanded(db, 2, settings.timeoutSeconds);
    const expected = await subscribe(db, settings, http.url);
    const logBefore = server.logCounts();
    progress(`posting one PUBLIC update; waiting for ${settings.emails + settings.webhooks} messages (at most ${settings.timeoutSeconds} s)…`);
    const cpuBefore = cpuSnapshot(server.pid, { database: databaseName });
    const postedAt = performance.now();
    await post('The faulty release is being rolled back; payments recover.');
    const answeredMs = performance.now() - postedAt;
    await untilArrived(smtp, http, settings);
    const cpu = cpuBetween(cpuBefore, cpuSnapshot(server.pid, { database: databaseName }));
    // Anything sent twice would come now.
    await sleep(SETTLE_MS);
    const logAfter = server.logCounts();
    const [{ ms }] = (await db.query<{ ms: number }>(`SELECT extract(epoch FROM expanded_at - created_at) * 1000 AS ms FROM status_event ORDER BY created_at DESC LIMIT 1`)).rows;
    const deliveries = Object.fromEntries(
      (await db.query<{ status: string; count: number }>(`SELECT status, count(*)::int AS count FROM status_delivery GROUP BY status ORDER BY status`)).rows.map((row) => [row.status, row.count]),
    );
    const outcome = {
      emails: checkArrivals(smtp.arrivals, expected.emails, postedAt),
      webhooks: checkArrivals(http.arrivals, expected.hooks, postedAt),
      badSignatures: Object.fromEntries(http.badSignatures),
      serverErrors: server.firstErrors(),
    };
    await server.stop();
    server = null;
    progress(`baseline: ${settings.baselineSample} e-mails over one SMTP connection, one at a time…`);
    const baseline = await measureBaseline(smtp, settings.baselineSample);
    return {
      database: scratch.description,
      postgresVersion: version,
      settings,
      answeredMs,
      expansionMs: Number(ms),
      ...outcome,
      deliveries,
      baseline,
      cpu,
      serverLog: { warn: logAfter.warn - logBefore.warn, error: logAfter.error - logBefore.error },
    };
  } finally {
    await cleanup();
    stopHandlingInterrupts();
  }
}
