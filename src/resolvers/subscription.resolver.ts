import { Arg, Authorized, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { IncidentChange, TimelineChange } from '../db/changes';
import { Role } from '../schema/enums';
import { Incident } from '../schema/incident.entity';
import { IncidentSubscriptionFilter } from '../schema/incident.input';
import { TimelineEvent } from '../schema/timeline-event.entity';
import { notFound } from '../shared/domain-error';
import type { GraphQLContext } from './context';
import type { Loaders } from './loaders';
import { AFTER, type Resumable } from './subscription-args';

function matches(change: IncidentChange, filter: IncidentSubscriptionFilter | null | undefined): boolean {
  if (!filter) return true;
  if (filter.incidentId && filter.incidentId !== change.incidentId) return false;
  if (filter.status?.length && !filter.status.includes(change.status as never)) return false;
  if (filter.priority?.length && !filter.priority.includes(change.priority as never)) return false;
  if (filter.serviceId?.length && !filter.serviceId.includes(change.serviceId)) return false;
  return true;
}

async function incidentOf(change: IncidentChange, loaders: Loaders): Promise<Incident> {
  const incident = await loaders.incident.load(change.incidentId);
  if (!incident) throw notFound('incident', change.incidentId);
  return incident;
}

/**
 * Changes arrive only after their transaction committed (pg_notify); each event re-reads its row, so changes
 * to one incident that wait for a slow client are merged into one event carrying the latest state. The rows are
 * read through the loaders of the event's tick, which every subscriber woken by the same change shares.
 */
@Resolver()
export class SubscriptionResolver {
  @Authorized(Role.VIEWER)
  @Subscription(() => Incident, {
    subscribe: ({ args, context }) =>
      (context as GraphQLContext).changes.subscribe('INCIDENT_CREATED', { key: (change) => change.incidentId, after: (args as Resumable).after }),
    description: 'A new incident, by hand or from alerts, after its transaction committed. Role: VIEWER.',
  })
  incidentCreated(
    @Root() change: IncidentChange,
    @Ctx() { loaders }: GraphQLContext,
    @Arg('after', () => String, { nullable: true, description: AFTER }) _after?: string,
  ): Promise<Incident> {
    return incidentOf(change, loaders);
  }

  @Authorized(Role.VIEWER)
  @Subscription(() => Incident, {
    subscribe: ({ args, context }) =>
      (context as GraphQLContext).changes.subscribe('INCIDENT_UPDATED', {
        filter: (change) => matches(change, (args as { filter?: IncidentSubscriptionFilter }).filter),
        key: (change) => change.incidentId,
        after: (args as Resumable).after,
      }),
    description: 'An incident changed status, priority, impact or owner: at least one event after each change, with the state when it is sent. Role: VIEWER.',
  })
  incidentUpdated(
    @Root() change: IncidentChange,
    @Ctx() { loaders }: GraphQLContext,
    @Arg('filter', () => IncidentSubscriptionFilter, { nullable: true, description: 'Only incidents matching every field given; all incidents without it.' }) _filter?: IncidentSubscriptionFilter,
    @Arg('after', () => String, { nullable: true, description: AFTER }) _after?: string,
  ): Promise<Incident> {
    return incidentOf(change, loaders);
  }

  @Authorized(Role.VIEWER)
  @Subscription(() => TimelineEvent, {
    subscribe: ({ args, context }) =>
      (context as GraphQLContext).changes.subscribe('TIMELINE_EVENT_ADDED', {
        filter: (change) => change.incidentId === (args as { incidentId: string }).incidentId,
        key: (change) => change.eventId,
        after: (args as Resumable).after,
      }),
    description: "Every event added to the incident's timeline, in commit order. Role: VIEWER.",
  })
  async timelineEventAdded(
    @Root() change: TimelineChange,
    @Ctx() { loaders }: GraphQLContext,
    @Arg('incidentId', () => ID, { description: 'The incident whose timeline to follow.' }) _incidentId: string,
    @Arg('after', () => String, { nullable: true, description: AFTER }) _after?: string,
  ): Promise<TimelineEvent> {
    const event = await loaders.timelineEvent.load(change.eventId);
    if (!event) throw notFound('timeline event', change.eventId);
    return event;
  }
}
