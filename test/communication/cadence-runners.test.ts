import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { ActorType, Audience, EscalationTargetType, Priority, Role } from '../../src/schema/enums';
import type { Services } from '../../src/services';
import type { Actor } from '../../src/shared/actor';
import { ManualClock } from '../../src/shared/clock';
import { openTwoInstances, type TwoInstances } from '../support/two-instances';

const MINUTE = 60_000;
const INCIDENTS = 60;
const actor: Actor = { type: ActorType.TOKEN, id: null, name: 'test', role: Role.ADMIN };

/** Two independent "instances": own pools, own services, same database and clock. */
describe('communication reminders, exactly once under concurrency', () => {
  let first: DataSource;
  let a: Services;
  let b: Services;
  const clock = new ManualClock('2026-11-23T03:00:00Z');

  let instances: TwoInstances;

  beforeAll(async () => {
    instances = await openTwoInstances(clock);
    ({ first, a, b } = instances);
  });
  afterAll(() => instances.close());

  const count = async (sql: string, params: unknown[] = []) => Number((await first.query(sql, params))[0].count);

  /** Both runners take batches of 7 at once until neither finds anything due. */
  async function race(): Promise<number> {
    const drain = async (services: Services) => {
      let handled = 0;
      for (let batch = await services.communicationReminders.runDue(7); batch > 0; batch = await services.communicationReminders.runDue(7)) handled += batch;
      return handled;
    };
    const [byA, byB] = await Promise.all([drain(a), drain(b)]);
    return byA + byB;
  }

  it('two runners remind each overdue obligation once, escalate it once, and leave alone the ones met meanwhile', async () => {
    const onCall = await a.catalog.createPerson({ name: 'On call', email: 'oncall@example.com', phone: '+351910000001' });
    const next = await a.catalog.createPerson({ name: 'Next', email: 'next@example.com', phone: '+351910000002' });
    const policy = await a.paging.createPolicy({
      name: 'two people',
      steps: [
        { delayMinutes: 5, targets: [{ type: EscalationTargetType.PERSON, id: onCall.id }] },
        { delayMinutes: 5, targets: [{ type: EscalationTargetType.PERSON, id: next.id }] },
      ],
    });
    const service = await a.catalog.createService({ name: 'runners', slug: 'runners' });
    await a.paging.setServicePolicy(service.id, policy.id);
    const incidents = [];
    for (let index = 0; index < INCIDENTS; index += 1) {
      const incident = await a.incidents.declare(actor, { title: `incident ${index}`, serviceId: service.id, priority: Priority.P1 });
      await a.incidents.acknowledge(actor, incident.id);
      incidents.push(incident);
    }

    // 03:15: every first public notice is overdue, while a third of the incidents post theirs concurrently.
    clock.advance(15 * MINUTE);
    const posting = incidents.filter((_, index) => index % 3 === 0);
    const [handled] = await Promise.all([race(), ...posting.map((incident, index) => (index % 2 ? a : b).statusUpdates.post(actor, incident.id, 'we are on it', Audience.PUBLIC))]);

    const reminded = await count(`SELECT count(*) FROM communication_obligation WHERE kind = 'FIRST_PUBLIC_NOTICE' AND reminded_at IS NOT NULL`);
    const metBeforeReminder = await count(`SELECT count(*) FROM communication_obligation WHERE kind = 'FIRST_PUBLIC_NOTICE' AND met_at IS NOT NULL AND reminded_at IS NULL`);
    expect(reminded + metBeforeReminder).toBe(INCIDENTS);
    expect(handled).toBe(reminded);
    expect(reminded).toBeGreaterThanOrEqual(INCIDENTS - posting.length);
    expect(await count(`SELECT count(*) FROM timeline_event WHERE kind = 'COMMUNICATION_REMINDER'`)).toBe(reminded);
    const reminders = await first.query(
      `SELECT count(*) AS total, count(DISTINCT idempotency_key) AS keys, count(DISTINCT data->>'obligationId') AS obligations
         FROM notification WHERE idempotency_key LIKE 'cadence:%:reminder:%'`,
    );
    expect(reminders).toEqual([{ total: String(reminded), keys: String(reminded), obligations: String(reminded) }]);
    expect(await race()).toBe(0);

    // 03:25: the grace is over for the notices still unmet: each escalates once, to the next step.
    clock.advance(10 * MINUTE);
    const unmet = await count(`SELECT count(*) FROM communication_obligation WHERE kind = 'FIRST_PUBLIC_NOTICE' AND met_at IS NULL`);
    expect(unmet).toBe(INCIDENTS - posting.length);
    expect(await race()).toBe(unmet);
    expect(await race()).toBe(0);
    const escalations = await first.query(
      `SELECT count(*) AS total, count(DISTINCT data->>'obligationId') AS obligations, count(*) FILTER (WHERE person_id = $1) AS to_next
         FROM notification WHERE idempotency_key LIKE 'cadence:%:escalation:%'`,
      [next.id],
    );
    expect(escalations).toEqual([{ total: String(unmet), obligations: String(unmet), to_next: String(unmet) }]);
    expect(await count(`SELECT count(*) FROM timeline_event WHERE kind = 'COMMUNICATION_ESCALATED'`)).toBe(unmet);
  });
});
