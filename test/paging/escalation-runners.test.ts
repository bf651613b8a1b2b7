import 'reflect-metadata';
import { Client } from 'pg';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { DeliveryError, type Channel, type OutboundMessage } from '../../src/notify';
import { ActorType, EscalationTargetType, Priority, Role } from '../../src/schema/enums';
import { createServices, type Services } from '../../src/services';
import type { Actor } from '../../src/shared/actor';
import { ManualClock } from '../../src/shared/clock';
import type { TestDatabase } from '../support/test-database';
import { openTwoInstances, type TwoInstances } from '../support/two-instances';

const MINUTE = 60_000;
const INCIDENTS = 200;
const log = pino({ level: 'silent' });
const actor: Actor = { type: ActorType.TOKEN, id: null, name: 'test', role: Role.ADMIN };

/** Two independent "instances": own pools, own services, same database and clock. */
describe('escalation and delivery runners, exactly once under concurrency', () => {
  let database: TestDatabase;
  let first: DataSource;
  let second: DataSource;
  let a: Services;
  let b: Services;
  const clock = new ManualClock('2026-11-23T12:00:00Z');

  let instances: TwoInstances;

  beforeAll(async () => {
    instances = await openTwoInstances(clock);
    ({ database, first, second, a, b } = instances);
  });
  afterAll(() => instances.close());

  async function organisation(slug: string) {
    const onCall = await a.catalog.createPerson({ name: `On call ${slug}`, email: `oncall-${slug}@example.com`, phone: '+351910000001' });
    const backup = await a.catalog.createPerson({ name: `Backup ${slug}`, email: `backup-${slug}@example.com`, phone: '+351910000002' });
    const lead = await a.catalog.createPerson({ name: `Lead ${slug}`, email: `lead-${slug}@example.com` });
    const policy = await a.paging.createPolicy({
      name: `policy ${slug}`,
      steps: [
        { delayMinutes: 5, targets: [{ type: EscalationTargetType.PERSON, id: onCall.id }] },
        { delayMinutes: 5, targets: [{ type: EscalationTargetType.PERSON, id: backup.id }, { type: EscalationTargetType.PERSON, id: lead.id }] },
      ],
    });
    const service = await a.catalog.createService({ name: slug, slug });
    await a.paging.setServicePolicy(service.id, policy.id);
    return { service, people: [onCall, backup, lead] };
  }

  it('two runners advance 200 due escalations: each step-2 target is paged exactly once, none missed', async () => {
    const { service } = await organisation('runners');
    for (let index = 0; index < INCIDENTS; index += 1) {
      await a.incidents.declare(actor, { title: `incident ${index}`, serviceId: service.id, priority: Priority.P1 });
    }
    clock.advance(6 * MINUTE);
    const drain = async (services: Services) => {
      let handled = 0;
      for (let batch = services.escalation.runDue(25); (await batch) > 0; batch = services.escalation.runDue(25)) handled += 25;
      return handled;
    };
    await Promise.all([drain(a), drain(b)]);

    const [counts] = await first.query(
      `SELECT count(*) FILTER (WHERE reason = 'escalation step 1') AS step1,
              count(*) FILTER (WHERE reason = 'escalation step 2') AS step2,
              count(DISTINCT idempotency_key) AS keys, count(*) AS total
         FROM notification n JOIN incident i ON i.id = n.incident_id WHERE i.service_id = $1`,
      [service.id],
    );
    expect(counts).toEqual({ step1: String(INCIDENTS), step2: String(2 * INCIDENTS), keys: String(3 * INCIDENTS), total: String(3 * INCIDENTS) });
    const steps = await first.query(
      `SELECT e.step_index, count(*) FROM incident_escalation e JOIN incident i ON i.id = e.incident_id WHERE i.service_id = $1 GROUP BY 1`,
      [service.id],
    );
    expect(steps).toEqual([{ step_index: 1, count: String(INCIDENTS) }]);
    const events = await first.query(
      `SELECT count(*) FROM timeline_event t JOIN incident i ON i.id = t.incident_id WHERE i.service_id = $1 AND t.kind = 'ESCALATION_STEP'`,
      [service.id],
    );
    expect(Number(events[0].count)).toBe(2 * INCIDENTS);
  });

  it('a runner killed mid-batch leaves nothing stuck: its locks go with its connection', async () => {
    await first.query(`UPDATE incident_escalation SET state = 'STOPPED', next_due_at = NULL WHERE state = 'ACTIVE'`);
    const { service } = await organisation('killed');
    for (let index = 0; index < 20; index += 1) {
      await a.incidents.declare(actor, { title: `killed ${index}`, serviceId: service.id, priority: Priority.P2 });
    }
    clock.advance(6 * MINUTE);
    const doomed = new Client({ connectionString: database.url });
    await doomed.connect();
    doomed.on('error', () => undefined);
    await doomed.query('BEGIN');
    const claimed = await doomed.query(
      `SELECT incident_id FROM incident_escalation WHERE state = 'ACTIVE' AND next_due_at <= $1 FOR UPDATE SKIP LOCKED LIMIT 10`,
      [clock.now()],
    );
    expect(claimed.rowCount).toBe(10);
    expect(await b.escalation.runDue(100)).toBe(10);
    await first.query(`SELECT pg_terminate_backend($1)`, [(doomed as unknown as { processID: number }).processID]);
    await doomed.end().catch(() => undefined);
    expect(await b.escalation.runDue(100)).toBe(10);
    const [pending] = await first.query(
      `SELECT count(*) FROM incident_escalation e JOIN incident i ON i.id = e.incident_id WHERE i.service_id = $1 AND e.step_index = 0`,
      [service.id],
    );
    expect(pending.count).toBe('0');
  });

  it('delivers each queued page once across two workers, and retakes a crashed worker’s expired claim', async () => {
    const sent: OutboundMessage[] = [];
    const sms: Channel = { kind: 'SMS', send: async (message) => (sent.push(message), { providerMessageId: `SM${sent.length}` }) };
    const email: Channel = { kind: 'EMAIL', send: async (message) => (sent.push(message), { providerMessageId: null }) };
    const workerA = createServices(first, clock, { log, publicBaseUrl: 'http://localhost', channels: { SMS: sms, EMAIL: email } });
    const workerB = createServices(second, clock, { log, publicBaseUrl: 'http://localhost', channels: { SMS: sms, EMAIL: email } });
    const due = Number((await first.query(`SELECT count(*) FROM notification WHERE status = 'PENDING'`))[0].count);
    expect(due).toBeGreaterThan(600);
    await Promise.all([workerA.delivery.drain(), workerB.delivery.drain()]);
    expect(sent).toHaveLength(due);
    expect(new Set(sent.map((message) => message.idempotencyKey)).size).toBe(due);

    // A worker claimed a message and died before recording the result: after the claim deadline it is sent again.
    await first.query(
      `UPDATE notification SET status = 'SENDING', attempts = 1, claimed_until = $1 WHERE id = (SELECT id FROM notification WHERE status = 'SENT' LIMIT 1)`,
      [new Date(clock.now().getTime() + 60_000)],
    );
    expect(await workerB.delivery.runOnce()).toBe(0);
    clock.advance(2 * MINUTE);
    expect(await workerB.delivery.runOnce()).toBe(1);
    expect(sent).toHaveLength(due + 1);
  });

  it('retries a retryable failure with backoff, then marks it FAILED with the reason after the last attempt', async () => {
    let calls = 0;
    const flaky: Channel = { kind: 'SMS', send: async () => { calls += 1; throw new DeliveryError('Twilio 500: try later', true, 500); } };
    const worker = createServices(first, clock, { log, publicBaseUrl: 'http://localhost', channels: { SMS: flaky } });
    const { service, people } = await organisation('flaky');
    const incident = await worker.incidents.declare(actor, { title: 'flaky', serviceId: service.id, priority: Priority.P1 });
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      expect(await worker.delivery.runOnce()).toBe(1);
      clock.advance(11 * MINUTE);
    }
    expect(await worker.delivery.runOnce()).toBe(0);
    expect(calls).toBe(5);
    const [row] = await first.query(`SELECT status, attempts, last_error FROM notification WHERE incident_id = $1 AND person_id = $2`, [incident.id, people[0].id]);
    expect(row).toEqual({ status: 'FAILED', attempts: 5, last_error: 'Twilio 500: try later' });
    const [event] = await first.query(`SELECT message FROM timeline_event WHERE incident_id = $1 AND kind = 'NOTIFICATION_FAILED'`, [incident.id]);
    expect(event.message).toContain('failed after 5 attempt(s)');
  });
});
