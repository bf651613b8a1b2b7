import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { DeadLetterService } from '../services/dead-letter.service';
import type { IncidentGrouping } from '../services/incident-grouping';
import type { IntegrationDeliveryService } from '../services/integration-delivery.service';
import type { IntegrationService } from '../services/integration.service';
import type { PageReplyService } from '../services/page-reply.service';
import type { StatusFeedService } from '../services/status-feed.service';
import type { Clock } from '../shared/clock';
import { AlertPipeline } from './alert-pipeline';
import { DeadLetterReplay } from './dead-letter-replay';
import { DEFAULT_DELIVERY_LOG_OPTIONS, DeliveryLog, type DeliveryLogOptions } from './delivery-log';
import { DEFAULT_COALESCER_OPTIONS, IngestCoalescer, type CoalescerOptions } from './ingest-coalescer';
import { IntegrationCache } from './integration-cache';
import { createFeedFetcher, type FeedFetcherOptions } from './status-feed-fetcher';
import { StatusFeedPoller } from './status-feed-poller';
import { noSuppression, type SuppressionCheck } from './suppression';
import { WebhookProcessor } from './webhook-processor';

/** The domain services intake works through. */
export interface IngestServices {
  grouping: IncidentGrouping;
  integrations: IntegrationService;
  deadLetters: DeadLetterService;
  pageReplies: PageReplyService;
  statusFeeds: StatusFeedService;
  integrationDeliveries: IntegrationDeliveryService;
}

export interface IngestOptions {
  log: Logger;
  coalescer?: Partial<Omit<CoalescerOptions, 'onBatchFailure'>>;
  suppression?: SuppressionCheck;
  /** How provider status feeds are fetched (STATUS_FEED_* settings). */
  statusFeeds: FeedFetcherOptions;
  deliveryLog?: Partial<DeliveryLogOptions>;
}

export type Ingest = ReturnType<typeof createIngest>;

/**
 * Builds the intake stack over the domain services: pipeline, the coalescer in front of it, the webhook processor, the
 * integration cache, dead-letter replay, the buffered delivery log, the status feed poller.
 */
export function createIngest(db: DataSource, clock: Clock, services: IngestServices, options: IngestOptions) {
  const log = options.log.child({ module: 'ingest' });
  const pipeline = new AlertPipeline(db, clock, services.grouping, options.suppression ?? noSuppression);
  const coalescer = new IngestCoalescer((items) => pipeline.ingest(items), {
    ...DEFAULT_COALESCER_OPTIONS,
    ...options.coalescer,
    onBatchFailure: (error, requests) => log.warn({ err: error, requests }, 'a coalesced ingest batch failed; retrying its requests one by one'),
  });
  const integrationCache = new IntegrationCache(services.integrations);
  const processor = new WebhookProcessor(coalescer, services.pageReplies, log);
  return {
    pipeline,
    coalescer,
    processor,
    integrationCache,
    replay: new DeadLetterReplay(services.deadLetters, services.integrations, integrationCache, processor),
    statusFeeds: new StatusFeedPoller(db, services.statusFeeds, pipeline, createFeedFetcher(options.statusFeeds), log.child({ component: 'status-feeds' })),
    deliveryLog: new DeliveryLog(services.integrationDeliveries, clock, log, { ...DEFAULT_DELIVERY_LOG_OPTIONS, ...options.deliveryLog }),
  };
}
