import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { ActorType, Priority, TaskStatus } from '../../src/schema/enums';
import type { Services } from '../../src/services';
import { isoWeek } from '../../src/services/task-reminder.service';
import type { Actor } from '../../src/shared/actor';
import { ManualClock } from '../../src/shared/clock';
import { openTwoInstances, type TwoInstances } from '../support/two-instances';

const DAY = 86_400_000;
const OWNERS = 24;
const actor: Actor = { type: ActorType.PERSON, id: null, name: 'Ana Responder' };

/** Two instances (own pools and services, one database and clock) deciding the weekly reminders at once. */
describe('weekly overdue-task reminders, exactly once per owner and week', () => {
  // Wednesday of ISO week 2026-W10 in Europe/Lisbon.
  const clock = new ManualClock('2026-03-04T10:00:00Z');
  let instances: TwoInstances;
  let db: DataSource;
  let a: Services;
  let b: Services;
  let incidentId: string;
  const owners: string[] = [];
  const taskOf: Record<string, string[]> = {};

  const race = async () => {
    const drain = async (services: Services) => {
      let reminded = 0;
      for (let batch = await services.taskReminders.runDue(5); batch > 0; batch = await services.taskReminders.runDue(5)) reminded += batch;
      return reminded;
    };
    const [byA, byB] = await Promise.all([drain(a), drain(b)]);
    return byA + byB;
  };
  const rows = <T = Record<string, unknown>>(sql: string, parameters: unknown[] = []): Promise<T[]> => db.query(sql, parameters);
  const notices = (week: string) =>
    rows<{ person_id: string; idempotency_key: string; subject: string; body: string; incident_id: string | null }>(
      `SELECT person_id, idempotency_key, subject, body, incident_id FROM notification WHERE idempotency_key LIKE $1 ORDER BY person_id`,
      [`task-reminder:%:${week}`],
    );

  beforeAll(async () => {
    instances = await openTwoInstances(clock);
    ({ first: db, a, b } = instances);
    await a.maintenanceCalendar.update({ zone: 'Europe/Lisbon' });
    const service = await a.catalog.createService({ name: 'Billing', slug: 'billing' });
    incidentId = (await a.incidents.declare(actor, { title: 'Invoices doubled', serviceId: service.id, priority: Priority.P2 })).id;
    for (let index = 0; index < OWNERS; index += 1) {
      const owner = await a.catalog.createPerson({ name: `Owner ${String(index).padStart(2, '0')}`, email: `owner${index}@example.com` });
      owners.push(owner.id);
      // Each owner: one overdue task of the incident, one overdue task of none, one due next month, one done.
      const overdueOfIncident = await a.tasks.create(actor, { title: `dedupe invoices ${index}`, incidentId, ownerId: owner.id, dueAt: new Date(clock.now().getTime() - 3 * DAY), externalUrl: 'https://tickets.example.com/BIL-1' });
      const overdueAlone = await a.tasks.create(actor, { title: `audit the ledger ${index}`, ownerId: owner.id, dueAt: new Date(clock.now().getTime() - DAY) });
      await a.tasks.create(actor, { title: `later ${index}`, ownerId: owner.id, dueAt: new Date(clock.now().getTime() + 30 * DAY) });
      const done = await a.tasks.create(actor, { title: `done ${index}`, ownerId: owner.id, dueAt: new Date(clock.now().getTime() - 2 * DAY) });
      await a.tasks.update(actor, { id: done.id, status: TaskStatus.DONE });
      taskOf[owner.id] = [overdueOfIncident.id, overdueAlone.id];
    }
    await a.tasks.create(actor, { title: 'nobody owns this', dueAt: new Date(clock.now().getTime() - DAY) });
  });
  afterAll(() => instances.close());

  it('counts weeks in the calendar zone: Monday 00:30 in Lisbon summer time is the new week, still Sunday in UTC', () => {
    expect(isoWeek(new Date('2026-03-04T10:00:00Z'), 'Europe/Lisbon')).toBe('2026-W10');
    expect(isoWeek(new Date('2026-06-07T23:30:00Z'), 'Europe/Lisbon')).toBe('2026-W24');
    expect(isoWeek(new Date('2026-06-07T23:30:00Z'), 'UTC')).toBe('2026-W23');
    expect(isoWeek(new Date('2027-01-01T12:00:00Z'), 'UTC')).toBe('2026-W53');
  });

  it('two runners racing send each owner one notice listing their overdue open tasks, and note it once on the incident', async () => {
    expect(await race()).toBe(OWNERS);
    const sent = await notices('2026-W10');
    expect(sent.map((notice) => notice.person_id).sort()).toEqual([...owners].sort());
    expect(new Set(sent.map((notice) => notice.idempotency_key)).size).toBe(OWNERS);
    const first = sent.find((notice) => notice.person_id === owners[0])!;
    expect(first.idempotency_key).toBe(`task-reminder:${owners[0]}:2026-W10`);
    expect(first.incident_id).toBeNull();
    expect(first.subject).toBe('[tasks] 2 overdue tasks (week 2026-W10)');
    expect(first.body).toContain('- "dedupe invoices 0" (P3), due 2026-03-01: 3 days overdue, incident #');
    expect(first.body).toContain('"Invoices doubled", https://tickets.example.com/BIL-1');
    expect(first.body).toContain('- "audit the ledger 0" (P3), due 2026-03-03: 1 day overdue');
    expect(first.body).not.toMatch(/later 0|done 0/);

    const decisions = await rows<{ owner_id: string; task_ids: string[] }>(`SELECT owner_id, task_ids FROM task_reminder WHERE week = '2026-W10'`);
    expect(decisions).toHaveLength(OWNERS);
    for (const decision of decisions) expect(decision.task_ids).toEqual(taskOf[decision.owner_id]);
    const timeline = await rows<{ data: { ownerId: string; taskIds: string[]; week: string }; message: string }>(
      `SELECT data, message FROM timeline_event WHERE incident_id = $1 AND kind = 'TASK_REMINDER'`,
      [incidentId],
    );
    expect(timeline).toHaveLength(OWNERS);
    const ofFirst = timeline.find((event) => event.data.ownerId === owners[0])!;
    expect(ofFirst.data).toMatchObject({ week: '2026-W10', taskIds: [taskOf[owners[0]][0]] });
    expect(ofFirst.message).toBe('weekly reminder to Owner 00: "dedupe invoices 0" overdue');
  });

  it('sends nothing more in the same week, however often it runs', async () => {
    clock.advance(2 * DAY);
    expect(await race()).toBe(0);
    expect(await notices('2026-W10')).toHaveLength(OWNERS);
    expect((await rows(`SELECT count(*)::int AS n FROM notification WHERE idempotency_key LIKE 'task-reminder:%'`))[0].n).toBe(OWNERS);
  });

  it('reminds again the next week, only owners still overdue, and stops once their tasks are done', async () => {
    clock.set('2026-03-09T09:00:00Z');
    for (const owner of owners.slice(0, 10)) for (const id of taskOf[owner]) await a.tasks.update(actor, { id, status: TaskStatus.DONE });
    await b.tasks.update(actor, { id: taskOf[owners[10]][0], status: TaskStatus.WONT_DO, statusReason: 'ledger replaced' });
    expect(await race()).toBe(OWNERS - 10);
    const sent = await notices('2026-W11');
    expect(sent.map((notice) => notice.person_id).sort()).toEqual(owners.slice(10).sort());
    const eleventh = sent.find((notice) => notice.person_id === owners[10])!;
    expect(eleventh.subject).toBe('[tasks] 1 overdue task (week 2026-W11)');
    expect(eleventh.body).not.toContain('dedupe invoices 10');

    clock.set('2026-03-16T09:00:00Z');
    for (const owner of owners.slice(10)) for (const id of taskOf[owner]) await a.tasks.update(actor, { id, status: TaskStatus.DONE });
    expect(await race()).toBe(0);
    expect(await notices('2026-W12')).toEqual([]);
  });
});
