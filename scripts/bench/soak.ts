/**
 * npm run bench:soak — two server instances on one PostgreSQL under a steady mixed load, with a database cut.
 *
 * Instances A and B are real processes (node dist/src/main.js) on one scratch database; A reaches it through a TCP
 * proxy (scripts/support/tcp-proxy.ts) that cuts it for SOAK_CUT_SECONDS in the middle of the run. The load
 * (scripts/bench/soak-scenario.ts): webhook workers on both instances (90 % 1-alert generic, some of them new alerts,
 * 10 % 20-alert Alertmanager), a Grafana and an Azure Monitor trickle, GraphQL readers, a responder acknowledging new
 * incidents, the servers' own job ticks paging the reference organisation through a Twilio stand-in, and
 * SOAK_SUBSCRIBERS graphql-ws subscriptions split over both instances (critical generic alerts, Grafana/Azure alerts,
 * incidentCreated, incidentUpdated). Prints, per 15-s window, throughput and p50/p99 per kind, subscription delivery
 * latency (202 → event), RSS per instance and table sizes; then PASS/FAIL for every check (scripts/bench/soak-report.ts).
 * Exits 1 when a check fails.
 *
 * Environment:
 *   DATABASE_URL            admin URL of the PostgreSQL to create the scratch database in (default postgres://postgres@127.0.0.1:5432/test)
 *   SOAK_EMBEDDED           1: an embedded PostgreSQL of the bench's own instead
 *   SOAK_SECONDS            measured seconds (default 180), after SOAK_WARMUP_SECONDS (default 5)
 *   SOAK_CUT_SECONDS        length of the database cut in the middle (default 20)
 *   SOAK_CONNECTIONS        webhook workers, half on each instance, one request in flight each (default 16)
 *   SOAK_SUBSCRIBERS        graphql-ws subscriptions (default 200)
 *   SOAK_READERS            GraphQL readers (default 2)
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import pino from 'pino';
import { createDataSource } from '../../src/db/data-source';
import { createServices } from '../../src/services';
import { systemClock } from '../../src/shared/clock';
import { createReferenceOrganisation } from '../support/reference-organisation';
import { openScratchDatabase, type ScratchDatabase } from '../support/scratch-database';
import { TcpProxy } from '../support/tcp-proxy';
import { startTwilioStandIn, type TwilioStandIn } from '../support/twilio-standin';
import { handleInterrupts, killStartedServers, startServer, type ServerProcess } from './server-process';
import { soakChecks, windowTable } from './soak-report';
import { runSoak, type SoakSettings, type SoakTarget } from './soak-scenario';
import type { WebhookKind } from './soak-traffic';
import { formatNumber } from './common';

const progress = (message: string) => process.stderr.write(`[soak] ${message}\n`);

function intFromEnv(name: string, fallback: number, min: number, max: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer ${min}…${max}`);
  return value;
}

function readSettings(): SoakSettings {
  const seconds = intFromEnv('SOAK_SECONDS', 180, 30, 3600);
  const cutSeconds = intFromEnv('SOAK_CUT_SECONDS', 20, 0, 600);
  if (cutSeconds >= seconds / 2) throw new Error('SOAK_CUT_SECONDS must be less than half of SOAK_SECONDS (windows before and after the cut are compared)');
  return {
    seconds,
    warmUpSeconds: intFromEnv('SOAK_WARMUP_SECONDS', 5, 0, 120),
    cutSeconds,
    webhookConnections: intFromEnv('SOAK_CONNECTIONS', 16, 2, 256),
    subscribers: intFromEnv('SOAK_SUBSCRIBERS', 200, 4, 5000),
    readers: intFromEnv('SOAK_READERS', 2, 0, 64),
  };
}

const INTEGRATION_KINDS: Record<string, WebhookKind> = {
  'Generic (PagerDuty Events v2)': 'generic',
  'Prometheus Alertmanager': 'alertmanager',
  Grafana: 'grafana',
  'Azure Monitor': 'azure',
};

/** The reference organisation in the scratch database, its integrations' intake limits lifted out of the way of a load test. */
async function createOrganisation(databaseUrl: string): Promise<Record<WebhookKind, { id: string; secret: string }>> {
  const db = createDataSource({ url: databaseUrl, poolSize: 2, applicationName: 'bench-setup' });
  await db.initialize();
  try {
    const services = createServices(db, systemClock, { log: pino({ level: 'silent' }), publicBaseUrl: 'http://localhost' });
    const organisation = await createReferenceOrganisation(services, db);
    const integrations = {} as Record<WebhookKind, { id: string; secret: string }>;
    for (const integration of organisation.integrations) {
      const kind = INTEGRATION_KINDS[integration.name];
      if (!kind) continue;
      if (!integration.secret) throw new Error('the scratch database already held the reference organisation');
      await services.integrations.update(integration.id, { options: { rateLimitPerMinute: 1_000_000 } });
      integrations[kind] = { id: integration.id, secret: integration.secret };
    }
    return integrations;
  } finally {
    await db.destroy();
  }
}

async function main(): Promise<void> {
  const settings = readSettings();
  const started = new Date();
  const runId = randomBytes(4).toString('hex');
  const adminUrl = process.env.SOAK_EMBEDDED === '1' ? undefined : process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ib-soak-'));
  fs.chmodSync(folder, 0o777);
  const adminToken = `soak_admin_${randomBytes(18).toString('hex')}`;
  const twilioAccount = { sid: `AC${randomBytes(16).toString('hex')}`, token: randomBytes(16).toString('hex'), from: '+15005550006' };

  let scratch: ScratchDatabase | null = null;
  let proxy: TcpProxy | null = null;
  let twilio: TwilioStandIn | null = null;
  let db: Pool | null = null;
  const servers: ServerProcess[] = [];
  const cleanup = async () => {
    await Promise.all(servers.splice(0).map((server) => server.stop().catch(() => undefined)));
    await db?.end().catch(() => undefined);
    db = null;
    await proxy?.close().catch(() => undefined);
    proxy = null;
    await twilio?.close().catch(() => undefined);
    twilio = null;
    await scratch?.close().catch((error) => progress(`could not remove the scratch database: ${(error as Error).message}`));
    scratch = null;
    fs.rmSync(folder, { recursive: true, force: true });
  };
  const stopHandlingInterrupts = handleInterrupts(cleanup, (signal) => progress(`${signal}: stopping the servers and removing the scratch database`));

  try {
    scratch = await openScratchDatabase(`ib_bench_soak_${runId}`, adminUrl, folder);
    twilio = await startTwilioStandIn({ accountSid: twilioAccount.sid, authToken: twilioAccount.token });
    proxy = await TcpProxy.forDatabase(scratch.url);
    const env = (databaseUrl: string) => ({
      DATABASE_URL: databaseUrl,
      BOOTSTRAP_ADMIN_TOKEN: adminToken,
      TWILIO_ACCOUNT_SID: twilioAccount.sid,
      TWILIO_AUTH_TOKEN: twilioAccount.token,
      TWILIO_FROM_NUMBER: twilioAccount.from,
      TWILIO_API_BASE_URL: twilio!.baseUrl,
      TWILIO_MESSAGING_SERVICE_SID: undefined,
      // The server's defaults otherwise: jobs on 5-second ticks, pool, retention.
      JOBS_ENABLED: undefined,
      DB_POOL_SIZE: undefined,
      PUBLIC_BASE_URL: undefined,
    });
    progress(`${scratch.description}; starting instance B (it migrates), then A through the proxy`);
    const b = await startServer({ env: env(scratch.url) });
    servers.push(b);
    const integrations = await createOrganisation(scratch.url);
    const a = await startServer({ env: env(proxy.url(scratch.url)) });
    servers.push(a);
    db = new Pool({ connectionString: scratch.url, max: 2, application_name: 'bench-soak' });
    db.on('error', () => undefined);
    const [{ version }] = (await db.query<{ version: string }>(`SELECT current_setting('server_version') AS version`)).rows;
    const target: SoakTarget = { a, b, proxy, db, adminToken, integrations, runId };
    const result = await runSoak(settings, target, progress);
    const checks = soakChecks(result);
    const lines = [
      `incident-bridge soak benchmark — ${started.toISOString()}`,
      `machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? '?'}), load average ${os
        .loadavg()
        .map((value) => value.toFixed(2))
        .join(' ')}; node ${process.version}; PostgreSQL ${version} (${scratch.description})`,
      `two instances (A through the proxy, cut ${formatNumber(result.cut.from, 0)}–${formatNumber(result.cut.to, 0)} s), ${settings.seconds} s measured after ${settings.warmUpSeconds} s warm-up, ` +
        `${settings.webhookConnections} webhook connections, ${settings.subscribers} subscriptions, ${settings.readers} GraphQL readers; SMS received by the Twilio stand-in: ${twilio.messages.length}; ` +
        `change_log rows written during the cut: ${result.facts.changesDuringCut ?? '–'}`,
      '',
      ...windowTable(result),
      '',
      ...checks.map((check) => `${check.pass ? 'PASS' : 'FAIL'}  ${check.label}: ${check.detail}`),
    ];
    for (const [instance, tail] of Object.entries(result.logTails)) {
      if (tail.length) lines.push(`first errors logged by instance ${instance}:`, ...tail.map((line) => `  ${line}`));
    }
    lines.push('', checks.every((check) => check.pass) ? 'soak: PASS' : 'soak: FAIL');
    console.log(lines.join('\n'));
    if (!checks.every((check) => check.pass)) process.exitCode = 1;
  } finally {
    await cleanup();
    stopHandlingInterrupts();
  }
}

main().catch((error) => {
  killStartedServers();
  console.error(error);
  process.exit(1);
});
