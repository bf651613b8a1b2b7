import type { DataSource, EntityManager } from 'typeorm';
import { conflictOnDuplicate } from '../db/error-code';
import { AuditTargetType } from '../schema/enums';
import { Team } from '../schema/team.entity';
import { SYSTEM_AUDIT, type AuditContext } from '../shared/audit-context';
import type { Clock } from '../shared/clock';
import { badInput, notFound } from '../shared/domain-error';
import type { Page, PageArgs } from '../shared/page';
import { diffFields } from './audit-changes';
import type { AuditService } from './audit.service';
import { pageByName } from './pagination';
import { containsPattern, optionalText, requireText, requireUuid } from './validation';
import { requirePeople } from './person-exists';

export interface TeamInput {
  name: string;
  description?: string | null;
  memberIds?: string[] | null;
}

export interface TeamFilter {
  nameContains?: string | null;
  /** Teams this person belongs to. */
  memberId?: string | null;
}

const TEAM_FIELDS = ['name', 'description', 'memberIds'] as const;

/** Teams: named groups of people that escalation steps can page as a whole. */
export class TeamService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly auditLog: AuditService,
  ) {}

  async create(input: TeamInput, audit: AuditContext = SYSTEM_AUDIT): Promise<Team> {
    return this.db.transaction(async (manager) => {
      const now = this.clock.now();
      const team = manager.create(Team, { name: requireText('name', input.name, 200), description: optionalText('description', input.description, 2000), createdAt: now, updatedAt: now });
      await this.unique(() => manager.insert(Team, team), team.name);
      await this.replaceMembers(manager, team.id, input.memberIds ?? []);
      await this.auditLog.record(manager, audit, { action: 'team.create', targetType: AuditTargetType.TEAM, targetId: team.id, changes: diffFields(null, await teamFields(manager, team), TEAM_FIELDS) });
      return team;
    });
  }

  /** Omitted (or null) fields stay; memberIds replaces the membership. */
  async update(id: string, input: { name?: string | null; description?: string | null; memberIds?: string[] | null }, audit: AuditContext = SYSTEM_AUDIT): Promise<Team> {
    return this.db.transaction(async (manager) => {
      const team = await manager.getRepository(Team).findOne({ where: { id: requireUuid('id', id) }, lock: { mode: 'pessimistic_write' } });
      if (!team) throw notFound('team', id);
      const before = await teamFields(manager, team);
      if (input.name !== undefined && input.name !== null) team.name = requireText('name', input.name, 200);
      if (input.description !== undefined) team.description = optionalText('description', input.description, 2000);
      team.updatedAt = this.clock.now();
      await this.unique(() => manager.save(Team, team), team.name);
      if (input.memberIds) await this.replaceMembers(manager, team.id, input.memberIds);
      await this.auditLog.record(manager, audit, { action: 'team.update', targetType: AuditTargetType.TEAM, targetId: team.id, changes: diffFields(before, await teamFields(manager, team), TEAM_FIELDS) });
      return team;
    });
  }

  async remove(id: string, audit: AuditContext = SYSTEM_AUDIT): Promise<void> {
    await this.db.transaction(async (manager) => {
      const team = await manager.getRepository(Team).findOne({ where: { id: requireUuid('id', id) }, lock: { mode: 'pessimistic_write' } });
      if (!team) throw notFound('team', id);
      const before = await teamFields(manager, team);
      await manager.getRepository(Team).delete({ id: team.id });
      await this.auditLog.record(manager, audit, { action: 'team.delete', targetType: AuditTargetType.TEAM, targetId: team.id, changes: diffFields(before, null, TEAM_FIELDS) });
    });
  }

  /** Teams by name, then id, keyset-paginated. */
  async list(filter: TeamFilter = {}, page: PageArgs = {}): Promise<Page<Team>> {
    const query = this.db.getRepository(Team).createQueryBuilder('t');
    if (filter.nameContains) query.andWhere(`t.name ILIKE :name ESCAPE '\\'`, { name: containsPattern('filter.nameContains', filter.nameContains) });
    if (filter.memberId) {
      query.andWhere('EXISTS (SELECT 1 FROM team_member m WHERE m.team_id = t.id AND m.person_id = :memberId)', { memberId: requireUuid('filter.memberId', filter.memberId) });
    }
    return pageByName(query, 't', page);
  }

  async get(id: string): Promise<Team> {
    const team = await this.db.getRepository(Team).findOneBy({ id: requireUuid('id', id) });
    if (!team) throw notFound('team', id);
    return team;
  }

  async byIds(ids: readonly string[]): Promise<Team[]> {
    return this.db.getRepository(Team).createQueryBuilder('t').where('t.id = ANY(:ids)', { ids }).getMany();
  }

  /** (team, person) pairs for a batch of teams, for the members loader. */
  async memberships(teamIds: readonly string[]): Promise<Array<{ teamId: string; personId: string }>> {
    const rows: Array<{ team_id: string; person_id: string }> = await this.db.query(
      `SELECT m.team_id, m.person_id FROM team_member m JOIN person p ON p.id = m.person_id WHERE m.team_id = ANY($1) ORDER BY p.name`,
      [teamIds],
    );
    return rows.map((row) => ({ teamId: row.team_id, personId: row.person_id }));
  }

  /** Who a TEAM target pages, read in the escalation's transaction. */
  static async memberIdsIn(manager: EntityManager, teamId: string): Promise<string[]> {
    const rows: Array<{ person_id: string }> = await manager.query(`SELECT person_id FROM team_member WHERE team_id = $1 ORDER BY person_id`, [teamId]);
    return rows.map((row) => row.person_id);
  }

  private async replaceMembers(manager: EntityManager, teamId: string, memberIds: string[]): Promise<void> {
    const ids = [...new Set(memberIds.map((id, index) => requireUuid(`memberIds[${index}]`, id)))];
    if (ids.length > 500) throw badInput('memberIds', 'a team has at most 500 members');
    await requirePeople(manager, memberIds.map((id, index) => ({ field: `memberIds[${index}]`, id })));
    await manager.query(`DELETE FROM team_member WHERE team_id = $1`, [teamId]);
    if (ids.length) await manager.query(`INSERT INTO team_member (team_id, person_id) SELECT $1, unnest($2::uuid[])`, [teamId, ids]);
  }

  private unique<T>(write: () => Promise<T>, name: string): Promise<T> {
    return conflictOnDuplicate(write, `a team named "${name}" already exists`);
  }
}

/** A team as its audit entries show it, members sorted so that a reordered list is no change. */
async function teamFields(manager: EntityManager, team: Team) {
  return { name: team.name, description: team.description, memberIds: await TeamService.memberIdsIn(manager, team.id) };
}
