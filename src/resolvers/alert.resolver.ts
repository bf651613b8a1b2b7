import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, Int, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { AlertEvent } from '../db/changes';
import { Alert } from '../schema/alert.entity';
import { toConnection, type Connection } from '../schema/connection';
import { AlertConnection } from '../schema/connections';
import { Role } from '../schema/enums';
import { Incident } from '../schema/incident.entity';
import { AlertFilterInput, AlertSubscriptionFilter } from '../schema/ingest.input';
import { Service } from '../schema/service.entity';
import { notFound } from '../shared/domain-error';
import { pageComplexity } from './complexity';
import type { GraphQLContext } from './context';
import { AFTER, type Resumable } from './subscription-args';

@ArgsType()
class AlertsArgs {
  @Field(() => AlertFilterInput, { nullable: true, description: 'Only alerts matching every field given; all alerts without it.' })
  filter?: AlertFilterInput | null;

  @Field(() => Int, { nullable: true, description: 'Page size, 0 to 100 (default 20); outside that is BAD_USER_INPUT naming `first`.' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The previous page\'s pageInfo.endCursor, to get the page after it; a cursor the server did not issue is BAD_USER_INPUT naming `after`.' })
  after?: string | null;
}

@ArgsType()
class IncidentAlertsArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, 0 to 100 (default 20); outside that is BAD_USER_INPUT naming `first`.' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The previous page\'s pageInfo.endCursor, to get the page after it; a cursor the server did not issue is BAD_USER_INPUT naming `after`.' })
  after?: string | null;
}

function matches(change: AlertEvent, filter: AlertSubscriptionFilter | null | undefined): boolean {
  if (!filter) return true;
  if (filter.serviceId?.length && !filter.serviceId.includes(change.serviceId)) return false;
  if (filter.integrationId?.length && !filter.integrationId.includes(change.integrationId)) return false;
  if (filter.status?.length && !filter.status.includes(change.status as never)) return false;
  if (filter.severity?.length && (!change.severity || !filter.severity.includes(change.severity as never))) return false;
  return true;
}


@Resolver(() => Alert)
export class AlertResolver {
  @Authorized(Role.VIEWER)
  @Query(() => AlertConnection, { complexity: pageComplexity, description: 'Alerts the webhooks received, newest first seen first (then by id), a page at a time. Role: VIEWER.' })
  async alerts(@Ctx() { services }: GraphQLContext, @Args() args: AlertsArgs): Promise<Connection<Alert>> {
    return toConnection(AlertConnection, await services.alertQueries.list(args.filter ?? {}, args), args);
  }

  @Authorized(Role.VIEWER)
  @Subscription(() => Alert, {
    subscribe: ({ args, context }) =>
      (context as GraphQLContext).changes.subscribe('ALERT_RECEIVED', {
        filter: (change) => matches(change, (args as { filter?: AlertSubscriptionFilter }).filter),
        key: (change) => change.alertId,
        after: (args as Resumable).after,
      }),
    description:
      'Alerts that webhooks created or changed (firing or resolved), after commit: at least one event per changed alert, carrying its state when sent (occurrences included). Occurrences of one alert that arrive together, or while the client is still reading earlier events, come as one event. Role: VIEWER.',
  })
  async alertReceived(
    @Root() change: AlertEvent,
    @Ctx() { loaders }: GraphQLContext,
    @Arg('filter', () => AlertSubscriptionFilter, { nullable: true, description: 'Only alerts matching every field given; all alerts without it.' }) _filter?: AlertSubscriptionFilter,
    @Arg('after', () => String, { nullable: true, description: AFTER }) _after?: string,
  ): Promise<Alert> {
    // Through the loaders of the event's tick: every subscriber woken by this change reads it in one statement.
    const alert = await loaders.alert.load(change.alertId);
    if (!alert) throw notFound('alert', change.alertId);
    return alert;
  }

  @FieldResolver(() => Service, { description: "The service of the integration that received the alert." })
  async service(@Root() alert: Alert, @Ctx() { loaders }: GraphQLContext): Promise<Service | null> {
    return loaders.service.load(alert.serviceId);
  }
}

@Resolver(() => Incident)
export class IncidentAlertsResolver {
  @FieldResolver(() => AlertConnection, { complexity: pageComplexity, description: 'The alerts attached to this incident, newest first.' })
  async alerts(@Root() incident: Incident, @Ctx() { services }: GraphQLContext, @Args() args: IncidentAlertsArgs): Promise<Connection<Alert>> {
    return toConnection(AlertConnection, await services.alertQueries.list({ incidentId: incident.id }, args), args);
  }
}

