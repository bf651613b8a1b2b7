import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Channels, StatusChannels } from '../notify';
import type { BusinessCalendar } from '../shared/business-days';
import type { Clock } from '../shared/clock';
import { AlertQueryService } from './alert-query.service';
import { ApiTokenService } from './api-token.service';
import { AuditService } from './audit.service';
import { CatalogService } from './catalog.service';
import { communicationHooks } from './communication-hooks';
import { CommunicationPolicyService } from './communication-policy.service';
import { CommunicationReminderService } from './communication-reminder.service';
import { CommunicationService } from './communication.service';
import { DeadLetterService, type DeadLetterLimits } from './dead-letter.service';
import { DEFAULT_DELIVERY_OPTIONS, DeliveryService, type DeliveryOptions } from './delivery.service';
import { escalationHooks } from './escalation-hooks';
import { HandoffService } from './handoff.service';
import { EscalationService } from './escalation.service';
import { IncidentQueryService } from './incident-query.service';
import { IncidentGrouping } from './incident-grouping';
import { IncidentService } from './incident.service';
import { IntegrationService } from './integration.service';
import { MaintenanceCalendarService } from './maintenance/maintenance-calendar.service';
import { maintenanceHooks } from './maintenance/maintenance-hooks';
import { MaintenanceRecurrenceService } from './maintenance-recurrence.service';
import { DEFAULT_MAINTENANCE_OPTIONS, MaintenanceService, type MaintenanceOptions } from './maintenance.service';
import { allHooks } from './lifecycle-hooks';
import { MitigationService } from './mitigation.service';
import { NotificationQueryService } from './notification-query.service';
import { OnCallService } from './on-call.service';
import { PageReplyService } from './page-reply.service';
import { PagingService } from './paging.service';
import { ScheduleService } from './schedule.service';
import { ScheduleStore } from './schedule.store';
import { TaskReminderService } from './task-reminder.service';
import { TaskService } from './task.service';
import { TeamService } from './team.service';
import { StatusUpdateService } from './status-update.service';
import { ComponentAnnouncer } from './status/component-announcer';
import { PublicStatusReader } from './status/public-status.reader';
import { DEFAULT_REMINDER_HOUR, ReviewFollowupService } from './review/review-followup.service';
import { ReviewSettingsService, type ReviewSettings } from './review/review-settings.service';
import { DEFAULT_STATUS_DELIVERY_OPTIONS, StatusDeliveryService, type StatusDeliveryOptions } from './status/status-delivery.service';
import { recordMaintenanceNotice, recordPublicUpdate } from './status/status-events';
import { StatusFanout } from './status/status-fanout.service';
import { PublicLinkKeys } from './public-link-keys';
import { StatusPageService } from './status/status-page.service';
import { StatusSubscriberService } from './status/subscriber.service';
import { TimelineService } from './timeline.service';
import { CauseCategoryService } from './review/cause-category.service';
import { ReviewDrafter } from './review/review-draft';
import { reviewOnResolve } from './review/review-on-resolve';
import { RcaService } from './review/rca.service';
import { AnalyticsLinkService } from './metrics/analytics-link.service';
import { IncidentExportService } from './metrics/incident-export.service';
import { IncidentMetricsService } from './metrics/incident-metrics.service';
import { ResponderMetricsService } from './metrics/responder-metrics.service';
import { IncidentReportService } from './metrics/incident-report.service';
import { ReviewReader } from './review/review-reader';
import { ReviewService } from './review/review.service';
import { WebhookReceiptService } from './webhook-receipt.service';
import { ChangeEventService } from './change-event.service';
import { VendorRequestService } from './vendor-request.service';
import { StatusFeedService } from './status-feed.service';
import { IntegrationDeliveryService, type DeliveryLogLimits } from './integration-delivery.service';

export interface ServiceOptions {
  log: Logger;
  /** Where vendors reach this deployment; webhook URLs and Twilio signatures use it. */
  publicBaseUrl: string;
  /** Outbound channels for the delivery worker; a missing one fails its messages with a clear reason. */
  channels?: Channels;
  deadLetters?: DeadLetterLimits;
  /** The integration delivery log's bounds (#16). */
  deliveryLog?: DeliveryLogLimits;
  delivery?: Partial<DeliveryOptions>;
  /** The business-day calendar maintenance notice is counted in until an ADMIN sets one; UTC weekends only when not given. */
  maintenanceCalendar?: BusinessCalendar;
  maintenance?: Partial<MaintenanceOptions>;
  /** The status subscribers' own transports (pooled SMTP, Slack, signed webhooks); without them their messages fail with a clear reason. */
  statusChannels?: StatusChannels;
  statusDelivery?: Partial<Omit<StatusDeliveryOptions, 'publicBaseUrl'>>;
  statusSubscribers?: { confirmHours: number; allowPrivateUrls: boolean };
  /** Provider status feeds (STATUS_FEED integrations): whether their URLs may be on loopback or private networks. */
  statusFeeds?: { allowPrivateUrls: boolean };
  /** The review settings until an ADMIN sets them, and the local hour (calendar zone) from which each day's follow-up reminder goes. */
  review?: Partial<ReviewSettings> & { reminderHour?: number };
}

const WEEKENDS_ONLY: BusinessCalendar = { region: null, extraDates: [], zone: 'UTC' };

export type Services = ReturnType<typeof createServices>;

/** Builds the domain services over one data source and clock; the composition root (app.ts) wires the rest. */
export function createServices(db: DataSource, clock: Clock, options: ServiceOptions) {
  const auditLog = new AuditService(db, clock);
  const scheduleStore = new ScheduleStore(db, clock);
  const onCall = new OnCallService(db, clock, scheduleStore);
  const escalation = new EscalationService(db, clock, onCall);
  const handoffs = new HandoffService(db, clock, scheduleStore);
  // communication cadence (#12)
  const communication = new CommunicationService(db, clock);
  const maintenanceCalendar = new MaintenanceCalendarService(db, clock, options.maintenanceCalendar ?? WEEKENDS_ONLY, auditLog);
  // post-incident review (#14): the follow-up is the ReviewFollowupHooks the IRF and RCA services call; resolving opens the IRF.
  const reviewSettings = new ReviewSettingsService(db, clock, { dueBusinessDays: options.review?.dueBusinessDays ?? 5, reviewerId: options.review?.reviewerId ?? null }, auditLog);
  const reviewFollowups = new ReviewFollowupService(db, clock, maintenanceCalendar, reviewSettings, onCall, options.review?.reminderHour ?? DEFAULT_REMINDER_HOUR);
  // long-term fixes and preventive actions are one task model
  const tasks = new TaskService(db, clock);
  const reviewDrafter = new ReviewDrafter(clock, reviewFollowups, tasks);
  const incidents = new IncidentService(db, clock, allHooks(escalationHooks(escalation), communicationHooks(communication), reviewOnResolve(reviewDrafter)));
  // A public update and a public window's notice tell status subscribers, recorded in their own transaction (#13).
  const maintenance = new MaintenanceService(db, clock, maintenanceCalendar, maintenanceHooks(clock, incidents, communication, recordMaintenanceNotice), {
    ...DEFAULT_MAINTENANCE_OPTIONS,
    ...options.maintenance,
  });
  const linkKeys = new PublicLinkKeys(db);
  const incidentMetrics = new IncidentMetricsService(db, clock);
  const responderMetrics = new ResponderMetricsService(db, incidentMetrics, onCall);
  const catalog = new CatalogService(db, clock, auditLog);
  const publicStatus = new PublicStatusReader(db, clock, linkKeys);
  return {
    auditLog,
    incidents,
    grouping: new IncidentGrouping(clock, incidents),
    incidentQueries: new IncidentQueryService(db),
    timeline: new TimelineService(db),
    statusUpdates: new StatusUpdateService(db, clock, incidents, communication, recordPublicUpdate),
    mitigations: new MitigationService(db, clock, incidents, tasks),
    tasks,
    reviews: new ReviewService(db, clock, incidents, reviewDrafter, reviewFollowups),
    causeCategories: new CauseCategoryService(db, clock, auditLog),
    reviewReader: new ReviewReader(db),
    incidentMetrics,
    incidentExports: new IncidentExportService(db, incidentMetrics),
    responderMetrics,
    incidentReports: new IncidentReportService(incidentMetrics, responderMetrics, catalog),
    analyticsLinks: new AnalyticsLinkService(db, clock, auditLog, linkKeys, incidentMetrics, options.publicBaseUrl),
    rcas: new RcaService(db, clock, incidents, linkKeys, reviewFollowups),
    taskReminders: new TaskReminderService(db, clock, maintenanceCalendar),
    catalog,
    tokens: new ApiTokenService(db, clock, auditLog),
    integrations: new IntegrationService(db, clock, options.publicBaseUrl, auditLog, { allowPrivate: options.statusFeeds?.allowPrivateUrls ?? false }),
    deadLetters: new DeadLetterService(db, clock, auditLog, options.deadLetters),
    integrationDeliveries: new IntegrationDeliveryService(db, clock, options.deliveryLog),
    webhookReceipts: new WebhookReceiptService(db, clock),
    // provider status feeds (#16)
    statusFeeds: new StatusFeedService(db, clock),
    // drop-in PagerDuty Events API v2 and Opsgenie Alert API (#16)
    changeEvents: new ChangeEventService(db, clock),
    vendorRequests: new VendorRequestService(db, clock),
    alertQueries: new AlertQueryService(db),
    schedules: new ScheduleService(db, clock, scheduleStore, auditLog, handoffs),
    scheduleStore,
    onCall,
    handoffs,
    escalation,
    paging: new PagingService(db, clock, auditLog),
    pageReplies: new PageReplyService(db, clock, incidents),
    notificationQueries: new NotificationQueryService(db),
    teams: new TeamService(db, clock, auditLog),
    maintenanceCalendar,
    maintenance,
    maintenanceRecurrences: new MaintenanceRecurrenceService(db, clock, maintenance, auditLog),
    // communication cadence (#12)
    communication,
    communicationPolicies: new CommunicationPolicyService(db, clock, auditLog),
    communicationReminders: new CommunicationReminderService(db, clock, onCall),
    // status pages (#13)
    linkKeys,
    statusPages: new StatusPageService(db, clock, auditLog, options.publicBaseUrl),
    publicStatus,
    statusFanout: new StatusFanout(db, clock, publicStatus),
    statusComponents: new ComponentAnnouncer(db, clock, publicStatus, linkKeys),
    statusSubscribers: new StatusSubscriberService(db, clock, linkKeys, publicStatus, auditLog, {
      publicBaseUrl: options.publicBaseUrl,
      confirmHours: options.statusSubscribers?.confirmHours ?? 168,
      allowPrivate: options.statusSubscribers?.allowPrivateUrls ?? false,
    }),
    // post-incident review (#14)
    reviewSettings,
    reviewFollowups,
    delivery: new DeliveryService(db, clock, options.channels ?? {}, options.log.child({ module: 'delivery' }), { ...DEFAULT_DELIVERY_OPTIONS, ...options.delivery }),
    statusDelivery: new StatusDeliveryService(db, clock, linkKeys, options.statusChannels ?? null, options.log.child({ module: 'status-delivery' }), {
      ...DEFAULT_STATUS_DELIVERY_OPTIONS,
      ...options.statusDelivery,
      publicBaseUrl: options.publicBaseUrl,
    }),
  };
}
