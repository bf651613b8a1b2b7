import type { Logger } from 'pino';
import type { Services } from '../services';
import type { Actor } from '../shared/actor';
import type { Loaders } from './loaders';

/** What every resolver receives: the authenticated caller, the services, per-request loaders. */
export interface GraphQLContext {
  actor: Actor;
  services: Services;
  loaders: Loaders;
  log: Logger;
}
