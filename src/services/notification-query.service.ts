import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { ChannelKind, type NotificationStatus } from '../schema/enums';
import { Notification } from '../schema/notification.entity';
import { badInput } from '../shared/domain-error';
import { decodeCursor, encodeCursor, pageSize } from './pagination';
import type { Page, PageArgs } from '../shared/page';

export interface NotificationFilter {
  status?: NotificationStatus[] | null;
  channel?: ChannelKind[] | null;
}

/** A page of one incident's notifications; its count comes separately (countsOf), batched over incidents. */
export type NotificationPage = Omit<Page<Notification>, 'totalCount'>;

/**
 * The order pages are listed in: decision first (created_at), then when each was first due (due_at), then
 * channel and id. All four never change, so keyset pages neither skip nor repeat a row while deliveries retry.
 */
const ORDER = ['created_at', 'due_at', 'channel', 'id'] as const;

/** Incidents' notifications as Relay pages, for many incidents in one statement (the field resolver's DataLoader). */
export class NotificationQueryService {
  constructor(private readonly db: DataSource) {}

  /** The same page (filter, first, after) of each incident's notifications, in the order of `incidentIds`. */
  async pagesOf(incidentIds: readonly string[], filter: NotificationFilter, page: PageArgs): Promise<NotificationPage[]> {
    const limit = pageSize(page.first);
    const cursor = page.after ? decodeNotificationCursor(page.after) : null;
    const rows = await this.db
      .getRepository(Notification)
      .createQueryBuilder('n')
      .innerJoin(
        (ranked: SelectQueryBuilder<Notification>) => {
          ranked
            .select('r.id', 'id')
            .addSelect(`row_number() OVER (PARTITION BY r.incident_id ORDER BY ${ORDER.map((column) => `r.${column}`).join(', ')})`, 'position')
            .from(Notification, 'r')
            .where('r.incident_id = ANY(:incidentIds)', { incidentIds });
          filtered(ranked, 'r', filter);
          if (cursor) {
            ranked.andWhere('(r.created_at, r.due_at, r.channel, r.id) > (:cursorCreatedAt::timestamptz, :cursorDueAt::timestamptz, :cursorChannel, :cursorId::uuid)', cursor);
          }
          return ranked;
        },
        'ranked',
        'ranked.id = n.id AND ranked.position <= :take',
        { take: limit + 1 },
      )
      .orderBy('n.incident_id')
      .addOrderBy('n.created_at')
      .addOrderBy('n.due_at')
      .addOrderBy('n.channel')
      .addOrderBy('n.id')
      .getMany();
    const byIncident = new Map<string, Notification[]>(incidentIds.map((id) => [id, []]));
    for (const row of rows) byIncident.get(row.incidentId ?? '')?.push(row);
    return incidentIds.map((id) => {
      const all = byIncident.get(id) ?? [];
      const nodes = all.slice(0, limit);
      return { nodes, cursors: nodes.map(cursorOf), hasNextPage: all.length > limit };
    });
  }

  /** How many notifications match the filter for each incident, in the order of `incidentIds`. */
  async countsOf(incidentIds: readonly string[], filter: NotificationFilter): Promise<number[]> {
    const query = this.db
      .getRepository(Notification)
      .createQueryBuilder('n')
      .select('n.incident_id', 'incidentId')
      .addSelect('count(*)::int', 'count')
      .where('n.incident_id = ANY(:incidentIds)', { incidentIds })
      .groupBy('n.incident_id');
    const rows: Array<{ incidentId: string; count: number }> = await filtered(query, 'n', filter).getRawMany();
    const counts = new Map(rows.map((row) => [row.incidentId, row.count]));
    return incidentIds.map((id) => counts.get(id) ?? 0);
  }
}

function filtered<T extends SelectQueryBuilder<Notification>>(query: T, alias: string, filter: NotificationFilter): T {
  if (filter.status?.length) query.andWhere(`${alias}.status = ANY(:statuses)`, { statuses: filter.status });
  if (filter.channel?.length) query.andWhere(`${alias}.channel = ANY(:channels)`, { channels: filter.channel });
  return query;
}

const SEPARATOR = '|';

function cursorOf(notification: Notification): string {
  return encodeCursor([notification.createdAt.toISOString(), notification.dueAt.toISOString(), notification.channel].join(SEPARATOR), notification.id);
}

function decodeNotificationCursor(after: string): { cursorCreatedAt: Date; cursorDueAt: Date; cursorChannel: ChannelKind; cursorId: string } {
  const { sortKey, id } = decodeCursor(after);
  const [createdAt, dueAt, channel, ...rest] = sortKey.split(SEPARATOR);
  const cursorCreatedAt = new Date(createdAt);
  const cursorDueAt = new Date(dueAt ?? '');
  const known = (Object.values(ChannelKind) as string[]).includes(channel ?? '');
  if (rest.length || !known || Number.isNaN(cursorCreatedAt.getTime()) || Number.isNaN(cursorDueAt.getTime())) {
    throw badInput('after', 'is not a valid cursor');
  }
  return { cursorCreatedAt, cursorDueAt, cursorChannel: channel as ChannelKind, cursorId: id };
}
