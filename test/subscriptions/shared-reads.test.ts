import request from 'supertest';
import type { GraphQLObjectType } from 'graphql';
import type { Client } from 'graphql-ws';
import { connectWs, Subscription } from '../api/ws-client';
import { statementsDuring } from '../support/statement-counter';
import { createGenericWebhook } from '../support/generic-webhook';
import { startTestApp, type TestApp } from '../support/test-app';

const SUBSCRIBERS_PER_KIND = 12;
const CONNECTIONS = 4;

type AlertEvent = { alertReceived: { fingerprint: string; occurrences: number; service: { slug: string } } };
type IncidentEvent = { incidentCreated: { title: string; service: { slug: string } } };

/** One Generic (PagerDuty Events v2) trigger that opens its own incident: dedup_key and group are `marker`. */
const trigger = (marker: string) => ({ event_action: 'trigger', dedup_key: marker, payload: { summary: marker, source: 'db-1', severity: 'warning', group: marker } });

/**
 * Every subscriber woken by one change re-reads what it shows, and they do it together: one statement per table
 * for all of them, not one per subscriber. The change is made on another instance (its own pool), so the statements
 * counted on this one's pool are the subscribers' reads alone.
 */
describe('subscribers of one change read it together', () => {
  let t: TestApp;
  let other: TestApp;
  let integration: { id: string; secret: string };
  const clients: Client[] = [];

  beforeAll(async () => {
    t = await startTestApp({ config: { JOBS_ENABLED: 'false' } });
    other = await startTestApp({ sameDatabaseAs: t, config: { JOBS_ENABLED: 'false' } });
    integration = await createGenericWebhook(other, 'Fleet');
  });
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await other?.close();
    await t?.close();
  });

  const deliver = async (marker: string) => {
    const response = await request(other.url).post(`/webhooks/${integration.id}`).set('Authorization', `Bearer ${integration.secret}`).send(trigger(marker));
    expect(response.status).toBe(202);
  };

  it(`reads the alert, the incident and their service once each for ${2 * SUBSCRIBERS_PER_KIND} subscribers`, async () => {
    for (let index = 0; index < CONNECTIONS; index += 1) clients.push(connectWs(t, t.adminToken));
    const alerts = Array.from({ length: SUBSCRIBERS_PER_KIND }, (_, index) => new Subscription<AlertEvent>(clients[index % CONNECTIONS], `subscription { alertReceived { fingerprint occurrences service { slug } } }`));
    const incidents = Array.from({ length: SUBSCRIBERS_PER_KIND }, (_, index) => new Subscription<IncidentEvent>(clients[index % CONNECTIONS], `subscription { incidentCreated { title service { slug } } }`));
    const alertSeen = (subscription: Subscription<AlertEvent>, marker: string) => subscription.received.some((result) => result.data?.alertReceived.fingerprint === marker);
    const incidentSeen = (subscription: Subscription<IncidentEvent>, marker: string) => subscription.received.some((result) => result.data?.incidentCreated.title === marker);
    const everyoneSaw = (marker: string) => alerts.every((s) => alertSeen(s, marker)) && incidents.every((s) => incidentSeen(s, marker));
    const untilEveryoneSaw = async (marker: string, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (!everyoneSaw(marker)) {
        if (Date.now() > deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return true;
    };

    // Live: every subscription has received a probe (subscriptions start asynchronously after `subscribe`).
    let probe = 0;
    for (;;) {
      const marker = `probe-${(probe += 1)}`;
      await deliver(marker);
      if (await untilEveryoneSaw(marker, 1000)) break;
      expect(probe).toBeLessThan(20);
    }

    const statements = await statementsDuring(t.app.db, async () => {
      await deliver('counted');
      expect(await untilEveryoneSaw('counted', 10_000)).toBe(true);
    });

    for (const subscription of alerts) {
      const event = subscription.received.find((result) => result.data?.alertReceived.fingerprint === 'counted')!;
      expect(event.data!.alertReceived).toEqual({ fingerprint: 'counted', occurrences: 1, service: { slug: 'fleet' } });
    }
    for (const subscription of incidents) {
      const event = subscription.received.find((result) => result.data?.incidentCreated.title === 'counted')!;
      expect(event.data!.incidentCreated).toEqual({ title: 'counted', service: { slug: 'fleet' } });
    }
    const on = (table: string) => statements.filter((sql) => new RegExp(`\\bFROM "${table}"`, 'i').test(sql)).length;
    expect(on('alert')).toBe(1);
    expect(on('incident')).toBe(1);
    // The alert's and the incident's changes may be heard in two ticks: at most one read of the service each.
    expect(on('service')).toBeGreaterThanOrEqual(1);
    expect(on('service')).toBeLessThanOrEqual(2);
    expect(statements.length).toBe(on('alert') + on('incident') + on('service'));
  });

  it('executes an event once for every subscription that would answer it alike (same operation, variables and token)', async () => {
    const schema = t.app.schema;
    const fingerprint = (schema.getType('Alert') as GraphQLObjectType).getFields().fingerprint;
    const resolve = fingerprint.resolve!;
    let executions = 0;
    fingerprint.resolve = (...args) => {
      executions += 1;
      return resolve(...args);
    };
    try {
      const client = connectWs(t, t.adminToken);
      clients.push(client);
      const alike = Array.from({ length: 8 }, () => new Subscription<AlertEvent>(client, `subscription { alertReceived { fingerprint occurrences service { slug } } }`));
      const other = new Subscription<{ alertReceived: { fingerprint: string } }>(client, `subscription { alertReceived { fingerprint } }`);
      const all = [...alike, other];
      const seen = (marker: string) => all.every((s) => s.received.some((result) => (result.data?.alertReceived as { fingerprint: string } | undefined)?.fingerprint === marker));
      for (let probe = 1; ; probe += 1) {
        await deliver(`shared-probe-${probe}`);
        const deadline = Date.now() + 1000;
        while (!seen(`shared-probe-${probe}`) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 20));
        if (seen(`shared-probe-${probe}`)) break;
        expect(probe).toBeLessThan(20);
      }
      const before = executions;
      await deliver('shared');
      const deadline = Date.now() + 10_000;
      while (!seen('shared') && Date.now() < deadline) await new Promise((done) => setTimeout(done, 20));
      expect(seen('shared')).toBe(true);
      for (const subscription of alike) {
        expect(subscription.received.find((result) => result.data?.alertReceived.fingerprint === 'shared')!.data!.alertReceived).toEqual({ fingerprint: 'shared', occurrences: 1, service: { slug: 'fleet' } });
      }
      // Two operations select Alert.fingerprint: the one the earlier test's 12 and these 8 subscriptions share, and `other`.
      expect(executions - before).toBe(2);
    } finally {
      fingerprint.resolve = resolve;
    }
  });
});
