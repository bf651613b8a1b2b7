import type { Logger } from 'pino';
import type { SubscriptionTopics } from '../db/changes';
import type { Services } from '../services';
import type { DeadLetterReplayer } from '../services/dead-letter.service';
import type { ChangeHub } from '../shared/change-hub';
import type { WorkBudget } from '../shared/work-budget';
import type { Actor } from '../shared/actor';
import type { AuditContext } from '../shared/audit-context';
import type { Loaders } from './loaders';

/** How long one operation may run and how much it may do: resolvers that would start after the deadline fail instead. */
export interface OperationBudget {
  readonly deadline: number;
  readonly timeoutMs: number;
  /** Aborted at the deadline or once the operation has been answered: whatever still runs for it stops starting work. */
  readonly signal: AbortSignal;
  /** Work measured while running (pieces of on-call timelines), which the cost estimate cannot know in advance. */
  readonly work: WorkBudget;
}

/** What resolvers may call: the domain services, and intake's dead-letter replay behind a service-shaped interface. */
export type ResolverServices = Services & { deadLetterReplay: DeadLetterReplayer };

/** What every resolver receives: the authenticated caller, the services, per-operation loaders and time budget. */
export interface GraphQLContext {
  actor: Actor;
  /** The caller and the request id, for the audit entry of a configuration change. */
  audit: AuditContext;
  services: ResolverServices;
  loaders: Loaders;
  log: Logger;
  budget: OperationBudget;
  /** Committed changes, for subscriptions. */
  changes: ChangeHub<SubscriptionTopics>;
}
