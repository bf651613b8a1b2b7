import type { DataSource } from 'typeorm';
import type { TaskStatus } from '../schema/enums';
import { Task } from '../schema/task.entity';
import { badInput } from '../shared/domain-error';
import type { Page, PageArgs } from '../shared/page';
import { decodeCursor, encodeCursor, pageSize } from './pagination';
import { requireUuid } from './validation';

export interface TaskListFilter {
  status?: TaskStatus[] | null;
  ownerId?: string | null;
  overdue?: boolean | null;
  incidentId?: string | null;
  serviceId?: string | null;
}

/** The cursor's sort key: the due date, or '' for a task without one (those come last). */
const NO_DUE = '';

/**
 * Tasks by due date (those without one last), then id. `overdue: true` is the open tasks due before `now`: the
 * partial index task_open_due_idx holds exactly those rows in this order, so "every overdue task" reads only them.
 */
export async function listTasks(db: DataSource, now: Date, filter: TaskListFilter, page: PageArgs): Promise<Page<Task>> {
  const limit = pageSize(page.first);
  const filtered = db.getRepository(Task).createQueryBuilder('t');
  if (filter.status?.length) filtered.andWhere('t.status IN (:...statuses)', { statuses: filter.status });
  if (filter.ownerId) filtered.andWhere('t.owner_id = :ownerId', { ownerId: requireUuid('filter.ownerId', filter.ownerId) });
  if (filter.incidentId) filtered.andWhere('t.incident_id = :incidentId', { incidentId: requireUuid('filter.incidentId', filter.incidentId) });
  if (filter.serviceId) {
    filtered.andWhere('t.incident_id IN (SELECT i.id FROM incident i WHERE i.service_id = :serviceId)', { serviceId: requireUuid('filter.serviceId', filter.serviceId) });
  }
  // The index's own predicate, spelled as in its definition, so the planner can use it.
  const openAndDue = `t.status IN ('OPEN','IN_PROGRESS') AND t.due_at IS NOT NULL AND t.due_at < :now`;
  if (filter.overdue === true) filtered.andWhere(openAndDue, { now });
  if (filter.overdue === false) filtered.andWhere(`NOT (${openAndDue})`, { now });

  const query = filtered.clone();
  if (page.after) {
    const { sortKey, id } = decodeCursor(page.after);
    if (sortKey === NO_DUE) query.andWhere('t.due_at IS NULL AND t.id > :cursorId', { cursorId: id });
    else {
      const due = new Date(sortKey);
      if (Number.isNaN(due.getTime())) throw badInput('after', 'is not a valid cursor');
      const after = '(t.due_at, t.id) > (:cursorDue, :cursorId::uuid)';
      query.andWhere(filter.overdue === true ? after : `(${after} OR t.due_at IS NULL)`, { cursorDue: due, cursorId: id });
    }
  }
  const rows = await query.orderBy('t.due_at', 'ASC', 'NULLS LAST').addOrderBy('t.id', 'ASC').limit(limit + 1).getMany();
  const nodes = rows.slice(0, limit);
  return {
    nodes,
    cursors: nodes.map((task) => encodeCursor(task.dueAt?.toISOString() ?? NO_DUE, task.id)),
    hasNextPage: rows.length > limit,
    totalCount: () => filtered.getCount(),
  };
}
