import type { DataSource } from 'typeorm';
import { AuditTargetType } from '../schema/enums';
import { DeadLetter } from '../schema/dead-letter.entity';
import { SYSTEM_AUDIT, type AuditContext } from '../shared/audit-context';
import type { Clock } from '../shared/clock';
import { notFound } from '../shared/domain-error';
import type { Page, PageArgs } from '../shared/page';
import { diffFields } from './audit-changes';
import type { AuditService } from './audit.service';
import { decodeTimeCursor, encodeCursor, pageSize } from './pagination';
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

/**
 * Runs a kept delivery through intake again, after its integration was fixed. Intake implements it
 * (ingest/dead-letter-replay.ts) and the composition root hands it to GraphQL: services never reach into intake.
 */
export interface DeadLetterReplayer {
  /** `audit`: who replays it, for the audit entry written with the dead letter's outcome. */
  replay(id: string, audit?: AuditContext): Promise<{ deadLetter: DeadLetter; accepted: boolean }>;
}

export interface DeadLetterLimits {
  /** Dead letters kept per hour for each (integration, reason) of unauthenticated rejections; the rest are only counted. */
  unauthenticatedSamplePerHour: number;
  /** Dead letters (and counts) older than this are deleted. */
  retentionDays: number;
  /** At most this many dead letters are kept, newest first. */
  maxRows: number;
}

export const DEFAULT_DEAD_LETTER_LIMITS: DeadLetterLimits = { unauthenticatedSamplePerHour: 10, retentionDays: 30, maxRows: 100_000 };

export interface UnauthenticatedWebhookCount {
  integrationId: string | null;
  reason: string;
  /** Rejections counted. */
  rejected: number;
  /** How many of them are kept as dead letters. */
  kept: number;
}

/**
 * JSON text jsonb accepts: it refuses the escape \u0000, which a detail quoting the sender's input can hold, and a
 * dead letter must never fail over what it quotes.
 */
function storableJson(value: unknown): string {
  return JSON.stringify(value).replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd');
}

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
/** Rows deleted per statement: a long delete would hold its locks and bloat one transaction. */
const PRUNE_BATCH = 5000;

/**
 * Rejected webhooks, kept (without secrets) for inspection and replay. Unauthenticated rejections are counted,
 * and only a capped sample of them is kept (anyone can send them); everything ages out after the retention.
 */
export class DeadLetterService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly auditLog: AuditService,
    private readonly limits: DeadLetterLimits = DEFAULT_DEAD_LETTER_LIMITS,
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
        storableJson(entry.details),
        entry.contentType,
        storableJson(entry.headers),
        entry.query,
        entry.body,
        entry.bodySize,
      ],
    );
    return row.id;
  }

  /**
   * Counts an unauthenticated rejection for its (integration, reason, hour) and keeps it as a dead letter only
   * while that hour's sample is not full, in one statement. Returns the dead letter's id, or null when only counted.
   */
  async recordUnauthenticated(entry: DeadLetterRecord): Promise<string | null> {
    const now = this.clock.now();
    const windowStart = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
    const [row] = await this.db.query(
      `WITH counted AS (
         INSERT INTO unauthenticated_webhook_count AS c (integration_id, reason, window_start, rejected) VALUES ($1, $2, $3, 1)
         ON CONFLICT (integration_id, reason, window_start) DO UPDATE SET rejected = c.rejected + 1
         RETURNING rejected)
       INSERT INTO dead_letter (integration_id, vendor, received_at, http_status, reason, details, content_type, headers, query, body, body_size)
       SELECT $1, $4, $5, $6, $2, $7, $8, $9, $10, NULL, $11 FROM counted WHERE counted.rejected <= $12
       RETURNING id`,
      [
        entry.integrationId,
        entry.reason,
        windowStart,
        entry.vendor,
        now,
        entry.httpStatus,
        storableJson(entry.details),
        entry.contentType,
        storableJson(entry.headers),
        entry.query,
        entry.bodySize,
        this.limits.unauthenticatedSamplePerHour,
      ],
    );
    return row?.id ?? null;
  }

  /** Unauthenticated rejections per integration and reason, in whole hours from the one holding `since` (default: a day ago). */
  async unauthenticatedCounts(since: Date | null): Promise<UnauthenticatedWebhookCount[]> {
    const start = since ?? new Date(this.clock.now().getTime() - DAY_MS);
    const from = new Date(Math.floor(start.getTime() / HOUR_MS) * HOUR_MS);
    const rows: Array<{ integration_id: string | null; reason: string; rejected: number; kept: number }> = await this.db.query(
      `SELECT c.integration_id, c.reason, sum(c.rejected)::int AS rejected,
              (SELECT count(*)::int FROM dead_letter d
                WHERE d.reason = c.reason AND d.integration_id IS NOT DISTINCT FROM c.integration_id AND d.received_at >= $1) AS kept
         FROM unauthenticated_webhook_count c
        WHERE c.window_start >= $1
        GROUP BY c.integration_id, c.reason
        ORDER BY rejected DESC, c.reason, c.integration_id`,
      [from],
    );
    return rows.map((row) => ({ integrationId: row.integration_id, reason: row.reason, rejected: row.rejected, kept: row.kept }));
  }

  /** Deletes dead letters and counts past the retention, then the oldest dead letters beyond maxRows. Returns how many dead letters went. */
  async prune(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.limits.retentionDays * DAY_MS);
    await this.db.query(`DELETE FROM unauthenticated_webhook_count WHERE window_start < $1`, [new Date(Math.floor(cutoff.getTime() / HOUR_MS) * HOUR_MS)]);
    const expired = await this.deleteInBatches(`SELECT id FROM dead_letter WHERE received_at < $1 LIMIT ${PRUNE_BATCH}`, [cutoff]);
    const surplus = await this.deleteInBatches(`SELECT id FROM dead_letter ORDER BY received_at DESC, id DESC OFFSET $1 LIMIT ${PRUNE_BATCH}`, [this.limits.maxRows]);
    return expired + surplus;
  }

  private async deleteInBatches(select: string, params: unknown[]): Promise<number> {
    let total = 0;
    for (;;) {
      const [, deleted] = (await this.db.query(`DELETE FROM dead_letter WHERE id IN (${select})`, params)) as [unknown, number];
      total += deleted;
      if (deleted < PRUNE_BATCH) return total;
    }
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

  /** Records the outcome of a replay, and who asked for it in the audit log. */
  async markReplayed(id: string, result: Record<string, unknown>, succeeded: boolean, audit: AuditContext = SYSTEM_AUDIT): Promise<DeadLetter> {
    return this.db.transaction(async (manager) => {
      const [before] = await manager.getRepository(DeadLetter).find({ where: { id: requireUuid('id', id) }, lock: { mode: 'pessimistic_write' } });
      if (!before) throw notFound('dead letter', id);
      await manager.query(`UPDATE dead_letter SET replayed_at = CASE WHEN $3 THEN $2::timestamptz ELSE replayed_at END, replay_result = $4 WHERE id = $1`, [
        before.id,
        this.clock.now(),
        succeeded,
        JSON.stringify(result),
      ]);
      const after = await manager.getRepository(DeadLetter).findOneByOrFail({ id: before.id });
      await this.auditLog.record(manager, audit, { action: 'deadLetter.replay', targetType: AuditTargetType.DEAD_LETTER, targetId: before.id, changes: diffFields(before, after, ['replayedAt', 'replayResult']) });
      return after;
    });
  }
}
