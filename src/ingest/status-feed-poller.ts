import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { retryingTransientConflicts } from '../db/error-code';
import type { AlertOrigin } from '../services/incident-grouping';
import { STATUS_FEED_BATCH, type FeedClaim, type FeedEntryRecord, type FeedFailure, type StatusFeedService } from '../services/status-feed.service';
import type { AlertPipeline } from './alert-pipeline';
import { PayloadSchemaError, type NormalizedAlert } from './normalized-alert';
import type { FeedFetcher, FeedResponse } from './status-feed-fetcher';
import { buildAlert } from './vendors/normalizer-helpers';
import { MalformedFeedError } from './vendors/status-feed-document';
import { readStatusFeed, type FeedReading } from './vendors/status-feed.normalizer';

/**
 * Polls the STATUS_FEED integrations that are due: claims them (StatusFeedService), fetches each feed conditionally,
 * reads it with the STATUS_FEED normalizer and hands what is new to the alert pipeline, in one transaction with what
 * it records of the feed. What is new: an entry not seen before, or one whose content changed (its digest); a feed
 * that repeats an entry adds nothing. A failed poll (no answer, an error status, a body that is no feed) changes no
 * alert: it is recorded on the feed's state and the next poll backs off.
 */
export class StatusFeedPoller {
  constructor(
    private readonly db: DataSource,
    private readonly feeds: StatusFeedService,
    private readonly pipeline: AlertPipeline,
    private readonly fetchFeed: FeedFetcher,
    private readonly log: Logger,
  ) {}

  /** Polls the feeds due now; returns how many it claimed. */
  async runDue(limit = STATUS_FEED_BATCH): Promise<number> {
    const claims = await this.feeds.claimDue(limit);
    await Promise.all(claims.map((claim) => this.poll(claim)));
    return claims.length;
  }

  private async poll(claim: FeedClaim): Promise<void> {
    try {
      const feed = claim.options.statusFeed;
      if (!feed) return await this.feeds.recordFailure(claim, { httpStatus: null, error: 'the integration has no options.statusFeed' });
      const sameUrl = claim.validatorsUrl === feed.url;
      const response = await this.fetchFeed({ url: feed.url, etag: sameUrl ? claim.etag : null, lastModified: sameUrl ? claim.lastModified : null });
      if (response.kind === 'failed') return await this.fail(claim, { httpStatus: response.status, error: response.error, retryAfterMs: response.retryAfterMs });
      if (response.kind === 'not-modified') {
        return await this.db.transaction(async (manager) => {
          if (await this.feeds.holdClaim(manager, claim)) await this.feeds.recordSuccess(manager, claim, { httpStatus: 304, url: feed.url, changed: false });
        });
      }
      let reading: FeedReading;
      try {
        reading = readStatusFeed(response.text, feed.format ?? 'auto');
      } catch (error) {
        if (!(error instanceof MalformedFeedError || error instanceof PayloadSchemaError)) throw error;
        return await this.fail(claim, { httpStatus: response.status, error: `malformed feed: ${error.message}` });
      }
      await retryingConflicts(() => this.accept(claim, response, reading, feed.resolveWhenGone ?? reading.listsOnlyUnresolved));
    } catch (error) {
      this.log.error({ err: error, integrationId: claim.integrationId }, 'status feed poll failed');
      await this.feeds.recordFailure(claim, { httpStatus: null, error: `internal error: ${(error as Error).message}` }).catch(() => undefined);
    }
  }

  private async fail(claim: FeedClaim, failure: FeedFailure): Promise<void> {
    // No URL in the log: a feed's query string may hold a provider's token.
    this.log.warn({ integrationId: claim.integrationId, status: failure.httpStatus, error: failure.error, failures: claim.consecutiveFailures + 1 }, 'status feed poll failed');
    await this.feeds.recordFailure(claim, failure);
  }

  /** In one transaction, fenced by the claim: the new entries through the pipeline, then the feed's state. */
  private async accept(claim: FeedClaim, response: Extract<FeedResponse, { kind: 'body' }>, reading: FeedReading, resolveWhenGone: boolean): Promise<void> {
    const url = claim.options.statusFeed!.url;
    await this.db.transaction(async (manager) => {
      if (!(await this.feeds.holdClaim(manager, claim))) return;
      const known = await this.feeds.knownEntries(manager, claim.integrationId);
      const alerts: NormalizedAlert[] = [];
      const accepted: FeedEntryRecord[] = [];
      for (const { entryId, alert } of reading.entries) {
        const digest = digestOf(alert);
        const before = known.get(entryId);
        if (before?.digest === digest) continue;
        accepted.push({ entryId, fingerprint: alert.fingerprint, summary: alert.summary, digest, status: alert.status });
        // A resolved entry never seen firing (a feed's history) has no alert to resolve.
        if (before || alert.status === 'FIRING') alerts.push(alert);
      }
      const listed = new Set(reading.entries.map((entry) => entry.entryId));
      // An incomplete reading says nothing about what it left out.
      if (resolveWhenGone && !reading.omitted) {
        for (const entry of known.values()) {
          if (entry.status !== 'FIRING' || listed.has(entry.entryId)) continue;
          alerts.push(goneAlert(entry));
          accepted.push({ ...entry, status: 'RESOLVED', digest: 'gone' });
        }
      }
      if (alerts.length) await this.pipeline.ingestWithin(manager, [{ target: targetOf(claim), alerts }]);
      await this.feeds.recordEntries(manager, claim.integrationId, accepted, [...listed]);
      await this.feeds.recordSuccess(manager, claim, { httpStatus: response.status, url, etag: response.etag, lastModified: response.lastModified, changed: alerts.length > 0 });
    });
  }
}

const MAX_ATTEMPTS = 3;

/** A deadlock with a concurrent delivery of the same alerts aborts the whole transaction: it is run again. */
const retryingConflicts = (run: () => Promise<void>): Promise<void> => retryingTransientConflicts(run, MAX_ATTEMPTS);

function targetOf(claim: FeedClaim): AlertOrigin {
  return { integrationId: claim.integrationId, integrationName: claim.integrationName, serviceId: claim.serviceId, options: claim.options };
}

/** Normalizers are pure, so an entry normalizes to the same alert until the provider changes it. */
function digestOf(alert: NormalizedAlert): string {
  return createHash('sha256').update(JSON.stringify(alert)).digest('hex');
}

/** An entry that left a feed listing only what is unresolved: its alert resolves. */
function goneAlert(entry: FeedEntryRecord): NormalizedAlert {
  return buildAlert({ fingerprint: entry.fingerprint, groupKey: entry.fingerprint, status: 'RESOLVED', severity: 'INFO', kind: 'PROVIDER_INCIDENT', summary: entry.summary, details: { entryId: entry.entryId, gone: true } });
}
