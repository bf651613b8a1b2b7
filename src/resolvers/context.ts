import type { Logger } from 'pino';
import type { OperationBudget } from '../graphql/operation-budget';
import type { Services } from '../services';
import type { Actor } from '../shared/actor';
import type { Loaders } from './loaders';

/** What every resolver receives: the authenticated caller, the services, per-operation loaders and time budget. */
export interface GraphQLContext {
  actor: Actor;
  services: Services;
  loaders: Loaders;
  log: Logger;
  budget: OperationBudget;
}
