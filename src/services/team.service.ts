import type { DataSource, EntityManager } from 'typeorm';
import { conflictOnDuplicate } from '../db/error-code';
import { Team } from '../schema/team.entity';
import type { Clock } from '../shared/clock';
import { badInput, notFound } from '../shared/domain-error';
import { pageByName } from './pagination';
import type { Page, PageArgs } from '../shared/page';
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

/** Teams: named groups of people that escalation steps can page as a whole. */
export class TeamService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async create(input: TeamInput): Promise<Team> {
    return this.db.transaction(async (manager) => {
      const now = this.clock.now();
      const team = manager.create(Team, { name: requireText('name', input.name, 200), description: optionalText('description', input.description, 2000), createdAt: now, updatedAt: now });
      await this.unique(() => manager.insert(Team, team), team.name);
      await this.replaceMembers(manager, team.id, input.memberIds ?? []);
      return team;
    });
  }

  /** Omitted (or null) fields stay; memberIds replaces the membership. */
  async update(id: string, input: { name?: string | null; description?: string | null; memberIds?: string[] | null }): Promise<Team> {
    return this.db.transaction(async (manager) => {
      const team = await manager.getRepository(Team).findOneBy({ id: requireUuid('id', id) });
      if (!team) throw notFound('team', id);
      if (input.name !== undefined && input.name !== null) team.name = requireText('name', input.name, 200);
      if (input.description !== undefined) team.description = optionalText('description', input.description, 2000);
      team.updatedAt = this.clock.now();
      await this.unique(() => manager.save(Team, team), team.name);
      if (input.memberIds) await this.replaceMembers(manager, team.id, input.memberIds);
      return team;
    });
  }

  async remove(id: string): Promise<void> {
    const result = await this.db.getRepository(Team).delete({ id: requireUuid('id', id) });
    if (!result.affected) throw notFound('team', id);
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
