import type { DataSource, EntityManager } from 'typeorm';
import { AuditTargetType, Priority, type MaintenanceImpact } from '../schema/enums';
import { MaintenanceRecurrence } from '../schema/maintenance-recurrence.entity';
import { SYSTEM_AUDIT, type AuditContext } from '../shared/audit-context';
import type { Clock } from '../shared/clock';
import { badInput, DomainError, notFound } from '../shared/domain-error';
import type { Page, PageArgs } from '../shared/page';
import { diffFields } from './audit-changes';
import type { AuditService } from './audit.service';
import { impactsOf, requireServices, requireTeam, validServiceIds, type MaintenanceService, type ServiceImpactInput } from './maintenance.service';
import { weeklyOccurrences } from './maintenance/weekly-occurrences';
import { decodeTimeCursor, encodeCursor, pageSize } from './pagination';
import { isValidTimeZone, optionalText, requireText, requireUuid } from './validation';

export interface MaintenanceRecurrenceInput {
  title: string;
  description?: string | null;
  serviceIds: string[];
  impact?: ServiceImpactInput[] | null;
  teamId: string;
  incidentPriority?: Priority | null;
  weekdays: number[];
  startTime: string;
  durationMinutes: number;
  zone: string;
  horizonDays?: number | null;
  active?: boolean | null;
}

export type MaintenanceRecurrencePatch = { [K in keyof MaintenanceRecurrenceInput]?: MaintenanceRecurrenceInput[K] | null };

const TITLE_MAX = 500;
const DESCRIPTION_MAX = 20_000;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const MAX_DURATION_MINUTES = 24 * 60;
export const DEFAULT_HORIZON_DAYS = 28;
const MAX_HORIZON_DAYS = 90;
export const RECURRENCE_BATCH = 50;
const RULE_FIELDS = ['title', 'description', 'services', 'teamId', 'incidentPriority', 'weekdays', 'startTime', 'durationMinutes', 'zone', 'horizonDays', 'active'] as const;

/**
 * Recurring maintenance (weekly patch nights): a rule, and the job pass that creates its next occurrences as ordinary
 * windows through MaintenanceService (kind, warnings, notices, timeline as for any window), announced by the rule's
 * creator. A rule remembers the latest occurrence it created: an edit or a deactivation changes only occurrences after
 * it, and windows already created stay (deleting the rule keeps them too, their recurrence becoming null).
 */
export class MaintenanceRecurrenceService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly maintenance: MaintenanceService,
    private readonly auditLog: AuditService,
  ) {}

  async create(input: MaintenanceRecurrenceInput, audit: AuditContext = SYSTEM_AUDIT): Promise<MaintenanceRecurrence> {
    const fields = validRule(input);
    return this.db.transaction(async (manager) => {
      await requireRuleTargets(manager, fields);
      const now = this.clock.now();
      const rule = manager.getRepository(MaintenanceRecurrence).create({
        ...fields,
        materialisedThrough: null,
        createdByType: audit.actor.type,
        createdById: audit.actor.id,
        createdByName: audit.actor.name,
        createdAt: now,
        updatedAt: now,
      });
      await manager.save(rule);
      await this.auditLog.record(manager, audit, { action: 'maintenanceRecurrence.create', targetType: AuditTargetType.MAINTENANCE_RECURRENCE, targetId: rule.id, changes: diffFields(null, rule, RULE_FIELDS) });
      return rule;
    });
  }

  /** Changes the fields given; occurrences already created keep theirs. */
  async update(id: string, patch: MaintenanceRecurrencePatch, audit: AuditContext = SYSTEM_AUDIT): Promise<MaintenanceRecurrence> {
    return this.db.transaction(async (manager) => {
      const rule = await this.lock(manager, id);
      const before = { ...rule };
      const serviceIds = patch.serviceIds ?? rule.services.map((entry) => entry.serviceId);
      const fields = validRule({
        title: patch.title ?? rule.title,
        description: patch.description === undefined ? rule.description : patch.description,
        serviceIds,
        impact: patch.impact ?? (patch.serviceIds ? rule.services.filter((entry) => serviceIds.includes(entry.serviceId)) : rule.services),
        teamId: patch.teamId ?? rule.teamId ?? '',
        incidentPriority: patch.incidentPriority ?? rule.incidentPriority,
        weekdays: patch.weekdays ?? rule.weekdays,
        startTime: patch.startTime ?? rule.startTime,
        durationMinutes: patch.durationMinutes ?? rule.durationMinutes,
        zone: patch.zone ?? rule.zone,
        horizonDays: patch.horizonDays ?? rule.horizonDays,
        active: patch.active ?? rule.active,
      });
      await requireRuleTargets(manager, fields);
      const changes = diffFields(before, fields, RULE_FIELDS);
      if (!Object.keys(changes).length) return rule;
      Object.assign(rule, fields, { updatedAt: this.clock.now() });
      await manager.save(rule);
      await this.auditLog.record(manager, audit, { action: 'maintenanceRecurrence.update', targetType: AuditTargetType.MAINTENANCE_RECURRENCE, targetId: rule.id, changes });
      return rule;
    });
  }

  /** Deletes the rule; the windows it created stay, as windows scheduled by hand (recurrence null). */
  async remove(id: string, audit: AuditContext = SYSTEM_AUDIT): Promise<void> {
    await this.db.transaction(async (manager) => {
      const rule = await this.lock(manager, id);
      await manager.getRepository(MaintenanceRecurrence).delete({ id: rule.id });
      await this.auditLog.record(manager, audit, { action: 'maintenanceRecurrence.delete', targetType: AuditTargetType.MAINTENANCE_RECURRENCE, targetId: rule.id, changes: diffFields(rule, null, RULE_FIELDS) });
    });
  }

  async byIds(ids: readonly string[]): Promise<MaintenanceRecurrence[]> {
    return this.db.getRepository(MaintenanceRecurrence).createQueryBuilder('r').where('r.id = ANY(:ids)', { ids }).getMany();
  }

  /** Rules by creation, oldest first, keyset-paginated. */
  async list(page: PageArgs = {}): Promise<Page<MaintenanceRecurrence>> {
    const limit = pageSize(page.first);
    const query = this.db.getRepository(MaintenanceRecurrence).createQueryBuilder('r');
    const paged = query.clone();
    if (page.after) {
      const { at, id } = decodeTimeCursor(page.after);
      paged.andWhere('(r.created_at, r.id) > (:cursorAt, :cursorId::uuid)', { cursorAt: at, cursorId: id });
    }
    const rows = await paged.orderBy('r.created_at', 'ASC').addOrderBy('r.id', 'ASC').limit(limit + 1).getMany();
    const nodes = rows.slice(0, limit);
    return { nodes, cursors: nodes.map((row) => encodeCursor(row.createdAt.toISOString(), row.id)), hasNextPage: rows.length > limit, totalCount: () => query.getCount() };
  }

  /**
   * One job pass: each active rule creates the occurrences in [now, now + horizonDays) after the latest it created.
   * Each rule is claimed with SKIP LOCKED in its own transaction, and each window is inserted ON CONFLICT DO NOTHING on
   * (recurrence_id, starts_at), so any number of runners create each occurrence once. A rule that cannot be scheduled
   * now (a service of it was deleted) is skipped, and tried again on the next pass. Returns the windows created.
   */
  async materialiseDue(limit = RECURRENCE_BATCH): Promise<number> {
    const now = this.clock.now();
    const candidates: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM maintenance_recurrence
        WHERE active AND team_id IS NOT NULL AND (materialised_through IS NULL OR materialised_through < $1::timestamptz + horizon_days * interval '1 day')
        ORDER BY id LIMIT ${Number(limit)}`,
      [now],
    );
    let created = 0;
    for (const { id } of candidates) {
      try {
        created += await this.db.transaction((manager) => this.materialise(manager, id, now));
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
      }
    }
    return created;
  }

  private async materialise(manager: EntityManager, id: string, now: Date): Promise<number> {
    const [locked] = await manager.query(`SELECT id FROM maintenance_recurrence WHERE id = $1 AND active FOR UPDATE SKIP LOCKED`, [id]);
    if (!locked) return 0;
    const rule = await manager.getRepository(MaintenanceRecurrence).findOneByOrFail({ id });
    if (!rule.teamId) return 0;
    const from = rule.materialisedThrough && rule.materialisedThrough >= now ? new Date(rule.materialisedThrough.getTime() + 1) : now;
    const occurrences = weeklyOccurrences(rule, from, new Date(now.getTime() + rule.horizonDays * 86_400_000));
    if (!occurrences.length) return 0;
    const creator = { type: rule.createdByType, id: rule.createdById, name: rule.createdByName };
    let created = 0;
    for (const occurrence of occurrences) {
      const window = await this.maintenance.scheduleOccurrence(
        manager,
        creator,
        { title: rule.title, description: rule.description, serviceIds: rule.services.map((entry) => entry.serviceId), impact: rule.services, teamId: rule.teamId, incidentPriority: rule.incidentPriority, ...occurrence },
        rule.id,
      );
      if (window) created += 1;
    }
    await manager.query(`UPDATE maintenance_recurrence SET materialised_through = $2 WHERE id = $1`, [rule.id, occurrences[occurrences.length - 1].startsAt]);
    return created;
  }

  private async lock(manager: EntityManager, id: string): Promise<MaintenanceRecurrence> {
    const rule = await manager.getRepository(MaintenanceRecurrence).findOne({ where: { id: requireUuid('id', id) }, lock: { mode: 'pessimistic_write' } });
    if (!rule) throw notFound('maintenance recurrence', id);
    return rule;
  }
}

type RuleFields = Pick<MaintenanceRecurrence, (typeof RULE_FIELDS)[number]> & { teamId: string };

/** The rule's fields, checked: BAD_USER_INPUT naming the field, before anything is written. */
function validRule(input: MaintenanceRecurrenceInput): RuleFields {
  const serviceIds = validServiceIds('serviceIds', input.serviceIds);
  if (!isValidTimeZone(input.zone)) throw badInput('zone', `unknown time zone "${input.zone}"`);
  if (!TIME.test(input.startTime)) throw badInput('startTime', "must be 'HH:mm', 00:00 to 23:59");
  if (!Number.isInteger(input.durationMinutes) || input.durationMinutes < 1 || input.durationMinutes > MAX_DURATION_MINUTES) throw badInput('durationMinutes', `must be 1 to ${MAX_DURATION_MINUTES} minutes (24 hours)`);
  if (!input.weekdays.length) throw badInput('weekdays', 'name at least one day');
  input.weekdays.forEach((day, index) => {
    if (!Number.isInteger(day) || day < 1 || day > 7) throw badInput(`weekdays[${index}]`, 'must be 1 (Monday) to 7 (Sunday)');
  });
  const horizonDays = input.horizonDays ?? DEFAULT_HORIZON_DAYS;
  if (!Number.isInteger(horizonDays) || horizonDays < 1 || horizonDays > MAX_HORIZON_DAYS) throw badInput('horizonDays', `must be 1 to ${MAX_HORIZON_DAYS} days`);
  return {
    title: requireText('title', input.title, TITLE_MAX),
    description: optionalText('description', input.description, DESCRIPTION_MAX),
    services: impactsOf(serviceIds, input.impact) as Array<{ serviceId: string; impact: MaintenanceImpact }>,
    teamId: requireUuid('teamId', input.teamId),
    incidentPriority: input.incidentPriority ?? Priority.P1,
    weekdays: [...new Set(input.weekdays)].sort((a, b) => a - b),
    startTime: input.startTime,
    durationMinutes: input.durationMinutes,
    zone: input.zone,
    horizonDays,
    active: input.active ?? true,
  };
}

async function requireRuleTargets(manager: EntityManager, fields: RuleFields): Promise<void> {
  await requireTeam(manager, fields.teamId);
  await requireServices(manager, fields.services.map((entry) => entry.serviceId));
}
