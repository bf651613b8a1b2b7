import { Client } from 'pg';
import { childEnv, graphql, servingUrl, startTs, type Started } from './processes';

/** One server process of a deployment: `src/main.ts` on a shared PostgreSQL database. */
export interface Instance {
  server: Started;
  url: string;
}

export const ADMIN_TOKEN = `ib_${'m'.repeat(40)}`;

/** Starts `src/main.ts` on `databaseUrl` (childEnv never passes the suite's own database on, so it is set here). */
export async function startInstance(databaseUrl: string, settings: Record<string, string>): Promise<Instance> {
  const env = { ...childEnv({ BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN, DB_POOL_SIZE: '5', ...settings }), DATABASE_URL: databaseUrl };
  const server = startTs('src/main.ts', env);
  return { server, url: await servingUrl(server) };
}

/** kill -9, and waits until the process has gone. */
export async function killHard(instance: Instance): Promise<void> {
  instance.server.child.kill('SIGKILL');
  await instance.server.exited;
}

/**
 * What a kill -9 leaves behind in PostgreSQL: a backend of the dead process keeps running its statement until it
 * notices the client has gone. Ending them makes the database look as it does once they have.
 */
export async function endBackendsOtherThan(db: Client): Promise<void> {
  await db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
}

export async function must<T>(instance: Instance, query: string, variables?: Record<string, unknown>): Promise<T> {
  return graphql<T>(instance.url, ADMIN_TOKEN, query, variables);
}

/** Polls `probe` until it returns something other than undefined; rejects after `timeoutMs` saying what it waited for. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A person reached by the signed-webhook channel at `url`, paged at once by step 1 of a policy on a new service, and an
 * Alertmanager integration on that service. Returns the ids and the integration's webhook secret.
 */
export async function pagedService(instance: Instance, slug: string, url: string) {
  const personId = await webhookPerson(instance, `on-call-${slug}`, `${url}/${slug}`);
  const { createEscalationPolicy } = await must<{ createEscalationPolicy: { escalationPolicy: { id: string } } }>(
    instance,
    `mutation($i: CreateEscalationPolicyInput!) { createEscalationPolicy(input: $i) { escalationPolicy { id } } }`,
    { i: { name: `policy ${slug}`, steps: [{ delayMinutes: 60, targets: [{ type: 'PERSON', id: personId }] }] } },
  );
  const { createService } = await must<{ createService: { service: { id: string } } }>(
    instance,
    `mutation($i: CreateServiceInput!) { createService(input: $i) { service { id } } }`,
    { i: { name: slug, slug } },
  );
  const serviceId = createService.service.id;
  await must(instance, `mutation($i: SetServiceEscalationPolicyInput!) { setServiceEscalationPolicy(input: $i) { service { id } } }`, {
    i: { serviceId, escalationPolicyId: createEscalationPolicy.escalationPolicy.id },
  });
  const { createIntegration } = await must<{ createIntegration: { integration: { id: string }; secret: string } }>(
    instance,
    `mutation($s: ID!) { createIntegration(input: { name: "prometheus", vendor: ALERTMANAGER, serviceId: $s }) { integration { id } secret } }`,
    { s: serviceId },
  );
  return { personId, serviceId, integrationId: createIntegration.integration.id, secret: createIntegration.secret };
}

/** A person paged at once through the signed-webhook channel at `address`; returns the person's id. */
export async function webhookPerson(instance: Instance, name: string, address: string): Promise<string> {
  const { createPerson } = await must<{ createPerson: { person: { id: string } } }>(
    instance,
    `mutation($i: CreatePersonInput!) { createPerson(input: $i) { person { id } } }`,
    { i: { name, email: `${name}@example.com` } },
  );
  const personId = createPerson.person.id;
  const { addContactMethod } = await must<{ addContactMethod: { contactMethod: { id: string } } }>(
    instance,
    `mutation($i: AddContactMethodInput!) { addContactMethod(input: $i) { contactMethod { id } } }`,
    { i: { personId, channel: 'WEBHOOK', address } },
  );
  await must(instance, `mutation($i: AddNotificationRuleInput!) { addNotificationRule(input: $i) { notificationRule { id } } }`, {
    i: { contactMethodId: addContactMethod.contactMethod.id, delayMinutes: 0 },
  });
  return personId;
}

/** An Alertmanager (v4) notification of one group, every alert firing. */
export function alertmanagerGroup(groupKey: string, alerts: Array<{ fingerprint: string; severity: 'critical' | 'warning'; summary: string }>) {
  return {
    version: '4',
    groupKey,
    status: 'firing',
    receiver: 'incident-bridge',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    truncatedAlerts: 0,
    alerts: alerts.map((alert) => ({
      status: 'firing',
      labels: { alertname: alert.summary, severity: alert.severity, instance: alert.fingerprint },
      annotations: { summary: alert.summary },
      startsAt: '2026-11-23T02:59:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: alert.fingerprint,
    })),
  };
}

export function postWebhook(instance: Instance, integration: { integrationId: string; secret: string }, body: unknown): Promise<Response> {
  return fetch(`${instance.url}/webhooks/${integration.integrationId}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${integration.secret}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
