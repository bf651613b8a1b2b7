import type { Logger } from 'pino';
import type { SubscriptionTopics } from '../db/changes';
import type { Services } from '../services';
import type { ChangeHub } from '../shared/change-hub';
import type { Actor } from '../shared/actor';
import type { Loaders } from './loaders';

/** How long one operation may run: resolvers that start after the deadline fail instead of doing more work. */
export interface OperationBudget {
  readonly deadline: number;
  readonly timeoutMs: number;
}

/** What every resolver receives: the authenticated caller, the services, per-operation loaders and time budget. */
export interface GraphQLContext {
  actor: Actor;
  services: Services;
  loaders: Loaders;
  log: Logger;
  budget: OperationBudget;
  /** Committed changes, for subscriptions. */
  changes: ChangeHub<SubscriptionTopics>;
}
