import { ApiTokenResolver } from './api-token.resolver';
import { PersonResolver, ServiceResolver } from './catalog.resolver';
import { IncidentResolver } from './incident.resolver';
import { MitigationResolver, TaskResolver } from './mitigation.resolver';
import { SubscriptionResolver } from './subscription.resolver';

export const RESOLVERS = [
  ApiTokenResolver,
  IncidentResolver,
  MitigationResolver,
  PersonResolver,
  ServiceResolver,
  SubscriptionResolver,
  TaskResolver,
] as const;
