import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { channelsConfig, maintenanceCalendarConfig, publicBaseUrl, smtpIngestConfig, statusChannelsConfig, type Config } from './config';
import { changesAfter, latestChange, pruneChangeLog } from './db/change-log';
import { subscriptionEventsOf, type LoggedChange, type SubscriptionTopics } from './db/changes';
import { ChangeListener } from './db/change-listener';
import { ResumeHistory } from './db/resume-history';
import { buildGraphQLSchema } from './graphql/build-schema';
import { createOperationPipeline } from './graphql/operation-pipeline';
import { createMetrics, webhookMetricsOf } from './http/metrics';
import { registerMetricsRoute } from './http/metrics-route';
import { createHttpServer, type HttpServer } from './http/server';
import { clientAddressOf } from './http/client-address';
import { SocketSessions } from './http/socket-sessions';
import { TokenAuthenticator } from './http/token-authenticator';
import { createIngest, type Ingest } from './ingest';
import { MailRecipients } from './ingest/mail-recipients';
import { SmtpListener } from './ingest/smtp-listener';
import { registerWebhookRoutes } from './ingest/webhook-routes';
import { IntegrationKeys } from './ingest/integration-keys';
import { registerOpsgenieRoutes } from './ingest/opsgenie-routes';
import { registerPagerDutyRoutes } from './ingest/pagerduty-routes';
import { vendorApiRetentionJob } from './jobs/vendor-api-retention.job';
import { statusFeedJob } from './jobs/status-feed.job';
import { RateLimiter } from './shared/rate-limiter';
import { alertRepairJob } from './jobs/alert-repair.job';
import { deadLetterRetentionJob } from './jobs/dead-letter-retention.job';
import { alertRetentionJob } from './jobs/alert-retention.job';
import { changeLogRetentionJob } from './jobs/change-log-retention.job';
import { communicationJob } from './jobs/communication.job';
import { deliveryJob } from './jobs/delivery.job';
import { escalationJob } from './jobs/escalation.job';
import { handoffJob } from './jobs/handoff.job';
import { maintenanceRecurrenceJob } from './jobs/maintenance-recurrence.job';
import { maintenanceJob } from './jobs/maintenance.job';
import { reviewFollowupJob } from './jobs/review-followup.job';
import { statusFanoutJob } from './jobs/status-fanout.job';
import { taskReminderJob } from './jobs/task-reminder.job';
import { JobScheduler } from './jobs/scheduler';
import { registerStatusHtmlRoutes } from './status/html-routes';
import { registerRcaRoutes } from './status/rca-routes';
import { registerIncidentsCsvRoute } from './analytics/incidents-csv.route';
import { registerReportRoute } from './analytics/report.route';
import { webhookReceiptRetentionJob } from './jobs/webhook-receipt-retention.job';
import { integrationDeliveryRetentionJob } from './jobs/integration-delivery-retention.job';
import { statusSubscriberRetentionJob } from './jobs/status-subscriber-retention.job';
import { closeChannels, createChannels, createStatusChannels } from './notify';
import { registerSubscriberRoutes } from './status/subscriber-routes';
import { createServices, type Services } from './services';
import { AlertRetentionService } from './services/alert-retention.service';
import { AuthFailureLimiter } from './shared/auth-failure-limiter';
import { ChangeHub } from './shared/change-hub';
import type { Clock } from './shared/clock';
import { PublicPageCache } from './status/public-page-cache';
import { registerStatusApiRoutes } from './status/status-api-routes';

export interface Application {
  db: DataSource;
  services: Services;
  ingest: Ingest;
  http: HttpServer;
  /** The executable schema both transports run (tests observe its resolvers). */
  schema: GraphQLSchema;
  scheduler: JobScheduler;
  /** Open WebSocket connections, by token. */
  sessions: SocketSessions;
  /** Failed authentications per client address, one count for every surface that authenticates (webhooks, GraphQL). */
  authFailures: AuthFailureLimiter;
  /** The public status pages as read and rendered, dropped on every change this instance hears. */
  statusCache: PublicPageCache;
  /** The inbound e-mail listener, when SMTP_INGEST_LISTEN is set. */
  smtp: SmtpListener | null;
  close(): Promise<void>;
}

export interface ApplicationOptions {
  config: Config;
  dataSource: DataSource;
  databaseUrl: string;
  clock: Clock;
  log: Logger;
}

/**
 * The one composition root: builds the domain services, the intake stack over them, the jobs, the change listener and
 * the HTTP/WebSocket server over an open, migrated database, and wires what each tells the others.
 */
export async function createApplication({ config, dataSource, databaseUrl, clock, log }: ApplicationOptions): Promise<Application> {
  const channels = createChannels(channelsConfig(config));
  const statusChannels = createStatusChannels(statusChannelsConfig(config));
  const services = createServices(dataSource, clock, {
    log,
    channels,
    statusChannels,
    statusDelivery: { digestSeconds: config.STATUS_DIGEST_SECONDS, leaseSeconds: config.DELIVERY_LEASE_SECONDS, maxAttempts: config.STATUS_MAX_ATTEMPTS },
    publicBaseUrl: publicBaseUrl(config),
    deadLetters: {
      unauthenticatedSamplePerHour: config.DEAD_LETTER_ANONYMOUS_SAMPLE,
      retentionDays: config.DEAD_LETTER_RETENTION_DAYS,
      maxRows: config.DEAD_LETTER_MAX_ROWS,
    },
    delivery: { leaseSeconds: config.DELIVERY_LEASE_SECONDS },
    deliveryLog: { rowsPerIntegration: config.INTEGRATION_DELIVERY_LOG_ROWS, maxAgeDays: config.INTEGRATION_DELIVERY_LOG_DAYS },
    maintenanceCalendar: maintenanceCalendarConfig(config),
    maintenance: { reminderMinutes: config.MAINTENANCE_REMINDER_MINUTES },
    statusSubscribers: { confirmHours: config.STATUS_CONFIRM_HOURS, allowPrivateUrls: config.STATUS_SUBSCRIBER_ALLOW_PRIVATE_URLS },
    review: { dueBusinessDays: config.REVIEW_DUE_BUSINESS_DAYS, reviewerId: config.REVIEW_REVIEWER_ID ?? null, reminderHour: config.REVIEW_REMINDER_HOUR },
    statusFeeds: { allowPrivateUrls: config.STATUS_FEED_ALLOW_PRIVATE_URLS },
  });
  const ingest = createIngest(dataSource, clock, services, {
    log,
    coalescer: {
      maxInFlight: config.INGEST_MAX_IN_FLIGHT,
      maxAlertsPerBatch: config.INGEST_MAX_BATCH_ALERTS,
      alertsForExtraBatch: config.INGEST_ALERTS_FOR_EXTRA_BATCH,
      requestsForExtraBatch: config.INGEST_REQUESTS_FOR_EXTRA_BATCH,
    },
    suppression: services.maintenance.suppression,
    statusFeeds: { timeoutMs: config.STATUS_FEED_TIMEOUT_MS, maxBytes: config.STATUS_FEED_MAX_BYTES, allowPrivate: config.STATUS_FEED_ALLOW_PRIVATE_URLS },
    deliveryLog: { enabled: config.INTEGRATION_DELIVERY_LOG_ROWS > 0, flushIntervalMs: config.INTEGRATION_DELIVERY_LOG_FLUSH_MS },
  });
  services.integrations.onCommittedChange = (id) => ingest.integrationCache.invalidate(id);
  // Alerts a window released when it ended are re-evaluated at once, through the same grouping as a delivery.
  services.maintenance.onAlertsReleased = (alertIds) => ingest.pipeline.attachReleased(alertIds);
  const metrics = createMetrics({
    overdueEscalations: () => services.escalation.overdue(60_000),
    outboxBacklog: () => services.delivery.backlog(),
  });
  const webhookMetrics = webhookMetricsOf(metrics);
  const jobLog = log.child({ module: 'jobs' });
  const scheduler = new JobScheduler(
    [
      escalationJob(services.escalation, config.ESCALATION_SCHEDULE),
      deliveryJob(services.delivery, config.DELIVERY_SCHEDULE),
      handoffJob(services.handoffs, config.HANDOFF_SCHEDULE),
      maintenanceJob(services.maintenance, config.MAINTENANCE_SCHEDULE),
      maintenanceRecurrenceJob(services.maintenanceRecurrences),
      alertRepairJob(ingest.pipeline, clock, jobLog, {
        schedule: config.ALERT_REPAIR_SCHEDULE,
        minAgeSeconds: config.ALERT_REPAIR_AGE_SECONDS,
        onAttached: (count) => metrics.alertsRepaired.inc(count),
      }),
      deadLetterRetentionJob(services.deadLetters, config.DEAD_LETTER_RETENTION_SCHEDULE),
      webhookReceiptRetentionJob(services.webhookReceipts),
      integrationDeliveryRetentionJob(services.integrationDeliveries),
      // drop-in vendor APIs (#16)
      vendorApiRetentionJob(services.vendorRequests, services.changeEvents),
      // provider status feeds (#16)
      statusFeedJob(ingest.statusFeeds, config.STATUS_FEED_SCHEDULE),
      changeLogRetentionJob(() => pruneChangeLog(dataSource, new Date(clock.now().getTime() - config.CHANGE_LOG_RETENTION_MINUTES * 60_000), 5000)),
      ...(config.ALERT_RETENTION_DAYS ? [alertRetentionJob(new AlertRetentionService(dataSource, clock, config.ALERT_RETENTION_DAYS))] : []),
      // communication cadence (#12)
      communicationJob(services.communicationReminders, config.COMMUNICATION_SCHEDULE),
      // status pages (#13)
      statusFanoutJob(services.statusComponents, services.statusFanout, services.statusDelivery, config.STATUS_FANOUT_SCHEDULE),
      statusSubscriberRetentionJob(services.statusSubscribers),
      // post-incident review (#14)
      taskReminderJob(services.taskReminders, config.TASK_REMINDER_SCHEDULE),
      reviewFollowupJob(services.reviewFollowups, config.REVIEW_FOLLOWUP_SCHEDULE),
    ],
    jobLog,
  );
  const resumes = new ResumeHistory(dataSource, { maxRows: config.CHANGE_REPLAY_MAX_ROWS });
  const changes = new ChangeHub<SubscriptionTopics>(config.SUBSCRIPTION_MAX_PENDING, resumes.after);
  // Integrations found by the secret a request carries: the vendor APIs' routing keys, e-mail recipients.
  const integrationKeys = new IntegrationKeys(ingest.integrationCache, services.integrations, clock);
  const authFailures = new AuthFailureLimiter({ failures: config.AUTH_FAILURE_LIMIT, windowSeconds: config.AUTH_FAILURE_WINDOW_SECONDS }, clock);
  const authenticator = new TokenAuthenticator(services.tokens, clock, authFailures);
  const sessions = new SocketSessions(services.tokens, clock, log.child({ module: 'websocket' }));
  const tokenChanged = (tokenId: string) => {
    authenticator.invalidate(tokenId);
    void sessions.recheck([tokenId]);
  };
  services.tokens.onCommittedChange = tokenChanged;
  const statusCache = new PublicPageCache(services.publicStatus, clock, { ttlSeconds: config.STATUS_CACHE_SECONDS });
  const dispatch = (change: LoggedChange) => {
    const events = subscriptionEventsOf(change);
    for (const event of events) changes.publish(event.topic, event.payload as never);
    resumes.heard(change, events);
    switch (change.topic) {
      case 'INTEGRATION_CHANGED':
        ingest.integrationCache.invalidate(change.integrationId);
        return;
      case 'API_TOKEN_CHANGED':
        tokenChanged(change.tokenId);
        return;
      case 'INCIDENT_CREATED':
      case 'INCIDENT_UPDATED':
      case 'TIMELINE_EVENT_ADDED':
      case 'MAINTENANCE_UPDATED':
      case 'STATUS_PAGE_CHANGED':
        // Anything shown on a status page may have changed: the next request reads the page again.
        statusCache.invalidate();
        return;
      case 'OUTBOX_READY':
        // Deliver right after the commit that queued pages instead of waiting for the next tick.
        if (config.JOBS_ENABLED) void scheduler.trigger('delivery');
        return;
      case 'STATUS_EVENTS_READY':
        // Tell status subscribers right after the commit that recorded something for them.
        if (config.JOBS_ENABLED) void scheduler.trigger('status-fanout');
        return;
    }
  };
  const listener = new ChangeListener(databaseUrl, {
    onChange: dispatch,
    replayAfter: (seq) => changesAfter(dataSource, seq, config.CHANGE_REPLAY_MAX_ROWS),
    latestChange: () => latestChange(dataSource),
    onResumed: (complete) => {
      // Pages and status events queued while the connection was down are due now, whatever the replay found.
      if (config.JOBS_ENABLED) {
        void scheduler.trigger('delivery');
        void scheduler.trigger('status-fanout');
      }
      if (complete) return;
      ingest.integrationCache.clear();
      statusCache.invalidate();
      authenticator.clear();
      void sessions.recheckAll();
      resumes.forget();
      changes.resyncAll('this server missed changes while its database connection was down, more than it can replay');
    },
    log: log.child({ module: 'changes' }),
  });
  await listener.start();
  const schema = await buildGraphQLSchema();
  const pipeline = createOperationPipeline(
    schema,
    { ...services, deadLetterReplay: ingest.replay },
    changes,
    {
      maxTokens: config.GRAPHQL_MAX_TOKENS,
      maxDepth: config.GRAPHQL_MAX_DEPTH,
      maxAliasesPerField: config.GRAPHQL_MAX_ALIASES_PER_FIELD,
      maxComplexity: config.GRAPHQL_MAX_COMPLEXITY,
      timeoutMs: config.GRAPHQL_OPERATION_TIMEOUT_MS,
      maxTimelinePieces: config.GRAPHQL_MAX_TIMELINE_PIECES,
      introspection: config.GRAPHQL_INTROSPECTION,
    },
    log,
  );
  const http = await createHttpServer(config, { db: dataSource, pipeline, authenticator, sessions, log, listening: () => listener.connected }, async (app) => {
    registerMetricsRoute(app, metrics.registry, config.METRICS_TOKEN);
    registerStatusHtmlRoutes(app, { cache: statusCache, retryAfterSeconds: config.RETRY_AFTER_SECONDS });
    const tokenGuard = { authenticate: (header: unknown, from: string) => authenticator.authenticate(header, from), clientAddress: clientAddressOf(config.TRUST_PROXY) };
    registerRcaRoutes(app, { rcas: services.rcas, ...tokenGuard });
    registerReportRoute(app, { links: services.analyticsLinks, report: services.incidentReports });
    registerIncidentsCsvRoute(app, { exports: services.incidentExports, retryAfterSeconds: config.RETRY_AFTER_SECONDS, ...tokenGuard });
    const intakeDeps = {
      processor: ingest.processor,
      deadLetters: services.deadLetters,
      metrics: webhookMetrics,
      clock,
      publicBaseUrl: publicBaseUrl(config),
      bodyLimit: config.BODY_LIMIT_BYTES,
      authFailures,
      defaultRateLimitPerMinute: config.INGEST_RATE_LIMIT_PER_MINUTE,
      retryAfterSeconds: config.RETRY_AFTER_SECONDS,
      // One allowance per integration, whichever way its deliveries come in.
      intake: new RateLimiter(clock),
      deliveryLog: ingest.deliveryLog,
    };
    await registerWebhookRoutes(app, { ...intakeDeps, cache: ingest.integrationCache, log: log.child({ module: 'webhooks' }) });
    // Drop-in PagerDuty Events API v2 and Opsgenie Alert API (#16): the same intake, found by the key they present.
    const vendorApiDeps = {
      ...intakeDeps,
      keys: integrationKeys,
      changeEvents: services.changeEvents,
      vendorRequests: services.vendorRequests,
      incidents: services.incidents,
    };
    await registerPagerDutyRoutes(app, vendorApiDeps);
    await registerOpsgenieRoutes(app, vendorApiDeps);
    await registerStatusApiRoutes(app, {
      cache: statusCache,
      publicBaseUrl: publicBaseUrl(config),
      retryAfterSeconds: config.RETRY_AFTER_SECONDS,
    });
    await registerSubscriberRoutes(app, {
      subscribers: services.statusSubscribers,
      clientAddress: clientAddressOf(config.TRUST_PROXY),
      ratePerMinute: config.STATUS_SUBSCRIBE_RATE_PER_MINUTE,
      publicBaseUrl: publicBaseUrl(config),
      retryAfterSeconds: config.RETRY_AFTER_SECONDS,
    });
  });
  const smtpSettings = smtpIngestConfig(config);
  const smtp = smtpSettings
    ? await SmtpListener.start(smtpSettings, {
        recipients: new MailRecipients(smtpSettings.domain, integrationKeys),
        processor: ingest.processor,
        deadLetters: services.deadLetters,
        metrics: webhookMetrics,
        authFailures,
        clock,
        log: log.child({ module: 'smtp-ingest' }),
        defaultRateLimitPerMinute: config.INGEST_RATE_LIMIT_PER_MINUTE,
        deliveryLog: ingest.deliveryLog,
      })
    : null;
  if (config.JOBS_ENABLED) scheduler.start();
  sessions.start();
  return {
    db: dataSource,
    services,
    ingest,
    http,
    schema,
    scheduler,
    authFailures,
    statusCache,
    sessions,
    smtp,
    async close() {
      sessions.stop();
      // Intake stops first: a mail still being taken in is answered before the stack under it closes.
      await smtp?.close();
      await http.close();
      await ingest.coalescer.idle();
      await ingest.deliveryLog.close();
      await scheduler.stop();
      await listener.stop();
      await closeChannels(channels);
      statusChannels.close();
    },
  };
}
