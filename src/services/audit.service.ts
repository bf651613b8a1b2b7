import type { DataSource, EntityManager } from 'typeorm';
import { AuditEntry } from '../schema/audit-entry.entity';
import type { AuditTargetType } from '../schema/enums';
import type { AuditContext } from '../shared/audit-context';
import type { Clock } from '../shared/clock';
import { badInput } from '../shared/domain-error';
import type { FieldChanges } from './audit-changes';
import type { Page, PageArgs } from '../shared/page';
import { decodeTimeCursor, encodeCursor, pageSize } from './pagination';
import { isValidDate, requireUuid } from './validation';

/** One configuration change, as the service that makes it describes it. */
export interface AuditRecord {
  /** `<target>.<verb>`, e.g. `escalationPolicy.update`. */
  action: string;
  targetType: AuditTargetType;
  targetId: string;
  changes: FieldChanges;
}

export interface AuditFilter {
  actorId?: string | null;
  targetType?: AuditTargetType | null;
  targetId?: string | null;
  from?: Date | null;
  to?: Date | null;
}

const COLUMNS = 'id, occurred_at, actor_type, actor_id, actor_person_id, actor_label, action, target_type, target_id, changes, request_id';

interface AuditRow {
  id: string;
  occurred_at: Date;
  actor_type: AuditEntry['actorType'];
  actor_id: string | null;
  actor_person_id: string | null;
  actor_label: string;
  action: string;
  target_type: AuditTargetType;
  target_id: string;
  changes: FieldChanges;
  request_id: string | null;
}

/**
 * The audit log of configuration changes. Services record an entry with the manager of their own transaction,
 * so the entry commits, or rolls back, with the change it describes.
 */
export class AuditService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async record(manager: EntityManager, context: AuditContext, entry: AuditRecord): Promise<void> {
    const { actor, requestId } = context;
    await manager.query(
      `INSERT INTO audit_entry (occurred_at, actor_type, actor_id, actor_person_id, actor_label, action, target_type, target_id, changes, request_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [this.clock.now(), actor.type, actor.id, actor.personId ?? null, actor.name, entry.action, entry.targetType, entry.targetId, JSON.stringify(entry.changes), requestId],
    );
  }

  /** Entries newest first, keyset-paginated by (occurred_at, id). */
  async list(filter: AuditFilter = {}, page: PageArgs = {}): Promise<Page<AuditEntry>> {
    const limit = pageSize(page.first);
    const { where, params } = conditions(filter);
    const after = page.after ? decodeTimeCursor(page.after) : null;
    const pageWhere = after ? [...where, `(occurred_at, id) < ($${params.length + 1}::timestamptz, $${params.length + 2}::uuid)`] : where;
    const pageParams = after ? [...params, after.at, after.id] : params;
    const rows: AuditRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM audit_entry ${whereClause(pageWhere)} ORDER BY occurred_at DESC, id DESC LIMIT ${limit + 1}`,
      pageParams,
    );
    const nodes = rows.slice(0, limit).map(toEntry);
    return {
      nodes,
      cursors: nodes.map((entry) => encodeCursor(entry.occurredAt.toISOString(), entry.id)),
      hasNextPage: rows.length > limit,
      totalCount: async () => {
        const [{ count }] = await this.db.query(`SELECT count(*)::int AS count FROM audit_entry ${whereClause(where)}`, params);
        return count;
      },
    };
  }
}

function conditions(filter: AuditFilter): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (filter.actorId) add((p) => `actor_id = ${p}`, requireUuid('filter.actorId', filter.actorId));
  if (filter.targetType) add((p) => `target_type = ${p}`, filter.targetType);
  if (filter.targetId) add((p) => `target_id = ${p}::uuid`, requireUuid('filter.targetId', filter.targetId));
  if (filter.from !== null && filter.from !== undefined) {
    if (!isValidDate(filter.from)) throw badInput('filter.from', 'must be an ISO-8601 date-time');
    add((p) => `occurred_at >= ${p}::timestamptz`, filter.from);
  }
  if (filter.to !== null && filter.to !== undefined) {
    if (!isValidDate(filter.to)) throw badInput('filter.to', 'must be an ISO-8601 date-time');
    if (filter.from && filter.to.getTime() < filter.from.getTime()) throw badInput('filter.to', 'must not be before filter.from');
    add((p) => `occurred_at <= ${p}::timestamptz`, filter.to);
  }
  return { where, params };
}

function whereClause(where: string[]): string {
  return where.length ? `WHERE ${where.join(' AND ')}` : '';
}

function toEntry(row: AuditRow): AuditEntry {
  return Object.assign(new AuditEntry(), {
    id: row.id,
    occurredAt: row.occurred_at,
    actorType: row.actor_type,
    actorId: row.actor_id,
    actorPersonId: row.actor_person_id,
    actorLabel: row.actor_label,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    changes: row.changes,
    requestId: row.request_id,
  });
}
