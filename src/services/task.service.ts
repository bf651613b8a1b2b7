import type { DataSource, EntityManager } from 'typeorm';
import { emitChange } from '../db/changes';
import { Priority, TaskKind, TaskStatus } from '../schema/enums';
import { Task } from '../schema/task.entity';
import type { Actor } from '../shared/actor';
import type { Clock } from '../shared/clock';
import type { Page, PageArgs } from '../shared/page';
import { badInput, notFound } from '../shared/domain-error';
import { requirePerson } from './person-exists';
import { dueDate, externalUrl, isOpen, optionalUuid, REASON_MAX, taskDescription, taskTitle } from './task-fields';
import { listTasks, type TaskListFilter } from './task-list';
import { appendTimeline } from './timeline.service';
import { requireText, requireUuid } from './validation';

export interface CreateTaskFields {
  title: string;
  incidentId?: string | null;
  ownerId?: string | null;
  dueAt?: Date | null;
  priority?: Priority | null;
  description?: string | null;
  externalUrl?: string | null;
  causeId?: string | null;
}

/** Absent fields stay; null clears the optional ones. */
export interface TaskPatch {
  id: string;
  title?: string | null;
  ownerId?: string | null;
  dueAt?: Date | null;
  priority?: Priority | null;
  description?: string | null;
  externalUrl?: string | null;
  causeId?: string | null;
  status?: TaskStatus | null;
  statusReason?: string | null;
}

type Changes = Record<string, { from: unknown; to: unknown }>;

/**
 * Tasks: the long-term fixes of mitigation steps and the preventive actions of reviews are one model, created and
 * changed here only, so both get the same validation, timeline entries and review change.
 */
export class TaskService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async create(actor: Actor, input: CreateTaskFields): Promise<Task> {
    return this.db.transaction((manager) => this.createIn(manager, actor, input));
  }

  /** In the caller's transaction (a mitigation step creates its long-term fix with it); `prefix` names the fields in errors. */
  async createIn(manager: EntityManager, actor: Actor, input: CreateTaskFields, prefix = ''): Promise<Task> {
    const title = taskTitle(prefix, input.title);
    const description = taskDescription(prefix, input.description);
    const url = externalUrl(prefix, input.externalUrl);
    const dueAt = dueDate(prefix, input.dueAt);
    const incidentId = optionalUuid(`${prefix}incidentId`, input.incidentId);
    const ownerId = optionalUuid(`${prefix}ownerId`, input.ownerId);
    const causeId = optionalUuid(`${prefix}causeId`, input.causeId);
    const reviewId = incidentId ? await this.reviewOf(manager, `${prefix}incidentId`, incidentId) : null;
    if (ownerId) await requirePerson(manager, `${prefix}ownerId`, ownerId);
    if (causeId) await this.requireCause(manager, `${prefix}causeId`, causeId, reviewId);
    const now = this.clock.now();
    const task = manager.create(Task, {
      incidentId,
      reviewId,
      causeId,
      title,
      description,
      priority: input.priority ?? Priority.P3,
      externalUrl: url,
      ownerId,
      dueAt,
      status: TaskStatus.OPEN,
      statusReason: null,
      completedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    await manager.insert(Task, task);
    await this.announce(manager, actor, task, 'TASK_CREATED', `task created: ${title}`, {});
    return task;
  }

  async update(actor: Actor, patch: TaskPatch): Promise<Task> {
    const id = requireUuid('id', patch.id);
    return this.db.transaction(async (manager) => {
      const task = await manager.getRepository(Task).createQueryBuilder('t').setLock('pessimistic_write').where('t.id = :id', { id }).getOne();
      if (!task) throw notFound('task', id);
      const changes: Changes = {};
      const set = <K extends keyof Task>(key: K, value: Task[K]) => {
        const before = task[key];
        const same = before instanceof Date && value instanceof Date ? before.getTime() === value.getTime() : before === value;
        if (same) return;
        changes[key] = { from: before, to: value };
        task[key] = value;
      };
      if (patch.title !== undefined) set('title', taskTitle('', patch.title));
      if (patch.description !== undefined) set('description', taskDescription('', patch.description));
      if (patch.externalUrl !== undefined) set('externalUrl', externalUrl('', patch.externalUrl));
      if (patch.dueAt !== undefined) set('dueAt', dueDate('', patch.dueAt));
      if (patch.priority !== undefined) {
        if (patch.priority === null) throw badInput('priority', 'must not be null');
        set('priority', patch.priority);
      }
      if (patch.ownerId !== undefined) {
        const ownerId = optionalUuid('ownerId', patch.ownerId);
        if (ownerId) await requirePerson(manager, 'ownerId', ownerId);
        set('ownerId', ownerId);
      }
      if (patch.causeId !== undefined) {
        const causeId = optionalUuid('causeId', patch.causeId);
        if (causeId) await this.requireCause(manager, 'causeId', causeId, task.reviewId);
        set('causeId', causeId);
      }
      this.applyStatus(task, patch, set);
      if (!Object.keys(changes).length) return task;
      task.updatedAt = this.clock.now();
      await manager.save(Task, task);
      await this.announce(manager, actor, task, 'TASK_UPDATED', `task "${task.title}" updated: ${Object.keys(changes).join(', ')}`, changes);
      return task;
    });
  }

  /** DONE records when; WONT_DO must say why; going back to OPEN or IN_PROGRESS forgets both. */
  private applyStatus(task: Task, patch: TaskPatch, set: <K extends keyof Task>(key: K, value: Task[K]) => void): void {
    if (patch.status === null) throw badInput('status', 'must not be null');
    const status = patch.status ?? task.status;
    const reason = patch.statusReason === undefined || patch.statusReason === null ? undefined : patch.statusReason;
    if (isOpen(status)) {
      if (reason !== undefined) throw badInput('statusReason', 'is only kept for DONE or WONT_DO');
      set('statusReason', null);
      set('completedAt', null);
    } else if (status === TaskStatus.WONT_DO) {
      const kept = reason ?? (task.status === TaskStatus.WONT_DO ? task.statusReason : null);
      if (kept === null) throw badInput('statusReason', 'is required to mark a task WONT_DO');
      set('statusReason', requireText('statusReason', kept, REASON_MAX));
      set('completedAt', null);
    } else {
      if (reason !== undefined) set('statusReason', requireText('statusReason', reason, REASON_MAX));
      else if (task.status !== TaskStatus.DONE) set('statusReason', null);
      if (task.status !== TaskStatus.DONE) set('completedAt', this.clock.now());
    }
    set('status', status);
  }

  /** The task's incident gets a timeline entry; its review (the IRF lists its tasks) hears of the change. */
  private async announce(manager: EntityManager, actor: Actor, task: Task, kind: string, message: string, changes: Changes): Promise<void> {
    if (task.incidentId) await appendTimeline(manager, actor, { incidentId: task.incidentId, kind, at: task.updatedAt, message, data: { taskId: task.id, changes } });
    if (task.incidentId && task.reviewId) await emitChange(manager, { topic: 'REVIEW_UPDATED', incidentId: task.incidentId, reviewId: task.reviewId, document: 'TASK' });
  }

  /**
   * For the review service, when an IRF opens (in its transaction): the incident's tasks created before it (long-term
   * fixes and early preventive actions) become the review's, as later ones are from creation. Returns how many.
   */
  async adoptIntoReview(manager: EntityManager, incidentId: string, reviewId: string): Promise<number> {
    const [, count] = await manager.query(`UPDATE task SET review_id = $2 WHERE incident_id = $1 AND review_id IS NULL`, [incidentId, reviewId]);
    return Number(count ?? 0);
  }

  private async reviewOf(manager: EntityManager, field: string, incidentId: string): Promise<string | null> {
    const rows: Array<{ review_id: string | null }> = await manager.query(
      `SELECT r.id AS review_id FROM incident i LEFT JOIN incident_review r ON r.incident_id = i.id WHERE i.id = $1`,
      [incidentId],
    );
    if (!rows.length) throw badInput(field, `incident ${incidentId} does not exist`);
    return rows[0].review_id;
  }

  private async requireCause(manager: EntityManager, field: string, causeId: string, reviewId: string | null): Promise<void> {
    const rows: unknown[] = reviewId ? await manager.query(`SELECT 1 FROM review_cause WHERE id = $1 AND review_id = $2`, [causeId, reviewId]) : [];
    if (!rows.length) throw badInput(field, `cause ${causeId} is not a cause of the review of the task's incident`);
  }

  list(filter: TaskListFilter, page: PageArgs): Promise<Page<Task>> {
    return listTasks(this.db, this.clock.now(), filter, page);
  }

  async byIds(ids: readonly string[]): Promise<Task[]> {
    return this.db.getRepository(Task).createQueryBuilder('t').where('t.id = ANY(:ids)', { ids }).getMany();
  }

  /** LONG_TERM_FIX for the tasks a mitigation step names, PREVENTIVE for the others (one statement for a page). */
  async kindsOf(ids: readonly string[]): Promise<Map<string, TaskKind>> {
    const rows: Array<{ id: string; fix: boolean }> = await this.db.query(
      `SELECT t.id, EXISTS (SELECT 1 FROM mitigation_step m WHERE m.incident_id = t.incident_id AND m.long_term_fix_task_id = t.id) AS fix
         FROM task t WHERE t.id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((row) => [row.id, row.fix ? TaskKind.LONG_TERM_FIX : TaskKind.PREVENTIVE]));
  }

  /** Open and due before now. */
  isOverdue(task: Task): boolean {
    return isOpen(task.status) && task.dueAt !== null && task.dueAt.getTime() < this.clock.now().getTime();
  }
}
