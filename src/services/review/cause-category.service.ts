import type { DataSource } from 'typeorm';
import { CauseCategory } from '../../schema/cause-category.entity';
import { AuditTargetType } from '../../schema/enums';
import { SYSTEM_AUDIT, type AuditContext } from '../../shared/audit-context';
import type { Clock } from '../../shared/clock';
import { badInput, notFound } from '../../shared/domain-error';
import { diffFields } from '../audit-changes';
import type { AuditService } from '../audit.service';
import { optionalText, requireText, requireUuid } from '../validation';

const FIELDS = ['name', 'description', 'position', 'archived'] as const;
const MAX_CATEGORIES = 200;

export interface CauseCategoryInput {
  name?: string | null;
  description?: string | null;
  position?: number | null;
  archived?: boolean | null;
}

/** The editable list review causes are filed under (ADMIN, audited); archiving keeps a category on the causes that named it. */
export class CauseCategoryService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly auditLog: AuditService,
  ) {}

  list(includeArchived = false): Promise<CauseCategory[]> {
    const query = this.db.getRepository(CauseCategory).createQueryBuilder('c').orderBy('c.position', 'ASC').addOrderBy('c.name', 'ASC');
    if (!includeArchived) query.where('NOT c.archived');
    return query.getMany();
  }

  byIds(ids: readonly string[]): Promise<CauseCategory[]> {
    return this.db.getRepository(CauseCategory).createQueryBuilder('c').where('c.id = ANY(:ids)', { ids }).getMany();
  }

  async create(input: CauseCategoryInput & { name: string }, audit: AuditContext = SYSTEM_AUDIT): Promise<CauseCategory> {
    const name = requireText('name', input.name, 100);
    const description = optionalText('description', input.description, 1000);
    return this.db.transaction(async (manager) => {
      await manager.query(`LOCK TABLE cause_category IN SHARE ROW EXCLUSIVE MODE`);
      const [{ count, last }] = await manager.query(`SELECT count(*)::int AS count, coalesce(max(position), -1) AS last FROM cause_category`);
      if (count >= MAX_CATEGORIES) throw badInput('name', `at most ${MAX_CATEGORIES} categories`);
      await this.requireFreeName(manager, name, null);
      const now = this.clock.now();
      const category = manager.create(CauseCategory, { name, description, position: validPosition(input.position) ?? Number(last) + 1, archived: false, createdAt: now, updatedAt: now });
      await manager.insert(CauseCategory, category);
      await this.auditLog.record(manager, audit, { action: 'causeCategory.create', targetType: AuditTargetType.CAUSE_CATEGORY, targetId: category.id, changes: diffFields(null, category, FIELDS) });
      return category;
    });
  }

  async update(input: CauseCategoryInput & { id: string }, audit: AuditContext = SYSTEM_AUDIT): Promise<CauseCategory> {
    const id = requireUuid('id', input.id);
    return this.db.transaction(async (manager) => {
      const category = await manager.getRepository(CauseCategory).createQueryBuilder('c').setLock('pessimistic_write').where('c.id = :id', { id }).getOne();
      if (!category) throw notFound('cause category', id);
      const before = { ...category };
      if (input.name !== undefined && input.name !== null) category.name = requireText('name', input.name, 100);
      if (input.description !== undefined) category.description = optionalText('description', input.description, 1000);
      const position = validPosition(input.position);
      if (position !== null) category.position = position;
      if (input.archived !== undefined && input.archived !== null) category.archived = input.archived;
      const changes = diffFields(before, category, FIELDS);
      if (!Object.keys(changes).length) return category;
      if (changes.name) await this.requireFreeName(manager, category.name, id);
      category.updatedAt = this.clock.now();
      await manager.save(CauseCategory, category);
      await this.auditLog.record(manager, audit, { action: 'causeCategory.update', targetType: AuditTargetType.CAUSE_CATEGORY, targetId: id, changes });
      return category;
    });
  }

  private async requireFreeName(manager: { query: DataSource['query'] }, name: string, except: string | null): Promise<void> {
    const [taken] = await manager.query(`SELECT id FROM cause_category WHERE lower(name) = lower($1) AND ($2::uuid IS NULL OR id <> $2)`, [name, except]);
    if (taken) throw badInput('name', `a category named "${name}" exists`);
  }
}

function validPosition(position: number | null | undefined): number | null {
  if (position === undefined || position === null) return null;
  if (!Number.isInteger(position) || position < 0 || position > 10_000) throw badInput('position', 'must be a whole number from 0 to 10,000');
  return position;
}
