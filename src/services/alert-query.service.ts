import type { DataSource } from 'typeorm';
import { Alert } from '../schema/alert.entity';
import { AlertSeverity, AlertStatus } from '../schema/enums';
import { decodeTimeCursor, encodeCursor, pageSize } from './pagination';
import type { Page, PageArgs } from '../shared/page';
import { requireUuid } from './validation';

export interface AlertFilter {
  status?: AlertStatus[] | null;
  severity?: AlertSeverity[] | null;
  serviceId?: string[] | null;
  integrationId?: string[] | null;
  incidentId?: string | null;
  firstSeenAfter?: Date | null;
  firstSeenBefore?: Date | null;
  suppressed?: boolean | null;
}

/** Alerts newest first, keyset-paginated on (first_seen_at, id), which never change. */
export class AlertQueryService {
  constructor(private readonly db: DataSource) {}

  /** The alerts with these ids that exist, in any order (one statement for a batch loader). */
  async byIds(ids: readonly string[]): Promise<Alert[]> {
    return this.db.getRepository(Alert).createQueryBuilder('a').where('a.id = ANY(:ids)', { ids }).getMany();
  }

  async list(filter: AlertFilter, page: PageArgs): Promise<Page<Alert>> {
    const limit = pageSize(page.first);
    const query = this.filtered(filter);
    if (page.after) {
      const { at, id } = decodeTimeCursor(page.after);
      query.andWhere('(a.first_seen_at, a.id) < (:at::timestamptz, :id::uuid)', { at, id });
    }
    const rows = await query.orderBy('a.first_seen_at', 'DESC').addOrderBy('a.id', 'DESC').limit(limit + 1).getMany();
    const nodes = rows.slice(0, limit);
    return {
      nodes,
      cursors: nodes.map((alert) => encodeCursor(alert.firstSeenAt.toISOString(), alert.id)),
      hasNextPage: rows.length > limit,
      totalCount: () => this.filtered(filter).getCount(),
    };
  }

  private filtered(filter: AlertFilter) {
    const query = this.db.getRepository(Alert).createQueryBuilder('a');
    if (filter.status?.length) query.andWhere('a.status IN (:...status)', { status: filter.status });
    if (filter.severity?.length) query.andWhere('a.severity IN (:...severity)', { severity: filter.severity });
    if (filter.serviceId?.length) {
      query.andWhere('a.service_id IN (:...serviceIds)', { serviceIds: filter.serviceId.map((id) => requireUuid('filter.serviceId', id)) });
    }
    if (filter.integrationId?.length) {
      query.andWhere('a.integration_id IN (:...integrationIds)', {
        integrationIds: filter.integrationId.map((id) => requireUuid('filter.integrationId', id)),
      });
    }
    if (filter.incidentId) query.andWhere('a.incident_id = :incidentId', { incidentId: requireUuid('filter.incidentId', filter.incidentId) });
    if (filter.firstSeenAfter) query.andWhere('a.first_seen_at >= :after', { after: filter.firstSeenAfter });
    if (filter.firstSeenBefore) query.andWhere('a.first_seen_at < :before', { before: filter.firstSeenBefore });
    if (filter.suppressed !== undefined && filter.suppressed !== null) query.andWhere('a.suppressed = :suppressed', { suppressed: filter.suppressed });
    return query;
  }
}
