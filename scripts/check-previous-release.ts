/**
 * npm run check:previous-release — the previous release keeps working on the current schema, side by side with the
 * current code: what a rolling deploy runs during the overlap, and what a rollback runs afterwards.
 *
 *   1. Extracts the previous release from git into a temp folder, installs and builds it there.
 *   2. Creates a database (on the server of DATABASE_URL or TEST_DATABASE_URL, else on an embedded PostgreSQL of its
 *      own) and applies the current migrations to it.
 *   3. Starts one server of each release on it (node dist/src/main.js, as npm start runs it) and a receiver for pages
 *      of the signed-webhook channel.
 *   4. Works the mixed fleet, each server through its own API version, printing `ok …` or `FAILED …` per check.
 * Exits 1 when a check failed. Servers, PostgreSQL and temp folders go at the end, on Ctrl-C too.
 *
 * Environment: PREVIOUS_RELEASE (a commit; default below), DATABASE_URL or TEST_DATABASE_URL (a PostgreSQL to use).
 */
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { handleInterrupts, startServer, type ServerProcess } from './bench/server-process';
import { EventSubscription, graphql } from './support/graphql-client';
import { startPageReceiver, type PageReceiver, type ReceivedPage } from './support/page-receiver';
import { buildRelease, resolveCommit } from './support/previous-release';
import { migrate, openScratchDatabase } from './support/scratch-database';
import { readUntil, waitFor } from './support/wait';

/** The release before the one this code becomes: bump it at each release to the commit that was released. */
const PREVIOUS_RELEASE = 'd32c571c3cd28370969bf16088d4b96909341b7e';
/** The repository root (this file runs as dist/scripts/check-previous-release.js). */
const REPO = path.resolve(__dirname, '../..');
const ADMIN_TOKEN = `ib_${randomBytes(24).toString('hex')}`;
const SIGNING_SECRET = randomBytes(24).toString('hex');
const EVENT_WAIT_MS = 15_000;
const PAGE_WAIT_MS = 20_000;

type Server = ServerProcess & { name: string };
type CreatedEvent = { incidentCreated: { id: string; number: number; title: string } };

const progress = (message: string) => process.stderr.write(`[previous-release] ${message}\n`);

/** Thrown by a failed check to end its scenario (it has printed the FAILED line already). */
class CheckFailed extends Error {}

let failed = 0;
/** After Ctrl-C the checks still under way fail as their servers go: they print nothing more. */
let interrupted = false;
const report = (line: string) => interrupted || process.stdout.write(`${line}\n`);

/** Runs one check: `run` returns what it saw and a value for later checks, or throws saying what it saw instead. */
async function check<T>(label: string, run: () => Promise<[seen: string, value: T]>): Promise<T> {
  try {
    const [seen, value] = await run();
    report(`ok ${label}: ${seen}`);
    return value;
  } catch (error) {
    failed += 1;
    report(`FAILED ${label}: ${error instanceof Error ? error.message : String(error)}`);
    throw new CheckFailed(label);
  }
}

/** A scenario runs its checks in order and stops at the first that fails; the next scenario still runs. */
async function scenario(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof CheckFailed)) throw error;
  }
}

function expect(condition: boolean, seen: string): void {
  if (!condition) throw new Error(seen);
}

const gql = <T>(server: Server, query: string, variables?: Record<string, unknown>) => graphql<T>(server.url, ADMIN_TOKEN, query, variables);

async function main(): Promise<void> {
  const commit = await resolveCommit(REPO, process.env.PREVIOUS_RELEASE || PREVIOUS_RELEASE);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ib-previous-release-'));
  // Our own folder: as root the embedded PostgreSQL runs as the OS user postgres, which must reach its data inside.
  fs.chmodSync(work, 0o755);
  const cancel = new AbortController();
  // rm -rf: the release's node_modules are ~25,000 files, which fs.rm takes three times as long to remove.
  const cleanups: Array<() => Promise<unknown>> = [() => promisify(execFile)('rm', ['-rf', '--', work])];
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      for (const step of cleanups.reverse()) await step().catch((error: unknown) => progress(`cleaning up: ${error instanceof Error ? error.message : String(error)}`));
    })());
  const stopHandlingInterrupts = handleInterrupts(cleanUp, (signal) => {
    interrupted = true;
    progress(`${signal}: stopping the servers and PostgreSQL, removing ${work}`);
    cancel.abort();
  });

  try {
    progress(`building the previous release ${commit} in ${work}/release`);
    const building = buildRelease(REPO, commit, path.join(work, 'release'), cancel.signal);
    // Interrupted, the folder is removed only once the build's commands have gone.
    cleanups.push(() => building.catch(() => undefined));
    const previousMainJs = await building;

    const database = await openScratchDatabase(`ib_previous_release_${randomBytes(4).toString('hex')}`, process.env.DATABASE_URL || process.env.TEST_DATABASE_URL, path.join(work, 'postgres'));
    cleanups.push(() => database.close());
    const applied = await migrate(database.url);
    progress(`${database.description}: the current release applied ${applied.length} migrations`);

    const receiver = await startPageReceiver(SIGNING_SECRET);
    cleanups.push(() => receiver.close());
    const env = {
      DATABASE_URL: database.url,
      DATA_DIR: undefined,
      DB_POOL_SIZE: '5',
      BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
      WEBHOOK_SIGNING_SECRET: SIGNING_SECRET,
      ESCALATION_SCHEDULE: '* * * * * *',
      DELIVERY_SCHEDULE: '* * * * * *',
    };
    const previous: Server = { name: 'previous', ...(await startServer({ env, mainJs: previousMainJs })) };
    cleanups.push(() => previous.stop());
    const current: Server = { name: 'current', ...(await startServer({ env })) };
    cleanups.push(() => current.stop());
    progress(`previous release at ${previous.url} (pid ${previous.pid}), current at ${current.url} (pid ${current.pid})`);

    await exercise(previous, current, receiver, cleanups);
    await scenario(() =>
      check('neither server logged an error', async () => {
        const counts = [previous, current].map((server) => ({ server, ...server.logCounts() }));
        const problems = counts.filter(({ error }) => error > 0).flatMap(({ server }) => server.outputTail().map((line) => `\n  ${server.name}: ${line}`));
        expect(problems.length === 0, problems.join(''));
        return [counts.map(({ server, warn, error }) => `${server.name} ${error} errors, ${warn} warnings`).join('; '), undefined];
      }),
    );
  } finally {
    stopHandlingInterrupts();
    await cleanUp();
  }
}

/** The mixed fleet: what each release writes, the other reads, hears and delivers. */
async function exercise(previous: Server, current: Server, receiver: PageReceiver, cleanups: Array<() => Promise<unknown>>): Promise<void> {
  const subscribe = (server: Server) => {
    const subscription = new EventSubscription<CreatedEvent>(server.url, ADMIN_TOKEN, 'subscription { incidentCreated { id number title } }');
    cleanups.push(() => subscription.close());
    return subscription;
  };
  const declare = async (server: Server, serviceId: string, title: string) => {
    const input = { serviceId, title, priority: 'P2' };
    const { declareIncident } = await gql<{ declareIncident: { incident: { id: string; number: number } } }>(
      server,
      `mutation($input: DeclareIncidentInput!) { declareIncident(input: $input) { incident { id number } } }`,
      { input },
    );
    return declareIncident.incident;
  };
  // Probe incidents on a service nobody is paged for: proof that a subscription is live before the event under test.
  const liveOn = (server: Server, probeServiceId: string) =>
    check(`an incidentCreated subscription on the ${server.name} release is live`, async () => {
      const subscription = subscribe(server);
      let probes = 0;
      await subscription.untilLive(
        async () => (await declare(server, probeServiceId, `probe ${(probes += 1)} on the ${server.name} release`)).id,
        (event, id) => event.incidentCreated.id === id,
      );
      return [`heard a probe incident declared on the same release (${probes} declared)`, subscription];
    });

  await scenario(async () => {
    const setup = await check('the previous release sets up paging through its API', async () => setUpPaging(previous, receiver));
    await scenario(async () => {
      const onCurrent = await liveOn(current, setup.probeServiceId);
      const opened = await check('a webhook to the previous release opens an incident', async () => {
        const response = await fetch(`${previous.url}/webhooks/${setup.integrationId}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${setup.integrationSecret}` },
          body: JSON.stringify(alertmanagerBody('checkout-errors-previous')),
        });
        const body = (await response.json()) as { incidentIds?: string[] };
        expect(response.status === 202 && body.incidentIds?.length === 1, `answered ${response.status} ${JSON.stringify(body)}`);
        return [`202, incident ${body.incidentIds![0]}`, body.incidentIds![0]];
      });
      await check('the current release’s subscriber hears the incident the previous release opened', async () => {
        const { incidentCreated } = await onCurrent.next(`incidentCreated ${opened}`, (event) => event.incidentCreated.id === opened, EVENT_WAIT_MS);
        return [`incidentCreated #${incidentCreated.number} "${incidentCreated.title}"`, undefined];
      });
      await check('the page the previous release queued reaches the receiver', async () => [describePage(await pageFor(receiver, opened)), undefined]);
      await check('the current release lists that incident with its alerts and notifications (connections; dueAt set on the page the previous release wrote)', async () => {
        type Read = { incident: { number: number; alerts: { totalCount: number; edges: Array<{ node: { fingerprint: string } }> }; notifications: { totalCount: number; edges: Array<{ node: Page }> } } };
        const { incident } = await readUntil(
          () =>
            gql<Read>(current, `query($id: ID!) { incident(id: $id) { number alerts(first: 10) { totalCount edges { node { fingerprint } } } notifications(first: 10) { totalCount edges { node { channel status dueAt nextAttemptAt } } } } }`, { id: opened }),
          (read) => read.incident.notifications.edges.some(({ node }) => node.status === 'SENT'),
          PAGE_WAIT_MS,
        );
        const pages = incident.notifications.edges.map(({ node }) => node);
        const seen = `#${incident.number}, alerts [${incident.alerts.edges.map(({ node }) => node.fingerprint).join(', ')}], notifications [${pages.map(describeNotification).join('; ')}]`;
        expect(incident.alerts.edges.some(({ node }) => node.fingerprint === 'checkout-errors-previous') && pages.length === 1 && pages[0].status === 'SENT' && Boolean(pages[0].dueAt), seen);
        return [seen, undefined];
      });
    });

    await scenario(async () => {
      const onPrevious = await liveOn(previous, setup.probeServiceId);
      const declared = await check('the current release declares an incident on the service', async () => {
        const incident = await declare(current, setup.serviceId, 'Checkout declined by the current release');
        return [`#${incident.number} ${incident.id}`, incident];
      });
      await check('the previous release’s subscriber hears it', async () => {
        const { incidentCreated } = await onPrevious.next(`incidentCreated ${declared.id}`, (event) => event.incidentCreated.id === declared.id, EVENT_WAIT_MS);
        return [`incidentCreated #${incidentCreated.number} "${incidentCreated.title}"`, undefined];
      });
      await check('its page reaches the receiver', async () => [describePage(await pageFor(receiver, declared.id)), undefined]);
      await check('the previous release reads that incident (plain lists)', async () => {
        type Read = { incident: { number: number; status: string; timeline: Array<{ kind: string }>; notifications: Page[] } };
        const { incident } = await readUntil(
          () => gql<Read>(previous, `query($id: ID!) { incident(id: $id) { number status timeline { kind } notifications { channel status nextAttemptAt } } }`, { id: declared.id }),
          (read) => read.incident.notifications.some((page) => page.status === 'SENT'),
          PAGE_WAIT_MS,
        );
        const seen = `#${incident.number} ${incident.status}, timeline [${incident.timeline.map((event) => event.kind).join(', ')}], notifications [${incident.notifications.map(describeNotification).join('; ')}]`;
        expect(incident.number === declared.number && incident.notifications.length === 1 && incident.notifications[0].status === 'SENT', seen);
        return [seen, undefined];
      });
    });
  });
}

interface Paging {
  serviceId: string;
  probeServiceId: string;
  integrationId: string;
  integrationSecret: string;
}

/** A service paging one person at once through the signed-webhook channel, its Alertmanager integration, and a probe service. */
async function setUpPaging(server: Server, receiver: PageReceiver): Promise<[string, Paging]> {
  const service = async (name: string, slug: string) =>
    (await gql<{ createService: { service: { id: string } } }>(server, `mutation($i: CreateServiceInput!) { createService(input: $i) { service { id } } }`, { i: { name, slug } })).createService.service.id;
  const serviceId = await service('Checkout', 'checkout');
  const probeServiceId = await service('Probes', 'probes');
  const { createPerson } = await gql<{ createPerson: { person: { id: string } } }>(server, `mutation($i: CreatePersonInput!) { createPerson(input: $i) { person { id } } }`, {
    i: { name: 'On call', email: 'on-call@example.com' },
  });
  const personId = createPerson.person.id;
  const { addContactMethod } = await gql<{ addContactMethod: { contactMethod: { id: string } } }>(
    server,
    `mutation($i: AddContactMethodInput!) { addContactMethod(input: $i) { contactMethod { id } } }`,
    { i: { personId, channel: 'WEBHOOK', address: `${receiver.url}/on-call` } },
  );
  await gql(server, `mutation($i: AddNotificationRuleInput!) { addNotificationRule(input: $i) { notificationRule { id } } }`, { i: { contactMethodId: addContactMethod.contactMethod.id, delayMinutes: 0 } });
  const { createEscalationPolicy } = await gql<{ createEscalationPolicy: { escalationPolicy: { id: string } } }>(
    server,
    `mutation($i: CreateEscalationPolicyInput!) { createEscalationPolicy(input: $i) { escalationPolicy { id } } }`,
    { i: { name: 'Checkout', steps: [{ delayMinutes: 30, targets: [{ type: 'PERSON', id: personId }] }] } },
  );
  await gql(server, `mutation($i: SetServiceEscalationPolicyInput!) { setServiceEscalationPolicy(input: $i) { service { id } } }`, {
    i: { serviceId, escalationPolicyId: createEscalationPolicy.escalationPolicy.id },
  });
  const { createIntegration } = await gql<{ createIntegration: { integration: { id: string }; secret: string } }>(
    server,
    `mutation($i: CreateIntegrationInput!) { createIntegration(input: $i) { integration { id } secret } }`,
    { i: { name: 'prometheus', vendor: 'ALERTMANAGER', serviceId } },
  );
  const seen = `service ${serviceId}, person ${personId} (WEBHOOK, at once), policy ${createEscalationPolicy.escalationPolicy.id}, integration ${createIntegration.integration.id}`;
  return [seen, { serviceId, probeServiceId, integrationId: createIntegration.integration.id, integrationSecret: createIntegration.secret }];
}

interface Page {
  channel: string;
  status: string;
  dueAt?: string | null;
  nextAttemptAt: string;
}

const describeNotification = (page: Page) => `${page.channel} ${page.status}${page.dueAt !== undefined ? ` dueAt ${page.dueAt}` : ''} nextAttemptAt ${page.nextAttemptAt}`;

async function pageFor(receiver: PageReceiver, incidentId: string): Promise<ReceivedPage> {
  const page = await waitFor(`a page of incident ${incidentId}`, () => receiver.pages.find((received) => received.payload.data?.incidentId === incidentId), PAGE_WAIT_MS);
  expect(page.signature === 'valid', `a page whose signature is ${page.signature}: ${JSON.stringify(page.payload)}`);
  return page;
}

const describePage = (page: ReceivedPage) => `"${page.payload.subject}" at ${page.path}, signature valid, key ${page.payload.idempotencyKey}`;

/** An Alertmanager (v4) notification with one firing alert of its own group. */
function alertmanagerBody(fingerprint: string) {
  return {
    version: '4',
    groupKey: `{}:{alertname="${fingerprint}"}`,
    status: 'firing',
    receiver: 'incident-bridge',
    groupLabels: { alertname: fingerprint },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    truncatedAlerts: 0,
    alerts: [
      {
        status: 'firing',
        labels: { alertname: fingerprint, severity: 'critical', instance: 'checkout-1' },
        annotations: { summary: 'Checkout error rate above 5 %' },
        startsAt: new Date().toISOString(),
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus:9090/graph',
        fingerprint,
      },
    ],
  };
}

main().then(
  () => {
    process.stdout.write(failed ? `${failed} check(s) FAILED\n` : 'every check passed\n');
    process.exit(failed ? 1 : 0);
  },
  (error: Error) => {
    process.stderr.write(`check:previous-release could not run: ${error.message}\n`);
    process.exit(1);
  },
);
