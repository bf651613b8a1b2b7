import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { IncidentOrder, IncidentSource, IncidentStatus, Priority } from '../schema/enums';
import { Incident } from '../schema/incident.entity';
import { Person } from '../schema/person.entity';
import { Service } from '../schema/service.entity';
import type { Page, PageArgs } from '../shared/page';
import { decodeTimeCursor, encodeCursor, pageSize } from './pagination';
import { containsPattern, requireUuid } from './validation';
import { componentImpactsOfMany, type StoredComponentImpact } from './component-impacts';

export interface IncidentFilter {
  status?: IncidentStatus[] | null;
  priority?: Priority[] | null;
  serviceId?: string[] | null;
  source?: IncidentSource[] | null;
  openedAfter?: Date | null;
  openedBefore?: Date | null;
  titleContains?: string | null;
}

/** From this many incidents on, an unfiltered list's totalCount is PostgreSQL's estimate (README: reads at scale). */
export const ESTIMATED_COUNT_FROM = 100_000;

/** The incidents' services and owners in the same statement: reading a page or one incident costs no loader round trip. */
export function withServiceAndOwner(query: SelectQueryBuilder<Incident>): SelectQueryBuilder<Incident> {
  return query
    .leftJoinAndMapOne(`${query.alias}.joinedService`, Service, 'joined_service', `joined_service.id = ${query.alias}.service_id`)
    .leftJoinAndMapOne(`${query.alias}.joinedOwner`, Person, 'joined_owner', `joined_owner.id = ${query.alias}.owner_id`);
}

function isUnfiltered(filter: IncidentFilter): boolean {
  return Object.values(filter).every((value) => value === null || value === undefined || (Array.isArray(value) && value.length === 0) || value === '');
}

/** Lists incidents with filters and stable keyset pagination (opened_at, id). */
export class IncidentQueryService {
  constructor(private readonly db: DataSource) {}

  /** The stated component impacts of these incidents (one statement for a batch loader). */
  componentImpacts(incidentIds: readonly string[]): Promise<StoredComponentImpact[]> {
    return componentImpactsOfMany(this.db, incidentIds);
  }

  /** The incidents with these ids that exist, in any order (one statement for a batch loader). */
  async byIds(ids: readonly string[]): Promise<Incident[]> {
    return this.db.getRepository(Incident).createQueryBuilder('i').where('i.id = ANY(:ids)', { ids }).getMany();
  }

  async list(filter: IncidentFilter = {}, page: PageArgs = {}, order: IncidentOrder = IncidentOrder.OPENED_AT_DESC): Promise<Page<Incident>> {
    const limit = pageSize(page.first);
    const direction = order === IncidentOrder.OPENED_AT_ASC ? 'ASC' : 'DESC';
    const query = this.filtered(filter);
    if (page.after) {
      const { at, id } = decodeTimeCursor(page.after);
      const comparison = direction === 'DESC' ? '<' : '>';
      query.andWhere(`(i.opened_at, i.id) ${comparison} (:cursorAt::timestamptz, :cursorId::uuid)`, { cursorAt: at, cursorId: id });
    }
    const rows = await withServiceAndOwner(query)
      .orderBy('i.opened_at', direction)
      .addOrderBy('i.id', direction)
      .limit(limit + 1)
      .getMany();
    const nodes = rows.slice(0, limit);
    return {
      nodes,
      cursors: nodes.map((incident) => encodeCursor(incident.openedAt.toISOString(), incident.id)),
      hasNextPage: rows.length > limit,
      totalCount: () => (isUnfiltered(filter) ? this.countAll() : this.filtered(filter).getCount()),
    };
  }

  /**
   * Every incident: exact below ESTIMATED_COUNT_FROM rows, above it PostgreSQL's own estimate (pg_class.reltuples,
   * kept current by autovacuum's ANALYZE), because an exact count reads every row of the table on every request.
   * One statement either way: the exact count only runs when the estimate is under the threshold.
   */
  private async countAll(): Promise<number> {
    const [row]: Array<{ count: string }> = await this.db.query(
      `SELECT CASE WHEN c.reltuples >= $1 THEN c.reltuples::bigint ELSE (SELECT count(*) FROM incident) END AS count
         FROM pg_class c WHERE c.oid = 'incident'::regclass`,
      [ESTIMATED_COUNT_FROM],
    );
    return Number(row.count);
  }

  private filtered(filter: IncidentFilter): SelectQueryBuilder<Incident> {
    const query = this.db.getRepository(Incident).createQueryBuilder('i');
    if (filter.status?.length) query.andWhere('i.status IN (:...status)', { status: filter.status });
    if (filter.priority?.length) query.andWhere('i.priority IN (:...priority)', { priority: filter.priority });
    if (filter.source?.length) query.andWhere('i.source IN (:...source)', { source: filter.source });
    if (filter.serviceId?.length) {
      const ids = filter.serviceId.map((id) => requireUuid('filter.serviceId', id));
      query.andWhere('i.service_id IN (:...serviceIds)', { serviceIds: ids });
    }
    if (filter.openedAfter) query.andWhere('i.opened_at >= :openedAfter', { openedAfter: filter.openedAfter });
    if (filter.openedBefore) query.andWhere('i.opened_at < :openedBefore', { openedBefore: filter.openedBefore });
    if (filter.titleContains) query.andWhere(`i.title ILIKE :title ESCAPE '\\'`, { title: containsPattern('filter.titleContains', filter.titleContains) });
    return query;
  }
}
