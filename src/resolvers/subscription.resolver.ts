import { Arg, Authorized, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { Change } from '../db/changes';
import { Role } from '../schema/enums';
import { Incident } from '../schema/incident.entity';
import { IncidentSubscriptionFilter } from '../schema/incident.input';
import { TimelineEvent } from '../schema/timeline-event.entity';
import { notFound } from '../shared/domain-error';
import type { GraphQLContext } from './context';

type IncidentChange = Extract<Change, { topic: 'INCIDENT_CREATED' | 'INCIDENT_UPDATED' }>;
type TimelineChange = Extract<Change, { topic: 'TIMELINE_EVENT_ADDED' }>;

function matches(change: IncidentChange, filter: IncidentSubscriptionFilter | null | undefined): boolean {
  if (!filter) return true;
  if (filter.incidentId && filter.incidentId !== change.incidentId) return false;
  if (filter.status?.length && !filter.status.includes(change.status as never)) return false;
  if (filter.priority?.length && !filter.priority.includes(change.priority as never)) return false;
  if (filter.serviceId?.length && !filter.serviceId.includes(change.serviceId)) return false;
  return true;
}

/** Changes arrive only after their transaction committed (pg_notify); each event re-reads its row. */
@Resolver()
export class SubscriptionResolver {
  @Authorized(Role.VIEWER)
  @Subscription(() => Incident, { topics: 'INCIDENT_CREATED', description: 'A new incident, by hand or from alerts.' })
  incidentCreated(@Root() change: IncidentChange, @Ctx() { services }: GraphQLContext): Promise<Incident> {
    return services.incidents.get(change.incidentId);
  }

  @Authorized(Role.VIEWER)
  @Subscription(() => Incident, {
    topics: 'INCIDENT_UPDATED',
    filter: ({ payload, args }) => matches(payload as IncidentChange, (args as { filter?: IncidentSubscriptionFilter }).filter),
    description: 'An incident changed status, priority, impact or owner.',
  })
  incidentUpdated(
    @Root() change: IncidentChange,
    @Ctx() { services }: GraphQLContext,
    @Arg('filter', () => IncidentSubscriptionFilter, { nullable: true }) _filter?: IncidentSubscriptionFilter,
  ): Promise<Incident> {
    return services.incidents.get(change.incidentId);
  }

  @Authorized(Role.VIEWER)
  @Subscription(() => TimelineEvent, {
    topics: 'TIMELINE_EVENT_ADDED',
    filter: ({ payload, args }) => (payload as TimelineChange).incidentId === (args as { incidentId: string }).incidentId,
  })
  async timelineEventAdded(
    @Root() change: TimelineChange,
    @Ctx() { services }: GraphQLContext,
    @Arg('incidentId', () => ID) _incidentId: string,
  ): Promise<TimelineEvent> {
    const event = await services.timeline.get(change.eventId);
    if (!event) throw notFound('timeline event', change.eventId);
    return event;
  }
}
