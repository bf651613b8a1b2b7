import type { DataSource } from 'typeorm';
import { DeadLetter } from '../schema/dead-letter.entity';
import type { Clock } from '../shared/clock';
import { notFound } from '../shared/domain-error';
import { decodeTimeCursor, encodeCursor, type Page, type PageArgs, pageSize } from './pagination';
import { requireUuid } from './validation';

export interface DeadLetterRecord {
  integrationId: string | null;
  vendor: string | null;
  httpStatus: number;
  reason: string;
  details: Record<string, unknown>;
  contentType: string | null;
  headers: Record<string, string>;
  query: string | null;
  body: Buffer | null;
  bodySize: number;
}

/** Rejected webhooks, kept (without secrets) for inspection and replay. */
export class DeadLetterService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async record(entry: DeadLetterRecord): Promise<string> {
    const [row] = await this.db.query(
      `INSERT INTO dead_letter (integration_id, vendor, received_at, http_status, reason, details, content_type, headers, query, body, body_size)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [
        entry.integrationId,
        entry.vendor,
        this.clock.now(),
        entry.httpStatus,
        entry.reason,
        JSON.stringify(entry.details),
        entry.contentType,
        JSON.stringify(entry.headers),
        entry.query,
        entry.body,
        entry.bodySize,
      ],
    );
    return row.id;
  }

  async get(id: string): Promise<DeadLetter> {
    const letter = await this.db.getRepository(DeadLetter).findOneBy({ id: requireUuid('id', id) });
    if (!letter) throw notFound('dead letter', id);
    return letter;
  }

  async list(filter: { integrationId?: string | null; replayed?: boolean | null }, page: PageArgs): Promise<Page<DeadLetter>> {
    const limit = pageSize(page.first);
    const build = () => {
      const query = this.db.getRepository(DeadLetter).createQueryBuilder('d');
      if (filter.integrationId) query.andWhere('d.integration_id = :integrationId', { integrationId: requireUuid('filter.integrationId', filter.integrationId) });
      if (filter.replayed === true) query.andWhere('d.replayed_at IS NOT NULL');
      if (filter.replayed === false) query.andWhere('d.replayed_at IS NULL');
      return query;
    };
    const query = build();
    if (page.after) {
      const { at, id } = decodeTimeCursor(page.after);
      query.andWhere('(d.received_at, d.id) < (:at::timestamptz, :id::uuid)', { at, id });
    }
    const rows = await query.orderBy('d.received_at', 'DESC').addOrderBy('d.id', 'DESC').limit(limit + 1).getMany();
    const nodes = rows.slice(0, limit);
    return {
      nodes,
      cursors: nodes.map((row) => encodeCursor(row.receivedAt.toISOString(), row.id)),
      hasNextPage: rows.length > limit,
      totalCount: () => build().getCount(),
    };
  }

  async markReplayed(id: string, result: Record<string, unknown>, succeeded: boolean): Promise<DeadLetter> {
    await this.db.query(`UPDATE dead_letter SET replayed_at = CASE WHEN $3 THEN $2::timestamptz ELSE replayed_at END, replay_result = $4 WHERE id = $1`, [
      id,
      this.clock.now(),
      succeeded,
      JSON.stringify(result),
    ]);
    return this.get(id);
  }
}
