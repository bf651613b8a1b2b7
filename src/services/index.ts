import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { AlertPipeline } from '../ingest/alert-pipeline';
import { DeadLetterReplay } from '../ingest/dead-letter-replay';
import { DEFAULT_COALESCER_OPTIONS, IngestCoalescer } from '../ingest/ingest-coalescer';
import { IntegrationCache } from '../ingest/integration-cache';
import { noSuppression, type SuppressionCheck } from '../ingest/suppression';
import { SmsCommandHandler } from '../ingest/sms-commands';
import { WebhookProcessor } from '../ingest/webhook-processor';
import type { Channels } from '../notify';
import type { Clock } from '../shared/clock';
import { AlertQueryService } from './alert-query.service';
import { ApiTokenService } from './api-token.service';
import { AuditService } from './audit.service';
import { CatalogService } from './catalog.service';
import { DeadLetterService, type DeadLetterLimits } from './dead-letter.service';
import { DEFAULT_DELIVERY_OPTIONS, DeliveryService, type DeliveryOptions } from './delivery.service';
import { escalationHooks } from './escalation-hooks';
import { EscalationService } from './escalation.service';
import { IncidentQueryService } from './incident-query.service';
import { IncidentService } from './incident.service';
import { IntegrationService } from './integration.service';
import { MitigationService } from './mitigation.service';
import { NotificationQueryService } from './notification-query.service';
import { OnCallService } from './on-call.service';
import { PagingService } from './paging.service';
import { ScheduleService } from './schedule.service';
import { ScheduleStore } from './schedule.store';
import { TeamService } from './team.service';
import { StatusUpdateService } from './status-update.service';
import { TimelineService } from './timeline.service';
import { WebhookReceiptService } from './webhook-receipt.service';

export interface ServiceOptions {
  log: Logger;
  /** Where vendors reach this deployment; webhook URLs and Twilio signatures use it. */
  publicBaseUrl: string;
  ingest?: { maxInFlight: number; maxAlertsPerBatch: number; alertsForExtraBatch: number; requestsForExtraBatch: number };
  suppression?: SuppressionCheck;
  /** Outbound channels for the delivery worker; a missing one fails its messages with a clear reason. */
  channels?: Channels;
  deadLetters?: DeadLetterLimits;
  delivery?: Partial<DeliveryOptions>;
}

export type Services = ReturnType<typeof createServices>;

/** Wires the domain services over one data source and clock. */
export function createServices(db: DataSource, clock: Clock, options: ServiceOptions) {
  const auditLog = new AuditService(db, clock);
  const scheduleStore = new ScheduleStore(db, clock);
  const onCall = new OnCallService(db, clock, scheduleStore);
  const escalation = new EscalationService(db, clock, onCall);
  const incidents = new IncidentService(db, clock, escalationHooks(escalation));
  const integrations = new IntegrationService(db, clock, auditLog);
  const deadLetters = new DeadLetterService(db, clock, auditLog, options.deadLetters);
  const pipeline = new AlertPipeline(db, clock, incidents, options.suppression ?? noSuppression);
  const ingestLog = options.log.child({ module: 'ingest' });
  const coalescer = new IngestCoalescer(
    (items) => pipeline.ingest(items),
    {
      ...DEFAULT_COALESCER_OPTIONS,
      ...options.ingest,
      onBatchFailure: (error, requests) => ingestLog.warn({ err: error, requests }, 'a coalesced ingest batch failed; retrying its requests one by one'),
    },
  );
  const integrationCache = new IntegrationCache(integrations);
  integrations.onCommittedChange = (id) => integrationCache.invalidate(id);
  const processor = new WebhookProcessor(coalescer, new SmsCommandHandler(db, incidents, clock), ingestLog);
  return {
    db,
    clock,
    publicBaseUrl: options.publicBaseUrl,
    auditLog,
    incidents,
    incidentQueries: new IncidentQueryService(db),
    timeline: new TimelineService(db),
    statusUpdates: new StatusUpdateService(db, clock, incidents),
    mitigations: new MitigationService(db, clock, incidents),
    catalog: new CatalogService(db, clock, auditLog),
    tokens: new ApiTokenService(db, clock, auditLog),
    integrations,
    integrationCache,
    deadLetters,
    webhookReceipts: new WebhookReceiptService(db, clock),
    alertQueries: new AlertQueryService(db),
    pipeline,
    coalescer,
    processor,
    schedules: new ScheduleService(db, clock, scheduleStore, auditLog),
    scheduleStore,
    onCall,
    escalation,
    paging: new PagingService(db, clock, auditLog),
    notificationQueries: new NotificationQueryService(db),
    teams: new TeamService(db, clock, auditLog),
    delivery: new DeliveryService(db, clock, options.channels ?? {}, options.log.child({ module: 'delivery' }), { ...DEFAULT_DELIVERY_OPTIONS, ...options.delivery }),
    replay: new DeadLetterReplay(deadLetters, integrations, integrationCache, processor),
  };
}
