import { ActorType, IncidentSource, Priority, TaskKind, TaskStatus } from '../../../src/schema/enums';
import type { Actor } from '../../../src/shared/actor';
import { ManualClock } from '../../../src/shared/clock';
import { DomainError, ErrorCode } from '../../../src/shared/domain-error';
import { startTestApp, type TestApp } from '../../support/test-app';

const ana: Actor = { type: ActorType.PERSON, id: null, name: 'Ana Responder' };

describe('TaskService', () => {
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  let t: TestApp;
  let serviceId: string;
  let ownerId: string;
  const sql = <T = Record<string, unknown>>(text: string, parameters: unknown[] = []): Promise<T[]> => t.app.db.query(text, parameters);
  const tasks = () => t.app.services.tasks;

  const declare = async (title = 'Card payments failing') =>
    (await t.app.services.incidents.declare(ana, { title, serviceId, priority: Priority.P2, source: IncidentSource.MONITORING })).id;

  /** An IRF with one cause, as the review tables hold it (the review service is another slice). */
  const withReview = async (incidentId: string) => {
    const [{ id: reviewId }] = await sql<{ id: string }>(
      `INSERT INTO incident_review (incident_id, status, origin, opened_at, updated_at) VALUES ($1, 'DRAFT', 'INTERNAL', now(), now()) RETURNING id`,
      [incidentId],
    );
    const [{ id: causeId }] = await sql<{ id: string }>(
      `INSERT INTO review_cause (review_id, kind, category_id, description, position, created_at, updated_at)
       SELECT $1, 'ROOT', id, 'connection pool too small', 0, now(), now() FROM cause_category ORDER BY position LIMIT 1 RETURNING id`,
      [reviewId],
    );
    return { reviewId, causeId };
  };

  const failure = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  };

  const timelineOf = (incidentId: string) =>
    sql<{ kind: string; message: string; data: { taskId: string; changes: Record<string, { from: unknown; to: unknown }> } }>(
      `SELECT kind, message, data FROM timeline_event WHERE incident_id = $1 AND kind LIKE 'TASK_%' ORDER BY seq`,
      [incidentId],
    );

  const reviewChanges = (reviewId: string) =>
    sql<{ change: string }>(`SELECT change FROM change_log WHERE change::jsonb->>'topic' = 'REVIEW_UPDATED' AND change::jsonb->>'reviewId' = $1 ORDER BY seq`, [reviewId]);

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
    serviceId = (await t.app.services.catalog.createService({ name: 'Payments', slug: 'payments' })).id;
    ownerId = (await t.app.services.catalog.createPerson({ name: 'Olga Owner', email: 'olga@example.com' })).id;
  });
  afterAll(() => t.close());

  describe('create', () => {
    it('creates an OPEN P3 task of no incident with only a title', async () => {
      const task = await tasks().create(ana, { title: '  Rotate the TLS certificates  ' });
      expect(task).toMatchObject({ title: 'Rotate the TLS certificates', status: TaskStatus.OPEN, priority: Priority.P3, incidentId: null, reviewId: null, completedAt: null });
      expect((await tasks().kindsOf([task.id])).get(task.id)).toBe(TaskKind.PREVENTIVE);
    });

    it("links a task of an incident with a review to the review, notes it on the timeline and tells the review's subscribers", async () => {
      const incidentId = await declare();
      const { reviewId, causeId } = await withReview(incidentId);
      const task = await tasks().create(ana, {
        title: 'Size the pool from load tests',
        incidentId,
        ownerId,
        dueAt: new Date('2026-03-20T17:00:00Z'),
        priority: Priority.P1,
        description: 'The pool ran out at 400 rps.',
        externalUrl: 'https://tickets.example.com/PAY-123',
        causeId,
      });
      const [stored] = await sql(`SELECT review_id, cause_id, owner_id, priority, external_url, due_at FROM task WHERE id = $1`, [task.id]);
      expect(stored).toEqual({ review_id: reviewId, cause_id: causeId, owner_id: ownerId, priority: 'P1', external_url: 'https://tickets.example.com/PAY-123', due_at: new Date('2026-03-20T17:00:00Z') });
      const timeline = await timelineOf(incidentId);
      expect(timeline).toEqual([expect.objectContaining({ kind: 'TASK_CREATED', message: 'task created: Size the pool from load tests' })]);
      expect(timeline[0].data.taskId).toBe(task.id);
      expect((await reviewChanges(reviewId)).map((row) => JSON.parse(row.change))).toEqual([expect.objectContaining({ incidentId, reviewId, document: 'TASK' })]);
    });

    it('a task of an incident without a review has no review and emits no review change', async () => {
      const incidentId = await declare('No review yet');
      const task = await tasks().create(ana, { title: 'Add an alert on pool saturation', incidentId });
      expect(task.reviewId).toBeNull();
      expect((await timelineOf(incidentId)).map((row) => row.kind)).toEqual(['TASK_CREATED']);
    });

    it.each([
      ['title', 'a blank title', { title: '   ' }],
      ['title', 'a title of 501 characters', { title: 'x'.repeat(501) }],
      ['description', 'a description of 20,001 characters', { title: 'ok', description: 'x'.repeat(20_001) }],
      ['externalUrl', 'a javascript: URL', { title: 'ok', externalUrl: 'javascript:alert(1)' }],
      ['externalUrl', 'a data: URL', { title: 'ok', externalUrl: 'data:text/html,<script>x</script>' }],
      ['externalUrl', 'a relative URL', { title: 'ok', externalUrl: 'tickets/PAY-1' }],
      ['externalUrl', 'a URL over 2,000 characters', { title: 'ok', externalUrl: `https://example.com/${'x'.repeat(2000)}` }],
      ['ownerId', 'an owner id that is no UUID', { title: 'ok', ownerId: 'not-a-uuid' }],
      ['ownerId', 'an unknown owner', { title: 'ok', ownerId: '00000000-0000-4000-8000-000000000000' }],
      ['incidentId', 'an unknown incident', { title: 'ok', incidentId: '00000000-0000-4000-8000-000000000000' }],
      ['causeId', 'a cause without an incident', { title: 'ok', causeId: '00000000-0000-4000-8000-000000000000' }],
    ])('is BAD_USER_INPUT naming %s for %s, creating nothing', async (field, _label, input) => {
      const [{ before }] = await sql<{ before: number }>(`SELECT count(*)::int AS before FROM task`);
      const error = await failure(tasks().create(ana, input));
      expect({ code: error.code, field: error.field }).toEqual({ code: ErrorCode.BAD_USER_INPUT, field });
      expect((await sql(`SELECT count(*)::int AS n FROM task`))[0].n).toBe(before);
    });

    it("refuses a cause of another incident's review, naming causeId", async () => {
      const other = await withReview(await declare('Other incident'));
      const incidentId = await declare('This incident');
      await withReview(incidentId);
      const error = await failure(tasks().create(ana, { title: 'Wrong cause', incidentId, causeId: other.causeId }));
      expect(error.field).toBe('causeId');
    });
  });

  describe('update', () => {
    let incidentId: string;
    let taskId: string;

    beforeAll(async () => {
      incidentId = await declare('Checkout latency');
      taskId = (await tasks().create(ana, { title: 'Cache the price list', incidentId })).id;
    });

    it('changes the fields given, records each change from → to on the timeline, and leaves the others', async () => {
      clock.advance(60_000);
      const task = await tasks().update(ana, { id: taskId, title: 'Cache the price list per region', ownerId, dueAt: new Date('2026-04-01T00:00:00Z'), priority: Priority.P2 });
      expect(task).toMatchObject({ title: 'Cache the price list per region', ownerId, priority: Priority.P2, status: TaskStatus.OPEN, updatedAt: clock.now() });
      const [, updated] = await timelineOf(incidentId);
      expect(updated.kind).toBe('TASK_UPDATED');
      expect(updated.data.changes).toEqual({
        title: { from: 'Cache the price list', to: 'Cache the price list per region' },
        ownerId: { from: null, to: ownerId },
        dueAt: { from: null, to: '2026-04-01T00:00:00.000Z' },
        priority: { from: 'P3', to: 'P2' },
      });
    });

    it('DONE records completedAt; reopening clears it; an update that changes nothing records nothing', async () => {
      clock.advance(60_000);
      const done = await tasks().update(ana, { id: taskId, status: TaskStatus.DONE });
      expect(done.completedAt).toEqual(clock.now());
      const events = (await timelineOf(incidentId)).length;
      await tasks().update(ana, { id: taskId, status: TaskStatus.DONE });
      expect(await timelineOf(incidentId)).toHaveLength(events);
      const reopened = await tasks().update(ana, { id: taskId, status: TaskStatus.IN_PROGRESS });
      expect(reopened).toMatchObject({ status: TaskStatus.IN_PROGRESS, completedAt: null, statusReason: null });
    });

    it('WONT_DO needs a reason (BAD_USER_INPUT naming statusReason), keeps it, and reopening clears it', async () => {
      const missing = await failure(tasks().update(ana, { id: taskId, status: TaskStatus.WONT_DO }));
      expect({ code: missing.code, field: missing.field }).toEqual({ code: ErrorCode.BAD_USER_INPUT, field: 'statusReason' });
      const blank = await failure(tasks().update(ana, { id: taskId, status: TaskStatus.WONT_DO, statusReason: '  ' }));
      expect(blank.field).toBe('statusReason');
      expect((await sql(`SELECT status FROM task WHERE id = $1`, [taskId]))[0].status).toBe('IN_PROGRESS');

      const wontDo = await tasks().update(ana, { id: taskId, status: TaskStatus.WONT_DO, statusReason: 'the price list moves to the new catalog service' });
      expect(wontDo).toMatchObject({ status: TaskStatus.WONT_DO, statusReason: 'the price list moves to the new catalog service', completedAt: null });
      const reworded = await tasks().update(ana, { id: taskId, statusReason: 'replaced by CAT-7' });
      expect(reworded).toMatchObject({ status: TaskStatus.WONT_DO, statusReason: 'replaced by CAT-7' });
      const reopened = await tasks().update(ana, { id: taskId, status: TaskStatus.OPEN });
      expect(reopened).toMatchObject({ status: TaskStatus.OPEN, statusReason: null, completedAt: null });
      const stray = await failure(tasks().update(ana, { id: taskId, statusReason: 'no status to explain' }));
      expect(stray.field).toBe('statusReason');
    });

    it('null clears the optional fields; an unknown task is NOT_FOUND', async () => {
      await tasks().update(ana, { id: taskId, externalUrl: 'http://tickets.example.com/1', description: 'why' });
      const cleared = await tasks().update(ana, { id: taskId, externalUrl: null, description: null, ownerId: null, dueAt: null });
      expect(cleared).toMatchObject({ externalUrl: null, description: null, ownerId: null, dueAt: null });
      const error = await failure(tasks().update(ana, { id: '00000000-0000-4000-8000-000000000000', title: 'x' }));
      expect(error.code).toBe(ErrorCode.NOT_FOUND);
    });

    it('overdue is open and due before now, per the clock', async () => {
      const task = await tasks().create(ana, { title: 'Due soon', dueAt: new Date(clock.now().getTime() + 60_000) });
      expect(tasks().isOverdue(task)).toBe(false);
      clock.advance(120_000);
      expect(tasks().isOverdue(task)).toBe(true);
      expect(tasks().isOverdue(await tasks().update(ana, { id: task.id, status: TaskStatus.DONE }))).toBe(false);
    });
  });

  it("adoptIntoReview makes an incident's earlier tasks the review's, leaving other incidents' alone", async () => {
    const incidentId = await declare('Before the review');
    const other = await tasks().create(ana, { title: 'Of another incident', incidentId: await declare('Another') });
    const early = await tasks().create(ana, { title: 'Early preventive action', incidentId });
    const { reviewId } = await withReview(incidentId);
    const adopted = await t.app.db.transaction((manager) => tasks().adoptIntoReview(manager, incidentId, reviewId));
    expect(adopted).toBe(1);
    const [mine] = await tasks().byIds([early.id]);
    const [theirs] = await tasks().byIds([other.id]);
    expect(mine.reviewId).toBe(reviewId);
    expect(theirs.reviewId).toBeNull();
  });

  describe('the long-term fix of a mitigation step', () => {
    it('is a task created through the same validation, of kind LONG_TERM_FIX, on the timeline', async () => {
      const incidentId = await declare('Disk full');
      const step = await t.app.services.mitigations.add(ana, {
        incidentId,
        description: 'delete old logs',
        temporary: true,
        longTermFix: { title: 'Rotate logs daily', ownerId, priority: Priority.P2, externalUrl: 'https://tickets.example.com/OPS-9' },
      });
      const [task] = await tasks().byIds([step.longTermFixTaskId!]);
      expect(task).toMatchObject({ title: 'Rotate logs daily', incidentId, ownerId, priority: Priority.P2, externalUrl: 'https://tickets.example.com/OPS-9', status: TaskStatus.OPEN });
      expect((await tasks().kindsOf([task.id])).get(task.id)).toBe(TaskKind.LONG_TERM_FIX);
      expect((await timelineOf(incidentId)).map((row) => row.kind)).toEqual(['TASK_CREATED']);
    });

    it('names its fields under longTermFix, and an invalid fix leaves no step behind', async () => {
      const incidentId = await declare('Queue backlog');
      const error = await failure(
        t.app.services.mitigations.add(ana, { incidentId, description: 'scale consumers', temporary: true, longTermFix: { title: 'Autoscale', externalUrl: 'ftp://example.com/x' } }),
      );
      expect({ code: error.code, field: error.field }).toEqual({ code: ErrorCode.BAD_USER_INPUT, field: 'longTermFix.externalUrl' });
      const unknownOwner = await failure(
        t.app.services.mitigations.add(ana, { incidentId, description: 'scale consumers', temporary: true, longTermFix: { title: 'Autoscale', ownerId: '00000000-0000-4000-8000-000000000000' } }),
      );
      expect(unknownOwner.field).toBe('longTermFix.ownerId');
      expect(await sql(`SELECT id FROM mitigation_step WHERE incident_id = $1`, [incidentId])).toEqual([]);
    });
  });
});
