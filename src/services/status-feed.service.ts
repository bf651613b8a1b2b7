import type { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_FEED_POLL_SECONDS, type IntegrationOptions } from '../schema/integration-options';
import type { AlertStatus } from '../shared/enums';
import type { Clock } from '../shared/clock';

/** Feeds one run of the poll job claims at most. */
export const STATUS_FEED_BATCH = 20;
/** The longest wait after failures (Retry-After may ask for more, up to MAX_RETRY_AFTER_MS). */
export const MAX_FEED_BACKOFF_MS = 3_600_000;
const MAX_RETRY_AFTER_MS = 6 * 3_600_000;
/** Entries resolved and absent from the feed for this long are forgotten. */
const ENTRY_RETENTION_DAYS = 30;
/** The poll interval of the integration `i` in SQL (its option, else the default, $3). */
const INTERVAL_OF_OPTIONS = `make_interval(secs => COALESCE((i.options->'statusFeed'->>'pollIntervalSeconds')::int, $3::int))`;
/** The last error as stored and shown: one line, at most this long. */
const ERROR_MAX_LENGTH = 500;

/** One poll of one feed, as claimed: what it needs to fetch, and the claim number that fences what it records. */
export interface FeedClaim {
  integrationId: string;
  integrationName: string;
  serviceId: string;
  options: IntegrationOptions;
  claim: number;
  /** The URL the stored validators came from: sent only when the feed is still there. */
  validatorsUrl: string | null;
  etag: string | null;
  lastModified: string | null;
  consecutiveFailures: number;
}

/** What the poll state table says about a feed (shown on the integration). */
export interface StatusFeedState {
  integrationId: string;
  lastPolledAt: Date | null;
  lastHttpStatus: number | null;
  lastSuccessAt: Date | null;
  lastChangedAt: Date | null;
  nextPollAt: Date;
  consecutiveFailures: number;
  lastError: string | null;
  lastErrorAt: Date | null;
}

/** An entry as last accepted from the feed. */
export interface FeedEntryRecord {
  entryId: string;
  fingerprint: string;
  summary: string;
  /** Of the normalized alert: an entry whose digest is unchanged is a repeat. */
  digest: string;
  status: AlertStatus;
}

export interface FeedSuccess {
  httpStatus: number;
  url: string;
  /** A 200 with a body (validators replaced) or a 304 (kept). */
  etag?: string | null;
  lastModified?: string | null;
  changed: boolean;
}

export interface FeedFailure {
  httpStatus: number | null;
  error: string;
  retryAfterMs?: number;
}

/** The poll interval of a feed's options, in milliseconds. */
export function pollIntervalMs(options: IntegrationOptions): number {
  return (options.statusFeed?.pollIntervalSeconds ?? DEFAULT_FEED_POLL_SECONDS) * 1000;
}

/**
 * The wait before the next poll after `failures` failures in a row: the interval doubled per failure, at most an hour
 * (never less than the interval), or longer when the server asked for it with Retry-After.
 */
export function feedBackoffMs(intervalMs: number, failures: number, retryAfterMs?: number): number {
  const doubled = intervalMs * 2 ** Math.min(Math.max(failures, 0), 20);
  const backoff = Math.min(doubled, Math.max(MAX_FEED_BACKOFF_MS, intervalMs));
  return retryAfterMs === undefined ? backoff : Math.max(backoff, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}

/**
 * The poll state of STATUS_FEED integrations (status_feed_state) and the entries each feed has given
 * (status_feed_entry). A claim moves the feed's due time on in the statement that takes it (rows locked with SKIP
 * LOCKED), so however many instances run the job, one polls a feed for each due time; the claim number then fences
 * what that poll records. An instance that dies after claiming leaves the feed to its next due time.
 */
export class StatusFeedService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Feeds due now, claimed (state rows are created for new STATUS_FEED integrations first). */
  async claimDue(limit = STATUS_FEED_BATCH): Promise<FeedClaim[]> {
    const now = this.clock.now();
    await this.db.query(
      `INSERT INTO status_feed_state (integration_id, next_due_at)
       SELECT i.id, $1 FROM integration i
        WHERE i.vendor = 'STATUS_FEED' AND NOT EXISTS (SELECT 1 FROM status_feed_state s WHERE s.integration_id = i.id)
       ON CONFLICT DO NOTHING`,
      [now],
    );
    // Due at its time; at once when its URL was changed since the last claim; and, while it succeeds, one (current)
    // interval after the last claim, so a shortened interval applies without waiting for the old due time.
    const [rows] = await this.db.query(
      `WITH due AS (
         SELECT s.integration_id FROM status_feed_state s JOIN integration i ON i.id = s.integration_id
          WHERE i.vendor = 'STATUS_FEED' AND i.enabled
            AND (s.next_due_at <= $1::timestamptz
                 OR s.polled_url IS DISTINCT FROM i.options->'statusFeed'->>'url'
                 OR (s.consecutive_failures = 0 AND s.claimed_at + ${INTERVAL_OF_OPTIONS} <= $1::timestamptz))
          ORDER BY s.next_due_at LIMIT $2
          FOR UPDATE OF s SKIP LOCKED)
       UPDATE status_feed_state s
          SET claim = s.claim + 1, claimed_at = $1::timestamptz, polled_url = i.options->'statusFeed'->>'url',
              next_due_at = $1::timestamptz + ${INTERVAL_OF_OPTIONS}
         FROM due, integration i
        WHERE s.integration_id = due.integration_id AND i.id = s.integration_id
        RETURNING s.integration_id, s.claim, s.validators_url, s.etag, s.last_modified, s.consecutive_failures, i.name, i.service_id, i.options`,
      [now, limit, DEFAULT_FEED_POLL_SECONDS],
    );
    return (rows as ClaimRow[]).map((row) => ({
      integrationId: row.integration_id,
      integrationName: row.name,
      serviceId: row.service_id,
      options: row.options,
      claim: row.claim,
      validatorsUrl: row.validators_url,
      etag: row.etag,
      lastModified: row.last_modified,
      consecutiveFailures: row.consecutive_failures,
    }));
  }

  /** Locks the feed's state for recording a poll; false when a later claim took the feed (this poll records nothing). */
  async holdClaim(manager: EntityManager, claim: FeedClaim): Promise<boolean> {
    const rows = await manager.query(`SELECT 1 FROM status_feed_state WHERE integration_id = $1 AND claim = $2 FOR UPDATE`, [claim.integrationId, claim.claim]);
    return rows.length > 0;
  }

  async knownEntries(manager: EntityManager, integrationId: string): Promise<Map<string, FeedEntryRecord>> {
    const rows: Array<{ entry_id: string; fingerprint: string; summary: string; digest: string; status: AlertStatus }> = await manager.query(
      `SELECT entry_id, fingerprint, summary, digest, status FROM status_feed_entry WHERE integration_id = $1`,
      [integrationId],
    );
    return new Map(rows.map((row) => [row.entry_id, { entryId: row.entry_id, fingerprint: row.fingerprint, summary: row.summary, digest: row.digest, status: row.status }]));
  }

  /** Stores the entries accepted now and marks `seen` as still in the feed; forgets long-gone resolved ones. */
  async recordEntries(manager: EntityManager, integrationId: string, accepted: FeedEntryRecord[], seen: string[]): Promise<void> {
    const now = this.clock.now();
    if (accepted.length) {
      await manager.query(
        `INSERT INTO status_feed_entry (integration_id, entry_id, fingerprint, summary, digest, status, first_seen_at, last_seen_at)
         SELECT $1, v.entry_id, v.fingerprint, v.summary, v.digest, v.status, $7, $7
           FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS v(entry_id, fingerprint, summary, digest, status)
         ON CONFLICT (integration_id, entry_id) DO UPDATE
           SET fingerprint = EXCLUDED.fingerprint, summary = EXCLUDED.summary, digest = EXCLUDED.digest, status = EXCLUDED.status, last_seen_at = EXCLUDED.last_seen_at`,
        [
          integrationId,
          accepted.map((entry) => entry.entryId),
          accepted.map((entry) => entry.fingerprint),
          accepted.map((entry) => entry.summary),
          accepted.map((entry) => entry.digest),
          accepted.map((entry) => entry.status),
          now,
        ],
      );
    }
    if (seen.length) {
      await manager.query(`UPDATE status_feed_entry SET last_seen_at = $3 WHERE integration_id = $1 AND entry_id = ANY($2::text[]) AND last_seen_at < $3`, [integrationId, seen, now]);
    }
    await manager.query(`DELETE FROM status_feed_entry WHERE integration_id = $1 AND status = 'RESOLVED' AND last_seen_at < $2`, [
      integrationId,
      new Date(now.getTime() - ENTRY_RETENTION_DAYS * 86_400_000),
    ]);
  }

  /** A poll that answered (200 or 304): failures cleared, the next poll one interval on. */
  async recordSuccess(manager: EntityManager, claim: FeedClaim, success: FeedSuccess): Promise<void> {
    const now = this.clock.now();
    const replaceValidators = success.etag !== undefined || success.lastModified !== undefined;
    await manager.query(
      `UPDATE status_feed_state
          SET last_polled_at = $3, last_http_status = $4, last_success_at = $3, consecutive_failures = 0, last_error = NULL, last_error_at = NULL,
              next_due_at = $5, last_changed_at = CASE WHEN $6 THEN $3 ELSE last_changed_at END,
              validators_url = CASE WHEN $7 THEN $8 ELSE validators_url END,
              etag = CASE WHEN $7 THEN $9 ELSE etag END,
              last_modified = CASE WHEN $7 THEN $10 ELSE last_modified END
        WHERE integration_id = $1 AND claim = $2`,
      [
        claim.integrationId,
        claim.claim,
        now,
        success.httpStatus,
        new Date(now.getTime() + pollIntervalMs(claim.options)),
        success.changed,
        replaceValidators,
        success.url,
        success.etag ?? null,
        success.lastModified ?? null,
      ],
    );
  }

  /**
   * A poll that failed (no answer, an error status, a body that is no feed): counted, the error kept, the next poll
   * backed off. Alerts and the stored validators are left as they were.
   */
  async recordFailure(claim: FeedClaim, failure: FeedFailure): Promise<void> {
    const now = this.clock.now();
    const failures = claim.consecutiveFailures + 1;
    const delay = feedBackoffMs(pollIntervalMs(claim.options), failures, failure.retryAfterMs);
    await this.db.query(
      `UPDATE status_feed_state
          SET last_polled_at = $3, last_http_status = $4, consecutive_failures = consecutive_failures + 1, last_error = $5, last_error_at = $3, next_due_at = $6
        WHERE integration_id = $1 AND claim = $2`,
      [claim.integrationId, claim.claim, now, failure.httpStatus, oneLine(failure.error), new Date(now.getTime() + delay)],
    );
  }

  async statesOf(integrationIds: readonly string[]): Promise<StatusFeedState[]> {
    const rows: StateRow[] = await this.db.query(`SELECT * FROM status_feed_state WHERE integration_id = ANY($1::uuid[])`, [integrationIds]);
    return rows.map((row) => ({
      integrationId: row.integration_id,
      lastPolledAt: row.last_polled_at,
      lastHttpStatus: row.last_http_status,
      lastSuccessAt: row.last_success_at,
      lastChangedAt: row.last_changed_at,
      nextPollAt: row.next_due_at,
      consecutiveFailures: row.consecutive_failures,
      lastError: row.last_error,
      lastErrorAt: row.last_error_at,
    }));
  }
}

interface ClaimRow {
  integration_id: string;
  claim: number;
  validators_url: string | null;
  etag: string | null;
  last_modified: string | null;
  consecutive_failures: number;
  name: string;
  service_id: string;
  options: IntegrationOptions;
}

interface StateRow {
  integration_id: string;
  next_due_at: Date;
  last_polled_at: Date | null;
  last_http_status: number | null;
  last_success_at: Date | null;
  last_changed_at: Date | null;
  consecutive_failures: number;
  last_error: string | null;
  last_error_at: Date | null;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > ERROR_MAX_LENGTH ? `${line.slice(0, ERROR_MAX_LENGTH - 1)}…` : line;
}
