import fs from 'node:fs';
import http from 'node:http';
import type { Client } from 'graphql-ws';
import type { Pool } from 'pg';
import type { TcpProxy } from '../support/tcp-proxy';
import type { ServerProcess } from './server-process';
import { connect, PROFILES, SoakSubscriber, type SubscriberFilters } from './soak-subscribers';
import { SoakTraffic, type OutgoingWebhook, type WebhookKind } from './soak-traffic';

export const WINDOW_SECONDS = 15;
/** After the database is back, the instance reconnects and replays: windows this close to the cut are "in" it. */
const RECOVERY_SECONDS = 5;
const REQUEST_TIMEOUT_MS = 15_000;
/** A worker answered 503 waits this long before its next request (it would honour Retry-After; the bench keeps going). */
const AFTER_503_PAUSE_MS = 250;
const TRICKLE_EVERY_MS = 500;
const READ_THINK_MS = 100;
const ACK_EVERY_MS = 1000;
const SUBSCRIPTIONS_PER_CONNECTION = 10;
const SETTLE_QUIET_MS = 2000;
const SETTLE_MAX_MS = 30_000;

export type RequestKind = WebhookKind | 'graphql' | 'acknowledge';
export const REQUEST_KINDS: readonly RequestKind[] = ['generic', 'alertmanager', 'grafana', 'azure', 'graphql', 'acknowledge'];

export interface SoakSettings {
  seconds: number;
  warmUpSeconds: number;
  cutSeconds: number;
  webhookConnections: number;
  subscribers: number;
  readers: number;
}

export interface SoakTarget {
  a: ServerProcess;
  b: ServerProcess;
  /** Between instance A and PostgreSQL. */
  proxy: TcpProxy;
  /** A direct connection of the bench's own, for sampling and the final checks. */
  db: Pool;
  adminToken: string;
  integrations: Record<WebhookKind, { id: string; secret: string }>;
  runId: string;
}

export interface Sample {
  kind: RequestKind;
  instance: 'A' | 'B';
  /** Seconds since the measured load began (negative during the warm-up) when the answer arrived. */
  at: number;
  ms: number;
  /** 0 when no answer came (timeout, reset). */
  status: number;
  retryAfter: boolean;
}

export interface WindowSample {
  index: number;
  rssMb: { A: number; B: number };
  /** Bytes of each growing table, with its indexes and TOAST, at the end of the window. */
  tableBytes: Record<string, number>;
  deadTuples: Record<string, number>;
  autovacuums: Record<string, number>;
}

/** 202 → first event at one subscriber (0 when the event came before the answer). */
export interface DeliveryLatency {
  /** Seconds since the measured load began when the 202 arrived: a change accepted during the cut counts in the cut, however late it is replayed. */
  at: number;
  ms: number;
}

export interface SoakFacts {
  duplicateRows: number;
  /** Alerts whose stored occurrences are outside [acknowledged, acknowledged + unknown outcome]. */
  occurrenceMismatches: Array<{ key: string; stored: number; acknowledged: number; unknown: number }>;
  /** Acknowledged alerts with no row at all. */
  missingRows: number;
  acknowledgedAlerts: number;
  /** Per subscriber that stayed connected: the changes it never received (or not in their final state). */
  undelivered: Array<{ subscriber: string; missing: number; example: string }>;
  /** change_log rows written while A was cut off: what its listener had to replay. */
  changesDuringCut?: number;
  expectedChanges: { criticalGenericAlerts: number; trickleAlerts: number; incidentCreated: number; incidentUpdated: number };
}

export interface SoakResult {
  settings: SoakSettings;
  cut: { from: number; to: number };
  samples: Sample[];
  windows: WindowSample[];
  deliveries: DeliveryLatency[];
  subscribers: SoakSubscriber[];
  alive: { A: boolean; B: boolean };
  logCounts: { A: { warn: number; error: number }; B: { warn: number; error: number } };
  /** The first error lines each instance logged. */
  logTails: { A: string[]; B: string[] };
  facts: SoakFacts;
}

interface Answer {
  status: number;
  retryAfter: boolean;
  body: string;
}

/** POST over a keep-alive agent (node:http: the load generator must cost the shared CPUs little). */
function post(agent: http.Agent, url: string, path: string, headers: Record<string, string>, body: Buffer | string): Promise<Answer> {
  return new Promise((resolve) => {
    const request = http.request(`${url}${path}`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers }, timeout: REQUEST_TIMEOUT_MS }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] !== undefined, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', () => resolve({ status: 0, retryAfter: false, body: '' }));
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => resolve({ status: 0, retryAfter: false, body: '' }));
    request.end(body);
  });
}

function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

const ACKNOWLEDGE = `mutation($id: ID!) { acknowledgeIncident(input: { id: $id }) { incident { id status } } }`;
const GROWING_TABLES = ['alert', 'incident', 'timeline_event', 'change_log', 'notification', 'webhook_receipt'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * bench:soak's load: webhook workers (half on each instance), Grafana and Azure trickles, GraphQL readers, a
 * responder acknowledging new incidents, and the subscribers, for `seconds` after a warm-up; instance A's database
 * connection is cut through the proxy for `cutSeconds` in the middle. Then it settles and collects the facts the
 * report judges (src of truth: the database).
 */
export async function runSoak(settings: SoakSettings, target: SoakTarget, progress: (message: string) => void): Promise<SoakResult> {
  const traffic = new SoakTraffic(target.runId);
  const instances = { A: target.a, B: target.b };
  const agents = { A: new http.Agent({ keepAlive: true, maxSockets: 64 }), B: new http.Agent({ keepAlive: true, maxSockets: 64 }) };
  const samples: Sample[] = [];
  const deliveries: DeliveryLatency[] = [];
  /** Per alert (integration:fingerprint): occurrences acknowledged, and sent with no answer (they may have committed). */
  const ledger = new Map<string, { acknowledged: number; unknown: number }>();
  /** When the 202 of a fresh alert or new incident arrived (performance.now()). */
  const freshAnsweredAt = new Map<string, number>();
  const incidentAnsweredAt = new Map<string, number>();
  // Until the load starts, samples (the probes) fall before every window.
  let loadStart = Number.POSITIVE_INFINITY;
  const now = () => (performance.now() - loadStart) / 1000;
  const cut = { from: settings.seconds / 2 - settings.cutSeconds / 2, to: settings.seconds / 2 + settings.cutSeconds / 2 };
  let running = true;
  const cutWallClock: { from: Date | null; to: Date | null } = { from: null, to: null };

  const record = (kind: RequestKind, instance: 'A' | 'B', started: number, answer: Answer) => {
    samples.push({ kind, instance, at: now(), ms: performance.now() - started, status: answer.status, retryAfter: answer.retryAfter });
  };

  const sendWebhook = async (instance: 'A' | 'B', webhook: OutgoingWebhook) => {
    const integration = target.integrations[webhook.kind];
    const started = performance.now();
    const answer = await post(agents[instance], instances[instance].url, `/webhooks/${integration.id}`, { authorization: `Bearer ${integration.secret}` }, webhook.body);
    const answeredAt = performance.now();
    record(webhook.kind, instance, started, answer);
    // A 503 or a lost answer may still have committed (the connection dropped during COMMIT): the vendor retries it.
    const outcome = answer.status >= 200 && answer.status < 300 ? 'acknowledged' : answer.status === 0 || answer.status >= 500 ? 'unknown' : null;
    if (outcome) {
      for (const fingerprint of webhook.fingerprints) {
        const key = `${integration.id}:${fingerprint}`;
        const entry = ledger.get(key) ?? { acknowledged: 0, unknown: 0 };
        entry[outcome] += 1;
        ledger.set(key, entry);
      }
    }
    if (outcome === 'acknowledged') {
      if (webhook.fresh) freshAnsweredAt.set(webhook.fresh, answeredAt);
      if (webhook.opensIncident) {
        for (const id of (JSON.parse(answer.body) as { incidentIds?: string[] }).incidentIds ?? []) incidentAnsweredAt.set(id, answeredAt);
      }
    }
    if (answer.status === 503) await sleep(AFTER_503_PAUSE_MS);
  };

  // Subscribers first, split over both instances (a connection per ten), and live before any load.
  const filters: SubscriberFilters = { genericIntegrationId: target.integrations.generic.id, trickleIntegrationIds: [target.integrations.grafana.id, target.integrations.azure.id] };
  const clients: Record<'A' | 'B', Client[]> = { A: [], B: [] };
  const subscribers: SoakSubscriber[] = [];
  for (let index = 0; index < settings.subscribers; index += 1) {
    const instance = index % 2 === 0 ? 'A' : 'B';
    const slot = Math.floor(index / 2);
    if (slot % SUBSCRIPTIONS_PER_CONNECTION === 0) clients[instance].push(connect(instances[instance].url, target.adminToken));
    const subscriber = new SoakSubscriber(PROFILES[slot % PROFILES.length], instance, clients[instance].at(-1)!, filters);
    subscriber.start();
    subscribers.push(subscriber);
  }
  await untilLive(subscribers, progress, async () => {
    const probe = traffic.probe();
    await sendWebhook('B', probe);
    await sendWebhook('B', traffic.nextOf('grafana'));
    // incidentUpdated subscribers need a changed incident: acknowledge the one the probe opened.
    const opened = [...incidentAnsweredAt.keys()].at(-1);
    if (opened) await post(agents.B, target.b.url, '/graphql', { authorization: `Bearer ${target.adminToken}` }, JSON.stringify({ query: ACKNOWLEDGE, variables: { id: opened } }));
  });
  // Every repeating alert once, so the measured load is the steady state (repeats, a few new alerts), not the first inserts.
  progress('priming: every repeating alert once…');
  const priming = traffic.repeating();
  const primer = async (instance: 'A' | 'B') => {
    for (let next = priming.pop(); next; next = priming.pop()) await sendWebhook(instance, next);
  };
  await Promise.all(Array.from({ length: settings.webhookConnections }, (_, index) => primer(index % 2 === 0 ? 'A' : 'B')));
  const [{ seq: startSeq }] = (await target.db.query<{ seq: string }>('SELECT coalesce(max(seq), 0)::bigint AS seq FROM change_log')).rows;
  for (const subscriber of subscribers) {
    subscriber.alerts.clear();
    subscriber.incidents.clear();
  }

  const webhookWorker = async (instance: 'A' | 'B') => {
    while (running) await sendWebhook(instance, traffic.nextMixed(Math.random()));
  };
  const trickle = async (kind: 'grafana' | 'azure') => {
    for (let turn = 0; running; turn += 1) {
      await sendWebhook(turn % 2 === 0 ? 'A' : 'B', traffic.nextOf(kind));
      await sleep(TRICKLE_EVERY_MS);
    }
  };
  const READS = [
    `{ incidents(first: 20, filter: { status: [TRIGGERED, ACKNOWLEDGED] }) { totalCount edges { node { id number title status priority service { name } } } } }`,
    `{ alerts(first: 20, filter: { status: [FIRING] }) { edges { node { id fingerprint occurrences severity service { name } } } } }`,
  ];
  const reader = async (index: number) => {
    for (let turn = 0; running; turn += 1) {
      const instance = (index + turn) % 2 === 0 ? 'A' : 'B';
      const started = performance.now();
      const answer = await post(agents[instance], instances[instance].url, '/graphql', { authorization: `Bearer ${target.adminToken}` }, JSON.stringify({ query: READS[turn % READS.length] }));
      record('graphql', instance, started, answer);
      await sleep(answer.status === 503 ? AFTER_503_PAUSE_MS : READ_THINK_MS);
    }
  };
  const responder = async () => {
    for (let turn = 0; running; turn += 1) {
      await sleep(ACK_EVERY_MS);
      const instance = turn % 2 === 0 ? 'A' : 'B';
      const listed = await post(agents[instance], instances[instance].url, '/graphql', { authorization: `Bearer ${target.adminToken}` }, JSON.stringify({ query: `{ incidents(first: 1, filter: { status: [TRIGGERED] }) { edges { node { id } } } }` }));
      const id = listed.status === 200 ? (JSON.parse(listed.body) as { data?: { incidents?: { edges: Array<{ node: { id: string } }> } } }).data?.incidents?.edges[0]?.node.id : undefined;
      if (!id) continue;
      const started = performance.now();
      const answer = await post(agents[instance], instances[instance].url, '/graphql', { authorization: `Bearer ${target.adminToken}` }, JSON.stringify({ query: ACKNOWLEDGE, variables: { id } }));
      record('acknowledge', instance, started, answer);
    }
  };

  const windows: WindowSample[] = [];
  const sampler = async () => {
    for (let index = 0; ; index += 1) {
      const end = (index + 1) * WINDOW_SECONDS;
      while (running && now() < end) await sleep(100);
      if (!running && now() < end) return;
      windows.push(await sampleWindow(index, target));
    }
  };
  const cutter = async () => {
    while (running && now() < cut.from) await sleep(50);
    if (!running) return;
    progress(`cutting instance A's database connection for ${settings.cutSeconds} s (t = ${now().toFixed(1)} s)`);
    cutWallClock.from = new Date();
    target.proxy.cut('refuse');
    while (running && now() < cut.to) await sleep(50);
    target.proxy.restore();
    cutWallClock.to = new Date();
    progress(`instance A's database connection restored (t = ${now().toFixed(1)} s)`);
  };

  loadStart = performance.now() + settings.warmUpSeconds * 1000;
  progress(`load: ${settings.warmUpSeconds} s warm-up, then ${settings.seconds} s measured; ${settings.webhookConnections} webhook connections, ${settings.subscribers} subscriptions, ${settings.readers} GraphQL readers`);
  const stopAt = setTimeout(() => (running = false), (settings.warmUpSeconds + settings.seconds) * 1000);
  const progressTimer = setInterval(() => progress(`t = ${now().toFixed(0)} s: ${samples.length} answers, ${subscribers.reduce((sum, s) => sum + s.events, 0)} subscription events`), WINDOW_SECONDS * 1000);
  const workers = [
    ...Array.from({ length: settings.webhookConnections }, (_, index) => webhookWorker(index % 2 === 0 ? 'A' : 'B')),
    trickle('grafana'),
    trickle('azure'),
    ...Array.from({ length: settings.readers }, (_, index) => reader(index)),
    responder(),
  ];
  const measuring = (async () => {
    while (now() < 0) await sleep(50);
    await Promise.all([sampler(), cutter()]);
  })();
  await Promise.all(workers);
  clearTimeout(stopAt);
  clearInterval(progressTimer);
  await measuring;

  progress('load stopped; waiting for the subscribers to settle…');
  const settleStart = performance.now();
  while (performance.now() - settleStart < SETTLE_MAX_MS) {
    const last = Math.max(...subscribers.map((subscriber) => subscriber.lastEventAt));
    if (performance.now() - last > SETTLE_QUIET_MS && performance.now() - settleStart > SETTLE_QUIET_MS) break;
    await sleep(200);
  }

  for (const subscriber of subscribers) {
    if (subscriber.kind !== 'alert') continue;
    for (const [fingerprint, seen] of subscriber.alerts) {
      const answeredAt = freshAnsweredAt.get(fingerprint);
      if (answeredAt !== undefined) deliveries.push({ at: (answeredAt - loadStart) / 1000, ms: Math.max(0, seen.firstAt - answeredAt) });
    }
  }
  for (const subscriber of subscribers) {
    if (subscriber.profile !== 'incidentCreated') continue;
    for (const [id, seen] of subscriber.incidents) {
      const answeredAt = incidentAnsweredAt.get(id);
      if (answeredAt !== undefined) deliveries.push({ at: (answeredAt - loadStart) / 1000, ms: Math.max(0, seen.firstAt - answeredAt) });
    }
  }

  const facts = await collectFacts(target, ledger, subscribers, Number(startSeq));
  if (cutWallClock.from && cutWallClock.to) {
    const [{ count }] = (await target.db.query<{ count: string }>('SELECT count(*)::bigint AS count FROM change_log WHERE created_at BETWEEN $1 AND $2', [cutWallClock.from, cutWallClock.to])).rows;
    facts.changesDuringCut = Number(count);
  }
  const alive = { A: target.a.alive(), B: target.b.alive() };
  for (const subscriber of subscribers) subscriber.close();
  await Promise.all([...clients.A, ...clients.B].map((client) => Promise.resolve(client.dispose()).catch(() => undefined)));
  agents.A.destroy();
  agents.B.destroy();
  return {
    settings,
    cut,
    samples,
    windows,
    deliveries,
    subscribers,
    alive,
    logCounts: { A: target.a.logCounts(), B: target.b.logCounts() },
    logTails: { A: target.a.firstErrors(), B: target.b.firstErrors() },
    facts,
  };
}

/** Whether a window lies wholly outside the cut and the recovery after it. */
export function outsideCut(index: number, cut: { from: number; to: number }): boolean {
  const from = index * WINDOW_SECONDS;
  const to = from + WINDOW_SECONDS;
  return to <= cut.from || from >= cut.to + RECOVERY_SECONDS;
}

/** Runs `probe` (events every profile receives) until every subscriber has received something. */
async function untilLive(subscribers: SoakSubscriber[], progress: (message: string) => void, probe: () => Promise<void>): Promise<void> {
  const deadline = performance.now() + 60_000;
  for (let attempt = 0; ; attempt += 1) {
    const waiting = subscribers.filter((subscriber) => !subscriber.events && !subscriber.ending);
    if (!waiting.length) return;
    if (performance.now() > deadline) throw new Error(`${waiting.length} subscriptions never became live`);
    if (attempt % 10 === 0) progress(`waiting for ${waiting.length} subscriptions to become live…`);
    await probe();
    await sleep(300);
  }
}

async function sampleWindow(index: number, target: SoakTarget): Promise<WindowSample> {
  const rows = (
    await target.db.query<{ relname: string; bytes: string; dead: string; autovacuums: string }>(
      `SELECT c.relname, pg_total_relation_size(c.oid)::bigint AS bytes, coalesce(s.n_dead_tup, 0)::bigint AS dead, coalesce(s.autovacuum_count, 0)::bigint AS autovacuums
         FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
        WHERE c.relname = ANY($1) AND c.relkind = 'r'`,
      [GROWING_TABLES],
    )
  ).rows;
  return {
    index,
    rssMb: { A: rssMb(target.a.pid), B: rssMb(target.b.pid) },
    tableBytes: Object.fromEntries(rows.map((row) => [row.relname, Number(row.bytes)])),
    deadTuples: Object.fromEntries(rows.map((row) => [row.relname, Number(row.dead)])),
    autovacuums: Object.fromEntries(rows.map((row) => [row.relname, Number(row.autovacuums)])),
  };
}

/** The database's account of the run, against what the bench was told (2xx) and what subscribers received. */
async function collectFacts(target: SoakTarget, ledger: Map<string, { acknowledged: number; unknown: number }>, subscribers: SoakSubscriber[], startSeq: number): Promise<SoakFacts> {
  const { db, integrations } = target;
  const integrationIds = Object.values(integrations).map((integration) => integration.id);
  const [{ duplicates }] = (
    await db.query<{ duplicates: string }>(
      `SELECT count(*)::bigint AS duplicates FROM (SELECT 1 FROM alert WHERE integration_id = ANY($1) GROUP BY integration_id, fingerprint HAVING count(*) > 1) d`,
      [integrationIds],
    )
  ).rows;
  const stored = new Map(
    (await db.query<{ key: string; occurrences: string }>(`SELECT integration_id || ':' || fingerprint AS key, sum(occurrences)::bigint AS occurrences FROM alert WHERE integration_id = ANY($1) GROUP BY 1`, [integrationIds])).rows.map(
      (row) => [row.key, Number(row.occurrences)],
    ),
  );
  const occurrenceMismatches: SoakFacts['occurrenceMismatches'] = [];
  let missingRows = 0;
  let acknowledgedAlerts = 0;
  for (const [key, { acknowledged, unknown }] of ledger) {
    if (!acknowledged && !unknown) continue;
    const count = stored.get(key);
    if (acknowledged) acknowledgedAlerts += 1;
    if (count === undefined) {
      if (acknowledged) missingRows += 1;
      continue;
    }
    // Probes and warm-up sends are in the ledger too; everything an integration stored was sent by this bench.
    if (count < acknowledged || count > acknowledged + unknown) occurrenceMismatches.push({ key, stored: count, acknowledged, unknown });
  }

  // What each subscriber had to receive: every change committed since it went live, in its final state.
  const changedAlerts = (
    await db.query<{ fingerprint: string; integration_id: string; severity: string; occurrences: number }>(
      `SELECT a.fingerprint, a.integration_id::text, a.severity, a.occurrences
         FROM alert a
        WHERE a.id IN (SELECT (t ->> 0)::uuid FROM change_log c, json_array_elements(c.change::json -> 'alerts') t WHERE c.seq > $1 AND c.change::json ->> 'topic' = 'ALERTS_RECEIVED')`,
      [startSeq],
    )
  ).rows;
  const critical = changedAlerts.filter((alert) => alert.integration_id === integrations.generic.id && alert.severity === 'CRITICAL');
  const trickle = changedAlerts.filter((alert) => alert.integration_id === integrations.grafana.id || alert.integration_id === integrations.azure.id);
  const incidentIdsOf = async (topic: string) =>
    (
      await db.query<{ id: string; status: string; priority: string }>(
        `SELECT i.id::text, i.status, i.priority FROM incident i WHERE i.id IN (SELECT (c.change::json ->> 'incidentId')::uuid FROM change_log c WHERE c.seq > $1 AND c.change::json ->> 'topic' = $2)`,
        [startSeq, topic],
      )
    ).rows;
  const created = await incidentIdsOf('INCIDENT_CREATED');
  const updated = await incidentIdsOf('INCIDENT_UPDATED');

  const undelivered: SoakFacts['undelivered'] = [];
  subscribers.forEach((subscriber, index) => {
    if (subscriber.ending) return;
    const missing: string[] = [];
    if (subscriber.profile === 'criticalGenericAlerts' || subscriber.profile === 'trickleAlerts') {
      for (const alert of subscriber.profile === 'trickleAlerts' ? trickle : critical) {
        const seen = subscriber.alerts.get(alert.fingerprint);
        if (!seen || seen.occurrences < alert.occurrences) missing.push(`${alert.fingerprint} (stored ${alert.occurrences}, seen ${seen?.occurrences ?? 'never'})`);
      }
    } else if (subscriber.profile === 'incidentCreated') {
      for (const incident of created) if (!subscriber.incidents.has(incident.id)) missing.push(`incident ${incident.id}`);
    } else {
      for (const incident of updated) {
        const seen = subscriber.incidents.get(incident.id);
        if (!seen || seen.status !== incident.status || seen.priority !== incident.priority) missing.push(`incident ${incident.id} (${incident.status}/${incident.priority}, seen ${seen ? `${seen.status}/${seen.priority}` : 'never'})`);
      }
    }
    if (missing.length) undelivered.push({ subscriber: `#${index} ${subscriber.profile} on ${subscriber.instance}`, missing: missing.length, example: missing[0] });
  });
  return {
    duplicateRows: Number(duplicates),
    occurrenceMismatches,
    missingRows,
    acknowledgedAlerts,
    undelivered,
    expectedChanges: { criticalGenericAlerts: critical.length, trickleAlerts: trickle.length, incidentCreated: created.length, incidentUpdated: updated.length },
  };
}
