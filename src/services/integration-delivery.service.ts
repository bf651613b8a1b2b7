import type { DataSource, EntityManager } from 'typeorm';
import type { IntegrationDeliveryChannel, IntegrationDeliveryOutcome } from '../schema/enums';
import { IntegrationDelivery } from '../schema/integration-delivery.type';
import type { Integration } from '../schema/integration.entity';
import type { Clock } from '../shared/clock';
import type { Page, PageArgs } from '../shared/page';
import { decodeTimeCursor, encodeCursor, pageSize } from './pagination';
import { requireUuid } from './validation';

/** One delivery as intake reports it; nothing of its body, headers, query or credentials. */
export interface DeliveryRecord {
  integrationId: string;
  receivedAt: Date;
  channel: IntegrationDeliveryChannel;
  outcome: IntegrationDeliveryOutcome;
  statusCode: number;
  alertsAccepted: number;
  latencyMs: number;
  requestId: string | null;
  error: string | null;
}

export interface DeliveryLogLimits {
  /** The newest this many deliveries of each integration are kept. */
  rowsPerIntegration: number;
  /** Deliveries older than this are deleted by the retention job. */
  maxAgeDays: number;
}

export const DEFAULT_DELIVERY_LOG_LIMITS: DeliveryLogLimits = { rowsPerIntegration: 1000, maxAgeDays: 30 };

/** A page of one integration's deliveries; its count comes separately (countsOf), batched over integrations. */
export type DeliveryPage = Omit<Page<IntegrationDelivery>, 'totalCount'>;

export interface DeliveryFilter {
  outcome?: IntegrationDeliveryOutcome[] | null;
}

const DAY_MS = 24 * 3600_000;
/** Rows deleted per statement by the age cut: a long delete would hold its locks and bloat one transaction. */
const PRUNE_BATCH = 5000;
const REQUEST_ID_LIMIT = 128;
const ERROR_LIMIT = 200;

/**
 * The integration delivery log: recent deliveries per integration, bounded, newest first, and each integration's
 * last delivery. Written in batches (intake buffers the rows: see ingest/delivery-log.ts), never per request.
 */
export class IntegrationDeliveryService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly limits: DeliveryLogLimits = DEFAULT_DELIVERY_LOG_LIMITS,
  ) {}

  /**
   * Stores a batch in one transaction: one statement inserts it and moves each integration's last_delivery_at forward
   * when it gains a second or more (unauthorized calls do not count: anyone may send them), a second cuts the
   * integrations it touched back to their newest `rowsPerIntegration`. Rows of an integration deleted meanwhile are
   * skipped. A failure (a deadlock with another instance's flush, an outage) rolls back both; intake writes the batch
   * again at its next flush.
   */
  async append(records: readonly DeliveryRecord[]): Promise<void> {
    if (!records.length) return;
    await this.db.transaction(async (manager) => {
      // A diagnostic log already buffered in memory: its commit need not wait for the WAL flush (a crash may lose the
      // last moments of it, as it loses the buffer), and intake's own commits do not queue behind its fsync.
      await manager.query(`SET LOCAL synchronous_commit TO off`);
      await this.insert(manager, records);
      await this.cutToBound(manager, [...new Set(records.map((r) => r.integrationId))]);
    });
  }

  private async insert(manager: EntityManager, records: readonly DeliveryRecord[]): Promise<void> {
    await manager.query(
      `WITH input AS (
         SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::int[], $6::int[], $7::int[], $8::text[], $9::text[])
           AS t(integration_id, received_at, channel, outcome, status_code, alerts_accepted, latency_ms, request_id, error)
          WHERE EXISTS (SELECT 1 FROM integration i WHERE i.id = t.integration_id)),
       inserted AS (
         INSERT INTO integration_delivery (integration_id, received_at, channel, outcome, status_code, alerts_accepted, latency_ms, request_id, error)
         SELECT integration_id, received_at, channel, outcome, status_code, alerts_accepted, latency_ms, request_id, error FROM input
         RETURNING 1),
       latest AS (
         SELECT integration_id, max(received_at) AS at FROM input WHERE outcome <> 'UNAUTHORIZED' GROUP BY integration_id)
       UPDATE integration i SET last_delivery_at = latest.at
         FROM latest
        WHERE i.id = latest.integration_id AND (i.last_delivery_at IS NULL OR i.last_delivery_at <= latest.at - interval '1 second')`,
      [
        records.map((r) => r.integrationId),
        records.map((r) => r.receivedAt),
        records.map((r) => r.channel),
        records.map((r) => r.outcome),
        records.map((r) => r.statusCode),
        records.map((r) => Math.max(0, Math.trunc(r.alertsAccepted))),
        records.map((r) => Math.max(0, Math.round(r.latencyMs))),
        records.map((r) => r.requestId?.slice(0, REQUEST_ID_LIMIT) ?? null),
        records.map((r) => r.error?.slice(0, ERROR_LIMIT) ?? null),
      ],
    );
  }

  /**
   * The same page (filter, first, after) of each integration's deliveries, newest first (then by id), in the order of
   * `integrationIds`, in one statement: each integration's page is one walk of its index (the field resolver's loader).
   */
  async pagesOf(integrationIds: readonly string[], filter: DeliveryFilter, page: PageArgs): Promise<DeliveryPage[]> {
    const limit = pageSize(page.first);
    const ids = integrationIds.map((id) => requireUuid('integrationId', id));
    const params: unknown[] = [[...new Set(ids)], limit + 1];
    const conditions = ['d.integration_id = i.id'];
    if (filter.outcome?.length) {
      params.push(filter.outcome);
      conditions.push(`d.outcome = ANY($${params.length}::text[])`);
    }
    if (page.after) {
      const { at, id } = decodeTimeCursor(page.after);
      params.push(at, id);
      conditions.push(`(d.received_at, d.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    const rows: DeliveryRow[] = await this.db.query(
      `SELECT page.* FROM unnest($1::uuid[]) AS i(id)
        CROSS JOIN LATERAL (
          SELECT d.id, d.integration_id, d.received_at, d.channel, d.outcome, d.status_code, d.alerts_accepted, d.latency_ms, d.request_id, d.error
            FROM integration_delivery d WHERE ${conditions.join(' AND ')}
           ORDER BY d.received_at DESC, d.id DESC LIMIT $2) page`,
      params,
    );
    const byIntegration = new Map<string, DeliveryRow[]>(ids.map((id) => [id, []]));
    for (const row of rows) byIntegration.get(row.integration_id)?.push(row);
    return ids.map((id) => {
      const found = byIntegration.get(id) ?? [];
      const nodes = found.slice(0, limit).map(deliveryOf);
      return { nodes, cursors: nodes.map((row) => encodeCursor(row.receivedAt.toISOString(), row.id)), hasNextPage: found.length > limit };
    });
  }

  /** How many deliveries match the filter for each integration, in the order of `integrationIds` (bounded by the log's bound). */
  async countsOf(integrationIds: readonly string[], filter: DeliveryFilter): Promise<number[]> {
    const params: unknown[] = [[...new Set(integrationIds)]];
    let outcome = '';
    if (filter.outcome?.length) {
      params.push(filter.outcome);
      outcome = 'AND outcome = ANY($2::text[])';
    }
    const rows: Array<{ integration_id: string; count: number }> = await this.db.query(
      `SELECT integration_id, count(*)::int AS count FROM integration_delivery WHERE integration_id = ANY($1::uuid[]) ${outcome} GROUP BY integration_id`,
      params,
    );
    const counts = new Map(rows.map((row) => [row.integration_id, row.count]));
    return integrationIds.map((id) => counts.get(id) ?? 0);
  }

  /**
   * Silent (see silentCondition for the same rule in SQL): an expectation is set and nothing arrived for longer than it, counted from the last delivery or, for an
   * integration never called, from its creation (by this server's clock).
   */
  isSilent(integration: Pick<Integration, 'expectedDeliveryIntervalSeconds' | 'lastDeliveryAt' | 'createdAt'>): boolean {
    const expected = integration.expectedDeliveryIntervalSeconds;
    if (expected === null || expected === undefined) return false;
    const since = integration.lastDeliveryAt ?? integration.createdAt;
    return this.clock.now().getTime() - since.getTime() > expected * 1000;
  }

  /** The retention job: deletes deliveries past `maxAgeDays`, then cuts every integration to its bound. Returns how many went. */
  async prune(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.limits.maxAgeDays * DAY_MS);
    let expired = 0;
    for (;;) {
      const [, deleted] = (await this.db.query(
        `DELETE FROM integration_delivery WHERE id IN (SELECT id FROM integration_delivery WHERE received_at < $1 LIMIT ${PRUNE_BATCH})`,
        [cutoff],
      )) as [unknown, number];
      expired += deleted;
      if (deleted < PRUNE_BATCH) break;
    }
    const ids: Array<{ id: string }> = await this.db.query(`SELECT id FROM integration`);
    return expired + (await this.cutToBound(this.db.manager, ids.map((row) => row.id)));
  }

  /** Deletes what is older than each integration's newest `rowsPerIntegration`, reading only that many index entries of each. */
  private async cutToBound(manager: EntityManager, integrationIds: string[]): Promise<number> {
    if (!integrationIds.length) return 0;
    const [, deleted] = (await manager.query(
      `WITH cut AS (
         SELECT i.id AS integration_id, c.received_at, c.id
           FROM unnest($1::uuid[]) AS i(id)
           CROSS JOIN LATERAL (
             SELECT received_at, id FROM integration_delivery
              WHERE integration_id = i.id ORDER BY received_at DESC, id DESC OFFSET $2 LIMIT 1) c)
       DELETE FROM integration_delivery d USING cut
        WHERE d.integration_id = cut.integration_id AND (d.received_at, d.id) <= (cut.received_at, cut.id)`,
      [integrationIds, this.limits.rowsPerIntegration],
    )) as [unknown, number];
    return deleted;
  }
}

/**
 * isSilent as a condition on `integration` aliased `alias`, with the clock's instant as the parameter `:now`: for
 * lists filtered by it. The two must say the same (the delivery-log test checks both on one integration).
 */
export function silentCondition(alias: string): string {
  return `(${alias}.expected_delivery_interval_seconds IS NOT NULL
    AND coalesce(${alias}.last_delivery_at, ${alias}.created_at) < :now::timestamptz - make_interval(secs => ${alias}.expected_delivery_interval_seconds))`;
}

interface DeliveryRow {
  id: string;
  integration_id: string;
  received_at: Date;
  channel: IntegrationDeliveryChannel;
  outcome: IntegrationDeliveryOutcome;
  status_code: number;
  alerts_accepted: number;
  latency_ms: number;
  request_id: string | null;
  error: string | null;
}

function deliveryOf(row: DeliveryRow): IntegrationDelivery {
  return Object.assign(new IntegrationDelivery(), {
    id: row.id,
    receivedAt: row.received_at,
    channel: row.channel,
    outcome: row.outcome,
    statusCode: row.status_code,
    alertsAccepted: row.alerts_accepted,
    latencyMs: row.latency_ms,
    requestId: row.request_id,
    error: row.error,
  });
}
