import { Role } from '../../src/schema/enums';
import { ManualClock } from '../../src/shared/clock';
import { startTestApp, type TestApp } from '../support/test-app';

const TASK_FIELDS = `id title status priority description externalUrl statusReason completedAt dueAt reviewId causeId kind overdue
  owner { name } incident { id title }`;
const CREATE = `mutation($input: CreateTaskInput!) { createTask(input: $input) { task { ${TASK_FIELDS} } } }`;
const UPDATE = `mutation($input: UpdateTaskInput!) { updateTask(input: $input) { task { ${TASK_FIELDS} } } }`;
const TASKS = `query($filter: TaskFilter, $first: Int, $after: String) {
  tasks(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { title overdue kind } } }
}`;

interface TaskView {
  id: string;
  title: string;
  status: string;
  statusReason: string | null;
  completedAt: string | null;
  kind: string;
  overdue: boolean;
  reviewId: string | null;
  owner: { name: string } | null;
  incident: { id: string; title: string } | null;
}

describe('tasks over GraphQL', () => {
  const clock = new ManualClock('2026-06-01T08:00:00Z');
  let t: TestApp;
  let incidentId: string;
  let ownerId: string;
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
    for (const role of [Role.VIEWER, Role.RESPONDER, Role.ANALYST, Role.ADMIN]) tokens[role] = await t.tokenFor(role);
    const serviceId = (await t.app.services.catalog.createService({ name: 'Messaging', slug: 'messaging' })).id;
    ownerId = (await t.app.services.catalog.createPerson({ name: 'Olga Owner', email: 'olga@example.com' })).id;
    const declared = await t.gql<{ declareIncident: { incident: { id: string } } }>(
      `mutation($serviceId: ID!) { declareIncident(input: { title: "SMS delayed", serviceId: $serviceId, priority: P2 }) { incident { id } } }`,
      { serviceId },
    );
    incidentId = declared.data!.declareIncident.incident.id;
  });
  afterAll(() => t.close());

  const create = async (input: Record<string, unknown>, token = tokens.RESPONDER) => t.gql<{ createTask: { task: TaskView } }>(CREATE, { input }, token);
  const update = async (input: Record<string, unknown>, token = tokens.RESPONDER) => t.gql<{ updateTask: { task: TaskView } }>(UPDATE, { input }, token);

  it('createTask returns the task with its links, kind and overdue flag', async () => {
    const created = await create({ title: 'Alert on queue age', incidentId, ownerId, dueAt: '2026-06-03T17:00:00Z', priority: 'P2', externalUrl: 'https://tickets.example.com/MSG-4' });
    expect(created.errors).toBeUndefined();
    expect(created.data!.createTask.task).toMatchObject({
      title: 'Alert on queue age',
      status: 'OPEN',
      priority: 'P2',
      externalUrl: 'https://tickets.example.com/MSG-4',
      dueAt: '2026-06-03T17:00:00.000Z',
      reviewId: null,
      kind: 'PREVENTIVE',
      overdue: false,
      owner: { name: 'Olga Owner' },
      incident: { id: incidentId, title: 'SMS delayed' },
    });
  });

  it('updateTask marks DONE with completedAt, refuses WONT_DO without a reason naming statusReason, and reopens', async () => {
    const { id } = (await create({ title: 'Retry budget per carrier', incidentId })).data!.createTask.task;
    clock.advance(60_000);
    const done = await update({ id, status: 'DONE' });
    expect(done.data!.updateTask.task).toMatchObject({ status: 'DONE', completedAt: clock.now().toISOString() });
    const refused = await update({ id, status: 'WONT_DO' });
    expect(refused.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'statusReason' });
    const wontDo = await update({ id, status: 'WONT_DO', statusReason: 'the carrier API does it' });
    expect(wontDo.data!.updateTask.task).toMatchObject({ status: 'WONT_DO', statusReason: 'the carrier API does it', completedAt: null });
    const reopened = await update({ id, status: 'OPEN' });
    expect(reopened.data!.updateTask.task).toMatchObject({ status: 'OPEN', statusReason: null, completedAt: null });
  });

  it('bad input names the field; an unknown task is NOT_FOUND', async () => {
    expect((await create({ title: 'x', externalUrl: 'javascript:alert(1)' })).errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'externalUrl' });
    expect((await create({ title: '' })).errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'title' });
    expect((await update({ id: '00000000-0000-4000-8000-000000000000', title: 'x' })).errors![0].extensions?.code).toBe('NOT_FOUND');
    expect((await t.gql(TASKS, { filter: { serviceId: 'messaging' } })).errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.serviceId' });
  });

  it('a temporary mitigation step’s long-term fix is a Task of kind LONG_TERM_FIX', async () => {
    const added = await t.gql<{ addMitigationStep: { mitigationStep: { longTermFix: { title: string; kind: string; priority: string } } } }>(
      `mutation($id: ID!) { addMitigationStep(input: { incidentId: $id, description: "route via the backup carrier", temporary: true,
         longTermFix: { title: "Fix the primary carrier bind", priority: P1 } }) { mitigationStep { longTermFix { title kind priority } } } }`,
      { id: incidentId },
      tokens.RESPONDER,
    );
    expect(added.errors).toBeUndefined();
    expect(added.data!.addMitigationStep.mitigationStep.longTermFix).toEqual({ title: 'Fix the primary carrier bind', kind: 'LONG_TERM_FIX', priority: 'P1' });
  });

  it('tasks lists a page with a total and the overdue ones by filter', async () => {
    await create({ title: 'Overdue runbook', dueAt: '2026-05-30T00:00:00Z' });
    const overdue = await t.gql<{ tasks: { totalCount: number; edges: Array<{ node: { title: string; overdue: boolean } }> } }>(TASKS, { filter: { overdue: true } }, tokens.VIEWER);
    expect(overdue.errors).toBeUndefined();
    expect(overdue.data!.tasks.totalCount).toBe(1);
    expect(overdue.data!.tasks.edges.map((edge) => edge.node)).toEqual([{ title: 'Overdue runbook', overdue: true, kind: 'PREVENTIVE' }]);
    const first = await t.gql<{ tasks: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: Array<{ node: { title: string } }> } }>(TASKS, { first: 2 }, tokens.VIEWER);
    const rest = await t.gql<{ tasks: { pageInfo: { hasNextPage: boolean }; edges: Array<{ node: { title: string } }> } }>(TASKS, { first: 50, after: first.data!.tasks.pageInfo.endCursor }, tokens.VIEWER);
    expect(first.data!.tasks.pageInfo.hasNextPage).toBe(true);
    expect(first.data!.tasks.edges.length + rest.data!.tasks.edges.length).toBe(first.data!.tasks.totalCount);
    expect(rest.data!.tasks.pageInfo.hasNextPage).toBe(false);
  });

  describe('roles', () => {
    it('a VIEWER may list tasks but neither create nor update one (FORBIDDEN, nothing changes)', async () => {
      const { id } = (await create({ title: 'Viewer cannot touch this' })).data!.createTask.task;
      expect((await t.gql(TASKS, {}, tokens.VIEWER)).errors).toBeUndefined();
      expect((await create({ title: 'By a viewer' }, tokens.VIEWER)).errors![0].extensions?.code).toBe('FORBIDDEN');
      expect((await update({ id, title: 'Renamed by a viewer' }, tokens.VIEWER)).errors![0].extensions?.code).toBe('FORBIDDEN');
      const titles: Array<{ title: string }> = await t.app.db.query(`SELECT title FROM task WHERE title IN ('By a viewer', 'Renamed by a viewer')`);
      expect(titles).toEqual([]);
    });

    it.each([Role.RESPONDER, Role.ANALYST, Role.ADMIN])('a %s may create and update a task', async (role) => {
      const created = await create({ title: `By ${role}` }, tokens[role]);
      expect(created.errors).toBeUndefined();
      const updated = await update({ id: created.data!.createTask.task.id, status: 'IN_PROGRESS' }, tokens[role]);
      expect(updated.errors).toBeUndefined();
      expect(updated.data!.updateTask.task.status).toBe('IN_PROGRESS');
    });
  });
});
