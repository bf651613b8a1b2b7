import { AlertResolver, IncidentAlertsResolver } from './alert.resolver';
import { ApiTokenResolver } from './api-token.resolver';
import { AuditResolver } from './audit.resolver';
import { PersonResolver, ServiceResolver } from './catalog.resolver';
import { COMMUNICATION_RESOLVERS } from './communication.resolver';
import { DeadLetterResolver } from './dead-letter.resolver';
import { IncidentResolver } from './incident.resolver';
import { IntegrationResolver } from './integration.resolver';
import { MAINTENANCE_RECURRENCE_RESOLVERS } from './maintenance-recurrence.resolver';
import { AlertSuppressionResolver, MaintenanceResolver, MaintenanceServiceImpactResolver } from './maintenance.resolver';
import { METRICS_RESOLVERS } from './metrics.resolver';
import { MitigationResolver } from './mitigation.resolver';
import { IncidentPagingResolver, PagingResolver, PersonPagingResolver, ServicePagingResolver } from './paging.resolver';
import { RCA_RESOLVERS } from './rca.resolver';
import { REVIEW_RESOLVERS } from './review.resolver';
import { ReviewSettingsResolver } from './review-settings.resolver';
import { SCHEDULE_SUBSCRIPTION_RESOLVERS } from './schedule-subscription.resolver';
import { SCHEDULE_RESOLVERS } from './schedule.resolver';
import { IncidentComponentImpactResolver, StatusPageComponentResolver, StatusPageResolver } from './status-page.resolver';
import { STATUS_SUBSCRIBER_RESOLVERS } from './status-subscriber.resolver';
import { SubscriptionResolver } from './subscription.resolver';
import { TaskResolver } from './task.resolver';
import { TeamResolver } from './team.resolver';

export const RESOLVERS = [
  AlertResolver,
  AlertSuppressionResolver,
  ApiTokenResolver,
  AuditResolver,
  DeadLetterResolver,
  IncidentAlertsResolver,
  IncidentResolver,
  IntegrationResolver,
  MaintenanceResolver,
  MaintenanceServiceImpactResolver,
  ...MAINTENANCE_RECURRENCE_RESOLVERS,
  ...METRICS_RESOLVERS,
  MitigationResolver,
  IncidentPagingResolver,
  PagingResolver,
  PersonPagingResolver,
  ServicePagingResolver,
  PersonResolver,
  ...SCHEDULE_RESOLVERS,
  ...SCHEDULE_SUBSCRIPTION_RESOLVERS,
  ServiceResolver,
  StatusPageResolver,
  StatusPageComponentResolver,
  IncidentComponentImpactResolver,
  ...STATUS_SUBSCRIBER_RESOLVERS,
  SubscriptionResolver,
  TaskResolver,
  ...REVIEW_RESOLVERS,
  ...RCA_RESOLVERS,
  TeamResolver,
  // communication cadence (#12)
  ...COMMUNICATION_RESOLVERS,
  // post-incident review (#14)
  ReviewSettingsResolver,
] as const;
