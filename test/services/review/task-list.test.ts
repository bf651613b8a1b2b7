import { ActorType, IncidentSource, Priority, TaskStatus } from '../../../src/schema/enums';
import type { Actor } from '../../../src/shared/actor';
import { ManualClock } from '../../../src/shared/clock';
import { DomainError } from '../../../src/shared/domain-error';
import { startTestApp, type TestApp } from '../../support/test-app';
import { statementsDuring } from '../../support/statement-counter';

const ana: Actor = { type: ActorType.PERSON, id: null, name: 'Ana Responder' };
const DAY = 86_400_000;

describe('listing tasks (TaskService.list)', () => {
  const clock = new ManualClock('2026-05-04T12:00:00Z');
  let t: TestApp;
  let payments: string;
  let search: string;
  let olga: string;
  let piet: string;
  const titles: Record<string, string> = {};
  const sql = <T = Record<string, unknown>>(text: string, parameters: unknown[] = []): Promise<T[]> => t.app.db.query(text, parameters);
  const at = (days: number) => new Date(clock.now().getTime() + days * DAY);

  const list = async (filter: Parameters<TestApp['app']['services']['tasks']['list']>[0], first = 50, after?: string) => {
    const page = await t.app.services.tasks.list(filter, { first, after });
    return { titles: page.nodes.map((task) => task.title), page };
  };

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
    payments = (await t.app.services.catalog.createService({ name: 'Payments', slug: 'payments' })).id;
    search = (await t.app.services.catalog.createService({ name: 'Search', slug: 'search' })).id;
    olga = (await t.app.services.catalog.createPerson({ name: 'Olga', email: 'olga@example.com' })).id;
    piet = (await t.app.services.catalog.createPerson({ name: 'Piet', email: 'piet@example.com' })).id;
    const declare = async (serviceId: string) => (await t.app.services.incidents.declare(ana, { title: 'outage', serviceId, priority: Priority.P2, source: IncidentSource.MONITORING })).id;
    const paymentsIncident = await declare(payments);
    const searchIncident = await declare(search);
    const create = async (key: string, fields: Omit<Parameters<TestApp['app']['services']['tasks']['create']>[1], 'title'>, status?: TaskStatus) => {
      const task = await t.app.services.tasks.create(ana, { title: key, ...fields });
      if (status) await t.app.services.tasks.update(ana, { id: task.id, status, statusReason: status === TaskStatus.WONT_DO ? 'superseded' : undefined });
      titles[key] = task.id;
    };
    await create('late-open', { incidentId: paymentsIncident, ownerId: olga, dueAt: at(-3) });
    await create('late-in-progress', { incidentId: searchIncident, ownerId: piet, dueAt: at(-2) }, TaskStatus.IN_PROGRESS);
    await create('late-done', { incidentId: paymentsIncident, ownerId: olga, dueAt: at(-5) }, TaskStatus.DONE);
    await create('late-wont-do', { ownerId: olga, dueAt: at(-4) }, TaskStatus.WONT_DO);
    await create('due-tomorrow', { incidentId: paymentsIncident, ownerId: piet, dueAt: at(1) });
    await create('no-date', { ownerId: olga });
    await create('no-date-no-owner', {});
  });
  afterAll(() => t.close());

  it('orders by due date, those without one last (then by id)', async () => {
    const { titles: all } = await list({});
    expect(all.slice(0, 5)).toEqual(['late-done', 'late-wont-do', 'late-open', 'late-in-progress', 'due-tomorrow']);
    expect(all.slice(5)).toEqual(['no-date', 'no-date-no-owner'].sort((a, b) => (titles[a] < titles[b] ? -1 : 1)));
  });

  it('overdue: true is the open tasks past their due date; false is every other task', async () => {
    expect((await list({ overdue: true })).titles).toEqual(['late-open', 'late-in-progress']);
    expect((await list({ overdue: false })).titles.sort()).toEqual(['due-tomorrow', 'late-done', 'late-wont-do', 'no-date', 'no-date-no-owner']);
    clock.advance(2 * DAY);
    expect((await list({ overdue: true })).titles).toEqual(['late-open', 'late-in-progress', 'due-tomorrow']);
    clock.advance(-2 * DAY);
  });

  it('filters by status, owner, incident and service (through the incident), combined', async () => {
    expect((await list({ status: [TaskStatus.DONE, TaskStatus.WONT_DO] })).titles).toEqual(['late-done', 'late-wont-do']);
    expect((await list({ ownerId: piet })).titles).toEqual(['late-in-progress', 'due-tomorrow']);
    expect((await list({ serviceId: payments })).titles).toEqual(['late-done', 'late-open', 'due-tomorrow']);
    expect((await list({ serviceId: search })).titles).toEqual(['late-in-progress']);
    const [{ incident_id: searchIncident }] = await sql<{ incident_id: string }>(`SELECT incident_id FROM task WHERE id = $1`, [titles['late-in-progress']]);
    expect((await list({ incidentId: searchIncident })).titles).toEqual(['late-in-progress']);
    expect((await list({ ownerId: olga, overdue: true })).titles).toEqual(['late-open']);
    expect((await list({ status: [TaskStatus.OPEN], serviceId: payments })).titles).toEqual(['late-open', 'due-tomorrow']);
    expect(await (await list({ ownerId: olga })).page.totalCount()).toBe(4);
  });

  it('pages through every task once, across dated and undated ones, with a total', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const { titles: page, page: result } = await list({}, 2, after);
      seen.push(...page);
      expect(await result.totalCount()).toBe(7);
      if (!result.hasNextPage) break;
      after = result.cursors.at(-1);
    }
    expect(seen).toEqual((await list({})).titles);
    const overdue = await list({ overdue: true }, 1);
    expect(overdue.titles).toEqual(['late-open']);
    expect((await list({ overdue: true }, 1, overdue.page.cursors[0])).titles).toEqual(['late-in-progress']);
  });

  it('refuses a cursor it did not issue and a filter id that is no UUID, naming the field', async () => {
    const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: DomainError) => error.field);
    expect(await refusal(list({}, 5, Buffer.from(JSON.stringify(['not a date', '00000000-0000-4000-8000-000000000000'])).toString('base64url')))).toBe('after');
    expect(await refusal(list({ ownerId: 'olga' }))).toBe('filter.ownerId');
  });

  it('lists every overdue task at scale in one statement on task_open_due_idx, reading only the open ones', async () => {
    // 60,000 finished tasks, long past due, and 30 open overdue ones among open tasks due later.
    await sql(
      `INSERT INTO task (title, status, status_reason, due_at, completed_at, created_at, updated_at)
       SELECT 'old ' || n, CASE WHEN n % 7 = 0 THEN 'WONT_DO' ELSE 'DONE' END, CASE WHEN n % 7 = 0 THEN 'moot' END,
              $1::timestamptz - n * interval '1 minute', $1::timestamptz, $1::timestamptz, $1::timestamptz
         FROM generate_series(1, 60000) n`,
      [at(-1)],
    );
    await sql(
      `INSERT INTO task (title, status, due_at, created_at, updated_at)
       SELECT 'open ' || n, 'OPEN', $1::timestamptz + (n - 30) * interval '1 hour', $1::timestamptz, $1::timestamptz FROM generate_series(1, 2000) n`,
      [clock.now()],
    );
    await sql(`ANALYZE task`);
    let found: string[] = [];
    const statements = await statementsDuring(t.app.db, async () => {
      found = (await list({ overdue: true }, 100)).titles;
    });
    expect(found).toHaveLength(2 + 29);
    expect(found.slice(0, 2)).toEqual(['late-open', 'late-in-progress']);
    expect(found.filter((title) => title.startsWith('old '))).toEqual([]);
    const selects = statements.filter((text) => /FROM "task"/.test(text));
    expect(selects).toHaveLength(1);
    const plan = await sql<{ 'QUERY PLAN': string }>(`EXPLAIN ${selects[0]}`, [clock.now()]);
    const text = plan.map((row) => row['QUERY PLAN']).join('\n');
    expect(text).toContain('task_open_due_idx');
    expect(text).not.toMatch(/Seq Scan/);
  });
});
