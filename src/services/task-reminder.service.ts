import { DateTime } from 'luxon';
import type { DataSource, EntityManager } from 'typeorm';
import { SYSTEM_ACTOR } from '../shared/actor';
import type { BusinessCalendar } from '../shared/business-days';
import type { Clock } from '../shared/clock';
import { announceOutbox, planNotices } from './notification-planner';
import { appendTimeline } from './timeline.service';

export const TASK_REMINDER_BATCH = 100;
const DAY_MS = 86_400_000;

/** The calendar whose zone says when a week begins (the maintenance calendar). */
export interface CalendarSource {
  current(manager?: DataSource | EntityManager): Promise<BusinessCalendar>;
}

interface OverdueTask {
  id: string;
  title: string;
  priority: string;
  dueAt: Date;
  externalUrl: string | null;
  incidentId: string | null;
  incidentNumber: number | null;
  incidentTitle: string | null;
}

/** The ISO week of `at` in `zone`, as task_reminder keys it: 2026-W49. */
export function isoWeek(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat("kkkk-'W'WW");
}

/**
 * The weekly reminder of overdue tasks: each owner with open tasks past their due date is told once per ISO week (in
 * the maintenance calendar's zone), in one notice listing them. The decision is the insert into task_reminder, unique
 * on (owner, week): a runner whose insert finds the row of another (committed, or waited for) does nothing, so any
 * number of instances send one per owner and week; the notice's idempotency key is the same pair.
 */
export class TaskReminderService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly calendar: CalendarSource,
  ) {}

  /** Decides one batch of owners; returns how many it reminded. */
  async runDue(limit = TASK_REMINDER_BATCH): Promise<number> {
    return this.db.transaction(async (manager) => {
      const now = this.clock.now();
      const week = isoWeek(now, (await this.calendar.current(manager)).zone);
      const decided: Array<{ owner_id: string; task_ids: string[] }> = await manager.query(
        `WITH due AS (
           SELECT t.owner_id, array_agg(t.id ORDER BY t.due_at, t.id) AS task_ids
             FROM task t
            WHERE t.status IN ('OPEN','IN_PROGRESS') AND t.due_at IS NOT NULL AND t.due_at < $1 AND t.owner_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM task_reminder r WHERE r.owner_id = t.owner_id AND r.week = $2)
            GROUP BY t.owner_id
            ORDER BY t.owner_id
            LIMIT $3
         )
         INSERT INTO task_reminder (owner_id, week, task_ids, decided_at)
         SELECT owner_id, $2, task_ids, $1 FROM due
         ON CONFLICT (owner_id, week) DO NOTHING
         RETURNING owner_id, task_ids`,
        [now, week, limit],
      );
      let queued = 0;
      for (const { owner_id: ownerId, task_ids: taskIds } of decided) queued += await this.remind(manager, ownerId, taskIds, week, now);
      await announceOutbox(manager, queued);
      return decided.length;
    });
  }

  private async remind(manager: EntityManager, ownerId: string, taskIds: string[], week: string, now: Date): Promise<number> {
    const tasks = await this.tasksOf(manager, taskIds);
    const [owner]: Array<{ name: string }> = await manager.query(`SELECT name FROM person WHERE id = $1`, [ownerId]);
    const count = `${tasks.length} overdue task${tasks.length === 1 ? '' : 's'}`;
    const queued = await planNotices(manager, [
      {
        personId: ownerId,
        key: `task-reminder:${ownerId}:${week}`,
        subject: `[tasks] ${count} (week ${week})`,
        body: `You own ${count} past their due date:\n${tasks.map((task) => overdueLine(task, now)).join('\n')}\nMark each DONE, or WONT_DO with a reason, or move its due date (updateTask).`,
        data: { ownerId, week, taskIds },
        reason: 'weekly overdue-task reminder',
        now,
      },
    ]);
    const byIncident = new Map<string, OverdueTask[]>();
    for (const task of tasks) if (task.incidentId) byIncident.set(task.incidentId, [...(byIncident.get(task.incidentId) ?? []), task]);
    for (const [incidentId, ofIncident] of byIncident) {
      await appendTimeline(manager, SYSTEM_ACTOR, {
        incidentId,
        kind: 'TASK_REMINDER',
        at: now,
        message: `weekly reminder to ${owner?.name ?? 'the owner'}: ${ofIncident.map((task) => `"${task.title}"`).join(', ')} overdue`,
        data: { week, ownerId, taskIds: ofIncident.map((task) => task.id), notificationsQueued: queued },
      });
    }
    return queued;
  }

  private async tasksOf(manager: EntityManager, ids: string[]): Promise<OverdueTask[]> {
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT t.id, t.title, t.priority, t.due_at, t.external_url, t.incident_id, i.number, i.title AS incident_title
         FROM task t LEFT JOIN incident i ON i.id = t.incident_id
        WHERE t.id = ANY($1::uuid[]) ORDER BY t.due_at, t.id`,
      [ids],
    );
    return rows.map((row) => ({
      id: row.id as string,
      title: row.title as string,
      priority: row.priority as string,
      dueAt: row.due_at as Date,
      externalUrl: row.external_url as string | null,
      incidentId: row.incident_id as string | null,
      incidentNumber: row.number === null ? null : Number(row.number),
      incidentTitle: row.incident_title as string | null,
    }));
  }
}

function overdueLine(task: OverdueTask, now: Date): string {
  const days = Math.floor((now.getTime() - task.dueAt.getTime()) / DAY_MS);
  const late = days >= 1 ? `${days} day${days === 1 ? '' : 's'} overdue` : 'overdue today';
  const incident = task.incidentNumber === null ? '' : `, incident #${task.incidentNumber} "${task.incidentTitle}"`;
  const ticket = task.externalUrl ? `, ${task.externalUrl}` : '';
  return `- "${task.title}" (${task.priority}), due ${task.dueAt.toISOString().slice(0, 10)}: ${late}${incident}${ticket}`;
}
